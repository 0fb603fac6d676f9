/** The current error and any device problems, each dismissible. */
import { useTranslation } from '../i18n/useTranslation.js';
import type { MediaSource } from '../../../signaling/schemas.js';
import { useRoomClient, useRoomState } from './context.js';

const SOURCES: readonly MediaSource[] = ['mic', 'camera', 'screen'];

/** Renders nothing when all is well. */
export function Alerts() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { error, errorRetrySeconds, mediaErrors } = useRoomState();
  return (
    <div className="alerts">
      {error !== null && (
        <div role="alert" className="alert" data-testid="error" data-code={error}>
          <span>{t(`errors.${error}`)}</span>
          {error === 'RATE_LIMITED' && errorRetrySeconds !== null && <span data-testid="error-retry"> {t('alert.retryIn', { seconds: errorRetrySeconds })}</span>}
          <button type="button" className="button ghost small" aria-label={t('alert.dismiss')} onClick={() => client.dismissError()}>
            ×
          </button>
        </div>
      )}
      {SOURCES.map((source) => {
        const kind = mediaErrors[source];
        if (kind === null) return null;
        return (
          <div role="alert" className="alert warning" key={source} data-testid="media-error" data-source={source} data-kind={kind}>
            <span>{t(`mediaErrors.${source}.${kind}`)}</span>
            <button
              type="button"
              className="button ghost small"
              aria-label={t('alert.dismiss')}
              onClick={() => client.dismissMediaError(source)}
            >
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}
