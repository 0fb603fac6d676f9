/**
 * `/join?invite=…`: a public link opens the public page (the audience watches and comments);
 * every other invite gets one store and one RoomClient for the page's life, and the app on them.
 */
import { useState } from 'react';
import { App } from './App.js';
import { peekInvite } from './audience/peekInvite.js';
import { RoomClient } from './RoomClient.js';
import { createStore } from './store.js';
import { RoomClientProvider } from './ui/context.js';
import { PublicPage } from './ui/public/PublicPage.js';

/** The join route. */
export function JoinRoute({ invite }: { invite: string | null }) {
  const claims = invite === null ? null : peekInvite(invite);
  if (invite !== null && claims?.role === 'public') return <PublicPage invite={invite} roomId={claims.room} />;
  return <MeetingRoute invite={invite} />;
}

function MeetingRoute({ invite }: { invite: string | null }) {
  // NOTE: made once per page, not per render (StrictMode renders twice in development).
  const [client] = useState(() => new RoomClient(createStore()));
  return (
    <RoomClientProvider client={client}>
      <App invite={invite} />
    </RoomClientProvider>
  );
}
