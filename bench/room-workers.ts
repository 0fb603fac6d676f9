/**
 * Every core for one room: participants per room at < 1 % loss with a pool of 2 mediasoup
 * workers against a pool of 1, in one run, every participant sending and receiving video.
 *
 * Each rig is a WorkerPool (size 1 or 2, the product's worker settings) and, per step, a room
 * on it: a hub router (pool.createRouter()) and a RoomRouters over it, used as MediaRoom uses
 * it (lib/roomRig.ts). Each of the N participants is placed (`place()`: the room's router on
 * the least-loaded worker, the hub on a tie), sends a VP8-typed RtpSource (lib/rtpSource.ts)
 * into a PlainTransport producer on its router (`madeOn`, then `toHub`), and receives the N − 1
 * other tracks on its own router (`reach`, then a consumer): N producers, N × (N − 1)
 * consumers, the pipes RoomRouters makes between the workers. The camera: 25 frames/s × 2
 * packets × 1,000 B = 50 pkt/s, ≈ 410 kbit/s per track, about what a receiver takes of the
 * product's simulcast camera in a room this size (the 360p layer is capped at 300 kbit/s, the
 * 180p one at 100 kbit/s; client/src/media/encodings.ts), on the generous side.
 *
 * Each participant receives on one PlainTransport with SRTP (AEAD_AES_256_GCM), as a browser
 * receives on one DTLS-SRTP transport, so the workers pay a WebRTC consumer's encryption. What
 * differs from WebRTC consumers: no ICE or DTLS (keys given, no handshake, no consent checks),
 * no RTCP from the receiver (no NACK, no PLI after the start, no transport-cc feedback, so no
 * congestion control), and a single-stream producer (SimpleConsumer) where the product's camera
 * is simulcast (SimulcastConsumer, which also picks layers).
 *
 * What is counted: the SRTP consumers send to one UDP port nobody reads (lib/udpBlackhole.ts:
 * the worker pays forwarding, encryption and the send; the kernel drops them at the full
 * socket). For each participant, ROOM_WORKERS_SAMPLED of its incoming tracks (the next
 * participants' in join order, so each track is also counted by that many receivers, on both
 * workers once the participants alternate) go instead to consumers on plain transports of
 * their own (no SRTP: the sinks read the send time in the payload), each sending to a UDP sink
 * of lib/rtpSinks.ts in a thread (lib/sinkHost.ts), one thread per router. Loss is counted at
 * those sinks from sequence numbers, packets later than LATE_MS counting as lost, as in
 * bench/fanout.ts: a worker that cannot keep up delays or drops a producer's packets for all
 * its consumers alike, so the sample shows it. Reading every consumer in this process would
 * take about a core at the sizes measured, the core the second worker needs.
 *
 * The sources, the sink threads and this process share the machine's cores with the workers:
 * on a 2-core host the 2-worker rig's workers compete with them (and with each other's pipes
 * for the hub); the bench's own CPU is printed per row. A worker's CPU is its ru_utime + ru_stime
 * (getResourceUsage) per second of load, as % of one core, read between turns.
 *
 * Also per row, to tell where packets went: "ingress", sent by the sources but not counted by
 * their producers (the workers' receive sockets); "pipe", counted by a track's producer but not
 * by its copy piped to another router (the pipe transports' sockets, one per pair of routers,
 * carrying every track of one worker for the other).
 *
 * At each N both rigs are built side by side and measured in turns, ABBA (only the rig measured
 * has its sources running). Capacity and starvation are judged as bench/fanout.ts does: a rig's
 * capacity is the largest N it passed; a rig is dropped after two steps in a row not passing; a
 * turn that lost ≥ 1 % while a worker of the rig waited for a CPU more than STARVED_WAIT_PCT of
 * the time is measured once more (once per rig and step), and a step still starved is
 * inconclusive rather than failed; a capacity not followed by a real failure is a lower bound
 * ("≥"). On this host "starved" includes the bench's own sinks and sources.
 *
 * The goal (issue 20) is a ratio of participants ≥ 1.8. A room's forwarding grows as N × (N − 1),
 * so twice the forwarding capacity is about √2 × the participants; the ratio of streams forwarded
 * is printed next to it. The last line fits the busiest worker's CPU over N × (N − 1) at the
 * steps each rig passed and says at which N it would need a whole core: what each rig would
 * carry if its workers had a core each to themselves, which on a 2-core host shared with the
 * sinks and sources the 2-worker rig does not have.
 *
 * Environment (optional): ROOM_WORKERS_STEPS="36,40,…", ROOM_WORKERS_WINDOW_S (counted seconds
 * per rig and step), ROOM_WORKERS_ROUNDS (turns per rig and step), ROOM_WORKERS_BUDGET_S,
 * ROOM_WORKERS_SAMPLED (counted incoming tracks per participant).
 */
