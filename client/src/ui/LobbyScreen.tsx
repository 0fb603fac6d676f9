/** Waiting in the lobby until the host admits me; media starts by itself afterwards. */
import { useTranslation } from '../i18n/useTranslation.js';
import type { RoomState } from '../../../signaling/room/state.js';
import { venueName } from '../roomSelectors.js';
import { useRoomClient, useRoomState } from './context.js';
import { Alerts } from './Alerts.js';
import { RecordingMark } from './recording/RecordingMark.js';

/** Shown while `phase` is `lobby`. */
export function LobbyScreen() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { room, reconnecting, peerId } = useRoomState();
  return (
    <main className="page narrow message-screen" data-testid="lobby-waiting" aria-busy="true">
      {reconnecting && (
        <div className="banner reconnecting" role="status" data-testid="reconnecting">
          <span className="spinner" aria-hidden="true" />
          {t('room.reconnecting')}
        </div>
      )}
      <Alerts />
      {room !== null && <WaitingAs room={room} peerId={peerId} />}
      {room?.recording.on && (
        <p className="lobby-recording" data-testid="lobby-recording">
          <RecordingMark /> {t('recording.lobbyNotice')}
        </p>
      )}
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

/**
 * The meeting and who waits for it, above everything else: on a phone this is what fits the
 * first screen, and it is what someone waiting checks (the right meeting, the right name).
 */
function WaitingAs({ room, peerId }: { room: RoomState; peerId: string | null }) {
  const { t } = useTranslation();
  // The lobby's view holds my own entry (visibility.lobbyView).
  const me = peerId === null ? undefined : room.participants[peerId];
  return (
    <dl className="invite-summary lobby-who" data-testid="lobby-who">
      <dt>{t('join.topic')}</dt>
      <dd className="invite-topic" data-testid="lobby-topic">
        {room.info.topic}
      </dd>
      {me !== undefined && (
        <>
          <dt>{t('lobby.name')}</dt>
          <dd data-testid="lobby-name">{me.name}</dd>
          <dt>{t('join.role')}</dt>
          <dd>{t(`roles.${me.role}`)}</dd>
          <dt>{t('join.venue')}</dt>
          <dd>{venueName(room, me.venue)}</dd>
        </>
      )}
    </dl>
  );
}
