/**
 * Media fan-out benchmark: one VP8 producer, N consumers, all on PlainTransports over
 * 127.0.0.1, each consumer sending to its own UDP sink in this process.
 *
 * Measured, for N stepped up until loss reaches 1 % (or the steps or the time budget end):
 *   - loss: RTP packets missing at the sinks, from their sequence numbers, plus packets more
 *     than LATE_MS late (lib/rtpSinks.ts says why late counts as lost);
 *   - worker CPU: the mediasoup worker's ru_utime + ru_stime (getResourceUsage) per second of
 *     load, as % of one core, and per 100 consumers.
 * Two paths, each with one worker, the same source, sinks and transports:
 *   - ours:  WorkerPool.create + MediaRooms/MediaRoom, i.e. the product's worker settings,
 *            router placement, MEDIA_CODECS and per-room ActiveSpeakerObserver;
 *   - plain: a bare mediasoup.createWorker() + createRouter({ mediaCodecs }), no project code.
 * At each N both rigs are built side by side and measured in turns, ABBA (only the rig being
 * measured has its source running), so load from outside this process falls on both alike.
 * Turns are seconds long on purpose: an overloaded worker queues up to about a second of this
 * stream in its socket, and short turns would let it catch up during the other path's turn.
 * Worker counters are read only between turns (see FanoutRig.measure).
 * Outside load can only add loss, so a path's capacity is the largest N it passed, and a path
 * is dropped after losing ≥ 1 % at two steps in a row. A worker that lost packets while it
 * waited for a CPU more than STARVED_WAIT_PCT of the time (/proc/<pid>/schedstat) was starved
 * by other load on the host: that turn is measured once more (once per path and step), and a
 * step still starved is reported as inconclusive rather than failed; a capacity not followed by
 * a real failure is printed as a lower bound ("≥"). The kernel UDP drop counter per row is host-wide: a hint at
 * where packets went, nothing more.
 *
 * Reading the ratios (ours / plain): for max consumers, 1.00 means the product's path fans out
 * as far as bare mediasoup and below 1 it gives some away (resolution: the step grid). For
 * worker CPU per consumer, 1.00 means no extra cost and above 1 the product's path costs more.
 * The sinks share the machine's cores with the workers, so absolute figures describe this
 * host as much as mediasoup; the ratios are the figures to compare across runs.
 *
 * Environment (optional): FANOUT_STEPS="25,50,…", FANOUT_WINDOW_S (counted seconds per path
 * and step), FANOUT_ROUNDS (turns per path and step), FANOUT_BUDGET_S.
 */
import os from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { z } from 'zod';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/log.js';
import { MEDIA_CODECS } from '../server/media/mediaCodecs.js';
import { MediaRooms } from '../server/media/MediaRooms.js';
import { WorkerPool } from '../server/media/WorkerPool.js';
import { addWindows, FanoutRig, LATE_MS, SETTLE_MS, WARMUP_MAX_MS, type RigOptions, type WindowSample } from './lib/fanoutRig.js';
import {
  formatHeader,
  formatRow,
  LOSS_LIMIT_PCT,
  starvedLoss,
  summarize,
  toStepResult,
  type PathName,
  type StepResult,
} from './lib/fanoutReport.js';

const Env = z.object({
  FANOUT_STEPS: z
    .string()
    .default('25,50,100,200,400,600,800,1000,1200,1600')
    .transform((s) => s.split(',').map(Number))
    .pipe(z.array(z.number().int().min(1).max(5000)).min(1)),
  FANOUT_WINDOW_S: z.coerce.number().min(1).max(30).default(4),
  FANOUT_ROUNDS: z.coerce.number().int().min(1).max(20).default(2),
  FANOUT_BUDGET_S: z.coerce.number().min(10).max(600).default(150),
});

/** A path is dropped after losing ≥ 1 % at this many steps in a row (see the header). */
const FAILURES_TO_STOP = 2;

/** A way to get routers on one worker. */
type MediaPath = {
  name: PathName;
  worker: types.Worker;
  /** A fresh router for one step, and how to close it. */
  openRouter(tag: string): Promise<{ router: types.Router; close(): void }>;
  /** Set when the worker died: the path's results are void. */
  failure(): Error | null;
  close(): Promise<void>;
};

async function ourPath(): Promise<MediaPath> {
  const config = loadConfig({ LOG_LEVEL: 'warn' });
  if (config.rtc.listenIp !== '127.0.0.1') throw new Error(`unexpected listen ip ${config.rtc.listenIp}`);
  const logger = createLogger('warn', 'bench');
  const pool = await WorkerPool.create({ size: 1, listen: config.rtc, logger });
  const rooms = new MediaRooms(pool, logger);
  const [worker] = pool.workers;
  if (!worker) throw new Error('WorkerPool started no worker');
  let died: Error | null = null;
  pool.on('workerdied', (pid) => {
    died = new Error(`ours: worker ${pid} died`);
  });
  return {
    name: 'ours',
    worker,
    // Through MediaRooms, as a join does: the room's router, placed by the pool. Each tag is
    // used once: MediaRooms keeps a room closed other than by its last peer leaving.
    openRouter: async (tag) => {
      const room = await rooms.get(tag);
      return { router: room.router, close: () => room.close() };
    },
    failure: () => died,
    close: async () => {
      await rooms.close();
      pool.close();
    },
  };
}

async function plainPath(): Promise<MediaPath> {
  const worker = await mediasoup.createWorker();
  let died: Error | null = null;
  worker.on('died', (error) => {
    died = error;
  });
  return {
    name: 'plain',
    worker,
    openRouter: async () => {
      const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
      return { router, close: () => router.close() };
    },
    failure: () => died,
    close: async () => worker.close(),
  };
}

