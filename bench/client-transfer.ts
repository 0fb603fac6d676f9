/**
 * Client transfer benchmark: the bytes a phone downloads to open the public link and reach the
 * 留言 tab, and a member's join page, with the client's scripts and style sheets sent compressed
 * (server/http/compressedAssets.ts) against the same build without its compressed copies (how
 * every file was sent before), in the same run and browser.
 *
 * Set-up: two real servers, one serving dist/client, the other a copy of it without the .br and
 * .gz files; an open room on each with comments open; a fresh phone-sized context per page in
 * Debian's Chromium (which asks for gzip, deflate, br, zstd), cache empty. Measured from the
 * page's own Resource Timing: the sum of transferSize over the document and every resource
 * once the page has settled (the 留言 board shown; the join page's 进入会议 shown).
 *
 * Run: npm run bench -- bench/client-transfer.ts   (run `npm run setup` first)
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, PHONE_CONTEXT } from '../test/helpers/browser.js';
import { createRoom, invite } from '../test/helpers/rooms.js';
import { startTestServer } from '../test/helpers/server.js';
import type { RunningServer } from '../server/app.js';
import { openComments } from './lib/publicHttp.js';

const NAME = 'client-transfer';
const TIMEOUT_MS = 60_000;

/** dist/client without its compressed copies. */
function plainCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wsl-plain-client-'));
  cpSync('dist/client', dir, { recursive: true });
  const assets = path.join(dir, 'assets');
  for (const file of readdirSync(assets)) if (/\.(br|gz)$/.test(file)) rmSync(path.join(assets, file));
  return dir;
}

const TRANSFERRED = `(() => {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  return entries.reduce((sum, e) => sum + e.transferSize, 0);
})()`;

type Pages = { publicComments: number; memberJoin: number };

async function measure(browser: Browser, server: RunningServer): Promise<Pages> {
  const { roomId } = await createRoom(server, { open: true });
  await openComments(server, roomId);
  const open = async (url: string, settled: (page: Page) => Promise<void>): Promise<number> => {
    const context = await browser.newContext(PHONE_CONTEXT);
    try {
      const page = await context.newPage();
      await page.goto(url);
      await settled(page);
      return (await page.evaluate(TRANSFERRED)) as number;
    } finally {
      await context.close();
    }
  };
  const publicComments = await open(`${server.url}/join?invite=${await invite(server, roomId, 'public')}`, async (page) => {
    await page.getByTestId('public-tab-comments').tap({ timeout: TIMEOUT_MS });
    await page.getByTestId('comment-form').waitFor({ timeout: TIMEOUT_MS });
  });
  const memberJoin = await open(`${server.url}/join?invite=${await invite(server, roomId, 'member', 'city', '张委员')}`, async (page) => {
    await page.getByTestId('join-submit').waitFor({ timeout: TIMEOUT_MS });
  });
  return { publicComments, memberJoin };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

async function main(): Promise<void> {
  const plainDir = plainCopy();
  const compressed = await startTestServer({ CLIENT_DIR: 'dist/client' });
  const plain = await startTestServer({ CLIENT_DIR: plainDir });
  const browser = await launchChromium();
  try {
    const base = await measure(browser, plain);
    const ours = await measure(browser, compressed);
    console.log(
      `${NAME}: a phone downloads, to open the public link's 留言: ${kb(ours.publicComments)} compressed against ${kb(base.publicComments)} as before ` +
        `(ratio ${(ours.publicComments / base.publicComments).toFixed(2)}); a member's join page: ${kb(ours.memberJoin)} against ${kb(base.memberJoin)} ` +
        `(ratio ${(ours.memberJoin / base.memberJoin).toFixed(2)})`,
    );
  } finally {
    await browser.close();
    await compressed.close();
    await plain.close();
    rmSync(plainDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
