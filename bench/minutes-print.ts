/**
 * The print page of the minutes of a 3-hour meeting with 60 speeches, filled in by the
 * secretary, rendered by Debian's Chromium: a full-page screenshot (bench/out/minutes-print.png)
 * and the A4 page count of printing it. The baseline, measured in the same run, is the same
 * meeting's skeleton (nothing written up): the ratios say what the written record costs.
 *
 *   npx tsx bench/minutes-print.ts
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser } from 'playwright-core';
import { minutesSkeleton } from '../signaling/record/skeleton.js';
import { fillMinutes, longMeeting } from '../signaling/record/testing.js';
import { minutesToHtml } from '../server/export/html.js';
import { chained } from '../server/export/testing.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const OUT = path.resolve('bench/out');

type Printed = { bytes: number; renderMs: number; pages: number; heightPx: number };

/** Loads the page from a file (as someone opening the download would), screenshots it, prints it. */
async function print(browser: Browser, html: string, name: string, screenshot: boolean): Promise<Printed> {
  const file = path.join(OUT, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
  try {
    const start = performance.now();
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    const heightPx = await page.evaluate(() => document.documentElement.scrollHeight);
    if (screenshot) await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
    const renderMs = performance.now() - start;
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    // Each page of a Chromium PDF is one "/Type /Page" object (the tree root is "/Type /Pages").
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    return { bytes: Buffer.byteLength(html), renderMs, pages, heightPx };
  } finally {
    await page.close();
  }
}

if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run npm run setup`);
mkdirSync(OUT, { recursive: true });
// chained(): the log hash-chained as the server does it, so the footer shows a real chain head.
const filled = minutesSkeleton(chained(fillMinutes(longMeeting(60, 3))).state);
const skeleton = minutesSkeleton(chained(longMeeting(60, 3)).state);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  // Warm-up: the first page pays for starting the renderer and loading fonts.
  await print(browser, minutesToHtml(skeleton), 'minutes-print-warmup', false);
  const base = await print(browser, minutesToHtml(skeleton), 'minutes-print-skeleton', false);
  const full = await print(browser, minutesToHtml(filled), 'minutes-print', true);
  const row = (name: string, r: Printed): string =>
    `${name.padEnd(9)} ${`${(r.bytes / 1024).toFixed(1)} KiB`.padStart(10)} ${`${r.renderMs.toFixed(0)} ms`.padStart(9)} ${String(r.pages).padStart(6)} ${String(r.heightPx).padStart(9)}`;
  console.log(`minutes print page: ${filled.speeches.length} speeches, ${filled.statements.length} written statements, ${filled.actions.length} action items`);
  console.log('page      size       load+shot  A4 pages  height px');
  console.log(row('skeleton', base));
  console.log(row('filled', full));
  console.log(`ratio filled/skeleton: size ${(full.bytes / base.bytes).toFixed(2)}, pages ${(full.pages / base.pages).toFixed(2)}, render ${(full.renderMs / base.renderMs).toFixed(2)}`);
  console.log(`screenshot: ${path.join(OUT, 'minutes-print.png')}`);
} finally {
  await browser.close();
}
