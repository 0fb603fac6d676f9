/**
 * orgAuth on its own, with a real SQLite directory and a clock the test moves: a session slides
 * while used and ends when idle, a disabled account is refused, another site's request with
 * the cookie is refused, wrong admin secrets count against the address, and inOrg answers 400,
 * 404 or 403 before the route runs.
 */
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiErrorBody } from '../../signaling/http/errors.js';
import { SESSION_COOKIE } from '../../signaling/http/orgs.js';
import type { Organisation } from '../../signaling/orgs/model.js';
import { DEFAULT_LIMITS, Limits } from '../limits/Limits.js';
import { createLogger } from '../log.js';
import type { StoredAccount } from '../orgs/OrgDirectory.js';
import { SqliteOrgDirectory } from '../orgs/SqliteOrgDirectory.js';
import { apiErrorHandler } from './adminRoutes.js';
import { actorOf, createOrgAuth, hashSessionToken, SESSION_IDLE_MS } from './orgAuth.js';
import { listenOnLoopback } from './testing.js';

const SECRET = 'the-admin-secret-of-this-test';
const BUDGET = 3;
const HOUR = 3_600_000;

let clock = Date.UTC(2026, 11, 1, 8);
const directory = SqliteOrgDirectory.open(':memory:');
let server: Server;
let base: string;

const city: Organisation = { orgId: 'city-000001', name: '市政协', parentId: null, createdAt: clock };
const district: Organisation = { orgId: 'district-01', name: '一区政协', parentId: city.orgId, createdAt: clock };
const organiser: StoredAccount = {
  accountId: 'account-0001',
  username: 'd1.organiser',
  displayName: '一区组织员',
  orgId: district.orgId,
  role: 'organiser',
  createdAt: clock,
  disabled: false,
  passwordHash: 'not used here',
};

beforeAll(async () => {
  await directory.bootstrap(city, { ...organiser, accountId: 'account-0000', username: 'city.admin', orgId: city.orgId, role: 'administrator' });
  await directory.addOrg(district);
  await directory.addAccount(organiser);
  const auth = createOrgAuth({
    directory,
    adminSecret: SECRET,
    limits: new Limits({ ...DEFAULT_LIMITS, failedAdminSecretsPer10MinutesPerAddress: BUDGET }),
    trustProxy: 1,
    publicUrl: 'https://ws.example.org',
    now: () => clock,
  });
  const router = express.Router();
  router.get('/who', auth.required, (_req, res) => {
    res.json(actorOf(res));
  });
  router.post('/change', auth.required, (_req, res) => {
    res.status(204).end();
  });
  router.get('/orgs/:orgId/thing', auth.required, auth.inOrg('organise'), (_req, res) => {
    res.status(204).end();
  });
  router.get('/orgs/:orgId/admin-thing', auth.required, auth.inOrg('administer'), (_req, res) => {
    res.status(204).end();
  });
  router.use(apiErrorHandler(createLogger('silent')));
  const app = express();
  app.use('/api', router);
  ({ server, url: base } = await listenOnLoopback(app, '/api'));
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  await directory.close();
});

let tokens = 0;
/** A fresh session of the organiser made now; answers its cookie. */
async function session(): Promise<string> {
  const token = `${String(tokens++).padStart(4, '0')}${'x'.repeat(39)}`;
  await directory.addSession({ tokenHash: hashSessionToken(token), accountId: organiser.accountId, createdAt: clock, expiresAt: clock + SESSION_IDLE_MS });
  return `${SESSION_COOKIE}=${token}`;
}

function call(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return fetch(`${base}${path}`, { method, headers: { 'x-forwarded-for': '198.51.100.1', ...headers } });
}

describe('sessions', () => {
  test('the cookie makes the account its actor', async () => {
    const res = await call('/who', { cookie: await session() });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ kind: 'account', accountId: organiser.accountId, orgId: district.orgId, role: 'organiser' });
  });

  test('a session used within the idle time lives on; one left idle past it ends', async () => {
    const used = await session();
    const idle = await session();
    clock += SESSION_IDLE_MS - HOUR;
    expect((await call('/who', { cookie: used })).status).toBe(200);
    clock += 2 * HOUR;
    expect((await call('/who', { cookie: used })).status).toBe(200);
    expect((await call('/who', { cookie: idle })).status).toBe(401);
    clock += SESSION_IDLE_MS + 1;
    expect((await call('/who', { cookie: used })).status).toBe(401);
  });

  test('a disabled account’s session is refused; enabled again, it works', async () => {
    const cookie = await session();
    await directory.updateAccount({ ...organiser, disabled: true });
    expect((await call('/who', { cookie })).status).toBe(401);
    await directory.updateAccount(organiser);
    expect((await call('/who', { cookie })).status).toBe(200);
  });

  test('a change with the cookie from another site is 403; from this server, without an Origin, or a GET, it goes through', async () => {
    const cookie = await session();
    const refused = await call('/change', { cookie, origin: 'https://evil.example' }, 'POST');
    expect(refused.status).toBe(403);
    expect(ApiErrorBody.parse(await refused.json()).error).toBe('FORBIDDEN');
    expect((await call('/change', { cookie, origin: 'null' }, 'POST')).status).toBe(403);
    expect((await call('/change', { cookie, origin: 'https://ws.example.org' }, 'POST')).status).toBe(204);
    expect((await call('/change', { cookie, origin: new URL(base).origin }, 'POST')).status).toBe(204);
    expect((await call('/change', { cookie }, 'POST')).status).toBe(204);
    expect((await call('/who', { cookie, origin: 'https://evil.example' })).status).toBe(200);
    // The secret is not sent by a browser on its own: no Origin check for it.
    expect((await call('/change', { authorization: `Bearer ${SECRET}`, origin: 'https://evil.example' }, 'POST')).status).toBe(204);
  });
});

describe('the admin secret', () => {
  test('the right secret is automation; wrong ones and none count per address, then the address waits', async () => {
    const address = { 'x-forwarded-for': '203.0.113.9' };
    const right = await call('/who', { ...address, authorization: `Bearer ${SECRET}` });
    expect(await right.json()).toEqual({ kind: 'automation' });
    expect((await call('/who', { ...address, authorization: 'Bearer guess-1' })).status).toBe(401);
    expect((await call('/who', { ...address, authorization: 'Basic Z3Vlc3M=' })).status).toBe(401);
    expect((await call('/who', address)).status).toBe(401);
    const held = await call('/who', { ...address, authorization: `Bearer ${SECRET}` });
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(60);
    // A session from that address is not held up by the guesses.
    expect((await call('/who', { ...address, cookie: await session() })).status).toBe(200);
  });
});

describe('inOrg', () => {
  test('400 for a malformed id, 404 for no organisation, 403 where the actor may not, the route where it may', async () => {
    const cookie = await session();
    expect((await call('/orgs/no!/thing', { cookie })).status).toBe(400);
    expect((await call('/orgs/nobody-here/thing', { cookie })).status).toBe(404);
    expect((await call(`/orgs/${city.orgId}/thing`, { cookie })).status).toBe(403);
    expect((await call(`/orgs/${district.orgId}/admin-thing`, { cookie })).status).toBe(403);
    expect((await call(`/orgs/${district.orgId}/thing`, { cookie })).status).toBe(204);
    expect((await call(`/orgs/${city.orgId}/admin-thing`, { authorization: `Bearer ${SECRET}` })).status).toBe(204);
  });
});
