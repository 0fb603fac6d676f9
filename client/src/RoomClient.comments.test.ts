// @vitest-environment jsdom
/**
 * The comments' news after a dropped connection: the socket is in the room's channels again
 * only once the rejoin is answered, and what happened meanwhile came as no news, so the panels
 * that show comments are told (`resumed`) to read them afresh then, and only then.
 */
import { io } from 'socket.io-client';
import { afterEach, expect, test } from 'vitest';
import { RoomClient } from './RoomClient.js';
import { createStore, initialState } from './store.js';

const sockets: Array<ReturnType<typeof io>> = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

test('resumed once each time the page is back in the meeting after a dropped connection; not in the lobby, not after unsubscribing', () => {
  const store = createStore({ ...initialState('room-1', '秘书'), phase: 'joined', peerId: 'sec' });
  // A socket that never connects: the rejoin's outcome is dispatched as the client would.
  const socket = io('http://127.0.0.1:9', { autoConnect: false });
  sockets.push(socket);
  const client = new RoomClient(store, { socket, storage: null });
  let resumed = 0;
  const off = client.onComments({ resumed: () => resumed++ });

  store.dispatch({ type: 'connectionLost' });
  expect(resumed).toBe(0);
  store.dispatch({ type: 'joined', peerId: 'sec', peers: [] });
  expect(resumed).toBe(1);
  // In the meeting all along: a later state change is no resumption.
  store.dispatch({ type: 'clock', offsetMs: 5 });
  expect(resumed).toBe(1);

  // Back, but in the lobby (the room was locked meanwhile): no comments' news there.
  store.dispatch({ type: 'connectionLost' });
  store.dispatch({ type: 'lobby', peerId: 'sec' });
  expect(resumed).toBe(1);

  store.dispatch({ type: 'joined', peerId: 'sec', peers: [] });
  off();
  store.dispatch({ type: 'connectionLost' });
  store.dispatch({ type: 'joined', peerId: 'sec', peers: [] });
  expect(resumed).toBe(1);
});
