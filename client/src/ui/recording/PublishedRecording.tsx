/**
 * 观看录像 on the public page, once the host has published the recording: its parts, each a
 * link that plays it. The listing is fetched with the page's public invite, as the comments
 * board authenticates; the server answers it only while the recording is published.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import { formatDateTime } from '../format.js';
import { formatDuration } from '../minutes/format.js';
import { useListing } from './listing.js';

/** The published recording's parts; fetched again when the page hears it was (re)published. */
export function PublishedRecording({ roomId, invite, published }: { roomId: string; invite: string; published: boolean }) {
  const { t } = useTranslation();
  const status = useListing(roomId, invite, published, 'published');
  if (!published) return null;
  return (
    <section className="audience-recording" aria-labelledby="public-recording-heading" data-testid="public-recording">
      <h2 id="public-recording-heading">{t('recording.watch')}</h2>
      {status.state === 'ready' && (
        <ol className="recording-parts">
          {status.listing.parts.map((part, index) => (
            <li key={part.name} className="recording-part" data-testid="recording-part">
              <a href={part.url} target="_blank" rel="noopener" className="button small" data-testid="recording-part-link">
                {status.listing.parts.length === 1 ? t('recording.watch') : t('recording.watchPart', { index: index + 1 })}
              </a>
              <span className="muted">{t('recording.startedAt', { time: formatDateTime(part.startedAt) })}</span>
              {part.durationMs !== null && <span className="muted">{t('recording.duration', { duration: formatDuration(t, part.durationMs) })}</span>}
            </li>
          ))}
        </ol>
      )}
      <p role="status" className="muted" data-testid="recording-listing-status">
        {status.state === 'loading' ? t('recording.loading') : status.state === 'failed' ? t('recording.failed', { reason: t(`errors.${status.error}`) }) : ''}
      </p>
    </section>
  );
}
