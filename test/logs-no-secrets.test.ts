/**
 * Every line the server writes at LOG_LEVEL=debug, through a meeting that handles every kind of
 * secret the product has: the admin's bearer secret, invite tokens (in Authorization headers,
 * in a URL's path and query string), resume tokens, TURN credentials and the secrets behind
 * them, the metrics secret, a browser's comment cookie, a hostile client's forged tokens and
 * malformed payloads, and a secret ballot's choice and receipt.
 *
 * Each line is one JSON object with level, time and msg; lines about the room carry its roomId
 * (and the participant's id where there is one) as fields; no line contains any of the secrets.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROTOCOL_VERSION, type Joined } from '../signaling/protocol.js';
import type { RunningServer } from '../server/app.js';
import { createLogger } from '../server/log.js';
import { eventually } from './helpers/cluster.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { connectSocket, rawRequest, TestPeer } from './helpers/TestPeer.js';

const ENV = {
  LOG_LEVEL: 'debug',
  INVITE_SECRET: 'invite-secret-for-the-log-test-0123456789',
  BALLOT_SECRET: 'ballot-secret-for-the-log-test-0123456789',
  TURN_URLS: 'turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp',
  TURN_SECRET: 'turn-secret-for-the-log-test-0123456789',
  METRICS_SECRET: 'metrics-secret-for-the-log-test-0123456789',
};
/** Looks like an invite (a JWT) but was never signed by us. */
const FORGED = 'eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiZm9yZ2VkIiwicm9sZSI6Imhvc3QifQ.Zm9yZ2VkLXNpZ25hdHVyZS1oZXJl';
const NOT_A_TOKEN = 'hostile-garbage-token-7f3a9c2e51';
const RECEIPT = 'ballot-receipt-kept-by-the-voter-5d1e';

const lines: string[] = [];
const secrets = new Set<string>();
let server: RunningServer;
let roomId: string;
const participants: string[] = [];
const peers: TestPeer[] = [];

/** Every `credential` in a join answer (TURN passwords minted for this participant). */
function credentialsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(credentialsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'credential' && typeof v === 'string' ? [v] : credentialsIn(v)));
}

async function joined(token: string, name: string, options: { resumeToken?: string } = {}): Promise<{ peer: TestPeer; answer: Joined }> {
  const peer = await TestPeer.connect(server.url);
  peers.push(peer);
  const answer = await peer.join(token, name, options);
  secrets.add(answer.resumeToken);
  for (const credential of credentialsIn(answer.media)) secrets.add(credential);
  participants.push(answer.participantId);
  return { peer, answer };
}

