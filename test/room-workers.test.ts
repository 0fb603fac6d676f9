/**
 * One room over every worker of a process: participants are placed on the least-loaded
 * worker's router of the room, every track is piped to the routers whose participants receive
 * it, and the death of one worker moves only its own participants. Real WebRTC peers (the
 * Node WebRTC host) send and receive real audio and video.
 */
import type { types } from 'mediasoup';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createLogger } from '../server/log.js';
import { MediaRooms } from '../server/media/MediaRooms.js';
import type { RtcListenOptions } from '../server/media/transports.js';
import { WorkerPool } from '../server/media/WorkerPool.js';
import { peerHost } from './helpers/peerHost/PeerHost.js';
import { RoomPeer } from './helpers/RoomPeer.js';

const LISTEN: RtcListenOptions = { listenIp: '127.0.0.1', announcedAddress: undefined, minPort: 40000, maxPort: 49999 };

const quiet = createLogger('silent');

let pool: WorkerPool;
let rooms: MediaRooms;
let peers: RoomPeer[] = [];
let roomCount = 0;

beforeAll(async () => {
  pool = await WorkerPool.create({ size: 2, listen: LISTEN, logger: quiet, respawnDelayMs: 100 });
  rooms = new MediaRooms(pool, quiet);
});

afterEach(() => {
  for (const peer of peers) peer.leave();
  peers = [];
});

afterAll(async () => {
  await rooms.close();
  pool.close();
  peerHost.close();
});

async function join(roomId: string, peerId: string): Promise<RoomPeer> {
  const peer = await RoomPeer.join(await rooms.get(roomId), peerId);
  peers.push(peer);
  return peer;
}

/** The worker each peer's receiving transport is on, from the pool's own records of its consumers. */
function workerOfConsumers(peer: RoomPeer): Set<types.Worker> {
  const ids = new Set(peer.consumerInfos().map((c) => c.id));
  const out = new Set<types.Worker>();
  for (const { worker, consumers } of pool.stats()) {
    for (const consumer of consumers) if (ids.has(consumer.id)) out.add(worker);
  }
  return out;
}

test('a room spreads its participants over both workers, and each receives every other’s audio and video', async () => {
  const roomId = `room-${++roomCount}`;
  const alice = await join(roomId, 'alice');
  const bob = await join(roomId, 'bob');
  const carol = await join(roomId, 'carol');
  const sent = new Map<RoomPeer, string[]>();
  for (const peer of [alice, bob, carol]) sent.set(peer, await peer.produce({ audio: true, video: true }));

  for (const receiver of [alice, bob, carol]) {
    await receiver.until(() => receiver.consumers.size === 4, 'two tracks of each other participant');
    for (const [sender, tracks] of sent) {
      if (sender === receiver) continue;
      for (const track of tracks) await receiver.packetsFlow(track);
    }
  }
  // Each participant's consumers are on one worker (its own router's), and the room uses both.
  const workers = [alice, bob, carol].map(workerOfConsumers);
  for (const w of workers) expect(w.size).toBe(1);
  expect(new Set(workers.flatMap((w) => [...w])).size).toBe(2);
  // Every track is on the hub, where the room's observers and pipes read it.
  const room = await rooms.get(roomId);
  const onHub = (await room.router.dump()).mapProducerIdConsumerIds.map((entry) => entry.key);
  for (const tracks of sent.values()) for (const track of tracks) expect(onHub).toContain(track);
});

test('the active speaker is heard on the hub whichever worker the speaker is on', async () => {
  const roomId = `room-${++roomCount}`;
  const alice = await join(roomId, 'alice');
  const bob = await join(roomId, 'bob');
  // Two participants on an idle pool: the second goes to the other worker.
  expect(workerOfTransports(bob)).not.toBe(workerOfTransports(alice));
  await bob.produce({ audio: true, video: false });
  await alice.until(() => alice.received('speaker:active').some((s) => s.peerId === 'bob'), 'bob as the active speaker');
});

test('a worker that dies moves only its participants; the others drop its tracks and keep each other', async () => {
  const roomId = `room-${++roomCount}`;
  const alice = await join(roomId, 'alice');
  const bob = await join(roomId, 'bob');
  const carol = await join(roomId, 'carol');
  const [aliceMic] = await alice.produce({ audio: true, video: false });
  const [bobMic] = await bob.produce({ audio: true, video: false });
  const [carolMic] = await carol.produce({ audio: true, video: false });
  if (!aliceMic || !bobMic || !carolMic) throw new Error('three producers expected');
  await alice.until(() => alice.consumers.size === 2, 'alice receives bob and carol');
  await carol.until(() => carol.consumers.size === 2, 'carol receives alice and bob');

  const bobWorker = workerOfTransports(bob);
  const hubWorker = pool.workerOf((await rooms.get(roomId)).router);
  expect(bobWorker).toBeDefined();
  expect(bobWorker).not.toBe(hubWorker);
  const others = [alice, carol].filter((p) => workerOfTransports(p) !== bobWorker);
  const stranded = [alice, carol].filter((p) => workerOfTransports(p) === bobWorker);
  process.kill(bobWorker?.pid ?? -1, 'SIGKILL');

  await bob.until(() => bob.received('media:reconnect').length === 1, 'bob told to reconnect');
  for (const peer of stranded) await peer.until(() => peer.received('media:reconnect').length === 1, `${peer.peer.id} told to reconnect`);
  for (const peer of others) {
    expect(peer.received('media:reconnect')).toEqual([]);
    // Bob's track was on the dead worker: its consumer closes instead of freezing.
    const bobConsumer = peer.received('consumer:new').find((c) => c.producerId === bobMic);
    await peer.until(() => peer.received('consumer:closed').some((c) => c.consumerId === bobConsumer?.id), 'bob’s track closed');
  }
  // The participants on the hub's worker still hear each other.
  const onHub = others.filter((p) => workerOfTransports(p) === hubWorker);
  for (const receiver of onHub) {
    for (const sender of onHub) {
      if (sender === receiver) continue;
      const [track] = sender === alice ? [aliceMic] : [carolMic];
      await receiver.packetsFlow(track ?? '');
    }
  }

  // Bob comes back (as the client does on media:reconnect): placed on a live worker, heard again.
  bob.close();
  const back = await join(roomId, 'bob');
  const [bobAgain] = await back.produce({ audio: true, video: false });
  if (!bobAgain) throw new Error('a producer expected');
  for (const peer of others) await peer.packetsFlow(bobAgain);
  for (const sender of others) {
    const [track] = sender === alice ? [aliceMic] : [carolMic];
    await back.packetsFlow(track ?? '');
  }
});

/** The worker a peer's transports are on, as the room placed it. */
function workerOfTransports(peer: RoomPeer): types.Worker | undefined {
  return peer.room.workerOf(peer.peer);
}
