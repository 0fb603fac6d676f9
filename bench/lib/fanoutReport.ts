/**
 * The fan-out benchmark's rows and summary: per-step figures derived from summed samples, and
 * the two ratios (max consumers, worker CPU per consumer) of our path to plain mediasoup.
 */
import type { WindowSample } from './fanoutRig.js';

/** The two paths compared. */
export type PathName = 'ours' | 'plain';

/** Loss at or above this, in %, fails a step. */
export const LOSS_LIMIT_PCT = 1;
/**
 * A worker that waited for a CPU more than this, in % of its load time, was starved by other
 * load on the host: a loss it shows says nothing about fan-out.
 */
export const STARVED_WAIT_PCT = 20;

/** One path at one N, in the units printed. */
export type StepResult = {
  consumers: number;
  /** Packets lost or late, % of expected. */
  lossPct: number;
  /** Of which late, %. */
  latePct: number;
  silentSinks: number;
  lossySinks: number;
  maxDelayMs: number;
  /** Sent by the source but never counted by the producer, % (the worker's receive side). */
  ingressLossPct: number;
  /**
   * Worker CPU time per second of this path's load, % of one core. Above 100 % the worker
   * needs more than a core: it works off the backlog after the source pauses.
   */
  workerCpuPct: number;
  /** Time the worker waited for a CPU, % of the measured span: starvation by other load. */
  workerWaitPct: number | null;
  benchCpuPct: number;
  rcvbufErrors: number | null;
  setupMs: number;
  /** A turn was measured again because the worker was starved while losing packets. */
  redone: boolean;
};

/** Whether a turn (or a step) lost packets while its worker was starved (see STARVED_WAIT_PCT). */
export function starvedLoss(w: WindowSample): boolean {
  const lossPct = w.expected === 0 ? 100 : (100 * (w.expected - w.received)) / w.expected;
  const waitPct = w.workerWaitMs === null ? null : (100 * w.workerWaitMs) / w.spanMs;
  return lossPct >= LOSS_LIMIT_PCT && waitPct !== null && waitPct > STARVED_WAIT_PCT;
}

/** A step failed on its merits: it lost too much and its worker was not starved. */
export function failed(r: StepResult): boolean {
  return r.lossPct >= LOSS_LIMIT_PCT && !(r.workerWaitPct !== null && r.workerWaitPct > STARVED_WAIT_PCT);
}

/** One path at one N, from its summed turns. */
export function toStepResult(consumers: number, w: WindowSample, setupMs: number, redone: boolean): StepResult {
  return {
    consumers,
    lossPct: w.expected === 0 ? 100 : (100 * (w.expected - w.received)) / w.expected,
    latePct: w.expected === 0 ? 0 : (100 * w.late) / w.expected,
    silentSinks: w.silent,
    lossySinks: w.lossy,
    maxDelayMs: w.maxDelayMs,
    ingressLossPct: w.turnSent === 0 ? 100 : Math.max(0, (100 * (w.turnSent - w.producerReceived)) / w.turnSent),
    workerCpuPct: (100 * w.workerCpuMs) / w.activeMs,
    workerWaitPct: w.workerWaitMs === null ? null : (100 * w.workerWaitMs) / w.spanMs,
    benchCpuPct: (100 * w.benchCpuMs) / w.activeMs,
    rcvbufErrors: w.rcvbufErrors,
    setupMs,
    redone,
  };
}

const pct = (v: number): string => `${v.toFixed(2)}%`;
const ratio = (a: number, b: number): string => (b === 0 ? 'n/a' : (a / b).toFixed(2));
const per100 = (r: StepResult): number => (100 * r.workerCpuPct) / r.consumers;

/** The column titles of `formatRow`. */
export function formatHeader(): string {
  return (
    '    N  path      loss    late  silent/lossy  max delay  ingress  worker CPU  per 100  CPU wait' +
    '  bench CPU  rcvbuf drops  setup ms  note'
  );
}

/** One printed row. */
export function formatRow(path: PathName, r: StepResult): string {
  return [
    String(r.consumers).padStart(5),
    path.padEnd(7),
    pct(r.lossPct).padStart(7),
    pct(r.latePct).padStart(7),
    `${r.silentSinks}/${r.lossySinks}`.padStart(13),
    `${r.maxDelayMs.toFixed(0)} ms`.padStart(10),
    pct(r.ingressLossPct).padStart(8),
    pct(r.workerCpuPct).padStart(11),
    pct(per100(r)).padStart(8),
    (r.workerWaitPct === null ? 'n/a' : pct(r.workerWaitPct)).padStart(9),
    pct(r.benchCpuPct).padStart(10),
    String(r.rcvbufErrors ?? 'n/a').padStart(13),
    r.setupMs.toFixed(0).padStart(9),
    note(r),
  ].join(' ');
}

