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

/**
 * The whole state; derive pieces with the pure functions in roomSelectors.ts and
 * tileSelectors.ts. The component renders again on every change of the store, media ones
 * included (a track, a layer, a link score): panels that depend on the room only read it
 * through useRoomSelector instead.
 */
export function useRoomState(): State {
  const { store } = useRoomClient();
  return useSyncExternalStore(store.subscribe, store.getState);
}

/** What useRoomSelector may select: values compared by `===`. */
type Selected = string | number | boolean | null | undefined;

/**
 * One value derived from the state: the component renders again only when that value changes.
 * With memo() and props that change only with the room, a panel then skips the renders that
 * every media change of the store brings (tens of ms each for a whole room on a slow machine).
 */
export function useRoomSelector<T extends Selected>(select: (state: State) => T): T {
  const { store } = useRoomClient();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