import os from 'node:os';
import * as mediasoup from 'mediasoup';
import { z } from 'zod';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/log.js';
import { WorkerPool } from '../server/media/WorkerPool.js';
import { LOSS_LIMIT_PCT, STARVED_WAIT_PCT } from './lib/fanoutReport.js';
import { LATE_MS, SETTLE_MS, WARMUP_MAX_MS } from './lib/fanoutRig.js';
import { RoomRig, type RoomRigOptions, type RoomSample } from './lib/roomRig.js';
import { UdpBlackhole } from './lib/udpBlackhole.js';

const Env = z.object({
  ROOM_WORKERS_STEPS: z
    .string()
    .default('36,42,46,48,50,52,54,56,58,60,62,64,66,70')
    .transform((s) => s.split(',').map(Number))
    .pipe(z.array(z.number().int().min(2).max(200)).min(1)),
  ROOM_WORKERS_WINDOW_S: z.coerce.number().min(1).max(30).default(6),
  ROOM_WORKERS_ROUNDS: z.coerce.number().int().min(1).max(20).default(2),
  ROOM_WORKERS_BUDGET_S: z.coerce.number().min(10).max(1200).default(420),
  ROOM_WORKERS_SAMPLED: z.coerce.number().int().min(1).max(200).default(4),
});

/** A rig is dropped after this many steps in a row not passing (as bench/fanout.ts). */
const FAILURES_TO_STOP = 2;
/** 25 frames/s × 2 packets × 1,000 B: see the header. */
const SOURCE = { ssrc: 0x5eed1000, payloadType: 101, fps: 25, packetsPerFrame: 2, payloadBytes: 1000, keyFrameIntervalMs: 2000 };

type Rig = { name: string; pool: WorkerPool; died: Error | null };

/** One worker of a rig at one N. */
type WorkerResult = {
  participants: number;
  hub: boolean;
  /** CPU per second of load, % of one core. */
  cpuPct: number;
  /** Time it waited for a CPU, % of the measured span. */
  waitPct: number | null;
  /** Loss at the sinks of its router, % (null: nobody on it). */
  lossPct: number | null;
};

/** One rig at one N, from its summed turns. */
type StepResult = {
  participants: number;
  consumers: number;
  sinks: number;
  lossPct: number;
  latePct: number;
  silent: number;
  lossy: number;
  maxDelayMs: number;
  /** Sent by the sources but never counted by the producers, %. */
  ingressLossPct: number;
  /** Counted by a piped track's producer but not by its copy on another router, %; null without pipes. */
  pipeLossPct: number | null;
  workers: WorkerResult[];
  benchCpuPct: number;
  setupMs: number;
  redone: boolean;
};

const lossOf = (w: { expected: number; received: number }): number => (w.expected === 0 ? 100 : (100 * (w.expected - w.received)) / w.expected);

/** The sinks of every worker of a turn, summed. */
function sinksOf(sample: RoomSample): { expected: number; received: number; late: number } {
  const sum = { expected: 0, received: 0, late: 0 };
  for (const w of sample.workers) {
    if (!w.sinks) continue;
    sum.expected += w.sinks.expected;
    sum.received += w.sinks.received;
    sum.late += w.sinks.late;
  }
  return sum;
}

