/**
 * The set-up most browser test files share (kept apart from browser.ts, which benchmarks use
 * outside the test runner).
 */
import { appendFileSync, mkdirSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { describePages, launchChromium, OUTPUT_DIR } from './browser.js';
import { startTestServer } from './server.js';

/** Under test-output/: the page reports of every browser test that failed in this run (scripts/ci-summary.mjs reads it). */
const FAILURES_FILE = 'failed-pages.txt';

/** The machine at the moment of a failure: a test that timed out on a starved machine should say so. */
function machineNow(): string {
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  let shm = '?';
  try {
    const fs = statfsSync('/dev/shm');
    shm = gib(fs.bavail * fs.bsize);
  } catch {
    // no /dev/shm: left as '?'
  }
  return `machine: ${os.cpus().length} cores, load ${load}, memory free ${gib(os.freemem())} of ${gib(os.totalmem())}, /dev/shm free ${shm}`;
}

/**
 * Before the file's tests: the real server (serving the built client) and one Chromium; after
 * each test, the pages it left open (a failed test's pages would go on playing video through
 * the next test, on two cores), described first if the test failed (describePages: what each
 * page showed and logged); after them all, both closed. `ready` hands them to the file's own
 * variables. `env`: the server's own settings for the file (e.g. limits raised as an operator
 * would), beside the built client.
 */
export function withServerAndBrowser(ready: (server: RunningServer, browser: Browser) => void, env: Record<string, string> = {}): void {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startTestServer({ ...env, CLIENT_DIR: 'dist/client' });
    browser = await launchChromium();
    ready(server, browser);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && browser !== undefined) {
      const name = task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 40);
      const report = `${task.file?.name ?? ''} > ${task.name}\n${machineNow()}\n${await describePages(browser, name)}\n`;
      console.log(`what the pages showed when the test failed:\n${report}`);
      // Also kept in a file: scripts/ci-summary.mjs prints it again at the very end of a CI run,
      // where a run's last lines are all that may be seen of it.
      mkdirSync(OUTPUT_DIR, { recursive: true });
      appendFileSync(path.join(OUTPUT_DIR, FAILURES_FILE), report);
    }
    for (const context of browser?.contexts() ?? []) await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
}
