/**
 * Every page, API answer and download carries the security headers: a Content-Security-Policy
 * without inline script and without framing, nosniff, and no referrer (invite links carry their
 * token in the URL).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { createRoom } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ CLIENT_DIR: 'dist/client' });
});
afterAll(async () => {
  await server.close();
});

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

test('pages, the API, health, static files and minutes downloads all carry the headers', async () => {
  const { roomId, hostInvite } = await createRoom(server);
  const urls = [
    '/',
    '/join?invite=x',
    '/admin',
    '/healthz',
    '/api/rtp-capabilities',
    '/api/no-such-thing',
    `/api/invites/${hostInvite}`,
    `/api/rooms/${roomId}/minutes.html`,
  ];
  for (const url of urls) {
    const res = await fetch(`${server.url}${url}`, url.includes('minutes') ? { headers: { authorization: `Bearer ${hostInvite}` } } : {});
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp.size, url).toBeGreaterThan(0);
    // Scripts: never inline, never from elsewhere (the print page runs none at all).
    const scripts = csp.get('script-src') ?? csp.get('default-src') ?? [];
    expect(scripts, url).not.toContain("'unsafe-inline'");
    expect(scripts, url).not.toContain("'unsafe-eval'");
    expect(scripts.every((source) => source === "'self'" || source === "'none'"), url).toBe(true);
    expect(csp.get('frame-ancestors'), url).toEqual(["'none'"]);
    expect(csp.has('upgrade-insecure-requests'), url).toBe(false);
    expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
    expect(res.headers.get('referrer-policy'), url).toBe('no-referrer');
  }
  // The page's own scripts are files of this server, which the policy allows.
  const page = await (await fetch(`${server.url}/`)).text();
  expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(page).toMatch(/<script type="module" crossorigin src="\/assets\//);
});
