/**
 * Limits against a client that keeps sending: by participant, by socket, by address and by
 * invite link; sockets that never join are closed; a join the media cannot take is refused
 * before anything is recorded. A limited request gets RATE_LIMITED with the time to wait.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { PROTOCOL_VERSION, type Ack } from '../signaling/protocol.js';
import { createRoom, invite } from './helpers/rooms.js';
import { TestViewer } from './helpers/TestViewer.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer, connectSocket, rawRequest } from './helpers/TestPeer.js';

let server: RunningServer | undefined;
const peers: TestPeer[] = [];

afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await server?.close();
  server = undefined;
});

async function serve(env: Record<string, string> = {}): Promise<RunningServer> {
  server = await startTestServer(env);
  return server;
}

async function connect(s: RunningServer): Promise<TestPeer> {
  const p = await TestPeer.connect(s.url);
  peers.push(p);
  return p;
}

const limited = (answer: unknown): boolean => {
  const a = answer as Ack<unknown>;
  return !a.ok && a.error === 'RATE_LIMITED' && typeof a.retryAfterMs === 'number' && a.retryAfterMs > 0;
};

describe('limits', () => {
  test('a participant flooding commands gets RATE_LIMITED with a retry time; the log grows at the budget, not at the flood', async () => {
    const s = await serve({ LIMIT_COMMANDS_PER_10S: '20' });
    const { roomId, hostInvite } = await createRoom(s, { open: true });
    await (await connect(s)).join(hostInvite, '主持人');
    const member = await connect(s);
    await member.join(await invite(s, roomId, 'member', 'city'), '刷屏者');
    const seqBefore = (await s.rooms.state(roomId))?.seq ?? 0;
    const answers: unknown[] = [];
    for (let i = 0; i < 200; i++) {
      const type = i % 2 === 0 ? 'queue:raise' : 'queue:withdraw';
      answers.push(await rawRequest(member.socket, type, { commandId: randomUUID(), ...(type === 'queue:raise' ? { speechType: 'statement', note: '' } : {}) }));
    }
    const refused = answers.filter(limited);
    expect(refused.length).toBeGreaterThanOrEqual(180);
    expect(answers.slice(0, 20).filter(limited)).toEqual([]);
    const grown = ((await s.rooms.state(roomId))?.seq ?? 0) - seqBefore;
    expect(grown).toBeLessThanOrEqual(20);
    // Someone else in the same room is not held back.
    const other = await connect(s);
    await other.join(await invite(s, roomId, 'member', 'd1'), '旁人');
    await expect(other.command('queue:raise', { speechType: 'question', note: '' })).resolves.toBeGreaterThan(0);
  });

  test('a socket flooding requests of any kind, junk included, is answered RATE_LIMITED before any handler', async () => {
    const s = await serve({ LIMIT_SOCKET_EVENTS_PER_10S: '50' });
    const socket = await connectSocket(s.url);
    try {
      const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => rawRequest(socket, i % 2 ? 'room:sync' : 'no:such:event', { junk: i })));
      expect(answers.filter(limited).length).toBeGreaterThanOrEqual(70);
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    } finally {
      socket.disconnect();
    }
  });

  test('a socket that connects and never joins is closed after the join timeout', async () => {
    const s = await serve({ JOIN_TIMEOUT_SECONDS: '1' });
    const socket = await connectSocket(s.url);
    const reason = await new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
  });

  test('failed joins from an address are counted: past the budget even a good invite waits, with a retry time', async () => {
    const s = await serve({ LIMIT_FAILED_JOINS_PER_MINUTE_PER_ADDRESS: '5' });
    const { hostInvite } = await createRoom(s);
    const prober = await connect(s);
    const forged = `${hostInvite.slice(0, -4)}AAAA`;
    const answers: unknown[] = [];
    for (let i = 0; i < 8; i++) answers.push(await rawRequest(prober.socket, 'room:join', { protocolVersion: PROTOCOL_VERSION, invite: forged, name: 'x', rtpCapabilities: {} }));
    expect(answers.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => expect.objectContaining({ ok: false, error: 'UNAUTHORIZED' })));
    expect(answers.slice(5).every(limited)).toBe(true);
    const honest = await connect(s);
    await expect(honest.join(hostInvite, '主持人')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  test('a burst of forged joins at once gets no more checked than the budget, plus the few already under way', async () => {
    const s = await serve({ LIMIT_FAILED_JOINS_PER_MINUTE_PER_ADDRESS: '5', LIMIT_SOCKET_EVENTS_PER_10S: '1000' });
    const { hostInvite } = await createRoom(s);
    const prober = await connect(s);
    const forged = `${hostInvite.slice(0, -4)}AAAA`;
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => rawRequest(prober.socket, 'room:join', { protocolVersion: PROTOCOL_VERSION, invite: forged, name: 'x', rtpCapabilities: {} })),
    );
    const checked = answers.filter((a) => (a as Ack<unknown>).ok === false && (a as { error?: string }).error === 'UNAUTHORIZED');
    // 5 failures allowed, and at most 10 joins of one address checked at a time.
    expect(checked.length).toBeLessThanOrEqual(15);
    expect(answers.filter(limited).length).toBe(100 - checked.length);
  });

  test('a connection that goes on sending after RATE_LIMITED is dropped', async () => {
    const s = await serve({ LIMIT_SOCKET_EVENTS_PER_10S: '10' });
    const socket = await connectSocket(s.url);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    for (let i = 0; i < 60; i++) socket.emit('room:sync', {}, () => undefined);
    expect(await dropped).toBe('io server disconnect');
  });

  test('an address opening connections past its budget is refused at the handshake', async () => {
    const s = await serve({ LIMIT_CONNECTIONS_PER_10S_PER_ADDRESS: '5' });
    const opened = [];
    for (let i = 0; i < 5; i++) opened.push(await connectSocket(s.url));
    await expect(connectSocket(s.url)).rejects.toThrow();
    for (const socket of opened) socket.disconnect();
  });

  test('a personal invite rejoining in a loop is held to a person’s pace: the log does not grow at the loop’s', async () => {
    const s = await serve({ LIMIT_JOINS_PER_MINUTE_PER_PERSONAL_INVITE: '5' });
    const { roomId, hostInvite } = await createRoom(s, { open: true });
    await (await connect(s)).join(hostInvite, '主持人');
    const token = await invite(s, roomId, 'member', 'city', '循环者');
    const seqBefore = (await s.rooms.state(roomId))?.seq ?? 0;
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const tab = await connect(s);
      outcomes.push(await tab.join(token).then(() => 'joined', (error: { code?: string }) => error.code ?? 'error'));
    }
    expect(outcomes.filter((o) => o === 'joined')).toHaveLength(5);
    expect(outcomes.slice(5)).toEqual(Array.from({ length: 7 }, () => 'RATE_LIMITED'));
    // An arrival, then a return for each takeover at most.
    expect(((await s.rooms.state(roomId))?.seq ?? 0) - seqBefore).toBeLessThanOrEqual(1 + 2 * 4);
  });

  test('one public link cannot bring in more than its budget per second', async () => {
    const s = await serve({ LIMIT_JOINS_PER_SECOND_PER_INVITE: '3' });
    const { roomId, hostInvite } = await createRoom(s);
    await (await connect(s)).join(hostInvite, '主持人');
    const link = await invite(s, roomId, 'public', 'city');
    const crowd = await Promise.all(Array.from({ length: 8 }, () => TestViewer.connect(s.url)));
    const answers = await Promise.allSettled(crowd.map((viewer) => viewer.join(link)));
    for (const viewer of crowd) viewer.close();
    const refused = answers.filter((a) => a.status === 'rejected' && (a.reason as { code?: string }).code === 'RATE_LIMITED');
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(answers.filter((a) => a.status === 'fulfilled').length).toBeLessThanOrEqual(3);
  });

  test('a join the media cannot take answers CAPACITY and records no arrival', async () => {
    // Two transports for the chair, two for the first member: the worker is full.
    const s = await serve({ MEDIA_MAX_TRANSPORTS_PER_WORKER: '4' });
    const { roomId, hostInvite } = await createRoom(s, { open: true });
    await (await connect(s)).join(hostInvite, '主持人');
    await (await connect(s)).join(await invite(s, roomId, 'member', 'city'), '先到者');
    const before = await s.rooms.state(roomId);
    const late = await connect(s);
    await expect(late.join(await invite(s, roomId, 'member', 'd1'), '后到者')).rejects.toMatchObject({ code: 'CAPACITY' });
    const after = await s.rooms.state(roomId);
    expect(after?.seq).toBe(before?.seq);
    expect(Object.keys(after?.participants ?? {})).toEqual(Object.keys(before?.participants ?? {}));
  });
});

describe('recording requests', () => {
  test('an address asking for recordings past its budget gets 429 RATE_LIMITED with Retry-After, listings and files alike', async () => {
    const s = await serve({ LIMIT_RECORDING_REQUESTS_PER_MINUTE_PER_ADDRESS: '3' });
    const { roomId, hostInvite } = await createRoom(s, { open: true });
    const listing = (): Promise<Response> => fetch(`${s.url}/api/rooms/${roomId}/recording`, { headers: { authorization: `Bearer ${hostInvite}` } });
    expect((await listing()).status).toBe(200);
    expect((await fetch(`${s.url}/recordings/${roomId}/nosuchpart.mp4`)).status).toBe(404);
    expect((await listing()).status).toBe(200);
    for (const refused of [await listing(), await fetch(`${s.url}/recordings/${roomId}/nosuchpart.mp4`)]) {
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: string }).error).toBe('RATE_LIMITED');
    }
  });
});
