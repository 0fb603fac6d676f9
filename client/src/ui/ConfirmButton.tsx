/**
 * A button that asks before doing something hard to undo. While `confirm` is set, a click (or
 * Enter) opens the question in the app's one confirmation dialog (ConfirmDialog: 取消 first and
 * focused, Escape cancels); confirming does it. With `confirm` null, one click does it.
 * Test ids: the button's; while asking, `<id>-dialog`, `<id>-dialog-confirm`, `<id>-dialog-cancel`.
 */
import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from './Dialog.js';

type Props = {
  /** The question to ask first, or null to act on the first click. */
  confirm: string | null;
  onConfirm: () => void;
  children: ReactNode;
  className: string;
  'data-testid': string;
  /** The name when it is not the text. */
  'aria-label'?: string;
  /** What the dialog's confirming button says (default: 确定). */
  confirmLabel?: string;
  /** The action ends or removes something: the confirming button is red. */
  danger?: boolean;
  disabled?: boolean;
};

/** A `<button>` with an optional question; `data-confirming` is set while it asks. */
export function ConfirmButton({ confirm, onConfirm, children, className, confirmLabel, danger = false, disabled = false, ...rest }: Props) {
  // The question asked, so that a different question (or none) is not taken as confirmed.
  const [asked, setAsked] = useState<string | null>(null);
  const asking = confirm !== null && asked === confirm && !disabled;
  const testId = rest['data-testid'];
  const click = (): void => {
    if (confirm !== null) setAsked(confirm);
    else onConfirm();
  };
  return (
    <>
      <button
        type="button"
        className={className}
        data-testid={testId}
        data-confirming={asking ? 'true' : undefined}
        aria-label={rest['aria-label']}
        aria-haspopup={confirm !== null ? 'dialog' : undefined}
        disabled={disabled}
        onClick={click}
      >
        {children}
      </button>
      {asking && (
        <ConfirmDialog
          data-testid={`${testId}-dialog`}
          question={confirm}
          {...(confirmLabel === undefined ? {} : { confirmLabel })}
          danger={danger}
          onCancel={() => setAsked(null)}
          onConfirm={() => {
            setAsked(null);
            onConfirm();
          }}
        />
      )}
    </>
  );
}
