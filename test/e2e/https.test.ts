/**
 * The server serving HTTPS itself with a certificate made by scripts/make-local-cert.sh, and
 * Chromium trusting exactly that certificate's key (as a device that installed the local CA
 * would trust it): two pages join over https://, each in a secure context with its Socket.IO
 * connection over https/wss, and each decodes the other's camera.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { TlsCertificate } from '../../server/http/TlsCertificate.js';
import { createLogger } from '../../server/log.js';
import { eventually, launchChromium, openPage, remoteVideos, screenshot } from '../helpers/browser.js';
import { makeLocalCert, spkiHashOf, trustCa } from '../helpers/localCert.js';
import { joinByInvite } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { startTestServer } from '../helpers/server.js';

let server: RunningServer;
let browser: Browser;
let untrust: () => void;

beforeAll(async () => {
  const cert = makeLocalCert(mkdtempSync(path.join(tmpdir(), 'wsl-e2e-tls-')), ['localhost', '127.0.0.1']);
  // The test's own admin calls (fetch) trust the CA; Chromium trusts the server's key alone.
  untrust = trustCa(cert.ca);
  server = await startTestServer({ CLIENT_DIR: 'dist/client', TLS_CERT: cert.cert, TLS_KEY: cert.key });
  browser = await launchChromium([`--ignore-certificate-errors-spki-list=${spkiHashOf(cert.cert)}`]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  untrust?.();
});

/** Every Socket.IO request and WebSocket the page opens, by URL. */
function recordSocketIo(page: Page): string[] {
  const urls: string[] = [];
  page.on('websocket', (ws) => urls.push(ws.url()));
  page.on('request', (request) => {
    if (request.url().includes('/socket.io/')) urls.push(request.url());
  });
  return urls;
}

describe('HTTPS in the browser', () => {
  test('Chromium does not accept another certificate of the same kind: the trust is the pinned key alone', async () => {
    const other = makeLocalCert(mkdtempSync(path.join(tmpdir(), 'wsl-e2e-tls-other-')), ['localhost', '127.0.0.1']);
    const certificate = TlsCertificate.read({ certFile: other.cert, keyFile: other.key }, createLogger('silent'));
    const https = certificate.createServer((_req, res) => res.end('other'));
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    try {
      const page = await openPage(browser);
      const port = (https.address() as { port: number }).port;
      await expect(page.goto(`https://127.0.0.1:${port}/`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
    } finally {
      certificate.close();
      await new Promise((resolve) => https.close(resolve));
    }
  });

  test('an address opened with http:// lands on the same address over https://', async () => {
    const page = await openPage(browser);
    const plain = server.url.replace(/^https:/, 'http:');
    await page.goto(`${plain}/healthz`);
    expect(page.url()).toBe(`${server.url}/healthz`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  });

  test('two pages join over https:// in a secure context, with Socket.IO over wss, and decode each other\'s video', async () => {
    const { roomId } = await createRoom(server, { open: true, floorOnly: false });
    const pages: Page[] = [];
    const sockets: string[][] = [];
    for (const name of ['张三', '李四']) {
      const page = await openPage(browser);
      sockets.push(recordSocketIo(page));
      await joinByInvite(page, server, await invite(server, roomId, 'member', 'city'), name);
      await page.getByTestId('room').waitFor();
      pages.push(page);
    }

    for (const [index, page] of pages.entries()) {
      expect(await page.evaluate(() => ({ protocol: location.protocol, secure: window.isSecureContext }))).toEqual({ protocol: 'https:', secure: true });
      const first = await eventually(
        () => remoteVideos(page),
        (videos) => videos.length === 1 && videos.every((v) => v.width > 0 && v.frames > 0),
        60_000,
      ).catch(async (error: unknown) => {
        await screenshot(page, `https-failed-${index}`);
        throw error;
      });
      await eventually(
        () => remoteVideos(page),
        (videos) => videos.length === 1 && videos[0]!.frames > first[0]!.frames + 10,
      );
      const urls = sockets[index]!;
      expect(urls.some((url) => url.startsWith(`wss://127.0.0.1:${server.port}/socket.io/`))).toBe(true);
      expect(urls.filter((url) => !url.startsWith('wss://') && !url.startsWith('https://'))).toEqual([]);
    }
    await screenshot(pages[0]!, 'https-two-pages');
  });
});
