/**
 * Wrong admin secrets are counted per address on every admin route, the admin page's
 * GET /api/admin/session included: past the budget the address waits (429 RATE_LIMITED with
 * Retry-After), the right secret too, while other addresses and right secrets are not held up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiErrorBody } from '../../signaling/http/errors.js';
import { InviteTokens } from '../identity/InviteTokens.js';
import { SqliteInviteRegistry } from '../invites/SqliteInviteRegistry.js';
import { DEFAULT_LIMITS, Limits } from '../limits/Limits.js';
import { createLogger } from '../log.js';
import { createAdminRouter } from './adminRoutes.js';
import { listenOnLoopback } from './testing.js';

const ADMIN = 'the-admin-secret-of-this-test';
const BUDGET = 3;

let dataDir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'wsl-admin-limit-'));
  const app = express();
  app.use(
    '/api',
    createAdminRouter({
      adminSecret: ADMIN,
      invites: await InviteTokens.load({ dataDir }),
      registry: SqliteInviteRegistry.open(':memory:'),
      limits: new Limits({ ...DEFAULT_LIMITS, failedAdminSecretsPer10MinutesPerAddress: BUDGET }),
      // One proxy in front: X-Forwarded-For says whose request it is, so one test stands for several addresses.
      trustProxy: 1,
      publicUrl: () => 'https://ws.example.org',
      rooms: { create: async () => ({ roomId: 'r1' }), state: async () => undefined },
      logger: createLogger('silent'),
    }),
  );
  ({ server, url: base } = await listenOnLoopback(app, '/api'));
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  await rm(dataDir, { recursive: true, force: true });
});

/** GET `route` from `address` with `secret` (none: no Authorization header). */
function get(route: string, address: string, secret?: string): Promise<Response> {
  const headers: Record<string, string> = { 'x-forwarded-for': address };
  if (secret !== undefined) headers['authorization'] = `Bearer ${secret}`;
  return fetch(`${base}${route}`, { headers });
}

describe('wrong admin secrets per address', () => {
  test('the secret check answers 204 or 401 at once; past the budget the address gets 429, the right secret too', async () => {
    const guesser = '198.51.100.7';
    // Right secrets cost nothing.
    for (let i = 0; i < BUDGET + 2; i++) expect((await get('/admin/session', guesser, ADMIN)).status).toBe(204);
    // Wrong ones count, on the page's check and on any other admin route alike; no secret counts as wrong.
    expect((await get('/admin/session', guesser, 'guess-1')).status).toBe(401);
    expect((await get('/rooms', guesser, 'guess-2')).status).toBe(401);
    expect((await get('/admin/session', guesser)).status).toBe(401);
    const held = await get('/admin/session', guesser, ADMIN);
    expect(held.status).toBe(429);
    expect(ApiErrorBody.parse(await held.json())).toMatchObject({ error: 'RATE_LIMITED' });
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(500);
    expect((await get('/rooms', guesser, 'guess-4')).status).toBe(429);
  });

  test('another address is not held up by someone else’s guesses', async () => {
    const guesser = '198.51.100.8';
    for (let i = 0; i < BUDGET; i++) expect((await get('/admin/session', guesser, `guess-${i}`)).status).toBe(401);
    expect((await get('/admin/session', guesser, ADMIN)).status).toBe(429);
    expect((await get('/admin/session', '203.0.113.20', ADMIN)).status).toBe(204);
    expect((await get('/admin/session', '203.0.113.20', 'typo')).status).toBe(401);
  });
});
