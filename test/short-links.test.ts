/**
 * Short links, meeting numbers, the organiser's list of issued invites and revocation, through
 * the HTTP API and a raw Socket.IO client, as a script that ignores the pages would use them.
 */
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { z } from 'zod';
import type { RunningServer } from '../server/app.js';
import { CreatedRoom, IssuedInvites, RevokedInvite, RoomInvites, RoomList, type IssuedInvite } from '../signaling/http/admin.js';
import { ApiErrorBody } from '../signaling/http/errors.js';
import { InviteInfo } from '../signaling/http/invites.js';
import { Meeting } from '../signaling/http/links.js';
import { MEETING_NUMBER, SHORT_CODE } from '../signaling/shortLinks.js';
import { parseAnswer } from './helpers/http.js';
import { startTestServer } from './helpers/server.js';
import { RequestError, TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;
const peers: TestPeer[] = [];
/** Each test comes from an address of its own (TRUST_PROXY=1), so their limits do not mix. */
let nextAddress = 1;

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: '1', LIMIT_FAILED_LOOKUPS_PER_10_MINUTES_PER_ADDRESS: '5' });
});
afterAll(async () => {
  for (const p of peers) p.close();
  await server?.close();
});

function client(secret = server.adminSecret) {
  const address = `198.51.100.${nextAddress++}`;
  const call = async (method: string, path: string, body?: unknown, auth = true) => {
    const res = await fetch(`${server.url}/api${path}`, {
      method,
      headers: {
        'x-forwarded-for': address,
        ...(auth ? { authorization: `Bearer ${secret}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const json: unknown = text === '' ? null : JSON.parse(text);
    /** The answer parsed with its schema from the contract; fails the test with the body if it does not match. */
    const parse = <S extends z.ZodType>(schema: S): z.output<S> => parseAnswer(schema, json, `${method} ${path}: HTTP ${res.status}`, text);
    return { status: res.status, body: json, parse };
  };
  return { call, address };
}

async function createRoom(): Promise<CreatedRoom> {
  const { call } = client();
  const created = await call('POST', '/rooms', {
    topic: '老旧小区加装电梯协商',
    startsAt: Date.UTC(2026, 11, 10, 1, 30),
    venues: [{ id: 'city', name: '主会场', expectedMembers: 2 }, { id: 'd1', name: '一区分会场', expectedMembers: 1 }],
  });
  expect(created.status).toBe(201);
  return created.parse(CreatedRoom);
}

async function issue(roomId: string, role: string, name?: string): Promise<IssuedInvite> {
  const issued = await client().call('POST', `/rooms/${roomId}/invites`, { role, venue: 'city', ...(name ? { name } : {}) });
  expect(issued.status).toBe(201);
  const [invite] = issued.parse(IssuedInvites).invites;
  if (invite === undefined) throw new Error('no invite issued');
  return invite;
}

async function joinAs(token: string, name?: string): Promise<unknown> {
  const peer = await TestPeer.connect(server.url);
  peers.push(peer);
  return peer.join(token, name);
}

describe('the admin secret', () => {
  test('GET /api/admin/session answers 204 for the secret and 401 UNAUTHORIZED for a wrong one', async () => {
    expect((await client().call('GET', '/admin/session')).status).toBe(204);
    const wrong = await client('not-the-admin-secret').call('GET', '/admin/session');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'UNAUTHORIZED', detail: 'wrong admin secret' });
    const none = await client().call('GET', '/admin/session', undefined, false);
    expect(none.status).toBe(401);
    // Listing rooms or a room's invites is the organiser's too.
    expect((await client('not-the-admin-secret').call('GET', '/rooms')).status).toBe(401);
  });
});

describe('short links', () => {
  test('creating a room answers a meeting number and a host invite with a short link, and the room is listed', async () => {
    const { roomId, meetingNumber, hostInvite } = await createRoom();
    expect(meetingNumber).toMatch(MEETING_NUMBER);
    expect(hostInvite.code).toMatch(SHORT_CODE);
    expect(hostInvite.shortUrl).toBe(`${server.url}/j/${hostInvite.code}`);
    const rooms = await client().call('GET', '/rooms');
    expect(rooms.parse(RoomList).rooms).toContainEqual(expect.objectContaining({ roomId, meetingNumber, topic: '老旧小区加装电梯协商' }));
  });

  test('a short link leads to its signed invite, and QR codes carry the short link: far less dense', async () => {
    const { hostInvite } = await createRoom();
    const found = await client().call('GET', `/links/${hostInvite.code}`, undefined, false);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ token: hostInvite.token, url: hostInvite.url });

    const svg = await (await fetch(`${server.url}/api/invites/${encodeURIComponent(hostInvite.token)}/qr.svg`)).text();
    const qrOf = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' });
    const shortQr = qrOf(hostInvite.shortUrl);
    const longQr = qrOf(hostInvite.url);
    // The served SVG is the short link's code: same module count (4·version + 17, plus 2×2 margin).
    const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
    expect(Number(viewBox?.[1])).toBe(shortQr.modules.size + 4);
    console.log(
      `QR code: long link ${hostInvite.url.length} characters, version ${longQr.version} (${longQr.modules.size}×${longQr.modules.size}); ` +
        `short link ${hostInvite.shortUrl.length} characters, version ${shortQr.version} (${shortQr.modules.size}×${shortQr.modules.size})`,
    );
    expect(hostInvite.shortUrl.length).toBeLessThan(50);
    expect(shortQr.version).toBeLessThanOrEqual(4);
    expect(longQr.version - shortQr.version).toBeGreaterThanOrEqual(6);
  });

  test('malformed codes answer 400, unknown ones 404 NOT_FOUND', async () => {
    const { call } = client();
    expect(await call('GET', '/links/abc', undefined, false)).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST' } });
    // 0, O, I and l are not in the alphabet: a code with them is malformed, not unknown.
    expect((await call('GET', '/links/0OIl0OIl', undefined, false)).status).toBe(400);
    expect(await call('GET', '/links/zzzzzzzz', undefined, false)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
  });

  test('trying codes that do not exist blocks the address: even a good code is then refused with RATE_LIMITED', async () => {
    const { hostInvite } = await createRoom();
    const { call } = client();
    for (let i = 0; i < 5; i++) expect((await call('GET', `/links/zzzzzzz${i + 1}`, undefined, false)).status).toBe(404);
    const limited = await call('GET', `/links/${hostInvite.code}`, undefined, false);
    expect(limited.status).toBe(429);
    expect(limited.parse(ApiErrorBody).error).toBe('RATE_LIMITED');
    expect(limited.parse(ApiErrorBody).retryAfterMs).toBeGreaterThan(60_000);
    // Meeting numbers count against the same budget.
    expect((await call('GET', '/meetings/123456789', undefined, false)).status).toBe(429);
    // Another address is not affected.
    expect((await client().call('GET', `/links/${hostInvite.code}`, undefined, false)).status).toBe(200);
  });
});

describe('issued invites and revocation', () => {
  test('a room lists every invite issued for it, newest first, after the fact', async () => {
    const { roomId, meetingNumber, hostInvite } = await createRoom();
    const member = await issue(roomId, 'member', '王委员');
    const audience = await issue(roomId, 'public');
    const listed = await client().call('GET', `/rooms/${roomId}/invites`);
    expect(listed.status).toBe(200);
    const { meetingNumber: listedNumber, invites } = listed.parse(RoomInvites);
    expect(listedNumber).toBe(meetingNumber);
    expect(invites.map((i) => [i.role, i.name, i.code])).toEqual([
      ['public', null, audience.code],
      ['member', '王委员', member.code],
      ['host', null, hostInvite.code],
    ]);
    expect(invites[2]?.token).toBe(hostInvite.token);
  });

  test('a revoked invite: its short link answers 410 INVITE_REVOKED, and a join with it is refused with INVITE_REVOKED', async () => {
    const { roomId } = await createRoom();
    const member = await issue(roomId, 'member', '李委员');
    const other = await issue(roomId, 'member', '赵委员');
    const revoked = await client().call('POST', `/rooms/${roomId}/invites/${member.inviteId}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.parse(RevokedInvite).invite.revokedAt).toEqual(expect.any(Number));

    expect(await client().call('GET', `/links/${member.code}`, undefined, false)).toMatchObject({ status: 410, body: { error: 'INVITE_REVOKED' } });
    // The long link too: its join page and the join itself.
    expect((await client().call('GET', `/invites/${encodeURIComponent(member.token)}`, undefined, false)).parse(ApiErrorBody).error).toBe('INVITE_REVOKED');
    await expect(joinAs(member.token)).rejects.toSatisfy((e: unknown) => e instanceof RequestError && e.code === 'INVITE_REVOKED');
    // Nobody else is affected.
    await expect(joinAs(other.token)).resolves.toBeDefined();
    // The list says so.
    const listed = await client().call('GET', `/rooms/${roomId}/invites`);
    const revokedAt = revoked.parse(RevokedInvite).invite.revokedAt;
    expect(listed.parse(RoomInvites).invites.find((i) => i.inviteId === member.inviteId)?.revokedAt).toEqual(revokedAt);
  });

  test('revoking an invite of another room, or one that does not exist, answers 404; a malformed id 400', async () => {
    const a = await createRoom();
    const b = await createRoom();
    expect((await client().call('POST', `/rooms/${b.roomId}/invites/${a.hostInvite.inviteId}/revoke`)).status).toBe(404);
    expect((await client().call('POST', `/rooms/${a.roomId}/invites/no-such-invite/revoke`)).status).toBe(404);
    expect((await client().call('POST', `/rooms/${a.roomId}/invites/x/revoke`)).status).toBe(400);
    expect((await client().call('GET', `/links/${a.hostInvite.code}`, undefined, false)).status).toBe(200);
  });
});

describe('meeting numbers', () => {
  test('a meeting number, typed with spaces, leads to the public link only; without one it says so', async () => {
    const { roomId, meetingNumber } = await createRoom();
    await issue(roomId, 'member', '钱委员');
    const typed = meetingNumber.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');

    const before = await client().call('GET', `/meetings/${encodeURIComponent(typed)}`, undefined, false);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ meetingNumber, topic: '老旧小区加装电梯协商', ended: false, publicInvite: null });

    const audience = await issue(roomId, 'public');
    const after = await client().call('GET', `/meetings/${meetingNumber}`, undefined, false);
    const { publicInvite } = after.parse(Meeting);
    expect(publicInvite?.token).toBe(audience.token);
    const info = await client().call('GET', `/invites/${encodeURIComponent(publicInvite?.token ?? '')}`, undefined, false);
    expect(info.parse(InviteInfo).invite.role).toBe('public');

    await client().call('POST', `/rooms/${roomId}/invites/${audience.inviteId}/revoke`);
    expect((await client().call('GET', `/meetings/${meetingNumber}`, undefined, false)).parse(Meeting).publicInvite).toBeNull();
  });

  test('bad meeting numbers answer 400, unknown ones 404', async () => {
    const { call } = client();
    expect(await call('GET', '/meetings/12ab56789', undefined, false)).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST' } });
    expect((await call('GET', '/meetings/012345678', undefined, false)).status).toBe(400);
    expect(await call('GET', '/meetings/100000001', undefined, false)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
  });
});
