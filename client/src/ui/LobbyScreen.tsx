/** Waiting in the lobby until the host admits me; media starts by itself afterwards. */
import { useTranslation } from 'react-i18next';
import { useRoomClient, useRoomState } from './context.js';
import { Alerts } from './Alerts.js';

/** Shown while `phase` is `lobby`. */
export function LobbyScreen() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { room, reconnecting } = useRoomState();
  return (
    <main className="page narrow message-screen" data-testid="lobby-waiting" aria-busy="true">
      {reconnecting && (
        <div className="banner reconnecting" role="status" data-testid="reconnecting">
          <span className="spinner" aria-hidden="true" />
          {t('room.reconnecting')}
        </div>
      )}
      <Alerts />
      {room !== null && <p className="field-hint">{room.info.topic}</p>}
      <h1 role="status" aria-live="polite">
        <span className="spinner large" aria-hidden="true" /> {t('lobby.title')}
      </h1>
      <p>{t('lobby.hint')}</p>
      <button type="button" className="button" data-testid="leave" onClick={() => client.leave()}>
        {t('lobby.leave')}
      </button>
    </main>
  );
}
