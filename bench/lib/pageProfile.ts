/**
 * A CPU profile of a page's main thread (Chrome DevTools Protocol `Profiler`), summarised for a
 * benchmark's console: where the page's own thread spent a stretch of time, by function and
 * by 20 ms slot. Used by bench/join.ts with JOIN_CPU_PROF=1 to see what the page computes
 * between the click and the first remote frame.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

/** The idle and bookkeeping nodes V8 puts in every profile; time there is not the page's work. */
const NOT_WORK = new Set(['(idle)', '(program)', '(garbage collector)']);

export type PageProfiler = { stop(): Promise<string> };

/**
 * Starts sampling every 100 µs; stop() returns the summary as printable lines, and with
 * `saveTo` also writes the whole profile there (page-<time>.cpuprofile, for DevTools).
 */
export async function startPageProfile(page: Page, saveTo?: string): Promise<PageProfiler> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return {
    async stop() {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
      await cdp.detach();
      if (saveTo !== undefined) writeFileSync(path.join(saveTo, `page-${Date.now()}.cpuprofile`), JSON.stringify(profile));
      return summarise(profile);
    },
  };
}

function summarise(profile: Profile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  const slotUs = new Map<number, number>();
  let gcUs = 0;
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    t += profile.timeDeltas[i] ?? 0;
    const node = byId.get(profile.samples[i] ?? -1);
    if (node === undefined) continue;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(garbage collector)') gcUs += dt;
    if (NOT_WORK.has(name)) continue;
    const file = node.callFrame.url.split('/').pop() ?? '';
    const key = `${name} ${file}:${node.callFrame.lineNumber + 1}`;
    selfUs.set(key, (selfUs.get(key) ?? 0) + dt);
    const slot = Math.floor(t / 20_000);
    slotUs.set(slot, (slotUs.get(slot) ?? 0) + dt);
  }
  const spanMs = (profile.endTime - profile.startTime) / 1000;
  const busyMs = [...selfUs.values()].reduce((a, b) => a + b, 0) / 1000;
  const top = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
  const slots = Math.ceil(spanMs / 20);
  const timeline = Array.from({ length: slots }, (_, s) => String(Math.round((slotUs.get(s) ?? 0) / 1000)).padStart(3)).join('');
  return [
    `  page main thread: ${busyMs.toFixed(0)} ms of JavaScript over ${spanMs.toFixed(0)} ms profiled (garbage collection ${(gcUs / 1000).toFixed(0)} ms)`,
    `  busy ms per 20 ms slot from the profile's start:${timeline}`,
    ...top.map(([key, us]) => `    ${(us / 1000).toFixed(1).padStart(6)} ms  ${key}`),
  ].join('\n');
}
