/**
 * 录制中: a red dot and the word, shown to everybody while the meeting is recorded (in the room's
 * header and on the public page), so nobody is recorded without seeing it.
 */
import { useTranslation } from '../../i18n/useTranslation.js';

/** The mark; render it only while the recording runs. */
export function RecordingMark() {
  const { t } = useTranslation();
  // A status region: a screen reader hears it when it appears, as a sighted user sees it.
  return (
    <span className="recording-mark" role="status" aria-label={t('recording.markLabel')} data-testid="recording-mark">
      <span className="recording-dot" aria-hidden="true" />
      <span aria-hidden="true">{t('recording.mark')}</span>
    </span>
  );
}
