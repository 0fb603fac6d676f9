/**
 * Who reaches which district's consultations, accounts, rosters and records, route by route, through
 * the real server: a district's organiser and its administrator are refused every route with
 * the other district's ids (and nothing of it changes), the city's administrator reaches them.
 *
 * SPEC below is the specification, written here from the issue ("a city administrator can see
 * every district's consultations; a district organiser sees only their own") and not read from
 * the server's tables: a change in the code that lets a district through fails this test.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { ADMIN_ROUTES, CreatedRoom, RoomInvites } from '../signaling/http/admin.js';
import { COMMENT_ROUTES } from '../signaling/comments/api.js';
import { AccountList, CreatedConsultation, Me, ORG_ROUTES, SESSION_COOKIE } from '../signaling/http/orgs.js';
import { AccountSchema, OrganisationSchema, type RosterMember } from '../signaling/orgs/model.js';
import { parseAnswer } from './helpers/http.js';
import { startTestServer } from './helpers/server.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** The other district's ids every row is tried with, and the callers' own. */
type Ids = { cityId: string; ownId: string; otherId: string; otherRoom: string; otherInvite: string; otherAccount: string; otherMember: string };
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Who = 'districtOrganiser' | 'districtAdministrator' | 'cityAdministrator';

type Row = {
  route: string;
  method: Method;
  path: (ids: Ids) => string;
  body?: (ids: Ids, n: number) => unknown;
  /** A file sent as it is (a roster import), instead of a JSON body. */
  file?: { type: string; text: string };
  /** The status each caller gets with the other district's ids. */
  expect: Record<Who, number>;
  /** A list: it answers, and shows the other district's `shows` to the city only. */
  shows?: keyof Ids;
};

const room = {
  topic: '跨区访问测试',
  venues: [
    { id: 'city', name: '主会场', expectedMembers: 1 },
    { id: 'd2', name: '二区分会场', expectedMembers: 1 },
  ],
};
const settings = { opensAt: null, closesAt: null, background: '改过了', themes: [], heldWords: [] };