beforeAll(async () => {
  const logger = createLogger('debug', { destination: { write: (line: string) => lines.push(line) } });
  server = await startTestServer(ENV, logger);
  for (const secret of [server.adminSecret, ENV.INVITE_SECRET, ENV.BALLOT_SECRET, ENV.TURN_SECRET, ENV.METRICS_SECRET, FORGED, NOT_A_TOKEN, RECEIPT]) secrets.add(secret);

  // The organiser: a room and invites, with the admin's bearer secret.
  const created = await createRoom(server, { open: true });
  roomId = created.roomId;
  const memberInvite = await invite(server, roomId, 'member', 'city', '王委员');
  const secondInvite = await invite(server, roomId, 'member', 'd1', '李委员');
  const publicInvite = await invite(server, roomId, 'public', 'city');
  for (const token of [created.hostInvite, memberInvite, secondInvite, publicInvite]) secrets.add(token);

  // Members join with their invites; one drops and comes back with its resume token.
  const host = await joined(created.hostInvite, '主持人');
  const member = await joined(memberInvite, '王委员');
  const second = await joined(secondInvite, '李委员');
  second.peer.close();
  await eventually(() => lines.some((l) => l.includes('connection lost')), 'the dropped connection logged');
  const back = await joined(secondInvite, '李委员', { resumeToken: second.answer.resumeToken });
  expect(back.answer.resumed).toBe(true);
  expect(credentialsIn(member.answer.media).length).toBeGreaterThan(0);

  // A hostile client: malformed payloads, a forged invite, garbage, an event without an ack.
  const hostile = await connectSocket(server.url);
  try {
    for (const payload of [null, 42, 'x', { invite: 7 }, { protocolVersion: PROTOCOL_VERSION, invite: NOT_A_TOKEN, rtpCapabilities: {} }]) {
      expect(await rawRequest(hostile, 'room:join', payload)).toMatchObject({ ok: false });
    }
    const forged = await rawRequest(hostile, 'room:join', { protocolVersion: PROTOCOL_VERSION, invite: FORGED, name: '冒名', rtpCapabilities: { codecs: [], headerExtensions: [] } });
    expect(forged).toMatchObject({ ok: false });
    expect(await rawRequest(hostile, 'poll:vote', { commandId: randomUUID(), pollId: 'poll-1', choices: [1], receipt: RECEIPT })).toMatchObject({ ok: false, error: 'NOT_JOINED' });
    // An event without an ack, as no client of ours sends it (around the types, as rawRequest does).
    (hostile as unknown as Socket).emit('room:sync', { lastSeq: 0, resumeToken: NOT_A_TOKEN });
    await eventually(() => lines.some((l) => l.includes('room:sync without ack')), 'the event without an ack logged');
  } finally {
    hostile.disconnect();
  }
  // Tokens where HTTP carries them: a path, a query string, an Authorization header.
  const base = `${server.url}/api`;
  expect((await fetch(`${base}/invites/${FORGED}?token=${NOT_A_TOKEN}`)).status).toBeGreaterThanOrEqual(400);
  expect((await fetch(`${base}/invites/${publicInvite}?token=${publicInvite}`)).status).toBe(200);
  expect((await fetch(`${base}/comments/${roomId}`, { headers: { authorization: `Bearer ${NOT_A_TOKEN}` } })).status).toBe(401);
  expect((await fetch(`${base}/rooms`, { headers: { authorization: `Bearer ${NOT_A_TOKEN}` } })).status).toBe(401);
  expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${NOT_A_TOKEN}` } })).status).toBe(401);
  expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ENV.METRICS_SECRET}` } })).status).toBe(200);

  // A secret poll, voted with a receipt.
  await host.peer.command('poll:create', { question: '选择方案', kind: 'single', options: ['方案QX-甲', '方案QX-乙', '方案QX-丙'], secret: true, allowChange: false });
  await host.peer.command('poll:open', { pollId: 'poll-1' });
  await member.peer.waitForRoom((r) => r.polls['poll-1']?.status === 'open');
  await member.peer.command('poll:vote', { pollId: 'poll-1', choices: [2], receipt: RECEIPT });
  await back.peer.waitForRoom((r) => r.polls['poll-1']?.status === 'open');
  await back.peer.command('poll:vote', { pollId: 'poll-1', choices: [1] });
  await host.peer.command('poll:close', { pollId: 'poll-1' });
  await host.peer.waitForRoom((r) => r.polls['poll-1']?.status === 'closed');

  // A public comment from a phone, which then reads the page with its browser cookie.
  const hour = 3_600_000;
  const settings = await fetch(`${base}/admin/rooms/${roomId}/comments`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.adminSecret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ opensAt: Date.now() - hour, closesAt: Date.now() + hour, background: '背景', themes: [], heldWords: [] }),
  });
  expect(settings.status).toBe(200);
  const posted = await fetch(`${base}/comments/${roomId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${publicInvite}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: '市民', place: '东城', text: '电梯费用怎么分摊' }),
  });
  expect(posted.status).toBe(201);
  const cookie = posted.headers.get('set-cookie')?.split(';')[0] ?? '';
  expect(cookie).toMatch(/^wsl_browser=[\w-]+\.[\w-]+$/);
  const [browserId, mac] = cookie.slice('wsl_browser='.length).split('.');
  for (const part of [browserId, mac]) if (part) secrets.add(part);
  const page = await fetch(`${base}/comments/${roomId}`, { headers: { authorization: `Bearer ${publicInvite}`, cookie } });
  expect(page.status).toBe(200);

  await member.peer.request('room:leave', {});
  await eventually(() => lines.some((l) => l.includes('"msg":"left"')), 'the leave logged');
}, 60_000);

afterAll(async () => {
  for (const peer of peers) peer.close();
  await server?.close();
});

describe('log lines of a meeting at LOG_LEVEL=debug', () => {
  test('every line is one JSON object with level, time and msg', () => {
    for (const line of lines) {
      expect(line.endsWith('\n'), line).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(['debug', 'info', 'warn', 'error']).toContain(parsed.level);
      expect(typeof parsed.msg).toBe('string');
      expect(new Date(String(parsed.time)).toISOString()).toBe(parsed.time);
      expect(parsed.pid).toBe(process.pid);
    }
  });

  test('lines about the room carry its roomId, and the participant\'s id where they are about one', () => {
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const aboutRoom = lines.filter((line) => line.includes(roomId));
    expect(aboutRoom.length).toBeGreaterThan(0);
    for (const line of aboutRoom) expect((JSON.parse(line) as Record<string, unknown>).roomId, line).toBe(roomId);
    expect(parsed.find((l) => l.msg === 'room created')).toMatchObject({ roomId });
    // Every participant's arrival is a line of its own, with both ids.
    for (const participantId of participants) {
      expect(parsed.some((l) => (l.msg === 'joined' || l.msg === 'came back') && l.roomId === roomId && l.participantId === participantId), participantId).toBe(true);
    }
    expect(parsed.find((l) => l.msg === 'came back')).toMatchObject({ roomId });
    expect(parsed.find((l) => l.msg === 'connection lost')).toMatchObject({ roomId });
    expect(parsed.find((l) => l.msg === 'left')).toMatchObject({ roomId, participantId: participants[1] });
    // The hostile client's refusals are there, by code only.
    expect(parsed.some((l) => l.msg === 'room:join refused' && l.code === 'UNAUTHORIZED')).toBe(true);
    expect(parsed.some((l) => l.msg === 'poll:vote refused' && l.code === 'NOT_JOINED')).toBe(true);
  });

  test('no line contains a secret, a token, a credential, a cookie or a ballot', () => {
    const text = lines.join('');
    // Every kind was there to be leaked (a TURN credential per transport, a resume token per join).
    expect(secrets.size).toBeGreaterThan(16);
    for (const secret of secrets) expect(text.includes(secret), `a line shows ${secret.slice(0, 12)}…`).toBe(false);
    // A ballot's choices are in no line; no line names the way it was cast.
    expect(text).not.toContain('"choices"');
    expect(text).not.toContain('receipt');
    // No request's headers either (the first-start hint names the header, without a value).
    expect(text).not.toMatch(/"(authorization|cookie|set-cookie|headers)":/i);
  });
});
