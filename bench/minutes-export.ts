/**
 * Minutes export benchmark: a 3-hour meeting with 60 speeches (30 members, three venues, a
 * named poll) whose minutes the secretary has filled in (every passage written up, 核稿 in
 * every state, conclusions, action items, written statements), rendered to DOCX, against a
 * baseline of rendering the same minutes to Markdown in the same run. Prints each export's size and median time, and the DOCX/Markdown ratios:
 * the absolute times describe this machine, the ratios are what to compare across runs.
 *
 *   npx tsx bench/minutes-export.ts
 */
import { performance } from 'node:perf_hooks';
import { minutesSkeleton } from '../signaling/record/skeleton.js';
import { fillMinutes, longMeeting } from '../signaling/record/testing.js';
import { minutesToDocx } from '../server/export/docx.js';
import { minutesToHtml } from '../server/export/html.js';
import { minutesToMarkdown } from '../server/export/markdown.js';

const ROUNDS = 15;

async function measure(render: () => Promise<Buffer>): Promise<{ bytes: number; medianMs: number }> {
  await render(); // warm-up: module init and JIT are not what a secretary waits for twice
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < ROUNDS; i += 1) {
    const start = performance.now();
    bytes = (await render()).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { bytes, medianMs: times[Math.floor(times.length / 2)] ?? 0 };
}

const room = fillMinutes(longMeeting(60, 3));
const skeletonStart = performance.now();
const minutes = minutesSkeleton(room.state);
const skeletonMs = performance.now() - skeletonStart;
const hours = ((minutes.actualEnd ?? 0) - (minutes.actualStart ?? 0)) / 3_600_000;

const markdown = await measure(async () => Buffer.from(minutesToMarkdown(minutes)));
const html = await measure(async () => Buffer.from(minutesToHtml(minutes)));
const docx = await measure(() => minutesToDocx(minutes));

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
const written = minutes.speeches.reduce((n, s) => n + s.text.length, 0) + minutes.conclusions.length + minutes.statements.reduce((n, s) => n + s.text.length, 0);
const unwritten = minutes.speeches.filter((s) => s.text === '').length;
if (unwritten > 0) throw new Error(`${unwritten} speeches have no text: the benchmark would measure a skeleton`);
console.log(`meeting: ${hours.toFixed(2)} h, ${minutes.speeches.length} speeches, ${room.log.length} events; skeleton ${skeletonMs.toFixed(1)} ms`);
console.log(`written: ${written} characters in ${minutes.speeches.length} passages, the conclusions, ${minutes.actions.length} action items, ${minutes.statements.length} written statements`);
console.log(`format    size        median (${ROUNDS} runs)   size ratio  time ratio (vs Markdown)`);
for (const [name, r] of [['markdown', markdown], ['html', html], ['docx', docx]] as const) {
  console.log(
    `${name.padEnd(9)} ${kb(r.bytes).padStart(10)}  ${`${r.medianMs.toFixed(2)} ms`.padStart(12)}          ${(r.bytes / markdown.bytes).toFixed(2).padStart(6)}  ${(r.medianMs / markdown.medianMs).toFixed(1).padStart(10)}`,
  );
}
