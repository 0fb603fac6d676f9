/**
 * The client's scripts and style sheets go out compressed to a browser that accepts it (Brotli
 * first, then gzip), as they are to one that does not; the build writes the copies. Large API
 * answers (the public page of a topic's comments) are compressed when they are sent.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { openCommentsRoom, publishComment } from './helpers/commentsBrowser.js';
import { startTestServer } from './helpers/server.js';

const SCRIPT = Buffer.from(`export const lines = [${Array.from({ length: 400 }, (_, i) => `'第 ${i} 行'`).join(', ')}];\n`);
const STYLE = Buffer.from(`.a { color: red; }\n`.repeat(100));

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wsl-client-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(path.join(dir, 'assets', 'app.js'), SCRIPT);
  writeFileSync(path.join(dir, 'assets', 'app.js.br'), brotliCompressSync(SCRIPT));
  writeFileSync(path.join(dir, 'assets', 'app.js.gz'), gzipSync(SCRIPT));
  // A style sheet with only a gzip copy, and one with none.
  writeFileSync(path.join(dir, 'assets', 'gz-only.css'), STYLE);
  writeFileSync(path.join(dir, 'assets', 'gz-only.css.gz'), gzipSync(STYLE));
  writeFileSync(path.join(dir, 'assets', 'plain.css'), STYLE);
  writeFileSync(path.join(dir, 'assets', 'gone.js'), SCRIPT);
  writeFileSync(path.join(dir, 'assets', 'gone.js.br'), brotliCompressSync(SCRIPT));
  server = await startTestServer({ CLIENT_DIR: dir });
});
afterAll(async () => {
  await server.close();
});

/** A raw request (fetch would ask for and undo the compression itself). */
function get(urlPath: string, acceptEncoding: string | null, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${urlPath}`, { method, headers: { ...headers, ...(acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the client’s files, compressed for a browser that accepts it', () => {
  test('Chromium’s header gets Brotli, with the script’s type, Vary and the cache time; the body is the script', async () => {
    const res = await get('/assets/app.js', 'gzip, deflate, br, zstd');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.body.length).toBeLessThan(SCRIPT.length / 3);
    expect(brotliDecompressSync(res.body).equals(SCRIPT)).toBe(true);
  });

  test('gzip only, or Brotli refused: gzip', async () => {
    for (const accept of ['gzip', 'br;q=0, gzip;q=0.5']) {
      const res = await get('/assets/app.js', accept);
      expect(res.headers['content-encoding'], accept).toBe('gzip');
      expect(gunzipSync(res.body).equals(SCRIPT), accept).toBe(true);
    }
  });

  test('no header, identity only, or an encoding the build did not write: the script as it is, still marked Vary', async () => {
    for (const accept of [null, 'identity', 'deflate']) {
      const res = await get('/assets/app.js', accept);
      expect(res.status, String(accept)).toBe(200);
      expect(res.headers['content-encoding'], String(accept)).toBeUndefined();
      expect(res.headers['vary'], String(accept)).toMatch(/accept-encoding/i);
      expect(res.body.equals(SCRIPT), String(accept)).toBe(true);
    }
  });

  test('a file with only a gzip copy sends it even to a browser that prefers Brotli; a file with none is sent as it is', async () => {
    const gz = await get('/assets/gz-only.css', 'br, gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/^text\/css/);
    expect(gunzipSync(gz.body).equals(STYLE)).toBe(true);
    const plain = await get('/assets/plain.css', 'br, gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(STYLE)).toBe(true);
  });

  test('HEAD gets the headers of the compressed copy and no body', async () => {
    const res = await get('/assets/app.js', 'br', 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.body.length).toBe(0);
  });

  test('a copy deleted under the running server (the client built again): the file as it is', async () => {
    rmSync(path.join(dir, 'assets', 'gone.js.br'));
    const res = await get('/assets/gone.js', 'br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.equals(SCRIPT)).toBe(true);
  });

  test('the pages themselves still come from index.html, uncompressed', async () => {
    const res = await get('/join?invite=x', 'br, gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toContain('<title>x</title>');
  });
});

test('the build wrote a Brotli and a gzip copy of every script and style sheet over a kilobyte, each the file itself', () => {
  const assets = path.resolve('dist/client/assets');
  const files = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
  const large = files.filter((f) => readFileSync(path.join(assets, f)).length >= 1024);
  expect(large.length).toBeGreaterThan(3);
  for (const file of large) {
    const original = readFileSync(path.join(assets, file));
    expect(brotliDecompressSync(readFileSync(path.join(assets, `${file}.br`))).equals(original), file).toBe(true);
    expect(gunzipSync(readFileSync(path.join(assets, `${file}.gz`))).equals(original), file).toBe(true);
  }
});

describe('large API answers, compressed when sent to a client that accepts it', () => {
  let page: string;
  let bearer: Record<string, string>;
  beforeAll(async () => {
    const room = await openCommentsRoom(server);
    // Thirty comments make a page of several kilobytes; each from a browser of its own (five a browser at most).
    for (let i = 0; i < 30; i++) await publishComment(room, `第 ${i} 条：建议加装电梯时统筹考虑低层住户的采光与通行。`, `居民${i}`);
    page = `/api/comments/${room.roomId}?sort=new`;
    bearer = { authorization: `Bearer ${room.publicInvite}` };
  });

  test('the public page of 30 comments: Brotli for Chromium’s header, gzip when Brotli is refused, as it is without a header; the same JSON each way', async () => {
    const plain = await get(page, null, 'GET', bearer);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toMatch(/accept-encoding/i);
    expect(plain.body.length).toBeGreaterThan(4096);
    const json = JSON.parse(plain.body.toString('utf8')) as { comments: unknown[] };
    expect(json.comments).toHaveLength(30);

    const br = await get(page, 'gzip, deflate, br, zstd', 'GET', bearer);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(json);

    const gz = await get(page, 'br;q=0, gzip', 'GET', bearer);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.body).toString('utf8'))).toEqual(json);
  });

  test('a small answer goes as it is, whatever the client accepts', async () => {
    const refused = await get(page, 'br, gzip');
    expect(refused.status).toBe(401);
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(refused.body.toString('utf8'))).toMatchObject({ error: expect.any(String) });
  });
});