type Opened = { path: MediaPath; rig: FanoutRig; closeRouter(): void };

let routersOpened = 0;

/** Builds one rig per path at `options.consumers` and measures them in turns. */
async function runStep(
  paths: MediaPath[],
  options: RigOptions,
  windowMs: number,
  rounds: number,
  stepIndex: number,
): Promise<Map<PathName, StepResult>> {
  const opened: Opened[] = [];
  try {
    for (const path of paths) {
      const { router, close } = await path.openRouter(`fanout-${path.name}-${++routersOpened}`);
      let rig: FanoutRig;
      try {
        rig = await FanoutRig.open(router, path.worker, options);
      } catch (error) {
        close();
        throw error;
      }
      opened.push({ path, rig, closeRouter: close });
      await rig.warmUp(WARMUP_MAX_MS);
    }
    const sums = new Map<PathName, WindowSample>();
    const redone = new Set<PathName>();
    for (let round = 0; round < rounds; round++) {
      // ABBA order: who goes first alternates by round and by step.
      const ordered = (round + stepIndex) % 2 === 0 ? opened : [...opened].reverse();
      for (const { path, rig } of ordered) {
        let sample = await rig.measure(SETTLE_MS, windowMs / rounds);
        if (starvedLoss(sample) && !redone.has(path.name)) {
          // Other load on the host took the worker's CPU: one more try at this turn (once per
          // path and step, to bound the run).
          redone.add(path.name);
          sample = await rig.measure(SETTLE_MS, windowMs / rounds);
        }
        const sum = sums.get(path.name);
        sums.set(path.name, sum ? addWindows(sum, sample) : sample);
      }
    }
    const results = new Map<PathName, StepResult>();
    for (const { path, rig } of opened) {
      const failure = path.failure();
      if (failure) throw failure;
      const sum = sums.get(path.name);
      if (!sum) throw new Error(`no samples for ${path.name}`);
      results.set(path.name, toStepResult(options.consumers, sum, rig.setupMs, redone.has(path.name)));
    }
    return results;
  } finally {
    for (const { rig, closeRouter } of opened) {
      await rig.close();
      closeRouter();
    }
  }
}

const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const budgetMs = env.FANOUT_BUDGET_S * 1000;
  const windowMs = env.FANOUT_WINDOW_S * 1000;
  const startedAt = performance.now();
  // A hung worker or socket must not keep the run alive forever.
  setTimeout(() => {
    console.error('fanout: watchdog: the run overran its budget by 60 s; exiting');
    process.exit(2);
  }, budgetMs + 60_000).unref();

  // 25 frames/s × 4 packets × 1,000 bytes ≈ 820 kbit/s per consumer: a 360p-ish camera.
  const source = {
    ssrc: 0x5eed0001,
    payloadType: 101,
    fps: 25,
    packetsPerFrame: 4,
    payloadBytes: 1000,
    keyFrameIntervalMs: 2000,
  };
  console.log(
    `fanout: ${os.availableParallelism()} cores, mediasoup ${mediasoup.version}, ` +
      `steps ${env.FANOUT_STEPS.join(',')}, ${env.FANOUT_WINDOW_S}s per path and step in ${env.FANOUT_ROUNDS} turns, ` +
      `${source.fps * source.packetsPerFrame} pkt/s of ${source.payloadBytes} B per consumer, ` +
      `load average ${loadAverage()}`,
  );

  const paths: MediaPath[] = [];
  try {
    paths.push(await ourPath(), await plainPath());
    const results: Record<PathName, StepResult[]> = { ours: [], plain: [] };
    const failures: Record<PathName, number> = { ours: 0, plain: 0 };
    const dropped = (p: MediaPath): boolean => failures[p.name] >= FAILURES_TO_STOP;
    /** Set-up time per consumer at the last step (small steps are all fixed cost). */
    let msPerConsumer = 1;
    console.log(formatHeader());
    for (const [index, consumers] of env.FANOUT_STEPS.entries()) {
      const active = paths.filter((p) => !dropped(p));
      if (active.length === 0) break;
      // Turns, one of them redone, plus set-up and warm-up.
      const turnMs = SETTLE_MS + windowMs / env.FANOUT_ROUNDS;
      const perPathMs = (env.FANOUT_ROUNDS + 1) * turnMs + 1000 + consumers * msPerConsumer * 2;
      if (performance.now() - startedAt + active.length * perPathMs > budgetMs) {
        console.log(`fanout: stopping before N=${consumers}: it could overrun the ${env.FANOUT_BUDGET_S}s budget`);
        break;
      }
      const options: RigOptions = { consumers, setupConcurrency: 32, lateMs: LATE_MS, source };
      const step = await runStep(active, options, windowMs, env.FANOUT_ROUNDS, index);
      msPerConsumer = Math.max(1, ...[...step.values()].map((r) => r.setupMs / consumers));
      for (const [name, result] of step) {
        console.log(formatRow(name, result));
        results[name].push(result);
        // Failed or starved (inconclusive), a step that did not pass brings the path nearer
        // its end: past its capacity, or on a host too busy to measure it.
        failures[name] = result.lossPct < LOSS_LIMIT_PCT ? 0 : failures[name] + 1;
      }
    }
    console.log(`fanout: load average at the end ${loadAverage()}`);
    for (const line of summarize(results)) console.log(line);
  } finally {
    for (const path of paths) await path.close();
  }
}

main().catch((error: unknown) => {
  console.error('fanout: failed:', error);
  process.exitCode = 1;
});
