/**
 * A button that copies text to the clipboard and says so for two seconds.
 */
import { useEffect, useState } from 'react';

const COPIED_MS = 2_000;

/** Copies `text`; shows `label`, then `copiedLabel` once copied. */
export function CopyButton(props: { text: string; label: string; copiedLabel: string; className: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), COPIED_MS);
    return () => window.clearTimeout(timer);
  }, [copied]);
  const copy = (): void => {
    navigator.clipboard
      .writeText(props.text)
      .then(() => setCopied(true))
      .catch((error: unknown) => console.warn('clipboard unavailable', error));
  };
  return (
    <button type="button" className={props.className} data-testid={props.testId} onClick={copy}>
      <span aria-live="polite">{copied ? props.copiedLabel : props.label}</span>
    </button>
  );
}
