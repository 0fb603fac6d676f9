/**
 * Renders panels for component tests the way the room shows them: a real RoomClient and store,
 * and, in place of the server, the room model itself. A command a component sends goes through
 * the same `decide`/`apply` as on the server (signaling/room/testing.ts) and the viewer's part
 * of the new state comes back into the store, so a click shows what it would show in a meeting.
 */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { io } from 'socket.io-client';
import { vi } from 'vitest';
import type { ClientCommand, ClientCommandType } from '../../../signaling/room/commands.js';
import type { RoomState } from '../../../signaling/room/state.js';
import type { TestRoom } from '../../../signaling/room/testing.js';
import { stateForViewer } from '../../../signaling/room/visibility.js';
import { ClientError } from '../errors.js';
import '../i18n/index.js';
import type { CommandFields } from '../net/command.js';
import { RoomClient } from '../RoomClient.js';
import { createStore, initialState, type Store } from '../store.js';
import { RoomClientProvider, useRoomState } from './context.js';

/** What a rendered panel gives a test. */
export type Rendered = RenderResult & {
  store: Store;
  client: RoomClient;
  /** Commands the components sent, in order, with whether the room accepted them. */
  sent: Array<{ type: ClientCommandType; fields: unknown; ok: boolean }>;
  /** Something happened in the room outside this page (another person's command, a tick). */
  refresh(): void;
  /** Delivers a server event to the client's listeners, as if it had come over the socket. */
  serverSends(event: string, data: unknown): void;
};

/**
 * Renders `ui(room)` for participant `me` of `room`, joined, with the room as `me` may see it;
 * re-renders whenever the room changes. `storage` stands for the tab's sessionStorage (none
 * by default, so that tests do not share what one of them kept).
 */
export function renderInRoom(room: TestRoom, me: string, ui: (room: RoomState) => ReactElement, options: { storage?: Storage } = {}): Rendered {
  const viewer = () => ({ participantId: me, role: room.state.participants[me]?.role ?? 'public' });
  const store = createStore({
    ...initialState(room.state.id, room.state.participants[me]?.name ?? me),
    phase: 'joined',
    peerId: me,
    room: stateForViewer(room.state, viewer()),
  });
  // A socket that never connects: nothing here goes over the network.
  const socket = io('http://127.0.0.1:9', { autoConnect: false });
  const client = new RoomClient(store, { socket, storage: options.storage ?? null });
  const serverSends = (event: string, data: unknown): void => {
    for (const listener of socket.listeners(event)) listener(data);
  };
  const sent: Rendered['sent'] = [];
  const refresh = (): void => store.dispatch({ type: 'room', room: stateForViewer(room.state, viewer()) });
  vi.spyOn(client, 'act').mockImplementation(async <T extends ClientCommandType>(type: T, fields: CommandFields<T>) => {
    // The server parses a payload with the schema of its own type: together they are that command.
    const command = { ...fields, type } as ClientCommand;
    const result = room.run(command, me);
    sent.push({ type, fields, ok: result.ok });
    refresh();
    return result.ok;
  });
  // Components that branch on the refusal's code (a save that met a newer version) call
  // `command` and get the refusal as a ClientError, as from the server.
  vi.spyOn(client, 'command').mockImplementation(async <T extends ClientCommandType>(type: T, fields: CommandFields<T>) => {
    const command = { ...fields, type } as ClientCommand;
    const result = room.run(command, me);
    sent.push({ type, fields, ok: result.ok });
    refresh();
    if (!result.ok) throw new ClientError(result.error, result.detail);
    return { seq: room.state.seq };
  });
  const Panel = () => {
    const state = useRoomState().room;
    return state === null ? null : ui(state);
  };
  const rendered = render(
    <RoomClientProvider client={client}>
      <Panel />
    </RoomClientProvider>,
  );
  return { ...rendered, store, client, sent, refresh, serverSends };
}
