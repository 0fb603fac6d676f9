/**
 * Small things the signaling benchmarks share: percentiles, formatting, the open-files check
 * and a watchdog.
 */
import { readFileSync } from 'node:fs';

/** Percentiles of a sample, ms. */
export type Summary = { n: number; p50: number; p99: number; max: number };

/** Nearest-rank percentiles (p50, p99) and the maximum; throws on an empty sample. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  return { n: sorted.length, p50: at(50), p99: at(99), max: sorted[sorted.length - 1] ?? NaN };
}

/** Milliseconds with one decimal. */
export const ms = (value: number): string => value.toFixed(1);

/** A ratio with two decimals. */
export const times = (ours: number, base: number): string => (base > 0 ? (ours / base).toFixed(2) : 'n/a');

/** `p50 … ms p99 … ms`. */
export const percentiles = (s: Summary): string => `p50 ${ms(s.p50)} ms p99 ${ms(s.p99)} ms`;

/**
 * Stops the run early with a clear message when this process may not open `needed` files.
 * Every in-process connection costs two descriptors (client end and server end).
 */
export function requireOpenFiles(needed: number, bench: string): void {
  let limits: string;
  try {
    limits = readFileSync('/proc/self/limits', 'utf8');
  } catch (error) {
    console.warn(`${bench}: cannot read /proc/self/limits (${String(error)}); make sure \`ulimit -n\` is at least ${needed}`);
    return;
  }
  const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
  if (soft === undefined || soft === 'unlimited') return;
  if (Number(soft) < needed) {
    throw new Error(`${bench}: needs about ${needed} open files, the limit is ${soft}; run \`ulimit -n ${needed * 2}\` in this shell first`);
  }
}

/** Exits the process if the run is still going after `budgetMs` (a hung socket must not hang CI). */
export function startWatchdog(bench: string, budgetMs: number): void {
  setTimeout(() => {
    console.error(`${bench}: watchdog: still running after ${Math.round(budgetMs / 1000)} s; exiting`);
    process.exit(2);
  }, budgetMs).unref();
}
