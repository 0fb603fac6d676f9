/**
 * Organisations and accounts through the real server's HTTP API, as the admin page and a
 * script would use them: the first administrator bootstrapped with the admin secret, a district
 * organisation and its organiser, a consultation made from the roster whose member invites get
 * into the room, the list of consultations, the invites as CSV; and the guards: the login
 * limit, missing or stale cookies, another site's requests, a disabled account. On the
 * embedded default (SQLite) and on Redis alike.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { z } from 'zod';
import type { RunningServer } from '../server/app.js';
import { createLogger } from '../server/log.js';
import { ApiErrorBody } from '../signaling/http/errors.js';
import {
  AccountSchema,
  OrganisationSchema,
  RosterMemberSchema,
  type RosterMember,
} from '../signaling/orgs/model.js';
import { ConsultationList, CreatedConsultation, Me, OrgList, ORG_ROUTES, SESSION_COOKIE, type CreateConsultationBody } from '../signaling/http/orgs.js';
import { parseAnswer } from './helpers/http.js';
import { startRedis, type TestRedis } from './helpers/redisServer.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';

const LOGINS_PER_USERNAME = 3;
const LOGINS_PER_ADDRESS = 5;

let server: RunningServer;
let lines: string[] = [];
const peers: TestPeer[] = [];
/** Each caller comes from an address of its own (TRUST_PROXY=1), so the login limits of one do not hold up another. */
let nextAddress = 1;

type Call = { cookie?: string; bearer?: string; body?: unknown; origin?: string; address?: string };
type Answer = { status: number; headers: Headers; text: string; parse<S extends z.ZodType>(schema: S): z.output<S> };

/** One request to the API (`path` from ORG_ROUTES' `path()`, already with /api). */
async function call(method: 'GET' | 'POST' | 'PATCH', path: string, request: Call = {}): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'x-forwarded-for': request.address ?? `198.51.100.${nextAddress++}`,
      ...(request.cookie === undefined ? {} : { cookie: request.cookie }),
      ...(request.bearer === undefined ? {} : { authorization: `Bearer ${request.bearer}` }),
      ...(request.origin === undefined ? {} : { origin: request.origin }),
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    parse: (schema) => parseAnswer(schema, JSON.parse(text), `${method} ${path}: HTTP ${res.status}`, text),
  };
}

/** Logs in; answers the cookie to send back. */
async function login(username: string, password: string, address?: string): Promise<{ cookie: string; me: Me }> {
  const res = await call('POST', ORG_ROUTES.login.path(), { body: { username, password }, ...(address === undefined ? {} : { address }) });
  expect(res.status, res.text).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
  return { cookie, me: res.parse(Me) };
}

const CITY_ADMIN = { username: 'city.admin', password: 'correct horse battery', displayName: '市政协办公厅' };
const ORGANISER = { username: 'district1.org', password: 'district-one-secret', displayName: '一区政协 组织员' };

let cityId: string;
let districtId: string;
let adminCookie: string;
let organiserCookie: string;
let organiserId: string;
let members: RosterMember[];
let consultation: CreatedConsultation;

