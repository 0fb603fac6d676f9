/**
 * One way to show how my microphone stands, the same in the toolbar and on my tile:
 * 可以发言 (heard), 等待发言 (on, but the room holds it until I get the floor), 已被静音 (the
 * chair muted me), 已静音 (I muted myself). Colour and icon follow the word, so the toolbar
 * never shows a live microphone while the tile says muted.
 */
import { useTranslation } from '../i18n/useTranslation.js';
import type { MicStatus } from '../roomSelectors.js';
import { MicIcon } from './icons.js';

/** The hint for states the person cannot change alone. */
function hintKey(status: MicStatus): 'mic.waitingHint' | 'mic.mutedByHostHint' | null {
  if (status === 'waitingFloor') return 'mic.waitingHint';
  if (status === 'mutedByHost') return 'mic.mutedByHostHint';
  return null;
}

/** The chip: icon and word; nothing without a microphone. */
export function MicStateChip({ status, id, testId }: { status: MicStatus; id?: string; testId: string }) {
  const { t } = useTranslation();
  if (status === 'none') return null;
  const hint = hintKey(status);
  return (
    <span
      id={id}
      className={`mic-state ${status}`}
      role="status"
      data-testid={testId}
      data-status={status}
      title={hint === null ? undefined : t(hint)}
    >
      <MicIcon off={status !== 'live'} />
      <span>{t(`mic.${status}`)}</span>
    </span>
  );
}
