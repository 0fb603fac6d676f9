/**
 * The set-up most browser test files share (kept apart from browser.ts, which benchmarks use
 * outside the test runner).
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { describePages, launchChromium } from './browser.js';
import { startTestServer } from './server.js';

/**
 * Before the file's tests: the real server (serving the built client) and one Chromium; after
 * each test, the pages it left open (a failed test's pages would go on playing video through
 * the next test, on two cores), described first if the test failed (describePages: what each
 * page showed and logged); after them all, both closed. `ready` hands them to the file's own
 * variables.
 */
export function withServerAndBrowser(ready: (server: RunningServer, browser: Browser) => void): void {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startTestServer({ CLIENT_DIR: 'dist/client' });
    browser = await launchChromium();
    ready(server, browser);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && browser !== undefined) {
      const name = task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 40);
      console.log(`what the pages showed when the test failed:\n${await describePages(browser, name)}`);
    }
    for (const context of browser?.contexts() ?? []) await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
}
