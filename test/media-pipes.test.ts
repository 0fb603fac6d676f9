/**
 * Media across processes: two "processes" in this test process, each with its own mediasoup
 * worker and media rooms, joined by MediaPipes over an in-memory bus. Real WebRTC peers send
 * real audio and video into one side and receive it on the other.
 */
import type { types } from 'mediasoup';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { MediaPipes } from '../server/cluster/MediaPipes.js';
import { createMemoryBus, type PipeBus } from '../server/cluster/pipeBus.js';
import { PipeMessageSchema } from '../server/cluster/pipeMessages.js';
import type { Logger } from '../server/log.js';
import { MediaRooms } from '../server/media/MediaRooms.js';
import type { RtcListenOptions } from '../server/media/transports.js';
import { WorkerPool } from '../server/media/WorkerPool.js';
import { peerHost } from './helpers/peerHost/PeerHost.js';
import { RoomPeer } from './helpers/RoomPeer.js';

const LISTEN: RtcListenOptions = { listenIp: '127.0.0.1', announcedAddress: undefined, minPort: 40000, maxPort: 49999 };

/** A logger that keeps warnings for assertions and prints nothing. */
function recordingLogger(warnings: string[]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => warnings.push(message),
    error: (message) => warnings.push(message),
    child: () => logger,
  };
  return logger;
}

type Side = { id: string; pool: WorkerPool; rooms: MediaRooms; bus: PipeBus; pipes: MediaPipes; warnings: string[] };

let a: Side;
let b: Side;
let peers: RoomPeer[] = [];
let roomCount = 0;

async function side(id: string, bus: PipeBus): Promise<Side> {
  const warnings: string[] = [];
  const logger = recordingLogger(warnings);
  const pool = await WorkerPool.create({ size: 1, listen: LISTEN, logger, respawnDelayMs: 100 });
  const rooms = new MediaRooms(pool, logger);
  const pipes = new MediaPipes({ bus, rooms, listen: LISTEN, logger, answerTimeoutMs: 5_000 });
  return { id, pool, rooms, bus, pipes, warnings };
}

beforeAll(async () => {
  const [busA, busB] = createMemoryBus(['proc-a', 'proc-b']);
  if (!busA || !busB) throw new Error('two buses expected');
  a = await side('proc-a', busA);
  b = await side('proc-b', busB);
});

afterEach(() => {
  // Leaving empties the rooms, which closes them and their links.
  for (const peer of peers) peer.leave();
  peers = [];
});

afterAll(async () => {
  for (const s of [a, b]) {
    s.pipes.close();
    await s.rooms.close();
    s.pool.close();
  }
  peerHost.close();
});

async function join(s: Side, roomId: string, peerId: string): Promise<RoomPeer> {
  const peer = await RoomPeer.join(await s.rooms.get(roomId), peerId);
  peers.push(peer);
  return peer;
}

