import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CreatedRoom, IssuedInvites } from '../../signaling/http/admin.js';
import { ApiErrorBody } from '../../signaling/http/errors.js';
import { InviteInfo } from '../../signaling/http/invites.js';
import { emptyRoom, ROLES, type RoomInfo, type RoomState } from '../../signaling/room/state.js';
import { SqliteInviteRegistry } from '../invites/SqliteInviteRegistry.js';
import { InviteTokens } from '../identity/InviteTokens.js';
import { DEFAULT_LIMITS, Limits } from '../limits/Limits.js';
import { createLogger } from '../log.js';
import { createAdminRouter, type RoomDirectory } from './adminRoutes.js';
import { listenOnLoopback } from './testing.js';

const ADMIN = 'test-admin-secret-0123456789';
const PUBLIC_URL = 'https://ws.example.org';

/**
 * A test double for the app's room service (RoomService over an event log): the router sees
 * only the RoomDirectory interface, and these tests need no log. `end` and `publishMinutes`
 * stand for the host's `room:end` and `minutes:publish`.
 */
class InMemoryRooms implements RoomDirectory {
  readonly #rooms = new Map<string, RoomState>();
  async create(input: Parameters<RoomDirectory['create']>[0]): Promise<{ roomId: string }> {
    // Lets a test see how an unexpected failure of the room service is answered.
    if (input.topic === 'store on fire') throw new Error('disk /dev/sda1 failed');
    const roomId = `r${randomUUID().slice(0, 8)}`;
    const info: RoomInfo = { topic: input.topic, startsAt: input.startsAt, endsAt: input.endsAt, venues: input.venues };
    this.#rooms.set(roomId, { ...emptyRoom(roomId), info });
    return { roomId };
  }
  async state(roomId: string): Promise<RoomState | undefined> {
    return this.#rooms.get(roomId);
  }
  end(roomId: string): void {
    this.#update(roomId, (s) => ({ ...s, ended: true }));
  }
  publishMinutes(roomId: string): void {
    this.#update(roomId, (s) => ({ ...s, minutes: { ...s.minutes, published: true } }));
  }
  #update(roomId: string, change: (s: RoomState) => RoomState): void {
    const state = this.#rooms.get(roomId);
    if (state === undefined) throw new Error(`no room ${roomId}`);
    this.#rooms.set(roomId, change(state));
  }
}

let dataDir: string;
let server: Server;
let base: string;
let invites: InviteTokens;
const rooms = new InMemoryRooms();
const logged: unknown[][] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'wsl-admin-'));
  invites = await InviteTokens.load({ dataDir });
  const app = express();
  app.use(
    '/api',
    createAdminRouter({
      adminSecret: ADMIN,
      invites,
      registry: SqliteInviteRegistry.open(':memory:'),
      limits: new Limits(DEFAULT_LIMITS),
      trustProxy: 0,
      publicUrl: () => `${PUBLIC_URL}/`,
      rooms,
      logger: { ...createLogger('silent'), error: (...args: unknown[]) => logged.push(args) },
    }),
  );
  ({ server, url: base } = await listenOnLoopback(app, '/api'));
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  await rm(dataDir, { recursive: true, force: true });
});

const adminHeaders = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` };
const room = {
  topic: '老旧小区加装电梯协商会',
  venues: [
    { id: 'district-1', name: '东城分会场', expectedMembers: 12 },
    { id: 'city', name: '主会场', expectedMembers: 30 },
  ],
};

async function post(url: string, body: unknown, headers: Record<string, string> = adminHeaders): Promise<Response> {
  return fetch(`${base}${url}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function createRoom(): Promise<CreatedRoom> {
  const res = await post('/rooms', room);
  expect(res.status).toBe(201);
  return CreatedRoom.parse(await res.json());
}

