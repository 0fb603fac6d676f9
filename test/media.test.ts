/**
 * Real server, real mediasoup worker, real WebRTC peers: media flows through the SFU.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { createLogger } from '../server/log.js';
import { enforceMediaPolicy } from '../server/media/mediaPolicy.js';
import type { RoomState } from '../signaling/room/state.js';
import { PROTOCOL_VERSION } from '../signaling/protocol.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { peerHost } from './helpers/peerHost/PeerHost.js';
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
  const room = await server.media.get(serverRoomId);
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

/** A room where everybody is admitted on arrival and may talk freely (no floor rules). */
async function openRoom(): Promise<string> {
  return (await createRoom(server, { open: true, floorOnly: false })).roomId;
}

/** Joins `roomId` as a member called `name` (with a new invite, or the given one). */
async function joinAs(p: TestPeer, roomId: string, name: string, resume?: { invite: string; resumeToken: string }) {
  const token = resume?.invite ?? (await invite(server, roomId, 'member', 'city'));
  const joined = await p.join(token, name, resume ? { resumeToken: resume.resumeToken } : {});
  if (!joined.media) throw new Error('expected to be admitted with media');
  return { ...joined, media: joined.media, invite: token };
}

afterEach(() => {
  for (const p of peers.splice(0)) p.close();
});

afterAll(async () => {
  await server.close();
});

