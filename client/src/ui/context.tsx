/** Hands the RoomClient to components and lets them read its store. */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { RoomClient } from '../RoomClient.js';
import type { State } from '../store.js';

const RoomClientContext = createContext<RoomClient | null>(null);

/** Makes `client` available to useRoomClient/useRoomState below. */
export function RoomClientProvider({ client, children }: { client: RoomClient; children: ReactNode }) {
  return <RoomClientContext.Provider value={client}>{children}</RoomClientContext.Provider>;
}

/** The RoomClient: the only thing components call to make something happen. */
export function useRoomClient(): RoomClient {
  const client = useContext(RoomClientContext);
  if (client === null) throw new TypeError('useRoomClient() outside <RoomClientProvider>');
  return client;
}

/** The whole state; derive pieces with the pure functions in selectors.ts. */
export function useRoomState(): State {
  const { store } = useRoomClient();
  return useSyncExternalStore(store.subscribe, store.getState);
}
