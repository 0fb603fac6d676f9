/**
 * Memory of a benchmark's server process, measured stably: the process is started with
 * HEAP_PROBE_ARGS (lib/heapProbe.ts preloaded), and heapOf(pid) asks it for a few readings of
 * its heap right after a full collection, and answers their median.
 * NOTE: RSS moves with when the collector last ran and with the pages V8 and malloc keep after
 * one, so a crowd's RSS growth per viewer said 0.91× a bare connection one run and 1.51× the
 * next. The heap used right after a full collection counts only what is still reachable: what
 * the connections hold. Both servers' sockets are the same `ws` sockets underneath, so their
 * native memory (not in the heap) is alike; it is read (external, RSS) and printed all the same.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** The file a probed process writes its readings to. */
export function heapProbeFile(pid: number): string {
  return path.join(tmpdir(), `heap-probe-${pid}.json`);
}

/** The node options that preload the probe into a process also started with `--import tsx` (after it). */
export const HEAP_PROBE_ARGS: readonly string[] = ['--expose-gc', '--import', new URL('./heapProbe.ts', import.meta.url).href];

/** One reading, bytes; `seq` counts the readings of its process. */
export const HeapReading = z.object({ seq: z.number().int(), heapUsed: z.number(), external: z.number(), rss: z.number() });
export type HeapReading = z.infer<typeof HeapReading>;

/** Median memory of a process after a full collection, bytes. */
export type Heap = { heapUsed: number; external: number; rss: number };

const READING_WITHIN_MS = 30_000;
const POLL_MS = 20;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function lastReading(pid: number): HeapReading | null {
  try {
    return HeapReading.parse(JSON.parse(readFileSync(heapProbeFile(pid), 'utf8')));
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
    throw error;
  }
}

async function reading(pid: number): Promise<HeapReading> {
  const before = lastReading(pid)?.seq ?? 0;
  process.kill(pid, 'SIGUSR2');
  const until = performance.now() + READING_WITHIN_MS;
  for (;;) {
    const now = lastReading(pid);
    if (now && now.seq > before) return now;
    if (performance.now() > until) throw new Error(`no heap reading from ${pid} within ${READING_WITHIN_MS / 1000} s (is lib/heapProbe.ts preloaded?)`);
    await sleep(POLL_MS);
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** `samples` readings `apartMs` apart; the median of each figure. */
export async function heapOf(pid: number, samples = 5, apartMs = 300): Promise<Heap> {
  const readings: HeapReading[] = [];
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(apartMs);
    readings.push(await reading(pid));
  }
  return { heapUsed: median(readings.map((r) => r.heapUsed)), external: median(readings.map((r) => r.external)), rss: median(readings.map((r) => r.rss)) };
}

/** Removes a process's probe file once it is done. */
export function forgetHeapProbe(pid: number): void {
  rmSync(heapProbeFile(pid), { force: true });
}