/** The longest any worker of the rig waited for a CPU, % of the span (null off Linux). */
function maxWaitPct(workers: ReadonlyArray<{ waitPct: number | null }>): number | null {
  if (workers.some((w) => w.waitPct === null)) return null;
  return Math.max(...workers.map((w) => w.waitPct ?? 0));
}

/** A turn that lost packets while a worker of its rig was starved of CPU (see the header). */
function starvedTurn(sample: RoomSample): boolean {
  const waits = sample.workers.map((w) => ({ waitPct: w.waitMs === null ? null : (100 * w.waitMs) / sample.spanMs }));
  const wait = maxWaitPct(waits);
  return lossOf(sinksOf(sample)) >= LOSS_LIMIT_PCT && wait !== null && wait > STARVED_WAIT_PCT;
}

/** Lost too much, with no worker starved: a failure on its merits. */
function failed(r: StepResult): boolean {
  const wait = maxWaitPct(r.workers);
  return r.lossPct >= LOSS_LIMIT_PCT && !(wait !== null && wait > STARVED_WAIT_PCT);
}

function toStepResult(rig: RoomRig, samples: RoomSample[], redone: boolean): StepResult {
  const sum = (f: (s: RoomSample) => number): number => samples.reduce((a, s) => a + f(s), 0);
  const sinks = samples.map(sinksOf);
  const expected = sinks.reduce((a, s) => a + s.expected, 0);
  const received = sinks.reduce((a, s) => a + s.received, 0);
  const late = sinks.reduce((a, s) => a + s.late, 0);
  const activeMs = sum((s) => s.activeMs);
  const spanMs = sum((s) => s.spanMs);
  const turnSent = sum((s) => s.turnSent);
  const pipedOrigin = sum((s) => s.pipedOrigin);
  const workers = rig.placement.map((participants, slot): WorkerResult => {
    const mine = samples.map((s) => s.workers[slot]);
    const waits = mine.map((w) => w?.waitMs ?? null);
    const windows = mine.flatMap((w) => (w?.sinks ? [w.sinks] : []));
    return {
      participants,
      hub: slot === rig.hubSlot,
      cpuPct: (100 * mine.reduce((a, w) => a + (w?.cpuMs ?? 0), 0)) / activeMs,
      waitPct: waits.some((w) => w === null) ? null : (100 * waits.reduce((a: number, w) => a + (w ?? 0), 0)) / spanMs,
      lossPct:
        windows.length === 0
          ? null
          : lossOf({ expected: windows.reduce((a, w) => a + w.expected, 0), received: windows.reduce((a, w) => a + w.received, 0) }),
    };
  });
  const windows = samples.flatMap((s) => s.workers.flatMap((w) => (w.sinks ? [w.sinks] : [])));
  return {
    participants: rig.placement.reduce((a, b) => a + b, 0),
    consumers: rig.consumers,
    sinks: rig.sinks,
    lossPct: lossOf({ expected, received }),
    latePct: expected === 0 ? 0 : (100 * late) / expected,
    // Per turn and worker, summed over workers: the worst turn.
    silent: Math.max(0, ...samples.map((s) => s.workers.reduce((a, w) => a + (w.sinks?.silent ?? 0), 0))),
    lossy: Math.max(0, ...samples.map((s) => s.workers.reduce((a, w) => a + (w.sinks?.lossy ?? 0), 0))),
    maxDelayMs: Math.max(0, ...windows.map((w) => w.maxDelayMs)),
    ingressLossPct: turnSent === 0 ? 100 : Math.max(0, (100 * (turnSent - sum((s) => s.producerReceived))) / turnSent),
    pipeLossPct: pipedOrigin === 0 ? null : Math.max(0, (100 * (pipedOrigin - sum((s) => s.pipedReceived))) / pipedOrigin),
    workers,
    benchCpuPct: (100 * sum((s) => s.benchCpuMs)) / activeMs,
    setupMs: rig.setupMs,
    redone,
  };
}

