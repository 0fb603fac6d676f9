/**
 * HTTPS served by the server itself (TLS_CERT, TLS_KEY) with a certificate made by
 * scripts/make-local-cert.sh: its URL and invite links, a plain-HTTP request to the port, a
 * renewed certificate taken on SIGHUP, and unusable files stopping the start with a message.
 */
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { ConfigError } from '../server/config.js';
import { TlsCertificate } from '../server/http/TlsCertificate.js';
import { createLogger } from '../server/log.js';
import { CreatedRoom } from '../signaling/http/admin.js';
import { eventually } from './helpers/browser.js';
import { readJson } from './helpers/http.js';
import { fingerprintOf, makeLocalCert, servedFingerprint, trustCa, type LocalCert } from './helpers/localCert.js';
import { createRoom } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';

const silent = createLogger('silent');
let cert: LocalCert;
let server: RunningServer;
let untrust: () => void;

beforeAll(async () => {
  cert = makeLocalCert(mkdtempSync(path.join(tmpdir(), 'wsl-tls-')), ['localhost', '127.0.0.1']);
  untrust = trustCa(cert.ca);
  server = await startTestServer({ TLS_CERT: cert.cert, TLS_KEY: cert.key });
});

afterAll(async () => {
  await server?.close();
  untrust?.();
});

/** Runs server/main.ts with `env` until it exits; answers its exit code and what it printed. */
function startMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/main.ts')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', MEDIA_WORKERS: '1', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'wsl-tls-main-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

