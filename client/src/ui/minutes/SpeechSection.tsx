/**
 * One speech in the secretary's minutes: who spoke, from where, what kind of speech, when and
 * how long, and the note they raised their hand with (all from the log, read-only); then the
 * passage the secretary writes for it and where it stands with its speaker (核稿).
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import type { SpeechRecord } from '../../../../signaling/record/types.js';
import { sectionOf, speechSection } from '../../../../signaling/room/minutes.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { SpeechRecordingLink } from '../recording/RecordingSection.js';
import { ConfirmationBadge, KeeperConfirmation } from './Confirmation.js';
import { useDrafts } from './drafts.js';
import { formatTime } from '../format.js';
import { formatDuration } from './format.js';
import { SectionEditor } from './SectionEditor.js';

/**
 * A speech of the record with its editable passage. `recordingAt` is its place in the recording
 * as the record shown reads it (a locked version's files may end before a draft's would).
 */
export function SpeechSection({ room, speech, index, recordingAt = speech.recordingAt }: { room: RoomState; speech: SpeechRecord; index: number; recordingAt?: SpeechRecord['recordingAt'] }) {
  const { t } = useTranslation();
  const { drafts } = useDrafts();
  const key = speechSection(index);
  const section = sectionOf(room.minutes, key);
  const headingId = `minutes-speech-${index}`;
  const locked = room.minutes.locked;
  const correction = section.confirmation.status === 'correctionProposed';
  const readOnlyReason = locked ? t('minutes.editor.locked') : correction ? t('minutes.editor.correctionPending') : null;
  // The log's speech: how long points of order held it up (already left out of its time).
  const interruptedMs = (room.speeches[index]?.interruptions ?? []).reduce((sum, i) => sum + (i.to - i.from), 0);
  return (
    <article className="minutes-speech" aria-labelledby={headingId} data-testid="minutes-speech" data-section={key}>
      <header className="minutes-speech-head">
        <h4 id={headingId} className="minutes-item-title">
          {t('minutes.speechHeading', { index: index + 1, speaker: speech.speaker })}
          {speech.byVenue && <span className="muted-text"> {t('minutes.byVenue')}</span>}
        </h4>
        <ConfirmationBadge status={speech.byVenue ? 'none' : section.confirmation.status} />
      </header>
      <p className="minutes-speech-facts muted-text">
        <span>{speech.venueName}</span>
        {speech.sector !== '' && <span>{t('minutes.sector', { sector: speech.sector })}</span>}
        <span className="chip">{t(`queue.types.${speech.type}`)}</span>
        <span>{t('minutes.startedAt', { time: formatTime(speech.startedAt) })}</span>
        <span>{t('minutes.duration', { duration: formatDuration(t, speech.spokenMs) })}</span>
        {interruptedMs > 0 && <span data-testid="minutes-speech-interrupted">{t('pointOfOrder.minutesInterrupted', { duration: formatDuration(t, interruptedMs) })}</span>}
        <SpeechRecordingLink at={recordingAt} />
      </p>
      {speech.note !== '' && <p className="queue-note">{t('minutes.handNote', { note: speech.note })}</p>}
      <SectionEditor
        section={key}
        label={t('minutes.sectionLabel', { index: index + 1, speaker: speech.speaker })}
        room={{ text: section.text, version: section.version }}
        readOnlyReason={readOnlyReason}
        placeholder={t('minutes.editor.speechPlaceholder')}
      />
      <KeeperConfirmation
        section={key}
        confirmation={section.confirmation}
        ended={room.ended}
        bySpeaker={!speech.byVenue}
        locked={locked}
        unsaved={drafts[key]?.text != null}
      />
    </article>
  );
}