describe.each(['sqlite', 'redis'] as const)('on %s', (backend) => {
  let redis: TestRedis | undefined;
  beforeAll(async () => {
    lines = [];
    redis = backend === 'redis' ? await startRedis() : undefined;
    const logger = createLogger('info', { destination: { write: (line: string) => lines.push(line) } });
    server = await startTestServer(
      {
        TRUST_PROXY: '1',
        LIMIT_FAILED_LOGINS_PER_10_MINUTES_PER_USERNAME: String(LOGINS_PER_USERNAME),
        LIMIT_FAILED_LOGINS_PER_10_MINUTES_PER_ADDRESS: String(LOGINS_PER_ADDRESS),
        ...(redis === undefined
          ? {}
          : { REDIS_URL: redis.url, ADMIN_SECRET: randomBytes(16).toString('hex'), INVITE_SECRET: randomBytes(32).toString('hex'), BALLOT_SECRET: randomBytes(32).toString('hex') }),
      },
      logger,
    );
  });
  afterAll(async () => {
    for (const peer of peers.splice(0)) peer.close();
    await server?.close();
    await redis?.destroy();
  });

  describe('organisations and accounts', () => {
    test('without a session the API answers 401, /auth/me too; a cookie that names no session is 401 as well', async () => {
      expect((await call('GET', ORG_ROUTES.me.path())).status).toBe(401);
      expect((await call('GET', ORG_ROUTES.orgs.path())).status).toBe(401);
      expect((await call('GET', ORG_ROUTES.consultations.path())).status).toBe(401);
      const forged = `${SESSION_COOKIE}=${'A'.repeat(43)}`;
      expect((await call('GET', ORG_ROUTES.me.path(), { cookie: forged })).status).toBe(401);
      const refused = await call('GET', ORG_ROUTES.consultations.path(), { cookie: forged });
      expect(refused.status).toBe(401);
      expect(refused.parse(ApiErrorBody).error).toBe('UNAUTHORIZED');
    });

    test('bootstrap takes the admin secret, makes the city and its administrator once, then answers 409', async () => {
      const body = { orgName: '市政协', ...CITY_ADMIN };
      expect((await call('POST', ORG_ROUTES.bootstrap.path(), { body })).status).toBe(401);
      expect((await call('POST', ORG_ROUTES.bootstrap.path(), { body, bearer: 'not-the-secret-at-all' })).status).toBe(401);
      const bad = await call('POST', ORG_ROUTES.bootstrap.path(), { body: { ...body, password: 'short' }, bearer: server.adminSecret });
      expect(bad.status).toBe(400);
      expect(bad.parse(ApiErrorBody).detail).toMatch(/password/);
      const made = await call('POST', ORG_ROUTES.bootstrap.path(), { body, bearer: server.adminSecret });
      expect(made.status, made.text).toBe(201);
      const me = made.parse(Me);
      expect(me.account).toMatchObject({ username: CITY_ADMIN.username, role: 'administrator', disabled: false });
      expect(made.text).not.toContain('passwordHash');
      expect(me.orgs.map((o) => o.name)).toEqual(['市政协']);
      cityId = me.account.orgId;
      const again = await call('POST', ORG_ROUTES.bootstrap.path(), { body: { ...body, username: 'someone.else' }, bearer: server.adminSecret });
      expect(again.status).toBe(409);
      expect(again.parse(ApiErrorBody).error).toBe('CONFLICT');
    });

    test('the administrator logs in with an HTTP-only, SameSite=Strict cookie for /api, and /auth/me knows them', async () => {
      const res = await call('POST', ORG_ROUTES.login.path(), { body: { username: 'City.Admin', password: CITY_ADMIN.password } });
      expect(res.status).toBe(200);
      const setCookie = res.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      expect(setCookie).toMatch(/Path=\/api(;|$)/);
      adminCookie = setCookie.split(';')[0] ?? '';
      const me = (await call('GET', ORG_ROUTES.me.path(), { cookie: adminCookie })).parse(Me);
      expect(me.account.username).toBe(CITY_ADMIN.username);
      expect(me.orgs.map((o) => o.orgId)).toEqual([cityId]);
    });

    test('the administrator makes a district below the city and its organiser; only the secret makes another root', async () => {
      const root = await call('POST', ORG_ROUTES.orgs.path(), { cookie: adminCookie, body: { name: '另一个市', parentId: null } });
      expect(root.status).toBe(403);
      const district = await call('POST', ORG_ROUTES.orgs.path(), { cookie: adminCookie, body: { name: '一区政协', parentId: cityId } });
      expect(district.status, district.text).toBe(201);
      districtId = district.parse(OrganisationSchema).orgId;
      const listed = (await call('GET', ORG_ROUTES.orgs.path(), { cookie: adminCookie })).parse(OrgList);
      expect(listed.orgs.map((o) => o.orgId)).toEqual([cityId, districtId]);

      const made = await call('POST', ORG_ROUTES.accounts.path({ orgId: districtId }), { cookie: adminCookie, body: { ...ORGANISER, role: 'organiser' } });
      expect(made.status, made.text).toBe(201);
      const account = made.parse(AccountSchema);
      expect(account).toMatchObject({ orgId: districtId, role: 'organiser', username: ORGANISER.username });
      organiserId = account.accountId;
      const taken = await call('POST', ORG_ROUTES.accounts.path({ orgId: districtId }), { cookie: adminCookie, body: { ...ORGANISER, role: 'organiser' } });
      expect(taken.status).toBe(409);
    });

    test('a request with the session from another site is refused (403); from this site it goes through', async () => {
      const body = { name: '二区政协', parentId: cityId };
      const foreign = await call('POST', ORG_ROUTES.orgs.path(), { cookie: adminCookie, body, origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
      const own = await call('POST', ORG_ROUTES.orgs.path(), { cookie: adminCookie, body, origin: server.url });
      expect(own.status, own.text).toBe(201);
    });

    test('the organiser logs in, sees only the district, and may not make accounts or organisations', async () => {
      ({ cookie: organiserCookie } = await login(ORGANISER.username, ORGANISER.password));
      const listed = (await call('GET', ORG_ROUTES.orgs.path(), { cookie: organiserCookie })).parse(OrgList);
      expect(listed.orgs.map((o) => o.orgId)).toEqual([districtId]);
      const account = { username: 'sneaky', displayName: 'x', password: 'long enough password', role: 'administrator' };
      expect((await call('POST', ORG_ROUTES.accounts.path({ orgId: districtId }), { cookie: organiserCookie, body: account })).status).toBe(403);
      expect((await call('POST', ORG_ROUTES.orgs.path(), { cookie: organiserCookie, body: { name: 'x', parentId: districtId } })).status).toBe(403);
    });
  });

  describe('a consultation from the roster', () => {
    test('the organiser makes it from roster members; each gets a named member invite for their venue', async () => {
      // Added through the roster's route, as the admin page does.
      const rows = [
        { name: '王建国', sector: '经济界', venue: 'd1', district: '一区' },
        { name: '李秀英', sector: '教育界', venue: 'city', district: '一区' },
        // A venue the consultation does not have: the organiser's default.
        { name: '赵敏', sector: '医卫界', venue: 'd9', district: '一区' },
      ];
      members = [];
      for (const row of rows) {
        const added = await call('POST', ORG_ROUTES.roster.path({ orgId: districtId }), { cookie: organiserCookie, body: row });
        expect(added.status, added.text).toBe(201);
        members.push(added.parse(RosterMemberSchema));
      }
      const body: CreateConsultationBody = {
        room: {
          topic: '老旧小区加装电梯 一区专题协商',
          startsAt: Date.UTC(2026, 11, 20, 1, 30),
          venues: [
            { id: 'city', name: '主会场', expectedMembers: 1 },
            { id: 'd1', name: '一区分会场', expectedMembers: 2 },
          ],
          settings: { open: true },
        },
        memberIds: members.map((m) => m.memberId),
        defaultVenue: 'd1',
      };
      const unknown = await call('POST', ORG_ROUTES.consultationsOfOrg.path({ orgId: districtId }), {
        cookie: organiserCookie,
        body: { ...body, memberIds: ['member-nobody'] },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.parse(ApiErrorBody).detail).toContain('member-nobody');

      const res = await call('POST', ORG_ROUTES.consultationsOfOrg.path({ orgId: districtId }), { cookie: organiserCookie, body });
      expect(res.status, res.text).toBe(201);
      consultation = res.parse(CreatedConsultation);
      const byMember = new Map(consultation.invites.map((i) => [i.memberId, i]));
      const [wang, li, zhao] = members.map((m) => byMember.get(m.memberId));
      expect(wang).toMatchObject({ role: 'member', name: '王建国', sector: '经济界', venue: 'd1' });
      expect(li).toMatchObject({ role: 'member', name: '李秀英', sector: '教育界', venue: 'city' });
      expect(zhao).toMatchObject({ role: 'member', name: '赵敏', sector: '医卫界', venue: 'd1' });
      expect(await server.directory.orgOfRoom(consultation.roomId)).toBe(districtId);
      const links = await server.directory.memberInvites(consultation.roomId);
      expect(links.map((l) => `${l.memberId}:${l.inviteId}`).sort()).toEqual(consultation.invites.map((i) => `${i.memberId}:${i.inviteId}`).sort());
    });

    test('the member invites join the room as the named members', async () => {
      for (const invite of consultation.invites.slice(0, 2)) {
        const peer = await TestPeer.connect(server.url);
        peers.push(peer);
        const joined = await peer.join(invite.token);
        const self = peer.room.participants[joined.participantId];
        expect(self).toMatchObject({ name: invite.name, role: 'member', venue: invite.venue, sector: invite.sector, status: 'admitted' });
      }
    });

    test('the list shows it as running with live counts, three invited, no minutes; search and dates filter it', async () => {
      const list = (await call('GET', ORG_ROUTES.consultations.path(), { cookie: organiserCookie })).parse(ConsultationList);
      expect(list.consultations).toHaveLength(1);
      expect(list.consultations[0]).toMatchObject({
        roomId: consultation.roomId,
        orgId: districtId,
        orgName: '一区政协',
        meetingNumber: consultation.meetingNumber,
        status: 'running',
        live: { online: 2, members: 2 },
        minutes: 'none',
        invited: 3,
      });
      const search = (q: string, from?: number, to?: number) =>
        call('GET', `${ORG_ROUTES.consultations.path()}?${new URLSearchParams({ q, ...(from === undefined ? {} : { from: String(from) }), ...(to === undefined ? {} : { to: String(to) }) })}`, {
          cookie: organiserCookie,
        }).then((r) => r.parse(ConsultationList).consultations.map((c) => c.roomId));
      expect(await search('加装电梯')).toEqual([consultation.roomId]);
      expect(await search('垃圾分类')).toEqual([]);
      expect(await search('', Date.UTC(2026, 11, 20), Date.UTC(2026, 11, 21))).toEqual([consultation.roomId]);
      expect(await search('', Date.UTC(2026, 11, 21))).toEqual([]);
      const bad = await call('GET', `${ORG_ROUTES.consultations.path()}?from=yesterday`, { cookie: organiserCookie });
      expect(bad.status).toBe(400);
      // The city's administrator sees the district's consultation too.
      const city = (await call('GET', ORG_ROUTES.consultations.path(), { cookie: adminCookie })).parse(ConsultationList);
      expect(city.consultations.map((c) => c.roomId)).toContain(consultation.roomId);
    });

    test('invites.csv lists every invite with its name, role, venue, sector and both links, with a BOM for Excel', async () => {
      const res = await fetch(`${server.url}${ORG_ROUTES.invitesCsv.path({ roomId: consultation.roomId })}`, { headers: { cookie: organiserCookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n');
      expect(rows[0]).toBe('姓名 Name,角色 Role,会场 Venue,界别 Sector,短链接 Short link,完整链接 Full link');
      // The chair's invite and the three members'.
      expect(rows).toHaveLength(5);
      const wang = consultation.invites.find((i) => i.name === '王建国');
      expect(rows).toContain(`王建国,委员,一区分会场,经济界,${wang?.shortUrl},${wang?.url}`);
      expect(rows[1]).toMatch(/^,主持人,主会场,/);
    });
  });

  describe('the login limit', () => {
    test('wrong passwords for one username from many addresses: 401 until the budget, then 429 with Retry-After, the right password too', async () => {
      for (let i = 0; i < LOGINS_PER_USERNAME; i++) {
        const wrong = await call('POST', ORG_ROUTES.login.path(), { body: { username: ORGANISER.username, password: `guess number ${i}` } });
        expect(wrong.status).toBe(401);
        expect(wrong.parse(ApiErrorBody)).toMatchObject({ error: 'UNAUTHORIZED', detail: 'wrong username or password' });
      }
      const held = await call('POST', ORG_ROUTES.login.path(), { body: { username: ORGANISER.username, password: ORGANISER.password } });
      expect(held.status).toBe(429);
      expect(held.parse(ApiErrorBody).error).toBe('RATE_LIMITED');
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(60);
      // Another username is not held up, and the organiser's session goes on working.
      expect((await call('GET', ORG_ROUTES.me.path(), { cookie: organiserCookie })).status).toBe(200);
      await login(CITY_ADMIN.username, CITY_ADMIN.password);
    });

    test('names nobody has, from one address: the same 401, then 429 for that address', async () => {
      const address = '203.0.113.77';
      for (let i = 0; i < LOGINS_PER_ADDRESS; i++) {
        const wrong = await call('POST', ORG_ROUTES.login.path(), { address, body: { username: `nobody${i}`, password: 'whatever it is' } });
        expect(wrong.status).toBe(401);
        expect(wrong.parse(ApiErrorBody).detail).toBe('wrong username or password');
      }
      const held = await call('POST', ORG_ROUTES.login.path(), { address, body: { username: CITY_ADMIN.username, password: CITY_ADMIN.password } });
      expect(held.status).toBe(429);
    });

    test('every failed login is logged with its address and username, never the password', () => {
      const failed = lines.filter((line) => line.includes('login failed')).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(failed.length).toBeGreaterThanOrEqual(LOGINS_PER_USERNAME + LOGINS_PER_ADDRESS);
      expect(failed).toContainEqual(expect.objectContaining({ address: '203.0.113.77', username: 'nobody0', reason: 'unknown username' }));
      expect(failed).toContainEqual(expect.objectContaining({ username: ORGANISER.username, reason: 'wrong password' }));
      const all = lines.join('\n');
      expect(all).not.toContain('guess number');
      expect(all).not.toContain(ORGANISER.password);
      expect(all).not.toContain(CITY_ADMIN.password);
    });
  });

  describe('ending sessions', () => {
    test('a disabled account’s session stops working at once, and its right password gets the same 401 as a wrong one', async () => {
      const clerk = { username: 'district1.clerk', displayName: '一区政协 秘书', password: 'clerk of district one', role: 'organiser' };
      const made = await call('POST', ORG_ROUTES.accounts.path({ orgId: districtId }), { cookie: adminCookie, body: clerk });
      expect(made.status, made.text).toBe(201);
      const clerkId = made.parse(AccountSchema).accountId;
      const { cookie } = await login(clerk.username, clerk.password);
      expect((await call('GET', ORG_ROUTES.consultations.path(), { cookie })).status).toBe(200);

      const disabled = await call('PATCH', ORG_ROUTES.account.path({ orgId: districtId, accountId: clerkId }), { cookie: adminCookie, body: { disabled: true } });
      expect(disabled.status, disabled.text).toBe(200);
      expect(disabled.parse(AccountSchema).disabled).toBe(true);
      expect((await call('GET', ORG_ROUTES.consultations.path(), { cookie })).status).toBe(401);
      expect((await call('GET', ORG_ROUTES.me.path(), { cookie })).status).toBe(401);
      const refused = await call('POST', ORG_ROUTES.login.path(), { body: { username: clerk.username, password: clerk.password } });
      expect(refused.status).toBe(401);
      expect(refused.parse(ApiErrorBody).detail).toBe('wrong username or password');

      // Disabling the organiser ends the session they opened before the guessing began, too.
      expect((await call('GET', ORG_ROUTES.me.path(), { cookie: organiserCookie })).status).toBe(200);
      await call('PATCH', ORG_ROUTES.account.path({ orgId: districtId, accountId: organiserId }), { cookie: adminCookie, body: { disabled: true } });
      expect((await call('GET', ORG_ROUTES.me.path(), { cookie: organiserCookie })).status).toBe(401);
    });

    test('logout ends the session; a new password ends the others', async () => {
      const { cookie } = await login(CITY_ADMIN.username, CITY_ADMIN.password);
      const out = await call('POST', ORG_ROUTES.logout.path(), { cookie });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
      expect((await call('GET', ORG_ROUTES.me.path(), { cookie })).status).toBe(401);

      const other = await login(CITY_ADMIN.username, CITY_ADMIN.password);
      const changed = await call('PATCH', ORG_ROUTES.account.path({ orgId: cityId, accountId: other.me.account.accountId }), {
        bearer: server.adminSecret,
        body: { password: 'a brand new passphrase' },
      });
      expect(changed.status, changed.text).toBe(200);
      expect((await call('GET', ORG_ROUTES.me.path(), { cookie: other.cookie })).status).toBe(401);
      expect((await call('GET', ORG_ROUTES.me.path(), { cookie: adminCookie })).status).toBe(401);
      await login(CITY_ADMIN.username, 'a brand new passphrase');
    });
  });
});
