/**
 * A button that asks before doing something hard to undo. While `confirm` is set, the first
 * click (or Enter) turns the button into the question and a second one does it; Escape or
 * leaving the button withdraws the question. With `confirm` null, one click does it.
 * In place of window.confirm: the keyboard, screen readers and tests work it like any button.
 */
import { useState, type KeyboardEvent, type ReactNode } from 'react';

type Props = {
  /** The question to ask first, or null to act on the first click. */
  confirm: string | null;
  onConfirm: () => void;
  children: ReactNode;
  className: string;
  'data-testid': string;
  /** The name when it is not the text (not while asking: then the question is the name). */
  'aria-label'?: string;
  disabled?: boolean;
};

/** A `<button>` with an optional second step; `data-confirming` is set while it asks. */
export function ConfirmButton({ confirm, onConfirm, children, className, disabled = false, ...rest }: Props) {
  // The question asked, so that a different question (or none) is not taken as confirmed.
  const [asked, setAsked] = useState<string | null>(null);
  const asking = confirm !== null && asked === confirm && !disabled;
  const click = (): void => {
    if (confirm !== null && !asking) {
      setAsked(confirm);
      return;
    }
    setAsked(null);
    onConfirm();
  };
  const keyDown = (event: KeyboardEvent<HTMLButtonElement>): void => {
    if (!asking || event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    setAsked(null);
  };
  return (
    <>
      <button
        type="button"
        className={asking ? `${className} confirming` : className}
        data-testid={rest['data-testid']}
        data-confirming={asking ? 'true' : undefined}
        aria-label={asking ? undefined : rest['aria-label']}
        disabled={disabled}
        onClick={click}
        onKeyDown={keyDown}
        onBlur={() => setAsked(null)}
      >
        {asking ? confirm : children}
      </button>
      {/* The focus stays on the button; its new name alone is not reliably read out. */}
      <span className="visually-hidden" role="status">
        {asking ? confirm : ''}
      </span>
    </>
  );
}