describe('scripts/make-local-cert.sh', () => {
  test('makes the CA once and a server certificate for the names that devices accept', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wsl-tls-script-'));
    const first = makeLocalCert(dir, ['192.168.1.10', 'wsl-hall.local', '::1']);
    const ca = new X509Certificate(readFileSync(first.ca));
    const leaf = new X509Certificate(readFileSync(first.cert));
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe('IP Address:192.168.1.10, DNS:wsl-hall.local, IP Address:0:0:0:0:0:0:0:1');
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth only
    // Apple's limit for a server certificate, even under a CA the user installed.
    const days = (leaf.validToDate.getTime() - leaf.validFromDate.getTime()) / 86_400_000;
    expect(days).toBeLessThanOrEqual(825);
    expect(days).toBeGreaterThan(800);
    // The chain: the server certificate, then the CA.
    expect(readFileSync(first.cert, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(statSync(path.join(dir, 'ca.key')).mode & 0o077).toBe(0);
    expect(statSync(first.key).mode & 0o077).toBe(0);

    const second = makeLocalCert(dir, ['localhost']);
    expect(fingerprintOf(second.ca)).toBe(ca.fingerprint256);
    expect(fingerprintOf(second.cert)).not.toBe(leaf.fingerprint256);
    expect(new X509Certificate(readFileSync(second.cert)).checkIssued(ca)).toBe(true);
  });

  test('refuses what is neither a host name nor an IP address', () => {
    const run = spawnSync('bash', [path.resolve('scripts/make-local-cert.sh'), '-d', mkdtempSync(path.join(tmpdir(), 'wsl-tls-script-')), '300.1.1.1'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("'300.1.1.1' is neither a host name nor an IP address");
  });
});

describe('HTTPS with TLS_CERT and TLS_KEY', () => {
  test('the server answers on https://, and its invite links are https:// links', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const res = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ topic: '加密连接', venues: [{ id: 'city', name: '主会场' }] }),
    });
    expect(res.status).toBe(201);
    const created = await readJson(res, CreatedRoom);
    expect(created.hostInvite.url.startsWith(`${server.url}/join?invite=`)).toBe(true);
    await expect(createRoom(server)).resolves.toMatchObject({ roomId: expect.any(String) });
  });

  test('a plain-HTTP request to the TLS port is sent to the same address over https://, and gets nothing of the app', async () => {
    const plain = (request: string) =>
      new Promise<string>((resolve, reject) => {
        let data = '';
        const socket = connect(server.port, '127.0.0.1', () => socket.write(request));
        socket.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
        socket.once('error', reject);
        socket.once('close', () => resolve(data));
      });
    const redirected = await plain(`GET /join?invite=abc HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUser-Agent: test\r\n\r\n`);
    expect(redirected).toMatch(/^HTTP\/1\.1 307 /);
    expect(redirected).toContain(`\r\nLocation: https://127.0.0.1:${server.port}/join?invite=abc\r\n`);
    expect(redirected).toContain('This address is served over https:// only.');
    const health = await plain('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(health).toMatch(/^HTTP\/1\.1 307 /);
    expect(health).not.toContain('"status"');
    // A Host that could carry a header of its own is not echoed: no redirect at all.
    const crafted = await plain('GET / HTTP/1.1\r\nHost: evil.example\rSet-Cookie: a=b\r\n\r\n');
    expect(crafted).toMatch(/^HTTP\/1\.1 400 /);
    expect(crafted).not.toContain('Set-Cookie');
    // After all that, TLS on the same port still works.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  test('SIGHUP: a renewed certificate is served from the next connection on, without a restart', async () => {
    const before = await servedFingerprint(server.port);
    expect(before).toBe(fingerprintOf(cert.cert));
    // The script run again keeps the CA and makes a new server certificate with a new key.
    makeLocalCert(cert.dir, ['localhost', '127.0.0.1']);
    const renewed = fingerprintOf(cert.cert);
    expect(renewed).not.toBe(before);
    process.kill(process.pid, 'SIGHUP');
    await eventually(() => servedFingerprint(server.port), (served) => served === renewed, 10_000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  test('a reload of files that make no certificate keeps the one in use', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wsl-tls-reload-'));
    const files = { certFile: path.join(dir, 'server.crt'), keyFile: path.join(dir, 'server.key') };
    copyFileSync(cert.cert, files.certFile);
    copyFileSync(cert.key, files.keyFile);
    const certificate = TlsCertificate.read(files, silent);
    const https = certificate.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    try {
      const port = (https.address() as { port: number }).port;
      const inUse = await servedFingerprint(port);
      writeFileSync(files.keyFile, 'not a key\n');
      expect(await certificate.reload()).toBe(false);
      expect(await servedFingerprint(port)).toBe(inUse);
      // A key of another certificate (of the same CA): both files read, but they do not belong together.
      const otherDir = mkdtempSync(path.join(tmpdir(), 'wsl-tls-other-'));
      for (const file of ['ca.crt', 'ca.key']) copyFileSync(path.join(cert.dir, file), path.join(otherDir, file));
      const other = makeLocalCert(otherDir, ['localhost']);
      copyFileSync(other.key, files.keyFile);
      expect(await certificate.reload()).toBe(false);
      expect(await servedFingerprint(port)).toBe(inUse);
      copyFileSync(other.cert, files.certFile);
      expect(await certificate.reload()).toBe(true);
      expect(await servedFingerprint(port)).toBe(fingerprintOf(other.cert));
    } finally {
      certificate.close();
      await new Promise((resolve) => https.close(resolve));
    }
  });

  test('files that are not a certificate and its key are refused, naming the setting and the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wsl-tls-bad-'));
    const other = makeLocalCert(dir, ['localhost']);
    // The key where the certificate should be.
    expect(() => TlsCertificate.read({ certFile: other.key, keyFile: other.key }, silent)).toThrow(
      new ConfigError(`invalid configuration:\n  TLS_CERT: ${other.key} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`),
    );
    expect(() => TlsCertificate.read({ certFile: cert.cert, keyFile: other.key }, silent)).toThrow(
      new ConfigError(`invalid configuration:\n  TLS_KEY: ${other.key} is not the key of the first certificate in ${cert.cert} (the server's own comes first, then its chain)`),
    );
    expect(() => TlsCertificate.read({ certFile: cert.cert, keyFile: dir }, silent)).toThrow(/TLS_KEY: .* \(it is a directory\)/);
    // The chain before the server's certificate.
    const reversed = path.join(dir, 'reversed.crt');
    writeFileSync(reversed, readFileSync(other.ca, 'utf8') + readFileSync(other.cert, 'utf8'));
    expect(() => TlsCertificate.read({ certFile: reversed, keyFile: other.key }, silent)).toThrow(/TLS_KEY: .* is not the key of the first certificate in .*reversed\.crt \(the server's own comes first/);
    expect(TlsCertificate.read({ certFile: other.cert, keyFile: other.key }, silent)).toBeInstanceOf(TlsCertificate);
  });

  test('a certificate file that does not exist stops the start with a message naming TLS_CERT and the file', async () => {
    const missing = path.join(cert.dir, 'nonexistent.crt');
    const { code, stderr } = await startMain({ TLS_CERT: missing, TLS_KEY: cert.key });
    expect(code).toBe(1);
    expect(stderr).toContain(`invalid configuration:\n  TLS_CERT: cannot read ${missing} (no such file)\n`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  test('a key file of garbage stops the start with a message naming TLS_KEY and the file', async () => {
    const garbage = path.join(mkdtempSync(path.join(tmpdir(), 'wsl-tls-garbage-')), 'server.key');
    writeFileSync(garbage, '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n');
    const { code, stderr } = await startMain({ TLS_CERT: cert.cert, TLS_KEY: garbage });
    expect(code).toBe(1);
    expect(stderr).toContain(`invalid configuration:\n  TLS_KEY: ${garbage} holds no PEM private key, or one protected by a passphrase (not supported)\n`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
