/**
 * The duty records' routes over HTTP with the real OrgAuth, a real SQLite directory, room logs
 * and invite registry: who may read them (written out here: the admin secret everywhere, a
 * city administrator in the city and its districts, a district organiser in their own district
 * only, nobody without credentials), bad periods refused with 400, and the JSON, CSV and XLSX
 * answers holding the figures worked out by hand from the meeting below.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiErrorBody } from '../../signaling/http/errors.js';
import { DutyRecords, ORG_ROUTES } from '../../signaling/http/orgs.js';
import type { OrgRole } from '../../signaling/orgs/model.js';
import { createdRoom } from '../../signaling/room/testing.js';
import { readFirstSheet } from '../export/xlsxRead.js';
import { SqliteInviteRegistry } from '../invites/SqliteInviteRegistry.js';
import { createLogger } from '../log.js';
import { SqliteOrgDirectory } from '../orgs/SqliteOrgDirectory.js';
import { SqliteEventStore } from '../store/SqliteEventStore.js';
import { createDutyRouter } from './dutyRoutes.js';
import { createOrgAuth, hashSessionToken } from './orgAuth.js';
import { listenOnLoopback } from './testing.js';

const SECRET = 'duty-routes-admin-secret-0123456789';
const CITY = 'org-city-0001';
const DISTRICT = 'org-district-1';
const OTHER_DISTRICT = 'org-district-2';
const ROOM = 'room-duties-1';
const MIN = 60_000;
const PLANNED = Date.UTC(2026, 4, 20, 1); // 2026-05-20 09:00 in China

let dir: string;
let server: Server;
let base: string;
const closers: Array<() => Promise<void>> = [];
const cookies: Record<'cityAdmin' | 'districtOrganiser' | 'otherOrganiser', string> = { cityAdmin: '', districtOrganiser: '', otherOrganiser: '' };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wsl-duty-routes-'));
  const directory = SqliteOrgDirectory.open(path.join(dir, 'orgs.sqlite'));
  const store = SqliteEventStore.open(path.join(dir, 'rooms.sqlite'));
  const registry = SqliteInviteRegistry.open(path.join(dir, 'invites.sqlite'));
  closers.push(() => directory.close(), () => store.close(), () => registry.close());

  const account = (accountId: string, orgId: string, role: OrgRole) => ({
    accountId,
    username: accountId,
    displayName: accountId,
    orgId,
    role,
    createdAt: 0,
    disabled: false,
    passwordHash: 'not-used-here',
  });
  expect(await directory.bootstrap({ orgId: CITY, name: '市政协', parentId: null, createdAt: 0 }, account('city-admin', CITY, 'administrator'))).toBe(true);
  await directory.addOrg({ orgId: DISTRICT, name: '一区政协', parentId: CITY, createdAt: 1 });
  await directory.addOrg({ orgId: OTHER_DISTRICT, name: '二区政协', parentId: CITY, createdAt: 2 });
  expect(await directory.addAccount(account('district-org', DISTRICT, 'organiser'))).toBe(true);
  expect(await directory.addAccount(account('other-org', OTHER_DISTRICT, 'organiser'))).toBe(true);
  const session = async (accountId: string): Promise<string> => {
    const token = randomBytes(32).toString('base64url');
    await directory.addSession({ tokenHash: hashSessionToken(token), accountId, createdAt: Date.now(), expiresAt: Date.now() + 3_600_000 });
    return `wsl_session=${token}`;
  };
  cookies.cityAdmin = await session('city-admin');
  cookies.districtOrganiser = await session('district-org');
  cookies.otherOrganiser = await session('other-org');

  const member = (memberId: string, name: string, sector: string) => ({ memberId, orgId: DISTRICT, name, sector, venue: 'city', district: '一区', phone: '', email: '', note: '', updatedAt: 0 });
  await directory.putMembers(DISTRICT, [member('member-01', '王芳', '经济界'), member('member-02', '李明', '教育界'), member('member-03', '张伟', '经济界')]);

  // The meeting: m1 (王芳) attends 0:00–0:40 and speaks 0:05–0:08; m2 (李明) attends
  // 0:10–0:40 and votes in the named poll; 张伟 is invited and does not come.
  const room = createdRoom({ open: true });
  room.arrive('host', 'host');
  room.arrive('m1', 'member', 'city', '经济界');
  room.advance(5 * MIN);
  room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' }, seconds: 600 }, 'host');
  room.advance(3 * MIN);
  room.ok({ type: 'floor:yield' }, 'm1');
  room.advance(2 * MIN);
  room.arrive('m2', 'member', 'city', '教育界');
  room.ok({ type: 'poll:create', question: '是否同意？', kind: 'yesno', options: [], secret: false, allowChange: true, quorumPercent: null, threshold: 'none', durationSeconds: null }, 'host');
  room.ok({ type: 'poll:open', pollId: 'poll-1' }, 'host');
  room.ok({ type: 'poll:vote', pollId: 'poll-1', choices: [0] }, 'm2');
  room.advance(30 * MIN);
  room.ok({ type: 'room:end' }, 'host');
  expect((await store.append(ROOM, 0, room.log)).ok).toBe(true);
  expect(await registry.addRoom({ roomId: ROOM, meetingNumber: '123456789', topic: '加装电梯', startsAt: PLANNED, registeredAt: PLANNED - 86_400_000 })).toBe(true);
  await directory.assignRoom(ROOM, DISTRICT);
  await directory.linkInvites([
    { roomId: ROOM, inviteId: 'inv-m1', memberId: 'member-01' },
    { roomId: ROOM, inviteId: 'inv-m2', memberId: 'member-02' },
    { roomId: ROOM, inviteId: 'inv-m3', memberId: 'member-03' },
  ]);

  const auth = createOrgAuth({ directory, adminSecret: SECRET });
  const app = express();
  app.use('/api', createDutyRouter({ directory, store, registry, auth, logger: createLogger('silent') }));
  ({ server, url: base } = await listenOnLoopback(app));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
});

afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await rm(dir, { recursive: true, force: true });
});

type Who = keyof typeof cookies | 'secret' | 'nobody';
const ROUTES = [ORG_ROUTES.duties, ORG_ROUTES.dutiesCsv, ORG_ROUTES.dutiesXlsx] as const;

function get(url: string, who: Who): Promise<Response> {
  const headers: Record<string, string> =
    who === 'secret' ? { authorization: `Bearer ${SECRET}` } : who === 'nobody' ? {} : { cookie: cookies[who] };
  return fetch(`${base}${url}`, { headers });
}

describe('who may read duty records', () => {
  // Written out, not read from access.ts: [who, organisation, status].
  const cases: Array<[Who, string, number]> = [
    ['nobody', DISTRICT, 401],
    ['secret', DISTRICT, 200],
    ['secret', CITY, 200],
    ['cityAdmin', DISTRICT, 200],
    ['cityAdmin', CITY, 200],
    ['districtOrganiser', DISTRICT, 200],
    ['districtOrganiser', CITY, 403],
    ['districtOrganiser', OTHER_DISTRICT, 403],
    ['otherOrganiser', DISTRICT, 403],
    ['secret', 'org-unknown-9', 404],
  ];
  for (const route of ROUTES) {
    test.each(cases)(`${route.pattern}: %s in %s → %i`, async (who, orgId, status) => {
      const res = await get(route.path({ orgId }), who);
      expect(res.status).toBe(status);
      if (status !== 200) expect(ApiErrorBody.parse(await res.json()).error).toBe({ 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }[status]);
    });
  }
});

describe('the period', () => {
  test.each([['from=abc'], ['to=-5'], ['from=10&to=5'], ['from=1.5']])('?%s is a 400 with a message', async (query) => {
    for (const route of ROUTES) {
      const res = await get(`${route.path({ orgId: DISTRICT })}?${query}`, 'districtOrganiser');
      expect(res.status).toBe(400);
      const body = ApiErrorBody.parse(await res.json());
      expect(body.error).toBe('BAD_REQUEST');
      expect(body.detail).toBeTruthy();
    }
  });

  test('a period without the meeting has no consultations, every member listed with zeros', async () => {
    const res = await get(`${ORG_ROUTES.duties.path({ orgId: DISTRICT })}?to=${PLANNED - 1}`, 'districtOrganiser');
    const body = DutyRecords.parse(await res.json());
    expect(body).toMatchObject({ from: null, to: PLANNED - 1, consultations: 0 });
    expect(body.members.map((m) => [m.name, m.invited])).toEqual([
      ['李明', 0],
      ['王芳', 0],
      ['张伟', 0],
    ]);
  });
});

describe('the records', () => {
  test('JSON: per member and per sector, as worked out by hand', async () => {
    const res = await get(`${ORG_ROUTES.duties.path({ orgId: DISTRICT })}?from=${PLANNED}&to=${PLANNED}`, 'districtOrganiser');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = DutyRecords.parse(await res.json());
    expect(body.consultations).toBe(1);
    const by = (name: string) => body.members.find((m) => m.name === name);
    expect(by('王芳')).toMatchObject({ invited: 1, attended: 1, attendedMs: 40 * MIN, speeches: 1, speakingMs: 3 * MIN, namedVotes: 0, secretVotes: 0 });
    expect(by('李明')).toMatchObject({ invited: 1, attended: 1, attendedMs: 30 * MIN, speeches: 0, namedVotes: 1 });
    expect(by('张伟')).toMatchObject({ invited: 1, attended: 0, attendedMs: 0 });
    expect(body.sectors).toEqual([
      expect.objectContaining({ sector: '教育界', members: 1, invited: 1, attended: 1, attendedMs: 30 * MIN, namedVotes: 1 }),
      expect.objectContaining({ sector: '经济界', members: 2, invited: 2, attended: 1, attendedMs: 40 * MIN, speeches: 1, speakingMs: 3 * MIN }),
    ]);
  });

  test('CSV: the same figures, named for the organisation and period (RFC 5987)', async () => {
    const res = await get(`${ORG_ROUTES.dutiesCsv.path({ orgId: DISTRICT })}?from=${PLANNED}`, 'districtOrganiser');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('履职记录-一区政协-2026年5月20日起.csv')}`);
    expect(disposition).toContain('filename="duties-org-district-1-from-2026-05-20.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
    expect(lines.slice(1, 4)).toEqual(['李明,教育界,一区,1,1,30,0,0,1,0,0,0', '王芳,经济界,一区,1,1,40,1,3,0,0,0,0', '张伟,经济界,一区,1,0,0,0,0,0,0,0,0']);
  });

  test('XLSX: the members’ sheet holds the same figures', async () => {
    const res = await get(ORG_ROUTES.dutiesXlsx.path({ orgId: DISTRICT }), 'cityAdmin');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('履职记录-一区政协-全部.xlsx'));
    const rows = readFirstSheet(Buffer.from(await res.arrayBuffer()));
    expect(rows[2]).toEqual(['王芳', '经济界', '一区', '1', '1', '40', '1', '3', '0', '0', '0', '0']);
  });
});