describe('a two-person room', () => {
  test('room:join answers with router capabilities, both transports and the peers already there', async () => {
    const room_join_shape = await openRoom();
    const a = await peer();
    const joinedA = await joinAs(a, room_join_shape, '张三');
    expect(joinedA.media.peers).toEqual([]);
    expect(joinedA.media.routerRtpCapabilities.codecs?.some((c) => c.mimeType === 'audio/opus')).toBe(true);
    expect(joinedA.media.sendTransport?.iceCandidates[0]?.address).toBe('127.0.0.1');
    // No TURN configured: no relay offered (test/turn-offer.test.ts has one).
    expect(joinedA.media.sendTransport).not.toHaveProperty('iceServers');
    expect(joinedA.media.recvTransport).not.toHaveProperty('iceServers');
    expect(joinedA.media.recvTransport.id).not.toBe(joinedA.media.sendTransport?.id);

    const b = await peer();
    const joinedB = await joinAs(b, room_join_shape, '李四');
    expect(joinedB.media.peers).toEqual([{ id: joinedA.participantId, displayName: '张三', producers: [] }]);
  });

  test('audio and simulcast video from one peer reach the other, and mediasoup counts the packets', async () => {
    const room_media_flow = await openRoom();
    const a = await peer();
    const b = await peer();
    await joinAs(a, room_media_flow, 'A');
    const joinedB = await joinAs(b, room_media_flow, 'B');
    await a.produce({ audio: true, video: true, simulcast: true });
    await b.waitForConsumers(2);
    expect(b.consumerInfos.map((c) => `${c.kind}:${c.source}`).sort()).toEqual(['audio:mic', 'video:camera']);

    const received = await until(
      () => b.inboundStats(),
      (s) => s.packets > 100 && s.framesDecoded > 5 && s.bytes > 10_000,
    );
    expect(received.framesDecoded).toBeGreaterThan(5);
    const forwarded = await until(
      () => forwardedPackets(room_media_flow, joinedB.participantId),
      (n) => n > 100,
    );
    expect(forwarded).toBeGreaterThan(100);
  });

  test('the process holding the test peers’ WebRTC dying fails what was in flight, not the file: the next peers send and receive', async () => {
    // The test's own harness: a native crash of the WebRTC stack must fail one test, not end the file.
    const roomId = await openRoom();
    const a = await peer();
    await joinAs(a, roomId, 'A');
    const pid = peerHost.pid;
    if (pid === undefined) throw new Error('the host runs once a peer has connected');
    const inFlight = a.produce({ audio: true, video: false });
    process.kill(pid, 'SIGKILL');
    await expect(inFlight).rejects.toThrow(/test peers' process ended/);

    const c = await peer();
    const d = await peer();
    await joinAs(c, roomId, 'C');
    await joinAs(d, roomId, 'D');
    expect(peerHost.pid).not.toBe(pid);
    await c.produce({ audio: true, video: true });
    await d.waitForConsumers(2);
    const received = await until(
      () => d.inboundStats(),
      (s) => s.packets > 50 && s.framesDecoded > 0,
    );
    expect(received.framesDecoded).toBeGreaterThan(0);
  });

  test('a late joiner receives the tracks already in the room, all in the answer to its join', async () => {
    const room_late_joiner = await openRoom();
    const a = await peer();
    const joinedA = await joinAs(a, room_late_joiner, 'A');
    await a.produce({ audio: true, video: true });
    const c = await peer();
    const pushed: string[] = [];
    c.socket.on('consumer:new', (info) => pushed.push(info.id));
    const joinedC = await joinAs(c, room_late_joiner, 'C');
    expect(joinedC.media.peers[0]?.producers.map((p) => p.kind).sort()).toEqual(['audio', 'video']);
    // One answer, so the browser sets both up in one offer/answer round; none comes as consumer:new.
    expect(joinedC.media.consumers.map((info) => `${info.kind}:${info.source}:${info.peerId}`).sort()).toEqual([
      `audio:mic:${joinedA.participantId}`,
      `video:camera:${joinedA.participantId}`,
    ]);
    expect(joinedC.media.consumers.map((info) => info.producerId).sort()).toEqual([...a.producers.keys()].sort());
    await c.waitForConsumers(2);
    expect(pushed).toEqual([]);
    await until(
      () => c.inboundStats(),
      (s) => s.packets > 50,
    );
  });

  test('pausing a producer tells consumers, and leaving closes the leaver’s consumers at the others', async () => {
    const room_leave = await openRoom();
    const a = await peer();
    const b = await peer();
    await joinAs(a, room_leave, 'A');
    await joinAs(b, room_leave, 'B');
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
    expect(await left).toBe(a.joined?.participantId);
  });

  test('pause and resume sent back to back, each without waiting for the other: the consumer ends as the last one asked', async () => {
    const roomId = await openRoom();
    const a = await peer();
    const b = await peer();
    await joinAs(a, roomId, 'A');
    const joinedB = await joinAs(b, roomId, 'B');
    await a.produce({ audio: false, video: true });
    await b.waitForConsumers(1);
    const consumerId = b.consumerInfos[0]!.id;
    const onServer = async () => (await server.media.get(roomId)).peer(joinedB.participantId)?.consumers.get(consumerId);
    await until(async () => (await onServer())?.paused, (paused) => paused === false);
    // A tile scrolled out of view and back (and the other way round): both requests in flight at once.
    for (const [first, last] of [['pause', 'resume'], ['resume', 'pause'], ['pause', 'resume']] as const) {
      await Promise.all([b.request(`consumer:${first}`, { consumerId }), b.request(`consumer:${last}`, { consumerId })]);
      expect((await onServer())?.paused, `${first} then ${last}`).toBe(last === 'pause');
    }
  });

  test('the media policy deciding twice at once (floor granted, then revoked, or the other way): the microphone and the spotlight end as the last decision', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true, floorOnly: true });
    const host = await peer();
    await host.join(hostInvite, '主持人');
    const a = await peer();
    const joinedA = await joinAs(a, roomId, 'A');
    await a.produce({ audio: true, video: true });
    const b = await peer();
    const joinedB = await joinAs(b, roomId, 'B');
    await b.waitForConsumers(2);
    const room = await server.media.get(roomId);
    const mic = [...(room.peer(joinedA.participantId)?.producers.values() ?? [])].find((p) => p.kind === 'audio');
    const cameraAtB = [...(room.peer(joinedB.participantId)?.consumers.values() ?? [])].find((c) => c.kind === 'video');
    if (!mic || !cameraAtB) throw new Error('no microphone of A, or no consumer of its camera at B, on the server');
    await host.command('floor:grant', { target: { kind: 'participant', participantId: joinedA.participantId }, seconds: 60 });
    await until(async () => ({ paused: mic.paused, priority: cameraAtB.priority }), (now) => !now.paused && now.priority > 1);
    const granted = (await server.rooms.state(roomId)) as RoomState;
    const spotlight = cameraAtB.priority;
    await host.command('floor:revoke', {});
    await until(async () => ({ paused: mic.paused, priority: cameraAtB.priority }), (now) => now.paused && now.priority < spotlight);
    const revoked = (await server.rooms.state(roomId)) as RoomState;
    const normal = cameraAtB.priority;
    const logger = createLogger('silent');
    for (const [first, last] of [[granted, revoked], [revoked, granted], [granted, revoked]] as const) {
      await Promise.all([enforceMediaPolicy(room, first, logger), enforceMediaPolicy(room, last, logger)]);
      const order = last === revoked ? 'granted, then revoked' : 'revoked, then granted';
      expect(mic.paused, order).toBe(last === revoked);
      expect(cameraAtB.priority, order).toBe(last === revoked ? normal : spotlight);
    }
  });

  test('a dropped participant resumes with its token as the same peer; after the grace period it is gone', async () => {
    const room_resume = await openRoom();
    const a = await peer();
    const b = await peer();
    const first = await joinAs(a, room_resume, 'A');
    await joinAs(b, room_resume, 'B');
    a.socket.disconnect();

    const again = await peer();
    const second = await joinAs(again, room_resume, 'A', { invite: first.invite, resumeToken: first.resumeToken });
    expect(second.participantId).toBe(first.participantId);
    expect(second.resumed).toBe(true);

    again.socket.disconnect();
    const left = await new Promise<string>((resolve) => b.socket.once('peer:left', (d) => resolve(d.peerId)));
    expect(left).toBe(first.participantId);
  });

  test('a client speaking another protocol version is refused with UNSUPPORTED_PROTOCOL', async () => {
    const socket = await connectSocket(server.url);
    try {
      const answer = await rawRequest(socket, 'room:join', {
        protocolVersion: PROTOCOL_VERSION + 1,
        invite: 'x'.repeat(40),
        rtpCapabilities: {},
      });
      expect(answer).toMatchObject({ ok: false, error: 'UNSUPPORTED_PROTOCOL' });
    } finally {
      socket.disconnect();
    }
  });

  test('requests about media that is not the caller’s own are refused with NOT_FOUND', async () => {
    const room_not_mine = await openRoom();
    const a = await peer();
    const b = await peer();
    await joinAs(a, room_not_mine, 'A');
    await joinAs(b, room_not_mine, 'B');
    await a.produce({ audio: true, video: false });
    const [producerId] = [...a.producers.keys()];
    await expect(b.request('producer:close', { producerId: producerId ?? '' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      b.request('transport:restartIce', { transportId: a.joined?.media?.sendTransport?.id ?? '' }),
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
