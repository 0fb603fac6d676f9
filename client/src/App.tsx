/** The page: header, then the join page or the room. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Header } from './ui/Header.js';
import { JoinPage } from './ui/JoinPage.js';
import { RoomPage } from './ui/RoomPage.js';
import { useRoomState } from './ui/context.js';

/** Chooses the page by phase; the room stays up while reconnecting. */
export function App() {
  const { phase } = useRoomState();
  const { t } = useTranslation();
  useEffect(() => {
    document.title = t('app.name');
  }, [t]);
  return (
    <div className="app">
      <Header />
      {phase === 'joined' ? <RoomPage /> : <JoinPage />}
    </div>
  );
}