/** The specification: every organisations' route and every scoped admin route, with the other district's ids. */
const SPEC: Row[] = [
  // Only the admin secret bootstraps (and an organisation exists already).
  { route: 'bootstrap', method: 'POST', path: () => ORG_ROUTES.bootstrap.path(), body: (_, n) => ({ orgName: 'x', username: `boot${n}`, displayName: 'x', password: 'long enough password' }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 403 } },
  { route: 'me', method: 'GET', path: () => ORG_ROUTES.me.path(), expect: { districtOrganiser: 200, districtAdministrator: 200, cityAdministrator: 200 }, shows: 'otherId' },
  { route: 'orgs (list)', method: 'GET', path: () => ORG_ROUTES.orgs.path(), expect: { districtOrganiser: 200, districtAdministrator: 200, cityAdministrator: 200 }, shows: 'otherId' },
  { route: 'orgs (create below the other district)', method: 'POST', path: () => ORG_ROUTES.orgs.path(), body: (ids, n) => ({ name: `街道 ${n}`, parentId: ids.otherId }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 201 } },
  { route: 'accounts (list)', method: 'GET', path: (ids) => ORG_ROUTES.accounts.path({ orgId: ids.otherId }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'accounts (create)', method: 'POST', path: (ids) => ORG_ROUTES.accounts.path({ orgId: ids.otherId }), body: (_, n) => ({ username: `intruder${n}`, displayName: '外区', password: 'long enough password', role: 'administrator' }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 201 } },
  { route: 'account (change)', method: 'PATCH', path: (ids) => ORG_ROUTES.account.path({ orgId: ids.otherId, accountId: ids.otherAccount }), body: () => ({ displayName: '改名' }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'consultations of an org (create)', method: 'POST', path: (ids) => ORG_ROUTES.consultationsOfOrg.path({ orgId: ids.otherId }), body: (ids) => ({ room, memberIds: [ids.otherMember] }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 201 } },
  { route: 'consultations (list, all)', method: 'GET', path: () => ORG_ROUTES.consultations.path(), expect: { districtOrganiser: 200, districtAdministrator: 200, cityAdministrator: 200 }, shows: 'otherRoom' },
  { route: 'consultations (list, of the other district)', method: 'GET', path: (ids) => `${ORG_ROUTES.consultations.path()}?orgId=${ids.otherId}`, expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'duties', method: 'GET', path: (ids) => ORG_ROUTES.duties.path({ orgId: ids.otherId }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'duties.csv', method: 'GET', path: (ids) => ORG_ROUTES.dutiesCsv.path({ orgId: ids.otherId }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'duties.xlsx', method: 'GET', path: (ids) => ORG_ROUTES.dutiesXlsx.path({ orgId: ids.otherId }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'invites.csv', method: 'GET', path: (ids) => ORG_ROUTES.invitesCsv.path({ roomId: ids.otherRoom }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  // The organisers' routes of before, now taking a session.
  { route: 'admin session check', method: 'GET', path: () => ADMIN_ROUTES.session.path(), expect: { districtOrganiser: 204, districtAdministrator: 204, cityAdministrator: 204 } },
  { route: 'rooms (list)', method: 'GET', path: () => ADMIN_ROUTES.rooms.path(), expect: { districtOrganiser: 200, districtAdministrator: 200, cityAdministrator: 200 }, shows: 'otherRoom' },
  { route: 'rooms (create in the other district)', method: 'POST', path: () => ADMIN_ROUTES.rooms.path(), body: (ids) => ({ ...room, orgId: ids.otherId }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 201 } },
  { route: 'room invites (list)', method: 'GET', path: (ids) => ADMIN_ROUTES.invites.path({ roomId: ids.otherRoom }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'room invites (issue)', method: 'POST', path: (ids) => ADMIN_ROUTES.invites.path({ roomId: ids.otherRoom }), body: () => ({ role: 'member', venue: 'd2' }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 201 } },
  { route: 'room invite (revoke)', method: 'POST', path: (ids) => ADMIN_ROUTES.revoke.path({ roomId: ids.otherRoom, inviteId: ids.otherInvite }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'comment settings (read)', method: 'GET', path: (ids) => COMMENT_ROUTES.settings.path({ roomId: ids.otherRoom }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'comment settings (change)', method: 'PUT', path: (ids) => COMMENT_ROUTES.settings.path({ roomId: ids.otherRoom }), body: () => settings, expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  // The roster (the removal last: the city's administrator really removes the member).
  { route: 'roster (list)', method: 'GET', path: (ids) => ORG_ROUTES.roster.path({ orgId: ids.otherId }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'roster (add)', method: 'POST', path: (ids) => ORG_ROUTES.roster.path({ orgId: ids.otherId }), body: (_, n) => ({ name: `外区委员${n}`, sector: '经济界' }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 201 } },
  { route: 'roster member (change)', method: 'PATCH', path: (ids) => ORG_ROUTES.rosterMember.path({ orgId: ids.otherId, memberId: ids.otherMember }), body: () => ({ note: '改过了' }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'roster import (merge)', method: 'POST', path: (ids) => `${ORG_ROUTES.rosterImport.path({ orgId: ids.otherId })}?mode=merge`, file: { type: 'text/csv', text: '姓名,界别\r\n冒名委员,经济界\r\n' }, expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'roster template.csv', method: 'GET', path: (ids) => ORG_ROUTES.rosterTemplateCsv.path({ orgId: ids.otherId }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'roster template.xlsx', method: 'GET', path: (ids) => ORG_ROUTES.rosterTemplateXlsx.path({ orgId: ids.otherId }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 200 } },
  { route: 'roster member (remove)', method: 'DELETE', path: (ids) => ORG_ROUTES.rosterMember.path({ orgId: ids.otherId, memberId: ids.otherMember }), expect: { districtOrganiser: 403, districtAdministrator: 403, cityAdministrator: 204 } },
];

let ids: Ids;
const cookies = {} as Record<Who, string>;
let calls = 0;

async function request(who: Who, method: Method, path: string, body?: unknown, file?: Row['file']): Promise<{ status: number; text: string }> {
  const sent = file !== undefined ? { type: file.type, data: file.text } : body !== undefined ? { type: 'application/json', data: JSON.stringify(body) } : undefined;
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { cookie: cookies[who], ...(sent === undefined ? {} : { 'content-type': sent.type }) },
    ...(sent === undefined ? {} : { body: sent.data }),
  });
  return { status: res.status, text: await res.text() };
}

async function asSecret(method: Method, path: string, body?: unknown): Promise<string> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminSecret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text}`);
  return text;
}

async function loginAs(username: string, password: string): Promise<string> {
  const res = await fetch(`${server.url}${ORG_ROUTES.login.path()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status}: ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
  return cookie;
}

/** What the other district holds, as its own organiser would read it: unchanged by refused requests. */
async function otherDistrict(): Promise<string> {
  const accounts = parseAnswer(AccountList, JSON.parse(await asSecret('GET', ORG_ROUTES.accounts.path({ orgId: ids.otherId }))), 'accounts', '');
  const roster = await server.directory.roster(ids.otherId);
  const rooms = await server.directory.roomsOf(ids.otherId);
  const invites = parseAnswer(RoomInvites, JSON.parse(await asSecret('GET', ADMIN_ROUTES.invites.path({ roomId: ids.otherRoom }))), 'invites', '');
  const comments = await asSecret('GET', COMMENT_ROUTES.settings.path({ roomId: ids.otherRoom }));
  const orgs = (await server.directory.orgs()).map((o) => `${o.orgId}<${o.parentId ?? ''}`);
  return JSON.stringify({
    accounts: accounts.accounts,
    roster: [...roster].sort((a, b) => a.memberId.localeCompare(b.memberId)),
    rooms,
    invites: invites.invites.map((i) => [i.inviteId, i.revokedAt]),
    comments,
    orgs,
  });
}

beforeAll(async () => {
  const password = 'a password long enough';
  const boot = await asSecret('POST', ORG_ROUTES.bootstrap.path(), { orgName: '市政协', username: 'city.admin', displayName: '市政协', password });
  const cityId = parseAnswer(Me, JSON.parse(boot), 'bootstrap', boot).account.orgId;
  const district = async (name: string) => OrganisationSchema.parse(JSON.parse(await asSecret('POST', ORG_ROUTES.orgs.path(), { name, parentId: cityId }))).orgId;
  const ownId = await district('一区政协');
  const otherId = await district('二区政协');
  const account = async (orgId: string, username: string, role: 'organiser' | 'administrator') =>
    AccountSchema.parse(JSON.parse(await asSecret('POST', ORG_ROUTES.accounts.path({ orgId }), { username, displayName: username, password, role }))).accountId;
  await account(ownId, 'd1.organiser', 'organiser');
  await account(ownId, 'd1.admin', 'administrator');
  const otherAccount = await account(otherId, 'd2.organiser', 'organiser');

  const member: RosterMember = { memberId: 'd2-member-1', orgId: otherId, name: '二区委员', sector: '农业界', venue: 'd2', district: '二区', phone: '', email: '', note: '', updatedAt: Date.now() };
  await server.directory.putMembers(otherId, [member]);
  const otherCookie = await loginAs('d2.organiser', password);
  const res = await fetch(`${server.url}${ORG_ROUTES.consultationsOfOrg.path({ orgId: otherId })}`, {
    method: 'POST',
    headers: { cookie: otherCookie, 'content-type': 'application/json' },
    body: JSON.stringify({ room, memberIds: [member.memberId] }),
  });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  const made = parseAnswer(CreatedConsultation, JSON.parse(text), 'consultation', text);
  const otherInvite = made.invites[0]?.inviteId ?? '';
  // A room of the caller's own district, so "shows" has something of theirs beside.
  const ownRoom = parseAnswer(CreatedRoom, JSON.parse(await asSecret('POST', ADMIN_ROUTES.rooms.path(), { ...room, orgId: ownId })), 'room', '');
  expect(await server.directory.orgOfRoom(ownRoom.roomId)).toBe(ownId);

  ids = { cityId, ownId, otherId, otherRoom: made.roomId, otherInvite, otherAccount, otherMember: member.memberId };
  cookies.districtOrganiser = await loginAs('d1.organiser', password);
  cookies.districtAdministrator = await loginAs('d1.admin', password);
  cookies.cityAdministrator = await loginAs('city.admin', password);
});

describe.each(['districtOrganiser', 'districtAdministrator'] as const)('the other district, as the %s of one district', (who) => {
  let before: string;
  beforeAll(async () => {
    before = await otherDistrict();
  });

  test.each(SPEC)('$method $route', async (row) => {
    const answer = await request(who, row.method, row.path(ids), row.body?.(ids, calls++), row.file);
    expect(answer.status, answer.text).toBe(row.expect[who]);
    if (row.shows !== undefined) {
      expect(answer.text).not.toContain(ids[row.shows]);
    }
  });

  test('nothing of the other district changed', async () => {
    expect(await otherDistrict()).toBe(before);
  });
});

describe('the other district, as the city’s administrator', () => {
  test.each(SPEC)('$method $route', async (row) => {
    const answer = await request('cityAdministrator', row.method, row.path(ids), row.body?.(ids, calls++), row.file);
    expect(answer.status, answer.text).toBe(row.expect.cityAdministrator);
    if (row.shows !== undefined) expect(answer.text).toContain(ids[row.shows]);
  });
});
