/**
 * The rows and summary of bench/fanout-pipes.ts: one process's fan-out against two processes'
 * joined by a pipe, per N, from the turns SplitFanoutRig measured.
 */
import { delayPercentiles, mergeWindows, pairedExtra } from './delayProbe.js';
import { LOSS_LIMIT_PCT, STARVED_WAIT_PCT } from './fanoutReport.js';
import type { SplitSample } from './splitFanoutRig.js';

/** The two set-ups compared: (a) one process, (b) two processes joined by a pipe. */
export type Setup = 'one' | 'two';

/** One set-up at one N, in the units printed. */
export type SetupResult = {
  setup: Setup;
  /** N: the sinks, split in two halves (one per side). */
  consumers: number;
  /** Consumers on the workers: N plus one delay probe per side. */
  onWorkers: number;
  /** Packets lost or late over all sinks, % of expected; and of which late. */
  lossPct: number;
  latePct: number;
  silent: number;
  lossy: number;
  maxDelayMs: number;
  /** Loss per side, %. */
  sideLoss: Array<{ name: string; lossPct: number }>;
  /** Sent by the source but never counted by the producer, %. */
  ingressLossPct: number;
  /** Counted by the producer but not by its piped twin, %; null without a pipe. */
  pipeLossPct: number | null;
  /** Per worker: CPU and run-queue wait, % of one core over the load time (wait: of the span). */
  workers: Array<{ name: string; cpuPct: number; waitPct: number | null }>;
  /** All workers' CPU, % of one core. */
  workerCpuPct: number;
  /** Each side's probe: median delay from the source, ms. */
  probeP50: Array<{ name: string; p50: number | null }>;
  /** How much later the second side's probe got each packet than the first side's, ms. */
  extra: { p50: number; p95: number; pairs: number } | null;
  benchCpuPct: number;
  rcvbufErrors: number | null;
  setupMs: number;
};

/** Sums one set-up's turns at one N. */
export function toSetupResult(setup: Setup, consumers: number, onWorkers: number, samples: SplitSample[], setupMs: number): SetupResult {
  const first = samples[0];
  if (!first) throw new TypeError('no samples');
  const sum = (f: (s: SplitSample) => number): number => samples.reduce((acc, s) => acc + f(s), 0);
  const sumNullable = (f: (s: SplitSample) => number | null): number | null =>
    samples.some((s) => f(s) === null) ? null : sum((s) => f(s) ?? 0);
  const activeMs = sum((s) => s.activeMs);
  const spanMs = sum((s) => s.spanMs);
  const sideNames = first.sides.map((s) => s.name);
  const sideWindows = (name: string) => samples.flatMap((s) => s.sides.filter((side) => side.name === name));
  const lossOf = (received: number, expected: number): number => (expected === 0 ? 100 : (100 * (expected - received)) / expected);
  const allSides = samples.flatMap((s) => s.sides);
  const expected = allSides.reduce((acc, s) => acc + s.sinks.expected, 0);
  const received = allSides.reduce((acc, s) => acc + s.sinks.received, 0);
  const late = allSides.reduce((acc, s) => acc + s.sinks.late, 0);
  const producerReceived = sum((s) => s.producerReceived);
  const piped = samples.flatMap((s) => s.pipedReceived);
  const workers = first.workers.map(({ name }) => {
    const of = samples.map((s) => s.workers.find((w) => w.name === name));
    const cpuMs = of.reduce((acc, w) => acc + (w?.cpuMs ?? 0), 0);
    const waits = of.map((w) => w?.waitMs ?? null);
    const waitMs = waits.some((w) => w === null) ? null : waits.reduce<number>((acc, w) => acc + (w ?? 0), 0);
    return { name, cpuPct: (100 * cpuMs) / activeMs, waitPct: waitMs === null ? null : (100 * waitMs) / spanMs };
  });
  const probes = sideNames.map((name) => ({ name, window: mergeWindows(sideWindows(name).map((s) => s.probe)) }));
  const near = probes[0];
  const far = probes[probes.length - 1];
  return {
    setup,
    consumers,
    onWorkers,
    lossPct: lossOf(received, expected),
    latePct: expected === 0 ? 0 : (100 * late) / expected,
    // Per turn the worst; over turns the worst too (as FanoutRig's addWindows).
    silent: Math.max(...allSides.map((s) => s.sinks.silent)),
    lossy: Math.max(...samples.map((s) => s.sides.reduce((acc, side) => acc + side.sinks.lossy, 0))),
    maxDelayMs: Math.max(...allSides.map((s) => s.sinks.maxDelayMs)),
    sideLoss: sideNames.map((name) => {
      const w = sideWindows(name);
      return { name, lossPct: lossOf(w.reduce((a, s) => a + s.sinks.received, 0), w.reduce((a, s) => a + s.sinks.expected, 0)) };
    }),
    ingressLossPct: Math.max(0, lossOf(producerReceived, sum((s) => s.turnSent))),
    pipeLossPct: piped.length === 0 ? null : Math.max(0, lossOf(piped.reduce((a, p) => a + p.packets, 0), producerReceived)),
    workers,
    workerCpuPct: workers.reduce((acc, w) => acc + w.cpuPct, 0),
    probeP50: probes.map(({ name, window }) => ({ name, p50: delayPercentiles(window)?.p50 ?? null })),
    extra: near && far && near !== far ? pairedExtra(near.window, far.window) : null,
    benchCpuPct: (100 * sum((s) => s.benchCpuMs)) / activeMs,
    rcvbufErrors: sumNullable((s) => s.rcvbufErrors),
    setupMs,
  };
}

