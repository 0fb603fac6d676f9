/**
 * Date-format benchmark: what showing a time costs in Debian's Chromium when each time makes
 * its own Intl.DateTimeFormat (the baseline: how client/src/ui/format.ts worked before) against
 * formatting with one kept formatter per language and style (how it works now), in the same
 * page and run.
 *
 * Set-up: one page; TIMES (1,000: a public page of a thousand comments, each with its time)
 * times a minute apart, formatted as 2025年5月20日 14:30 in zh-CN. Each way runs ROUNDS (7)
 * times, alternating, after one warm-up of each; the median is printed with the ratio. The two
 * ways' strings are checked equal.
 *
 * Run: npm run bench -- bench/date-format.ts   (DATE_TIMES, DATE_ROUNDS)
 */
import { launchChromium } from '../test/helpers/browser.js';

const TIMES = Number(process.env['DATE_TIMES'] ?? 1000);
const ROUNDS = Number(process.env['DATE_ROUNDS'] ?? 7);

// A string, not a function: the page gets the script as written (no helpers of the bundler).
const SCRIPT = `(() => {
  const TIMES = ${TIMES}, ROUNDS = ${ROUNDS};
  const options = { dateStyle: 'medium', timeStyle: 'short' };
  const times = Array.from({ length: TIMES }, (_, i) => Date.UTC(2025, 4, 20, 6, 30) + i * 60000);
  const fresh = () => times.map((t) => new Intl.DateTimeFormat('zh-CN', options).format(t));
  const kept = new Map();
  const keptFormat = (t) => {
    let f = kept.get('zh-CN dateTime');
    if (f === undefined) { f = new Intl.DateTimeFormat('zh-CN', options); kept.set('zh-CN dateTime', f); }
    return f.format(t);
  };
  const reused = () => times.map(keptFormat);
  const timed = (way) => { const start = performance.now(); const out = way(); return { ms: performance.now() - start, out }; };
  const same = JSON.stringify(timed(fresh).out) === JSON.stringify(timed(reused).out);
  const base = [], ours = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    if (r % 2 === 0) { base.push(timed(fresh).ms); ours.push(timed(reused).ms); }
    else { ours.push(timed(reused).ms); base.push(timed(fresh).ms); }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { same, base: median(base), ours: median(ours) };
})()`;

async function main(): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const { same, base, ours } = (await page.evaluate(SCRIPT)) as { same: boolean; base: number; ours: number };
    if (!same) throw new Error('the two ways formatted the times differently');
    console.log(
      `date-format: ${TIMES} times shown, median of ${ROUNDS}: a formatter made for each (baseline) ${base.toFixed(1)} ms; ` +
        `one kept formatter ${ours.toFixed(2)} ms; ratio ${(ours / base).toFixed(3)}`,
    );
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
