/** Who waits to be let in, with admit / deny, and admit all. */
import { useTranslation } from 'react-i18next';
import { lobby } from '../../../../signaling/room/selectors.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { venueName } from '../../roomSelectors.js';
import { useRoomClient } from '../context.js';

/** The host's view of the lobby. */
export function LobbyList({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const waiting = lobby(room);
  return (
    <section className="console-block" aria-labelledby="lobby-heading" data-testid="lobby-list">
      <div className="venue-head">
        <h3 id="lobby-heading" className="panel-heading">
          {t('people.lobby', { count: waiting.length })}
        </h3>
        <button
          type="button"
          className="button primary small"
          data-testid="lobby-admit-all"
          disabled={waiting.length === 0}
          onClick={() => client.act('lobby:admitAll', {})}
        >
          {t('people.admitAll')}
        </button>
      </div>
      {waiting.length === 0 ? (
        <p className="field-hint">{t('people.lobbyEmpty')}</p>
      ) : (
        <ul className="people-list">
          {waiting.map((p) => (
            <li key={p.id} className="person" data-testid="lobby-entry" data-participant-id={p.id}>
              <div className="person-who">
                <span className="person-name">{p.name}</span>
                <span className="chip">{t(`roles.${p.role}`)}</span>
                <span className="muted-text">{venueName(room, p.venue)}</span>
                {p.sector !== '' && <span className="muted-text">{p.sector}</span>}
              </div>
              <div className="row-actions">
                <button
                  type="button"
                  className="button primary small"
                  data-testid="lobby-admit"
                  aria-label={t('people.admit', { name: p.name })}
                  onClick={() => client.act('lobby:admit', { participantId: p.id })}
                >
                  {t('people.short.admit')}
                </button>
                <button
                  type="button"
                  className="button small"
                  data-testid="lobby-deny"
                  aria-label={t('people.deny', { name: p.name })}
                  onClick={() => client.act('lobby:deny', { participantId: p.id })}
                >
                  {t('people.short.deny')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