const pct = (v: number): string => `${v.toFixed(2)}%`;

function formatHeader(): string {
  return (
    '    N  rig        consumers  sinks     loss     late  silent/lossy  max delay  ingress     pipe  ' +
    'per worker (* hub): participants, CPU, CPU wait, loss                       bench CPU  setup s  note'
  );
}

function formatRow(name: string, r: StepResult): string {
  const workers = r.workers
    .map(
      (w, slot) =>
        `W${slot + 1}${w.hub ? '*' : ' '} ${String(w.participants).padStart(3)} ${pct(w.cpuPct).padStart(8)} ` +
        `${(w.waitPct === null ? 'n/a' : pct(w.waitPct)).padStart(7)} ${(w.lossPct === null ? '-' : pct(w.lossPct)).padStart(7)}`,
    )
    .join(' | ');
  const notes: string[] = [];
  if (r.redone) notes.push('a starved turn redone');
  if (r.lossPct >= LOSS_LIMIT_PCT && !failed(r)) notes.push('starved: inconclusive');
  return [
    String(r.participants).padStart(5),
    name.padEnd(9),
    String(r.consumers).padStart(10),
    String(r.sinks).padStart(6),
    pct(r.lossPct).padStart(8),
    pct(r.latePct).padStart(8),
    `${r.silent}/${r.lossy}`.padStart(13),
    `${r.maxDelayMs.toFixed(0)} ms`.padStart(10),
    pct(r.ingressLossPct).padStart(8),
    (r.pipeLossPct === null ? '-' : pct(r.pipeLossPct)).padStart(7),
    workers.padEnd(75),
    pct(r.benchCpuPct).padStart(9),
    (r.setupMs / 1000).toFixed(1).padStart(8),
    notes.join(', '),
  ].join(' ');
}

/** Largest N passed, whether the next step failed on its merits (else a lower bound), and the summary lines. */
function summarize(names: [string, string], results: Map<string, StepResult[]>): string[] {
  const capacity = (name: string): { n: number; exact: boolean; inconclusive: number } => {
    const mine = results.get(name) ?? [];
    const n = Math.max(0, ...mine.filter((r) => r.lossPct < LOSS_LIMIT_PCT).map((r) => r.participants));
    const next = mine.find((r) => r.participants > n);
    return { n, exact: next !== undefined && failed(next), inconclusive: mine.filter((r) => r.lossPct >= LOSS_LIMIT_PCT && !failed(r)).length };
  };
  const [one, two] = names.map(capacity);
  if (!one || !two) throw new TypeError('two rigs expected');
  const shown = (c: { n: number; exact: boolean }): string => `${c.exact ? '' : '≥'}${c.n}`;
  const ratio = (a: number, b: number): string => (b === 0 ? 'n/a' : (a / b).toFixed(2));
  const bound = one.exact && two.exact ? '' : ' (from a lower bound)';
  const starved =
    one.inconclusive + two.inconclusive > 0
      ? ` [starved, inconclusive: ${one.inconclusive} step(s) ${names[0]}, ${two.inconclusive} ${names[1]}]`
      : '';
  const streams = (n: number): number => n * (n - 1);
  const projected = names.map((name) => fullCore(results.get(name) ?? []));
  const [p1, p2] = projected;
  const projection =
    p1 && p2
      ? `room-workers: the busiest worker's CPU fitted over the N passed (a + b × N × (N − 1)) reaches one core at ` +
        `N ≈ ${p1.n.toFixed(1)} (${names[0]}, ${p1.perThousand.toFixed(1)}% of a core per 1,000 streams) and ` +
        `N ≈ ${p2.n.toFixed(1)} (${names[1]}, ${p2.perThousand.toFixed(1)}%): ratio ${ratio(p2.n, p1.n)}, ` +
        `what the workers would carry with a core each to themselves`
      : 'room-workers: too few steps passed to fit worker CPU';
  return [
    `room-workers: participants per room under ${LOSS_LIMIT_PCT}% loss: ${names[0]} ${shown(one)}, ${names[1]} ${shown(two)}; ` +
      `ratio ${ratio(two.n, one.n)}${bound} (goal ≥ 1.8)${starved}`,
    `room-workers: streams forwarded at those N: ${streams(one.n)} and ${streams(two.n)}, ratio ${ratio(streams(two.n), streams(one.n))} ` +
      `(the step grid bounds both: the next step up is ${nextStep(results.get(names[0]) ?? [], one.n)} and ${nextStep(results.get(names[1]) ?? [], two.n)})`,
    projection,
  ];
}

