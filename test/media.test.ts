/**
 * Real server, real mediasoup worker, real WebRTC peers: media flows through the SFU.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { PROTOCOL_VERSION } from '../signaling/protocol.js';
import { startTestServer } from './helpers/server.js';
import { RequestError, TestPeer, connectSocket, rawRequest } from './helpers/TestPeer.js';

let server: RunningServer;
const peers: TestPeer[] = [];

async function peer(): Promise<TestPeer> {
  const p = await TestPeer.connect(server.url);
  peers.push(p);
  return p;
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Packets the server forwarded on all of one peer's consumers (mediasoup's own stats). */
async function forwardedPackets(serverRoomId: string, peerId: string): Promise<number> {
  const room = await server.rooms.get(serverRoomId);
  const consumers = [...(room.peer(peerId)?.consumers.values() ?? [])];
  let packets = 0;
  for (const consumer of consumers) {
    for (const stat of await consumer.getStats()) {
      if (stat.type === 'outbound-rtp') packets += stat.packetCount;
    }
  }
  return packets;
}

beforeAll(async () => {
  server = await startTestServer({ RESUME_GRACE_SECONDS: '2' });
});

afterEach(() => {
  for (const p of peers.splice(0)) p.close();
});

afterAll(async () => {
  await server.close();
});

describe('a two-person room', () => {
  test('room:join answers with router capabilities, both transports and the peers already there', async () => {
    const a = await peer();
    const joinedA = await a.join('join-shape', '张三');
    expect(joinedA.peers).toEqual([]);
    expect(joinedA.routerRtpCapabilities.codecs?.some((c) => c.mimeType === 'audio/opus')).toBe(true);
    expect(joinedA.sendTransport.iceCandidates[0]?.address).toBe('127.0.0.1');
    expect(joinedA.recvTransport.id).not.toBe(joinedA.sendTransport.id);

    const b = await peer();
    const joinedB = await b.join('join-shape', '李四');
    expect(joinedB.peers).toEqual([{ id: joinedA.peerId, displayName: '张三', producers: [] }]);
  });

  test('audio and simulcast video from one peer reach the other, and mediasoup counts the packets', async () => {
    const a = await peer();
    const b = await peer();
    await a.join('media-flow', 'A');
    const joinedB = await b.join('media-flow', 'B');
    await a.produce({ audio: true, video: true, simulcast: true });
    await b.waitForConsumers(2);
    expect(b.consumerInfos.map((c) => `${c.kind}:${c.source}`).sort()).toEqual(['audio:mic', 'video:camera']);

    const received = await until(
      () => b.inboundStats(),
      (s) => s.packets > 100 && s.framesDecoded > 5,
    );
    expect(received.bytes).toBeGreaterThan(10_000);
    const forwarded = await until(
      () => forwardedPackets('media-flow', joinedB.peerId),
      (n) => n > 100,
    );
    expect(forwarded).toBeGreaterThan(100);
  });

  test('a late joiner receives the tracks already in the room', async () => {
    const a = await peer();
    await a.join('late-joiner', 'A');
    await a.produce({ audio: true, video: true });
    const c = await peer();
    const joinedC = await c.join('late-joiner', 'C');
    expect(joinedC.peers[0]?.producers.map((p) => p.kind).sort()).toEqual(['audio', 'video']);
    await c.waitForConsumers(2);
    await until(
      () => c.inboundStats(),
      (s) => s.packets > 50,
    );
  });

  test('pausing a producer tells consumers, and leaving closes the leaver’s consumers at the others', async () => {
    const a = await peer();
    const b = await peer();
    await a.join('leave', 'A');
    await b.join('leave', 'B');
    await a.produce({ audio: true, video: false });
    await b.waitForConsumers(1);

    const paused = new Promise<boolean>((resolve) => b.socket.once('consumer:producerPaused', (d) => resolve(d.paused)));
    const [producerId] = [...a.producers.keys()];
    await a.request('producer:pause', { producerId: producerId ?? '' });
    expect(await paused).toBe(true);

    const closed = new Promise<string>((resolve) => b.socket.once('consumer:closed', (d) => resolve(d.consumerId)));
    const left = new Promise<string>((resolve) => b.socket.once('peer:left', (d) => resolve(d.peerId)));
    await a.request('room:leave', {});
    expect(await closed).toBe(b.consumerInfos[0]?.id);
    expect(await left).toBe(a.joined?.peerId);
  });

  test('a dropped participant resumes with its token as the same peer; after the grace period it is gone', async () => {
    const a = await peer();
    const b = await peer();
    const first = await a.join('resume', 'A');
    await b.join('resume', 'B');
    a.socket.disconnect();

    const again = await peer();
    const second = await again.join('resume', 'A', first.resumeToken);
    expect(second.peerId).toBe(first.peerId);
    expect(second.resumed).toBe(true);

    again.socket.disconnect();
    const left = await new Promise<string>((resolve) => b.socket.once('peer:left', (d) => resolve(d.peerId)));
    expect(left).toBe(first.peerId);
  });

  test('a client speaking another protocol version is refused with UNSUPPORTED_PROTOCOL', async () => {
    const socket = await connectSocket(server.url);
    try {
      const answer = await rawRequest(socket, 'room:join', {
        protocolVersion: PROTOCOL_VERSION + 1,
        roomId: 'old-client',
        displayName: 'X',
        rtpCapabilities: {},
      });
      expect(answer).toMatchObject({ ok: false, error: 'UNSUPPORTED_PROTOCOL' });
    } finally {
      socket.disconnect();
    }
  });

  test('requests about media that is not the caller’s own are refused with NOT_FOUND', async () => {
    const a = await peer();
    const b = await peer();
    await a.join('not-mine', 'A');
    await b.join('not-mine', 'B');
    await a.produce({ audio: true, video: false });
    const [producerId] = [...a.producers.keys()];
    await expect(b.request('producer:close', { producerId: producerId ?? '' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      b.request('transport:restartIce', { transportId: a.joined?.sendTransport.id ?? '' }),
    ).rejects.toBeInstanceOf(RequestError);
  });
});

describe('the HTTP side', () => {
  test('GET /healthz reports the workers', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', mediaWorkers: 1 });
  });

  test('an unknown API path is a 404 with an error code', async () => {
    const res = await fetch(`${server.url}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'NOT_FOUND', detail: 'no such API' });
  });
});
