/** `/join?invite=…`: one store and one RoomClient for the page's life, and the app on them. */
import { useState } from 'react';
import { App } from './App.js';
import { RoomClient } from './RoomClient.js';
import { createStore } from './store.js';
import { RoomClientProvider } from './ui/context.js';

/** The join route. */
export function JoinRoute({ invite }: { invite: string | null }) {
  // NOTE: made once per page, not per render (StrictMode renders twice in development).
  const [client] = useState(() => new RoomClient(createStore()));
  return (
    <RoomClientProvider client={client}>
      <App invite={invite} />
    </RoomClientProvider>
  );
}