/**
 * Least squares of the busiest worker's CPU (% of a core) over the streams forwarded, N × (N − 1),
 * at the steps passed, and the N at which that line reaches 100 %; null with fewer than two
 * steps or a slope that does not grow.
 */
function fullCore(results: StepResult[]): { n: number; perThousand: number } | null {
  const points = results
    .filter((r) => r.lossPct < LOSS_LIMIT_PCT)
    .map((r) => ({ x: r.participants * (r.participants - 1), y: Math.max(...r.workers.map((w) => w.cpuPct)) }));
  if (points.length < 2) return null;
  const mx = points.reduce((a, p) => a + p.x, 0) / points.length;
  const my = points.reduce((a, p) => a + p.y, 0) / points.length;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  if (sxx === 0 || sxy <= 0) return null;
  const slope = sxy / sxx;
  const streams = (100 - (my - slope * mx)) / slope;
  // N × (N − 1) = streams
  return { n: (1 + Math.sqrt(1 + 4 * streams)) / 2, perThousand: 1000 * slope };
}

function nextStep(results: StepResult[], n: number): string {
  const next = results.find((r) => r.participants > n);
  return next ? String(next.participants) : 'not measured';
}

const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function startRig(name: string, size: number): Promise<Rig> {
  const config = loadConfig({ LOG_LEVEL: 'warn' });
  if (config.rtc.listenIp !== '127.0.0.1') throw new Error(`unexpected listen ip ${config.rtc.listenIp}`);
  const pool = await WorkerPool.create({ size, listen: config.rtc, logger: createLogger('warn', 'bench') });
  const rig: Rig = { name, pool, died: null };
  pool.on('workerdied', (pid) => {
    rig.died = new Error(`${name}: worker ${pid} died`);
  });
  return rig;
}

