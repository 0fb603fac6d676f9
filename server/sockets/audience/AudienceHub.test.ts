/**
 * AudienceHub against a real Socket.IO server and clients on port 0: the view goes to every
 * listening viewer, a slice at a time, each view once and in order; a viewer is sent nothing
 * before its join was answered. The room is a TestRoom (the real decide/apply); the cluster is the single process.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { PublicView } from '../../../signaling/audience.js';
import { fullRoom, type TestRoom } from '../../../signaling/room/testing.js';
import { LocalCluster } from '../../cluster/Cluster.js';
import { createLogger } from '../../log.js';
import type { AppServer } from '../channels.js';
import { AudienceHub, type LocalViewer } from './AudienceHub.js';
import type { VisitStore } from './visitStore.js';

const ROOM = 'test-room';

let http: HttpServer;
let io: AppServer;
let room: TestRoom;
let hub: AudienceHub;
const clients: ClientSocket[] = [];

const visits: VisitStore = {
  add: async () => 0,
  close: async () => undefined,
};

beforeEach(async () => {
  room = fullRoom();
  http = createServer();
  io = new Server(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  hub.close();
  await io.close();
});

function startHub(slice: number): void {
  // Counts rounds far apart: only the meeting's changes send views here.
  hub = new AudienceHub(io, { rooms: { state: async () => room.state }, cluster: new LocalCluster(), visits, logger: createLogger('silent'), countsMs: 3_600_000, slice });
}

/** `n` viewers connected and entered; listening (answered) or not. */
async function viewers(n: number, listening: boolean): Promise<Array<{ socket: ClientSocket; views: PublicView[] }>> {
  const address = http.address();
  if (address === null || typeof address === 'string') throw new TypeError('no TCP address');
  const entered: Promise<void>[] = [];
  const connected = await Promise.all(
    Array.from({ length: n }, async () => {
      const socket = connectClient(`http://127.0.0.1:${address.port}`, { transports: ['websocket'], forceNew: true, reconnection: false });
      clients.push(socket);
      const views: PublicView[] = [];
      socket.on('audience:view', (view: PublicView) => views.push(view));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      return { socket, views };
    }),
  );
  for (const { socket } of connected) {
    const viewer: LocalViewer = { roomId: ROOM, viewerId: `v-${socket.id}`, socketId: socket.id ?? '', listening, followsComments: false, media: null, opening: null };
    entered.push(hub.enter(viewer));
  }
  await Promise.all(entered);
  return connected;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('AudienceHub sends the view', () => {
  test('to every listening viewer, a slice at a time, each view in order; to none who is not yet answered', async () => {
    startHub(2);
    const listening = await viewers(7, true);
    const waiting = await viewers(2, false);
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' }, seconds: 60 }, 'host');
    hub.roomChanged(ROOM, room.state);
    await until(() => listening.every((v) => v.views.length === 1));
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm2' }, seconds: 60 }, 'host');
    hub.roomChanged(ROOM, room.state);
    await until(() => listening.every((v) => v.views.length === 2));
    for (const { views } of listening) expect(views.map((v) => v.floor?.name)).toEqual(['name-m1', 'name-m2']);
    expect(waiting.map((v) => v.views.length)).toEqual([0, 0]);
  });
});
