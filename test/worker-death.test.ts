/**
 * A mediasoup worker that dies is replaced, and its rooms' clients are told to reconnect
 * their media; after a rejoin on the same connection media flows again.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { startTestServer } from './helpers/server.js';
import { createRoom, invite } from './helpers/rooms.js';
import { TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

test('killing the worker: a replacement starts, clients get media:reconnect, rejoin restores media', async () => {
  const a = await TestPeer.connect(server.url);
  const b = await TestPeer.connect(server.url);
  try {
    const { roomId } = await createRoom(server, { open: true, floorOnly: false });
    const joinedA = await a.join(await invite(server, roomId, 'member'), 'A');
    const joinedB = await b.join(await invite(server, roomId, 'member'), 'B');
    await a.produce({ audio: true, video: false });
    await b.waitForConsumers(1);

    const [deadPid] = server.pool.pids;
    const reconnectA = new Promise((resolve) => a.socket.once('media:reconnect', resolve));
    const reconnectB = new Promise((resolve) => b.socket.once('media:reconnect', resolve));
    process.kill(deadPid ?? -1, 'SIGKILL');
    expect(await reconnectA).toEqual({ reason: 'worker-died' });
    expect(await reconnectB).toEqual({ reason: 'worker-died' });
    expect(server.pool.pids).toHaveLength(1);
    expect(server.pool.pids[0]).not.toBe(deadPid);

    // Each client asks for new transports on the same connection, as the same participant.
    for (const p of [a, b]) {
      p.consumers.clear();
      p.producers.clear();
    }
    await a.joinMedia();
    await b.joinMedia();
    const room = await server.media.get(roomId);
    expect(room.peer(joinedA.participantId)?.connected).toBe(true);
    expect(room.peer(joinedB.participantId)?.connected).toBe(true);
    await a.produce({ audio: true, video: false });
    await b.waitForConsumers(1);

    const deadline = Date.now() + 15_000;
    let packets = 0;
    while (packets < 50 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      packets = (await b.inboundStats()).packets;
    }
    expect(packets).toBeGreaterThanOrEqual(50);
    const res = await fetch(`${server.url}/healthz`);
    expect(await res.json()).toMatchObject({ status: 'ok', mediaWorkers: 1 });
  } finally {
    a.close();
    b.close();
  }
});
