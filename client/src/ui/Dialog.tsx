/**
 * An in-page modal dialog, and the one way this app asks before doing something hard to undo
 * (ConfirmDialog): never the browser's own confirm box, which cannot be styled, blocks the
 * page (media and timers included) and reads differently in every browser.
 * Focus moves into the dialog and stays there (Tab wraps), Escape cancels, and focus returns
 * to whatever opened it.
 */
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from '../i18n/useTranslation.js';

type DialogProps = {
  title: string;
  /** Escape, the backdrop and every cancel button call this. */
  onCancel: () => void;
  children: ReactNode;
  /**
   * Where the focus goes on opening: the title (default: the choices are read first, and no
   * Enter pressed by habit picks one), or the first control (a question whose first answer is
   * the safe one).
   */
  initialFocus?: 'title' | 'first';
  'data-testid': string;
};

const FOCUSABLE = 'button:not([disabled]), select:not([disabled]), input:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

/** A modal dialog over the page. */
export function Dialog({ title, onCancel, children, initialFocus = 'title', ...rest }: DialogProps) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (initialFocus === 'first') box.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    else heading.current?.focus();
    return () => opener?.focus();
    // Once, on opening: later renders must not pull the focus back.
  }, []);
  const keyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
      return;
    }
    if (event.key !== 'Tab' || !box.current) return;
    const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };
  // NOTE: in a portal on <body>: opened from a list row or the toolbar, the dialog must not be
  // clipped or positioned by their containers (overflow, transforms of the phone's sheet).
  return createPortal(
    <div className="dialog-backdrop" onClick={(event) => event.target === event.currentTarget && onCancel()}>
      <div ref={box} className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={rest['data-testid']} onKeyDown={keyDown}>
        <h2 id={titleId} ref={heading} tabIndex={-1}>
          {title}
        </h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}

type ConfirmProps = {
  /** The question, as a sentence ending in ？. */
  question: string;
  /** What the confirming button says (default: 确定). */
  confirmLabel?: string;
  /** The confirming button is red: the action ends or removes something. */
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  'data-testid': string;
};

/**
 * Asks one question with two answers. Cancel comes first and takes the focus, so that Enter
 * pressed by habit does nothing irreversible. Test ids: the dialog's, `-confirm`, `-cancel`.
 */
export function ConfirmDialog({ question, confirmLabel, danger = false, onConfirm, onCancel, ...rest }: ConfirmProps) {
  const { t } = useTranslation();
  const testId = rest['data-testid'];
  return (
    <Dialog title={question} onCancel={onCancel} initialFocus="first" data-testid={testId}>
      <div className="dialog-actions">
        <button type="button" className="button" data-testid={`${testId}-cancel`} onClick={onCancel}>
          {t('dialog.cancel')}
        </button>
        <button type="button" className={danger ? 'button danger' : 'button primary'} data-testid={`${testId}-confirm`} onClick={onConfirm}>
          {confirmLabel ?? t('dialog.confirm')}
        </button>
      </div>
    </Dialog>
  );
}