async function until(ok: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function linked(roomId: string): Promise<void> {
  await until(
    () => a.pipes.linkState(roomId, b.id) === 'open' && b.pipes.linkState(roomId, a.id) === 'open',
    `link of ${roomId} open on both sides`,
  );
}

/** A new room with alice on process a and bob on process b, their routers linked. */
async function linkedPair(): Promise<{ roomId: string; alice: RoomPeer; bob: RoomPeer }> {
  const roomId = newRoom();
  const alice = await join(a, roomId, 'alice');
  const bob = await join(b, roomId, 'bob');
  a.pipes.link(roomId, b.id);
  await linked(roomId);
  return { roomId, alice, bob };
}

function newRoom(): string {
  roomCount++;
  return `room-${roomCount}`;
}

describe('MediaPipes', () => {
  test('a producer on one process reaches a consumer on the other, both ways, with real packets', async () => {
    const roomId = newRoom();
    const alice = await join(a, roomId, 'alice');
    const bob = await join(b, roomId, 'bob');
    const pipeTransports: types.Transport[] = [];
    bob.room.router.observer.on('newtransport', (transport) => {
      if (transport.type === 'pipe') pipeTransports.push(transport);
    });
    a.pipes.link(roomId, b.id);
    await linked(roomId);
    // Encrypted between the processes (they may be on different machines).
    expect(pipeTransports).toHaveLength(1);
    expect(await pipeTransports[0]?.dump()).toMatchObject({ srtpParameters: { cryptoSuite: expect.any(String) } });
    // Everybody sees everybody: each side announces its peers to the other.
    await bob.until(() => bob.received('peer:joined').some((p) => p.id === 'alice'), 'alice announced');
    await alice.until(() => alice.received('peer:joined').some((p) => p.id === 'bob'), 'bob announced');

    const [mic, camera] = await alice.produce({ audio: true, video: true });
    if (!mic || !camera) throw new Error('two producers expected');
    await bob.until(() => bob.consumers.size === 2, 'two consumers of alice');
    expect(bob.consumerInfos().map((c) => ({ peerId: c.peerId, source: c.source })).sort((x, y) => x.source.localeCompare(y.source))).toEqual([
      { peerId: 'alice', source: 'camera' },
      { peerId: 'alice', source: 'mic' },
    ]);
    await bob.packetsFlow(mic);
    await bob.packetsFlow(camera);
    // Video crosses the pipe with RTX, so a packet lost between the processes can be resent.
    const farCamera = bob.room.remoteProducers().find((p) => p.id === camera);
    expect(farCamera?.rtpParameters.codecs.some((c) => c.mimeType.toLowerCase() === 'video/rtx')).toBe(true);
    // The VP8 decoder on the far side gets whole frames: key frames are asked for through the pipe.
    const deadline = Date.now() + 10_000;
    while (((await bob.inbound()).get(camera)?.framesDecoded ?? 0) < 5) {
      if (Date.now() > deadline) throw new Error('no frames decoded on the far side');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const [bobMic] = await bob.produce({ audio: true, video: false });
    if (!bobMic) throw new Error('a producer expected');
    await alice.until(() => alice.consumers.size === 1, 'a consumer of bob');
    await alice.packetsFlow(bobMic);

    // A peer that joins later on the far side gets the piped tracks at join.
    const carol = await join(b, roomId, 'carol');
    await carol.until(() => carol.consumers.size === 3, 'carol consumes alice and bob');
    await carol.packetsFlow(camera);
  });

  test('speaker:active on the far side names the piped producer’s owner', async () => {
    const { roomId, alice, bob } = await linkedPair();
    await alice.produce({ audio: true, video: false });
    await bob.until(() => bob.received('speaker:active').some((s) => s.peerId === 'alice'), 'alice as the active speaker');
  });

  test('pause and resume at the source reach the far consumers', async () => {
    const { roomId, alice, bob } = await linkedPair();
    const [mic] = await alice.produce({ audio: true, video: false });
    if (!mic) throw new Error('a producer expected');
    await bob.until(() => bob.consumers.size === 1, 'a consumer');
    const consumerId = bob.consumerInfos()[0]?.id;

    await alice.room.controlProducer(alice.peer, mic, 'pause');
    await bob.until(() => bob.received('consumer:producerPaused').some((p) => p.consumerId === consumerId && p.paused), 'paused');
    const far = (await b.rooms.get(roomId)).remoteProducers().find((p) => p.id === mic);
    expect(far?.paused).toBe(true);

    await alice.room.controlProducer(alice.peer, mic, 'resume');
    await bob.until(
      () => bob.received('consumer:producerPaused').some((p) => p.consumerId === consumerId && !p.paused),
      'resumed',
    );
    expect(far?.paused).toBe(false);
    await bob.packetsFlow(mic);
  });

  test('a producer paused before the link is made arrives paused', async () => {
    const roomId = newRoom();
    const alice = await join(a, roomId, 'alice');
    const bob = await join(b, roomId, 'bob');
    const [mic] = await alice.produce({ audio: true, video: false });
    if (!mic) throw new Error('a producer expected');
    await alice.room.controlProducer(alice.peer, mic, 'pause');
    b.pipes.link(roomId, a.id);
    await linked(roomId);
    await bob.until(() => bob.consumers.size === 1, 'a consumer');
    expect(bob.consumerInfos()[0]?.producerPaused).toBe(true);
  });

  test('closing a producer closes its pipe: the far consumer is closed', async () => {
    const { roomId, alice, bob } = await linkedPair();
    const [mic, camera] = await alice.produce({ audio: true, video: true });
    await bob.until(() => bob.consumers.size === 2, 'two consumers');
    const cameraConsumer = bob.consumerInfos().find((c) => c.producerId === camera)?.id;

    await alice.room.controlProducer(alice.peer, camera ?? '', 'close');
    await bob.until(() => bob.received('consumer:closed').some((c) => c.consumerId === cameraConsumer), 'consumer:closed');
    const roomB = await b.rooms.get(roomId);
    expect(roomB.remoteProducers().map((p) => p.id)).toEqual([mic]);
    // The pipe consumer on the sending side went with it.
    const roomA = await a.rooms.get(roomId);
    await until(() => roomA.localProducers().length === 1, 'one local producer');
  });

  test('link is idempotent, also when both processes call it at once', async () => {
    const roomId = newRoom();
    const alice = await join(a, roomId, 'alice');
    const bob = await join(b, roomId, 'bob');
    await alice.produce({ audio: true, video: true });
    await bob.produce({ audio: true, video: false });
    for (let i = 0; i < 3; i++) {
      a.pipes.link(roomId, b.id);
      b.pipes.link(roomId, a.id);
    }
    await linked(roomId);
    a.pipes.link(roomId, b.id);
    b.pipes.link(roomId, a.id);
    await bob.until(() => bob.consumers.size === 2, 'bob consumes alice');
    await alice.until(() => alice.consumers.size === 1, 'alice consumes bob');
    // Settle: any duplicate piping would show up as extra producers or consumers.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(a.pipes.links(roomId)).toEqual([{ roomId, processId: b.id, state: 'open' }]);
    expect(b.pipes.links(roomId)).toEqual([{ roomId, processId: a.id, state: 'open' }]);
    expect((await b.rooms.get(roomId)).remoteProducers()).toHaveLength(2);
    expect((await a.rooms.get(roomId)).remoteProducers()).toHaveLength(1);
    expect(bob.received('consumer:new')).toHaveLength(2);
    expect(alice.received('consumer:new')).toHaveLength(1);
    expect(bob.received('peer:joined').filter((p) => p.id === 'alice')).toHaveLength(1);
  });

  test('processGone removes the gone process’s producers and peers', async () => {
    const { roomId, alice, bob } = await linkedPair();
    await alice.produce({ audio: true, video: true });
    await bob.until(() => bob.consumers.size === 2, 'two consumers');
    const consumerIds = bob.consumerInfos().map((c) => c.id);

    b.pipes.processGone(a.id);
    await bob.until(() => bob.received('consumer:closed').length === 2, 'both consumers closed');
    expect(bob.received('consumer:closed').map((c) => c.consumerId).sort()).toEqual([...consumerIds].sort());
    expect(bob.received('peer:left')).toContainEqual({ peerId: 'alice' });
    expect((await b.rooms.get(roomId)).remoteProducers()).toEqual([]);
    expect(b.pipes.linkState(roomId, a.id)).toBeNull();

    // The process came back (or was never gone): a new link brings everything again.
    a.pipes.unlink(roomId, b.id);
    a.pipes.link(roomId, b.id);
    await linked(roomId);
    await bob.until(() => bob.consumers.size === 2, 'consumers again');
  });

  test('a room closing on one process drops its producers and peers on the other', async () => {
    const { roomId, alice, bob } = await linkedPair();
    await alice.produce({ audio: true, video: false });
    await bob.until(() => bob.consumers.size === 1, 'a consumer');

    const warningsBefore = a.warnings.length;
    alice.room.leave(alice.peer);
    expect(alice.room.closed).toBe(true);
    await bob.until(() => bob.received('consumer:closed').length === 1, 'consumer closed');
    await bob.until(() => bob.received('peer:left').some((p) => p.peerId === 'alice'), 'alice left');
    await until(() => b.pipes.linkState(roomId, a.id) === null, 'link gone on b');
    expect(a.pipes.linkState(roomId, b.id)).toBeNull();
    // An emptied room is an ordinary end of its links, not a failure to warn an operator about.
    expect(a.warnings.slice(warningsBefore)).toEqual([]);
  });

  test('an offer for a room this process does not have is rejected, and link on a side without the room does nothing', async () => {
    const roomId = newRoom();
    await join(a, roomId, 'alice');
    a.pipes.link(roomId, b.id);
    await until(() => a.pipes.linkState(roomId, b.id) === null, 'offer rejected');
    expect(b.pipes.linkState(roomId, a.id)).toBeNull();
    expect(a.warnings.some((w) => w.includes('rejected (no-room)'))).toBe(true);
    b.pipes.link(`${roomId}-nowhere`, a.id);
    await until(() => b.pipes.linkState(`${roomId}-nowhere`, a.id) === null, 'link without a room dropped');
  });

  test('an offer nobody answers is given up after the answer timeout', async () => {
    const roomId = newRoom();
    await join(a, roomId, 'alice');
    // A process that never answers: its bus has no MediaPipes listening.
    const [lonely] = createMemoryBus(['proc-x', 'proc-silent']);
    if (!lonely) throw new Error('a bus expected');
    const warnings: string[] = [];
    const pipes = new MediaPipes({ bus: lonely, rooms: a.rooms, listen: LISTEN, logger: recordingLogger(warnings), answerTimeoutMs: 300 });
    try {
      pipes.link(roomId, 'proc-silent');
      await until(() => pipes.linkState(roomId, 'proc-silent') === 'offering', 'offer sent');
      await until(() => pipes.linkState(roomId, 'proc-silent') === null, 'offer given up', 5_000);
      expect(warnings.some((w) => w.includes('no answer in 300 ms'))).toBe(true);
    } finally {
      pipes.close();
    }
  });

  test('malformed and stale messages are logged and dropped; the link goes on', async () => {
    const { roomId, alice, bob } = await linkedPair();
    const before = b.warnings.length;
    const hostile: unknown[] = [
      null,
      42,
      'pipe:close',
      { type: 'pipe:close' },
      { type: 'pipe:close', roomId, linkId: 'not-a-uuid' },
      { type: 'producer:open', roomId, linkId: crypto.randomUUID(), producerId: crypto.randomUUID() },
      { type: 'pipe:offer', version: 1, roomId, linkId: crypto.randomUUID(), ip: '127.0.0.1', port: 70000, srtp: {} },
      { type: 'nonsense', roomId, linkId: crypto.randomUUID() },
      { type: 'peer:joined', roomId, linkId: crypto.randomUUID(), peerId: 'x'.repeat(10_000), displayName: 'x' },
    ];
    for (const message of hostile) a.bus.send(b.id, message);
    // Well-formed but of another link: stale, dropped quietly.
    a.bus.send(b.id, { type: 'pipe:close', roomId, linkId: crypto.randomUUID() });
    await until(() => b.warnings.length - before >= hostile.length, 'every bad message logged');
    expect(b.warnings.slice(before).every((w) => w.startsWith('dropped a malformed pipe message from proc-a'))).toBe(true);
    expect(b.pipes.linkState(roomId, a.id)).toBe('open');

    const [mic] = await alice.produce({ audio: true, video: false });
    if (!mic) throw new Error('a producer expected');
    await bob.until(() => bob.consumers.size === 1, 'a consumer after the noise');
    await bob.packetsFlow(mic);
  });

  test('pipe consumer parameters survive the wire schema unchanged', async () => {
    const roomId = newRoom();
    const alice = await join(a, roomId, 'alice');
    await alice.produce({ audio: true, video: true });
    const room = await a.rooms.get(roomId);
    const transport = await room.router.createPipeTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, enableRtx: true, enableSrtp: true });
    try {
      for (const producer of room.localProducers()) {
        const consumer = await transport.consume({ producerId: producer.id });
        const message = {
          type: 'producer:open',
          roomId,
          linkId: crypto.randomUUID(),
          producerId: producer.id,
          kind: producer.kind,
          rtpParameters: consumer.rtpParameters,
          paused: false,
          peerId: 'alice',
          source: producer.appData.source,
        };
        const parsed = PipeMessageSchema.parse(JSON.parse(JSON.stringify(message)));
        expect(parsed).toEqual(JSON.parse(JSON.stringify(message)));
      }
    } finally {
      transport.close();
    }
  });

  test('a worker dying under a linked room: the far side drops its media, the link is made again, media flows after the rejoin', async () => {
    const { roomId, alice, bob } = await linkedPair();
    await alice.produce({ audio: true, video: false });
    const [bobMic] = await bob.produce({ audio: true, video: false });
    if (!bobMic) throw new Error('a producer expected');
    await bob.until(() => bob.consumers.size === 1, 'bob consumes alice');
    await alice.until(() => alice.consumers.size === 1, 'alice consumes bob');

    const reopened = new Promise<void>((resolve) => {
      a.pipes.on('linkopen', (room) => {
        if (room === roomId) resolve();
      });
    });
    const [pid] = a.pool.pids;
    process.kill(pid ?? -1, 'SIGKILL');
    await bob.until(() => bob.received('consumer:closed').length === 1, 'alice’s track closed on b');
    await alice.until(() => alice.received('media:reconnect').length === 1, 'alice told to reconnect');
    await reopened;
    await linked(roomId);

    // Alice reconnects her media on the new router, as a client does after media:reconnect.
    alice.close();
    const again = await join(a, roomId, 'alice');
    const [mic] = await again.produce({ audio: true, video: false });
    if (!mic) throw new Error('a producer expected');
    await bob.until(() => bob.consumers.size === 1 && bob.consumerInfos()[0]?.producerId === mic, 'bob consumes the new mic');
    await bob.packetsFlow(mic);
    // And bob's track is piped to the new router.
    await again.until(() => again.consumers.size === 1, 'alice consumes bob again');
    await again.packetsFlow(bobMic);
  });

  test('the process holding the test peers dying fails what was in flight; the next peers get a new one', async () => {
    // The test's own harness: a native crash of the WebRTC stack must fail one test, not end the file.
    const { roomId } = await linkedPair();
    const pid = peerHost.pid;
    if (pid === undefined) throw new Error('the host runs once peers have joined');
    const inFlight = join(a, roomId, 'carol');
    process.kill(pid, 'SIGKILL');
    await expect(inFlight).rejects.toThrow(/test peers' process ended/);
    const next = newRoom();
    const dave = await join(a, next, 'dave');
    const erin = await join(b, next, 'erin');
    a.pipes.link(next, b.id);
    await linked(next);
    const [mic] = await dave.produce({ audio: true, video: false });
    if (!mic) throw new Error('a producer expected');
    await erin.until(() => erin.consumers.size === 1, 'erin consumes dave');
    await erin.packetsFlow(mic);
  });
});