/** Builds a room per rig at N and measures them in turns; results by rig name. */
async function runStep(
  rigs: Rig[],
  options: RoomRigOptions,
  windowMs: number,
  rounds: number,
  stepIndex: number,
): Promise<Map<string, StepResult>> {
  const built: Array<{ rig: Rig; room: RoomRig }> = [];
  try {
    for (const rig of rigs) {
      const room = await RoomRig.open(rig.pool, options);
      built.push({ rig, room });
      const live = await room.warmUp(WARMUP_MAX_MS * 2);
      if (live < room.sinks) throw new Error(`${rig.name}: only ${live} of ${room.sinks} sinks heard their consumer at N=${options.participants}`);
    }
    const samples = new Map<string, RoomSample[]>(rigs.map((r) => [r.name, []]));
    const redone = new Set<string>();
    for (let round = 0; round < rounds; round++) {
      // ABBA: who goes first alternates by round and by step.
      const ordered = (round + stepIndex) % 2 === 0 ? built : [...built].reverse();
      for (const { rig, room } of ordered) {
        let sample = await room.measure(SETTLE_MS, windowMs / rounds);
        if (starvedTurn(sample) && !redone.has(rig.name)) {
          // Something else took a worker's CPU: one more try at this turn (once per rig and step).
          redone.add(rig.name);
          sample = await room.measure(SETTLE_MS, windowMs / rounds);
        }
        samples.get(rig.name)?.push(sample);
      }
    }
    const results = new Map<string, StepResult>();
    for (const { rig, room } of built) {
      if (rig.died) throw rig.died;
      results.set(rig.name, toStepResult(room, samples.get(rig.name) ?? [], redone.has(rig.name)));
    }
    return results;
  } finally {
    for (const { room } of built) await room.close();
  }
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const budgetMs = env.ROOM_WORKERS_BUDGET_S * 1000;
  const windowMs = env.ROOM_WORKERS_WINDOW_S * 1000;
  const startedAt = performance.now();
  // A hung worker or socket must not keep the run alive forever.
  setTimeout(() => {
    console.error('room-workers: watchdog: the run overran its budget by 90 s; exiting');
    process.exit(2);
  }, budgetMs + 90_000).unref();
  console.log(
    `room-workers: ${os.availableParallelism()} cores, mediasoup ${mediasoup.version}, steps ${env.ROOM_WORKERS_STEPS.join(',')}, ` +
      `${env.ROOM_WORKERS_WINDOW_S}s per rig and step in ${env.ROOM_WORKERS_ROUNDS} turns, ` +
      `${SOURCE.fps * SOURCE.packetsPerFrame} pkt/s of ${SOURCE.payloadBytes} B per track, ` +
      `${env.ROOM_WORKERS_SAMPLED} counted tracks per participant, load average ${loadAverage()}`,
  );

  const rigs: Rig[] = [];
  const blackhole = await UdpBlackhole.open();
  try {
    rigs.push(await startRig('1 worker', 1), await startRig('2 workers', 2));
    const names: [string, string] = ['1 worker', '2 workers'];
    const results = new Map<string, StepResult[]>(names.map((n) => [n, []]));
    const failures = new Map<string, number>(names.map((n) => [n, 0]));
    /** Set-up time per consumer at the last step, for the budget check. */
    let msPerConsumer = 0.5;
    console.log(formatHeader());
    for (const [index, participants] of env.ROOM_WORKERS_STEPS.entries()) {
      const active = rigs.filter((r) => (failures.get(r.name) ?? 0) < FAILURES_TO_STOP);
      if (active.length === 0) break;
      // Turns, one of them redone, the warm-up, set-up and closing.
      const turnMs = SETTLE_MS + windowMs / env.ROOM_WORKERS_ROUNDS;
      const perRigMs = (env.ROOM_WORKERS_ROUNDS + 1) * turnMs + 2000 + participants * (participants - 1) * msPerConsumer * 1.5;
      if (performance.now() - startedAt + active.length * perRigMs > budgetMs) {
        console.log(`room-workers: stopping before N=${participants}: it could overrun the ${env.ROOM_WORKERS_BUDGET_S}s budget`);
        break;
      }
      const options: RoomRigOptions = {
        participants,
        sampled: env.ROOM_WORKERS_SAMPLED,
        setupConcurrency: 32,
        lateMs: LATE_MS,
        source: SOURCE,
        blackholePort: blackhole.port,
      };
      const step = await runStep(active, options, windowMs, env.ROOM_WORKERS_ROUNDS, index);
      msPerConsumer = Math.max(0.5, ...[...step.values()].map((r) => r.setupMs / r.consumers));
      for (const [name, result] of step) {
        console.log(formatRow(name, result));
        results.get(name)?.push(result);
        // Failed or starved (inconclusive), a step that did not pass brings the rig nearer its end.
        failures.set(name, result.lossPct < LOSS_LIMIT_PCT ? 0 : (failures.get(name) ?? 0) + 1);
      }
    }
    console.log(`room-workers: load average at the end ${loadAverage()}, ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
    for (const line of summarize(names, results)) console.log(line);
  } finally {
    for (const rig of rigs) rig.pool.close();
    await blackhole.close();
  }
}

main().catch((error: unknown) => {
  console.error('room-workers: failed:', error);
  process.exitCode = 1;
});