function note(r: StepResult): string {
  const notes: string[] = [];
  if (r.redone) notes.push('a starved turn redone');
  if (r.lossPct >= LOSS_LIMIT_PCT && !failed(r)) notes.push('starved: inconclusive');
  return notes.join(', ');
}

/** Least-squares line of worker CPU (% of a core) over N. */
type CpuFit = { per100: number; intercept: number };

function fitCpu(points: StepResult[]): CpuFit | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, r) => s + r.consumers, 0) / n;
  const my = points.reduce((s, r) => s + r.workerCpuPct, 0) / n;
  const sxx = points.reduce((s, r) => s + (r.consumers - mx) ** 2, 0);
  const sxy = points.reduce((s, r) => s + (r.consumers - mx) * (r.workerCpuPct - my), 0);
  if (sxx === 0 || sxy <= 0) return null;
  const slope = sxy / sxx;
  return { per100: 100 * slope, intercept: my - slope * mx };
}

/**
 * The summary: max N under the loss limit per path, their ratio, and worker CPU per 100
 * consumers at the largest N both paths passed; then the line fitted to worker CPU over every
 * N both passed (its slope leaves out the producer's fixed cost) and the N at which it reaches
 * a full core. A max is exact (to the step grid) only if the next step up failed on its merits;
 * after a starved step or the last step it is a lower bound, shown "≥".
 */
export function summarize(results: Record<PathName, StepResult[]>): string[] {
  const passing = (name: PathName): StepResult[] => results[name].filter((r) => r.lossPct < LOSS_LIMIT_PCT);
  const max = (name: PathName): number => Math.max(0, ...passing(name).map((r) => r.consumers));
  const exact = (name: PathName): boolean => {
    const next = results[name].find((r) => r.consumers > max(name));
    return next !== undefined && failed(next);
  };
  const shown = (name: PathName): string => `${exact(name) ? '' : '≥'}${max(name)}`;
  const commonNs = passing('ours')
    .map((r) => r.consumers)
    .filter((n) => passing('plain').some((p) => p.consumers === n));
  const at = (name: PathName, n: number): StepResult | undefined => results[name].find((r) => r.consumers === n);
  const common = Math.max(0, ...commonNs);
  const o = at('ours', common);
  const p = at('plain', common);
  const cpu =
    o && p
      ? `worker CPU per 100 consumers at N=${common} ours ${pct(per100(o))} plain ${pct(per100(p))} ` +
        `(ratio ${ratio(per100(o), per100(p))})`
      : 'worker CPU: no common N under the loss limit';
  const bounded = exact('ours') && exact('plain') ? '' : ' (from a lower bound)';
  const maxRatio = `${ratio(max('ours'), max('plain'))}${bounded}`;
  const inconclusive = (name: PathName): number =>
    results[name].filter((r) => r.lossPct >= LOSS_LIMIT_PCT && !failed(r)).length;
  const starved =
    inconclusive('ours') + inconclusive('plain') > 0
      ? ` [starved by other load, inconclusive: ${inconclusive('ours')} step(s) ours, ${inconclusive('plain')} plain]`
      : '';
  const lines = [
    `fanout: ours ${shown('ours')} consumers/worker <1% loss, plain ${shown('plain')}; ` +
      `ratio ${maxRatio}; ${cpu}${starved}`,
  ];
  const fit = (name: PathName): CpuFit | null => fitCpu(commonNs.flatMap((n) => at(name, n) ?? []));
  const fo = fit('ours');
  const fp = fit('plain');
  if (fo && fp) {
    const full = (f: CpuFit): string => ((100 * (100 - f.intercept)) / f.per100).toFixed(0);
    lines.push(
      `fanout: fitted over N=${commonNs.join(',')}: worker CPU per 100 consumers ours ${pct(fo.per100)} ` +
        `plain ${pct(fp.per100)} (ratio ${ratio(fo.per100, fp.per100)}); ` +
        `one full core at ≈${full(fo)} consumers ours, ≈${full(fp)} plain`,
    );
  }
  return lines;
}