const pct = (v: number): string => `${v.toFixed(2)}%`;
const ms = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(2)}`);
const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
const ratio = (b: number, a: number): string => (a === 0 ? 'n/a' : (b / a).toFixed(2));
/** Worker CPU per 100 consumers on the workers (probes included), % of one core. */
export const per100 = (r: SetupResult): number => (100 * r.workerCpuPct) / r.onWorkers;

/** The column titles of `formatRow`. */
export function formatHeader(): string {
  return (
    '    N  setup  loss    late    loss by side         pipe loss  max delay  worker CPU by worker    total    per 100' +
    '  CPU wait by worker   probe p50 ms by side  extra ms p50/p95  bench CPU  rcvbuf  setup ms'
  );
}

/** One printed row. */
export function formatRow(r: SetupResult): string {
  const bySide = (items: Array<{ name: string }>, f: (i: number) => string): string =>
    items.map((item, i) => `${item.name} ${f(i)}`).join(' ');
  return [
    String(r.consumers).padStart(5),
    r.setup.padEnd(5),
    pct(r.lossPct).padStart(6),
    pct(r.latePct).padStart(6),
    bySide(r.sideLoss, (i) => pct(r.sideLoss[i]?.lossPct ?? NaN)).padEnd(20),
    (r.pipeLossPct === null ? '-' : pct(r.pipeLossPct)).padStart(9),
    `${r.maxDelayMs.toFixed(0)} ms`.padStart(10),
    bySide(r.workers, (i) => pct(r.workers[i]?.cpuPct ?? NaN)).padEnd(22),
    pct(r.workerCpuPct).padStart(8),
    pct(per100(r)).padStart(9),
    ' ' + bySide(r.workers, (i) => {
      const w = r.workers[i]?.waitPct;
      return w === null || w === undefined ? 'n/a' : pct(w);
    }).padEnd(19),
    bySide(r.probeP50, (i) => ms(r.probeP50[i]?.p50 ?? null)).padEnd(21),
    (r.extra ? `${ms(r.extra.p50)}/${ms(r.extra.p95)}` : 'n/a').padStart(16),
    pct(r.benchCpuPct).padStart(10),
    String(r.rcvbufErrors ?? 'n/a').padStart(7),
    r.setupMs.toFixed(0).padStart(9),
    note(r),
  ].join(' ');
}

function note(r: SetupResult): string {
  const starved = r.workers.some((w) => w.waitPct !== null && w.waitPct > STARVED_WAIT_PCT);
  if (r.lossPct >= LOSS_LIMIT_PCT && starved) return ' lossy, a worker starved of CPU';
  if (r.lossPct >= LOSS_LIMIT_PCT) return ' lossy';
  return '';
}

/** The (b)/(a) line of one N. */
export function formatRatios(one: SetupResult, two: SetupResult): string {
  const busiest = (r: SetupResult): number => Math.max(...r.workers.map((w) => w.cpuPct));
  return (
    `  N=${one.consumers} two/one: worker CPU ${ratio(two.workerCpuPct, one.workerCpuPct)} ` +
    `(${signed(two.workerCpuPct - one.workerCpuPct)} points of a core), per 100 ${ratio(per100(two), per100(one))}, ` +
    `busiest worker ${ratio(busiest(two), busiest(one))}; loss one ${pct(one.lossPct)} two ${pct(two.lossPct)}; ` +
    `slower probe p50 one ${ms(slowerProbe(one))} two ${ms(slowerProbe(two))} ms`
  );
}

function slowerProbe(r: SetupResult): number | null {
  return r.probeP50.reduce<number | null>((worst, p) => (p.p50 === null ? worst : Math.max(worst ?? -Infinity, p.p50)), null);
}

/** Least-squares line of total worker CPU (% of a core) over consumers on the workers. */
function fit(points: SetupResult[]): { per100: number; intercept: number } | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, r) => s + r.onWorkers, 0) / n;
  const my = points.reduce((s, r) => s + r.workerCpuPct, 0) / n;
  const sxx = points.reduce((s, r) => s + (r.onWorkers - mx) ** 2, 0);
  const sxy = points.reduce((s, r) => s + (r.onWorkers - mx) * (r.workerCpuPct - my), 0);
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { per100: 100 * slope, intercept: my - slope * mx };
}

/**
 * The summary: the line fitted to total worker CPU over N per set-up, whose slope is the cost
 * per consumer and whose intercept is the fixed cost (the producer's receive side, plus in
 * two processes the pipe's consumer, its SRTP both ways and the twin producer); the
 * difference of the intercepts is what the pipe costs, whatever N. Then the pipe's extra
 * latency over every N.
 */
export function summarize(results: Record<Setup, SetupResult[]>): string[] {
  const lines: string[] = [];
  const a = fit(results.one);
  const b = fit(results.two);
  if (a && b) {
    lines.push(
      `fanout-pipes: fitted total worker CPU per 100 consumers one ${pct(a.per100)} two ${pct(b.per100)} ` +
        `(ratio ${ratio(b.per100, a.per100)}); fixed part one ${pct(a.intercept)} two ${pct(b.intercept)} ` +
        `(the pipe and a second worker: ${signed(b.intercept - a.intercept)} points of a core)`,
    );
  }
  const extras = results.two.flatMap((r) => (r.extra ? [`N=${r.consumers} ${ms(r.extra.p50)}/${ms(r.extra.p95)}`] : []));
  const floor = results.one.flatMap((r) => (r.extra ? [`N=${r.consumers} ${ms(r.extra.p50)}/${ms(r.extra.p95)}`] : []));
  lines.push(
    `fanout-pipes: extra latency of the piped side, ms p50/p95 (B's probe vs A's): ${extras.join(', ') || 'n/a'}; ` +
      `one process, two probes on one router (the noise floor): ${floor.join(', ') || 'n/a'}`,
  );
  return lines;
}