describe('admin API', () => {
  test('POST /api/rooms answers 401 without or with a wrong admin secret', async () => {
    const none = await post('/rooms', room, { 'content-type': 'application/json' });
    expect(none.status).toBe(401);
    expect(ApiErrorBody.parse(await none.json()).error).toBe('UNAUTHORIZED');
    const wrong = await post('/rooms', room, { 'content-type': 'application/json', authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(ApiErrorBody.parse(await wrong.json())).toEqual({ error: 'UNAUTHORIZED', detail: 'wrong admin secret' });
    const almost = await post('/rooms', room, { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}x` });
    expect(almost.status).toBe(401);
  });

  test('POST /api/rooms creates a room whose host invite verifies for the city venue', async () => {
    const { roomId, hostInvite } = await createRoom();
    const claims = await invites.verify(hostInvite.token, roomId);
    expect(claims).toMatchObject({ room: roomId, role: 'host', venue: 'city', sector: '' });
    expect(hostInvite.url).toBe(`${PUBLIC_URL}/join?invite=${hostInvite.token}`);
  });

  test('GET /api/rooms/:roomId shows the room publicly, 404 for an unknown one', async () => {
    const { roomId } = await createRoom();
    const res = await fetch(`${base}/rooms/${roomId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ roomId, topic: room.topic, startsAt: null, endsAt: null, venues: room.venues });
    const missing = await fetch(`${base}/rooms/nope`);
    expect(missing.status).toBe(404);
    expect(ApiErrorBody.parse(await missing.json()).error).toBe('NOT_FOUND');
  });

  test('POST /api/rooms/:roomId/invites issues verifiable invites for every role', async () => {
    const { roomId } = await createRoom();
    for (const role of ROLES) {
      const res = await post(`/rooms/${roomId}/invites`, { role, venue: 'district-1', sector: '教育界', count: 2 });
      expect(res.status).toBe(201);
      const { invites: issued } = IssuedInvites.parse(await res.json());
      expect(issued).toHaveLength(2);
      for (const invite of issued) {
        // A venue terminal's invite is named after its hall; the others leave the name to the person.
        expect(invite).toMatchObject({ role, venue: 'district-1', name: role === 'venue' ? '东城分会场' : null });
        expect(invite.url).toBe(`${PUBLIC_URL}/join?invite=${invite.token}`);
        expect(await invites.verify(invite.token, roomId)).toMatchObject({ role, venue: 'district-1', sector: '教育界' });
      }
      expect(issued[0]?.token).not.toBe(issued[1]?.token);
    }
  });

  test('a named invite carries the name, expiresInHours sets the expiry', async () => {
    const { roomId } = await createRoom();
    const before = Date.now();
    const res = await post(`/rooms/${roomId}/invites`, { role: 'member', venue: 'city', name: ' 李华 ', expiresInHours: 2 });
    const [invite] = IssuedInvites.parse(await res.json()).invites;
    expect(invite?.name).toBe('李华');
    expect(invite?.expiresAt).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
    expect(invite?.expiresAt).toBeLessThan(before + 3 * 3_600_000);
  });

  test('invites need the admin secret, a venue of the room and an existing room', async () => {
    const { roomId } = await createRoom();
    const anonymous = await post(`/rooms/${roomId}/invites`, { role: 'member', venue: 'city' }, { 'content-type': 'application/json' });
    expect(anonymous.status).toBe(401);
    const badVenue = await post(`/rooms/${roomId}/invites`, { role: 'member', venue: 'district-9' });
    expect(badVenue.status).toBe(400);
    expect(ApiErrorBody.parse(await badVenue.json())).toMatchObject({ error: 'BAD_REQUEST', detail: expect.stringContaining('district-9') });
    const noRoom = await post('/rooms/nope/invites', { role: 'member', venue: 'city' });
    expect(noRoom.status).toBe(404);
  });

  test('malformed JSON and wrong types answer 400 with a detail, and the server keeps answering', async () => {
    const malformed = await post('/rooms', '{"topic": ');
    expect(malformed.status).toBe(400);
    expect(ApiErrorBody.parse(await malformed.json())).toEqual({ error: 'BAD_REQUEST', detail: 'the body is not valid JSON' });

    const wrongTypes = await post('/rooms', { topic: 42, venues: 'city' });
    expect(wrongTypes.status).toBe(400);
    const body = ApiErrorBody.parse(await wrongTypes.json());
    expect(body.error).toBe('BAD_REQUEST');
    expect(body.detail).toMatch(/topic/);
    expect(body.detail).toMatch(/venues/);

    const { roomId } = await createRoom();
    const badInvite = await post(`/rooms/${roomId}/invites`, { role: 'emperor', venue: 'city', expiresInHours: 10_000 });
    expect(badInvite.status).toBe(400);
    expect(ApiErrorBody.parse(await badInvite.json()).detail).toMatch(/role[\s\S]*expiresInHours|expiresInHours[\s\S]*role/);

    const namedMany = await post(`/rooms/${roomId}/invites`, { role: 'member', venue: 'city', name: '张三', count: 3 });
    expect(namedMany.status).toBe(400);

    const noBody = await fetch(`${base}/rooms`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(noBody.status).toBe(400);

    expect((await fetch(`${base}/rooms/${roomId}`)).status).toBe(200);
  });

  test('an unexpected failure answers 500 INTERNAL without its message and is logged', async () => {
    const res = await post('/rooms', { ...room, topic: 'store on fire' });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: 'INTERNAL' });
    expect(text).not.toContain('sda1');
    expect(logged.at(-1)?.[1]).toMatchObject({ method: 'POST', route: expect.stringMatching(/\/rooms$/) });
    expect(String(logged.at(-1)?.at(-1))).toContain('sda1');
  });

  test('GET /api/invites/:token shows the claims and the room', async () => {
    const { roomId } = await createRoom();
    const res = await post(`/rooms/${roomId}/invites`, { role: 'venue', venue: 'district-1', name: '东城分会场终端' });
    const [invite] = IssuedInvites.parse(await res.json()).invites;
    const info = await fetch(`${base}/invites/${invite?.token ?? ''}`);
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({
      invite: { room: roomId, role: 'venue', name: '东城分会场终端', venue: 'district-1', sector: '', inviteId: expect.any(String) },
      room: { roomId, topic: room.topic, startsAt: null, endsAt: null, venues: room.venues, ended: false, minutesPublished: false },
    });
  });

  test('GET /api/invites/:token tells an ended meeting and published minutes', async () => {
    const { roomId, hostInvite } = await createRoom();
    const res = await post(`/rooms/${roomId}/invites`, { role: 'public', venue: 'city' });
    const [publicInvite] = IssuedInvites.parse(await res.json()).invites;
    const roomOf = async (token: string) => InviteInfo.parse(await (await fetch(`${base}/invites/${token}`)).json()).room;

    rooms.end(roomId);
    expect(await roomOf(hostInvite.token)).toMatchObject({ ended: true, minutesPublished: false });
    expect(await roomOf(publicInvite?.token ?? '')).toMatchObject({ ended: true, minutesPublished: false });
    rooms.publishMinutes(roomId);
    expect(await roomOf(publicInvite?.token ?? '')).toMatchObject({ ended: true, minutesPublished: true });
  });

  test('a forged token answers 401 on info and QR codes', async () => {
    const { hostInvite } = await createRoom();
    const [header, payload] = hostInvite.token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    for (const suffix of ['', '/qr.svg', '/qr.png']) {
      const res = await fetch(`${base}/invites/${forged}${suffix}`);
      expect(res.status).toBe(401);
      expect(ApiErrorBody.parse(await res.json()).error).toBe('UNAUTHORIZED');
    }
    expect((await fetch(`${base}/invites/garbage`)).status).toBe(401);
  });

  test('QR codes of an invite come as SVG and PNG', async () => {
    const { hostInvite } = await createRoom();
    const svg = await fetch(`${base}/invites/${hostInvite.token}/qr.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect((await svg.text()).trimStart()).toMatch(/^(<svg|<\?xml)/);

    const png = await fetch(`${base}/invites/${hostInvite.token}/qr.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});
