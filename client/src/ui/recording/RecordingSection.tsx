/**
 * 录像 in the staff's minutes: each part of the recording (when it began, its length and size
 * once the lock has read them) with a link that plays or downloads it, and, for the host once
 * the minutes are locked with the recording, 公开录像 / 撤回公开.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import { atOffset } from '../../../../signaling/http/recording.js';
import { recordedAtLastLock } from '../../../../signaling/room/recording.js';
import type { RecordingRecord, SpeechRecord } from '../../../../signaling/record/types.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { canIssue } from '../../roomSelectors.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { useRoomClient, useRoomState } from '../context.js';
import { formatDateTime } from '../format.js';
import { formatDuration } from '../minutes/format.js';
import { formatBytes, formatOffset } from './format.js';
import { useRecordingListing } from './listing.js';

/** The parts of the record's recording, linked through the listing. */
export function RecordingSection({ room, recording }: { room: RoomState; recording: RecordingRecord }) {
  const { t } = useTranslation();
  const status = useRecordingListing();
  const listed = status.state === 'ready' ? status.listing.parts : [];
  return (
    <section className="minutes-block recording-section" aria-labelledby="minutes-recording-heading" data-testid="minutes-recording">
      <h3 id="minutes-recording-heading" className="panel-heading">
        {t('recording.title')}
        {room.recording.published && <span className="chip">{t('recording.published')}</span>}
      </h3>
      <ol className="minutes-list recording-parts">
        {recording.parts.map((part, index) => {
          // The listing knows the lengths as soon as the lock has read them; the record too.
          const durationMs = part.durationMs ?? listed[index]?.durationMs ?? null;
          const bytes = part.bytes ?? listed[index]?.bytes ?? null;
          const url = listed[index]?.url;
          return (
            <li key={part.name} className="recording-part" data-testid="recording-part">
              <strong>{t('recording.part', { index: index + 1 })}</strong>
              <span>{t('recording.startedAt', { time: formatDateTime(part.startedAt) })}</span>
              {durationMs === null ? (
                <span className="muted-text">{t('recording.growing')}</span>
              ) : (
                <span>{t('recording.duration', { duration: formatDuration(t, durationMs) })}</span>
              )}
              {bytes !== null && <span>{t('recording.size', { size: formatBytes(bytes) })}</span>}
              {url !== undefined && (
                <a href={url} target="_blank" rel="noopener" data-testid="recording-part-link" aria-label={t('recording.openLabel', { index: index + 1 })}>
                  {t('recording.open')}
                </a>
              )}
            </li>
          );
        })}
      </ol>
      <ListingStatusLine />
      <PublishToggle room={room} />
    </section>
  );
}

/** While loading, or why the links are missing. */
function ListingStatusLine() {
  const { t } = useTranslation();
  const status = useRecordingListing();
  return (
    <p role="status" className="field-hint" data-testid="recording-listing-status">
      {status.state === 'loading' ? t('recording.loading') : status.state === 'failed' ? t('recording.failed', { reason: t(`errors.${status.error}`) }) : ''}
    </p>
  );
}

/**
 * The host's 公开录像 / 撤回公开: offered once the latest lock holds the recording (publishing
 * asks first: whoever has the public link may then keep a copy), and withdrawal while published.
 */
function PublishToggle({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const published = room.recording.published;
  if (!canIssue(state, 'recording:publish')) return null;
  if (!published && recordedAtLastLock(room).length === 0) {
    return <p className="field-hint">{t('recording.publishHint')}</p>;
  }
  return (
    <ConfirmButton
      className={published ? 'button small' : 'button primary small'}
      data-testid="recording-publish"
      confirm={published ? null : t('recording.publishConfirm')}
      confirmLabel={t('recording.publish')}
      onConfirm={() => void client.act('recording:publish', { published: !published })}
    >
      {published ? t('recording.unpublish') : t('recording.publish')}
    </ConfirmButton>
  );
}

/** "▶ 录像 mm:ss" under a speech that has a place in the recording, once the listing has its part. */
export function SpeechRecordingLink({ at }: { at: SpeechRecord['recordingAt'] }) {
  const { t } = useTranslation();
  const status = useRecordingListing();
  if (at === null || at === undefined || status.state !== 'ready') return null;
  const part = status.listing.parts[at.part];
  if (part === undefined) return null;
  const time = formatOffset(at.offsetMs);
  return (
    <a
      href={atOffset(part.url, at.offsetMs)}
      target="_blank"
      rel="noopener"
      className="recording-at"
      data-testid="minutes-speech-recording"
      aria-label={t('recording.atSpeechLabel', { index: at.part + 1, time })}
    >
      {t('recording.atSpeech', { time })}
    </a>
  );
}
