/** The join route: header, then the join page, the lobby, the room, or why it is over. */
import { useEffect } from 'react';
import { useTranslation } from './i18n/useTranslation.js';
import { ExitScreen } from './ui/ExitScreen.js';
import { Header } from './ui/Header.js';
import { JoinPage } from './ui/JoinPage.js';
import { LobbyScreen } from './ui/LobbyScreen.js';
import { RoomHeaderInfo } from './ui/RoomHeaderInfo.js';
import { RoomPage } from './ui/RoomPage.js';
import { useRoomState } from './ui/context.js';

/** Chooses the screen by phase; the room stays up while reconnecting. */
export function App({ invite }: { invite: string | null }) {
  const { phase, exit, room } = useRoomState();
  const { t } = useTranslation();
  const topic = room?.info.topic ?? '';
  useEffect(() => {
    document.title = topic === '' ? t('app.name') : `${topic} · ${t('app.name')}`;
  }, [t, topic]);
  return (
    <div className="app">
      <Header>{phase === 'joined' || phase === 'lobby' ? <RoomHeaderInfo /> : null}</Header>
      {exit !== null ? (
        <ExitScreen reason={exit} />
      ) : phase === 'joined' ? (
        <RoomPage />
      ) : phase === 'lobby' ? (
        <LobbyScreen />
      ) : (
        <JoinPage invite={invite} />
      )}
    </div>
  );
}
