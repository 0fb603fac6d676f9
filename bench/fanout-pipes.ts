/**
 * Media fan-out of one process against two processes joined by a pipe, in one run.
 *
 * One VP8-typed producer fed by generated RTP over a PlainTransport (lib/rtpSource.ts), N
 * consumers on PlainTransports, each sending to its own UDP sink in this process
 * (lib/rtpSinks.ts), as bench/fanout.ts does. Two set-ups, built side by side at each N and
 * measured in alternating turns (ABBA; only the set-up measured has its source running):
 *   - one: one "process": a WorkerPool of 1 worker and its MediaRooms; the producer and all N
 *          consumers on the room's router (the baseline);
 *   - two: two "processes": two WorkerPools of 1 worker each, each with its MediaRooms and
 *          MediaPipes, joined by the in-memory PipeBus (createMemoryBus, as in
 *          test/media-pipes.test.ts; over Redis only the few set-up messages would travel
 *          differently, media never crosses the bus). The producer on A, N/2 consumers on A,
 *          N/2 on B consuming the producer's twin that MediaPipes piped in (SRTP + RTX on the
 *          pipe, as in production).
 * Each half also gets one delay probe (lib/delayProbe.ts), one more consumer whose sink keeps
 * every packet's delay: in "two" the per-packet difference of B's probe and A's is the extra
 * latency of the piped path (the pipe hop: SRTP both ways, loopback UDP, the twin producer,
 * and B's worker reaching its consumers). In "one" both probes are on the same router and the
 * same difference is the noise floor: a worker serves a producer's consumers in an arbitrary
 * (hash-set) order, and this process reads the sockets in its own.
 *
 * How the producer gets piped: MediaRoom.produce takes a participant's WebRTC send transport
 * only, and plain RTP cannot enter one. MediaPipes pipes a room's local producers, i.e. those
 * its peers own, when a link opens. So the rig joins one real Peer (MediaRoom.join, receive
 * transport only) as the publisher, records the PlainTransport producer among that peer's
 * producers, as MediaRoom.produce does, and only then links A with B: the link's own opening
 * pipes it out, the path of a participant who was sending before a second process joined the
 * room. Everything after that (pipe consumer, producer:open over the bus, the twin producer,
 * B's consumers of it) is the product's code.
 *
 * Reported per N and set-up: loss at the sinks (late > LATE_MS counts as lost, as in fanout),
 * also per half; pipe loss (producer vs its twin); worker CPU per worker (getResourceUsage, as
 * fanout) with run-queue wait (lib/procCounters.ts), total and per 100 consumers on the workers
 * (probes included); each probe's median delay and the paired extra latency; this process's
 * CPU; then the ratios two/one. The summary fits total worker CPU over N per set-up: the
 * slopes are the cost per consumer, the intercepts the fixed cost, and their difference what
 * the pipe costs whatever N.
 *
 * How to read it. On a 2-core machine the two workers share the cores with each other and with
 * this process (source, sinks: at N=400 this process reads 40,000 datagrams/s), so "two" does
 * not show the capacity a second machine would add. It shows the cost of the pipe: per remote
 * process, one extra consumer on A (the pipe consumer, encrypting) and one extra producer on B
 * (decrypting), paid once per producer and process whatever N. Total worker CPU two/one near
 * 1.00 with an intercept difference of a few points of a core means the pipe is cheap; the
 * busiest worker two/one (near 0.5 when the split halves the work) is what a second machine
 * would relieve. Loss in "two" with a worker's CPU wait high is the shared cores, not the pipe.
 * The probes' delays include this process's receive queue: every consumer's datagrams land in
 * this one event loop, a burst of N per packet sent, so the extra latency is the pipe hop only
 * where that queue is short (small N, extra close to the one-process noise floor); at large N
 * B's burst comes in behind A's and waits for it here. The slower probe's median, one against
 * two, says whether the far half is served later end to end. Absolute figures describe this
 * host; compare ratios across runs.
 *
 * Environment (optional): FANOUT_PIPES_STEPS="100,200,400", FANOUT_PIPES_SCALE (multiplies
 * every step; rounded to even), FANOUT_PIPES_WINDOW_S (counted seconds per set-up and step),
 * FANOUT_PIPES_ROUNDS (turns per set-up and step), FANOUT_PIPES_BUDGET_S.
 */
import os from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { z } from 'zod';
import { RtpCapabilitiesSchema } from '../signaling/schemas.js';
import { MediaPipes } from '../server/cluster/MediaPipes.js';
import { createMemoryBus, type PipeBus } from '../server/cluster/pipeBus.js';
import { loadConfig } from '../server/config.js';
import { createLogger, type Logger } from '../server/log.js';
import type { MediaRoom } from '../server/media/MediaRoom.js';
import { MediaRooms } from '../server/media/MediaRooms.js';
import type { MediaAppData, Peer } from '../server/media/Peer.js';
import type { RtcListenOptions } from '../server/media/transports.js';
import { WorkerPool } from '../server/media/WorkerPool.js';
import { formatHeader, formatRatios, formatRow, summarize, toSetupResult, type Setup, type SetupResult } from './lib/pipesReport.js';
import { LATE_MS, SETTLE_MS, WARMUP_MAX_MS } from './lib/fanoutRig.js';
import { SplitFanoutRig, type ConsumerSide, type SplitRigOptions, type SplitSample } from './lib/splitFanoutRig.js';

const Env = z.object({
  FANOUT_PIPES_STEPS: z
    .string()
    .default('100,200,400')
    .transform((s) => s.split(',').map(Number))
    .pipe(z.array(z.number().int().min(2).max(5000)).min(1)),
  FANOUT_PIPES_SCALE: z.coerce.number().positive().max(10).default(1),
  FANOUT_PIPES_WINDOW_S: z.coerce.number().min(1).max(30).default(10),
  FANOUT_PIPES_ROUNDS: z.coerce.number().int().min(1).max(20).default(4),
  FANOUT_PIPES_BUDGET_S: z.coerce.number().min(10).max(900).default(200),
});

/** How long B may take to make the piped producer's twin. */
const PIPE_TIMEOUT_MS = 10_000;
const PUBLISHER = 'publisher';

/** One "process": its worker pool, media rooms and, with a second process, its pipes. */
type Proc = {
  id: string;
  pool: WorkerPool;
  rooms: MediaRooms;
  worker: types.Worker;
  pipes: MediaPipes | null;
  /** Set when the worker died: the run's results are void. */
  died: Error | null;
};

async function startProc(id: string, listen: RtcListenOptions, logger: Logger, bus: PipeBus | null): Promise<Proc> {
  const pool = await WorkerPool.create({ size: 1, listen, logger });
  const rooms = new MediaRooms(pool, logger);
  const [worker] = pool.workers;
  if (!worker) throw new Error('WorkerPool started no worker');
  const pipes = bus ? new MediaPipes({ bus, rooms, listen, logger }) : null;
  const proc: Proc = { id, pool, rooms, worker, pipes, died: null };
  pool.on('workerdied', (pid) => {
    proc.died = new Error(`${id}: worker ${pid} died`);
  });
  return proc;
}

async function stopProc(proc: Proc): Promise<void> {
  proc.pipes?.close();
  await proc.rooms.close();
  proc.pool.close();
}

/** A participant of `room` who publishes without a browser: see the header. */
async function joinPublisher(room: MediaRoom): Promise<Peer> {
  const { peer } = await room.join(PUBLISHER, PUBLISHER, RtpCapabilitiesSchema.parse(room.router.rtpCapabilities), () => undefined, {
    canSend: false,
  });
  return peer;
}

/** Records `producer` as the publisher's own, as MediaRoom.produce does with a browser's. */
function publish(peer: Peer, producer: types.Producer<MediaAppData>): void {
  peer.producers.set(producer.id, producer);
  producer.observer.once('close', () => peer.producers.delete(producer.id));
}

async function until<T>(get: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A set-up built at one N, and how to take it down. */
type Built = { setup: Setup; rig: SplitFanoutRig; close(): Promise<void> };

let roomsOpened = 0;

/** (a): producer and both halves on one process's room. */
async function buildOne(proc: Proc, consumers: number, options: SplitRigOptions): Promise<Built> {
  const room = await proc.rooms.get(`fanout-one-${++roomsOpened}`);
  const peer = await joinPublisher(room);
  const half = consumers / 2;
  try {
    const rig = await SplitFanoutRig.open(room.router, options, async (producer) => {
      publish(peer, producer);
      const side = { router: room.router, worker: proc.worker, producer, consumers: half };
      return [
        { name: 'A1', ...side },
        { name: 'A2', ...side },
      ];
    });
    return { setup: 'one', rig, close: async () => closeRig(rig, room, peer, null) };
  } catch (error) {
    room.leave(peer);
    throw error;
  }
}

/** (b): producer and one half on A, the other half on B's twin of it, through MediaPipes. */
async function buildTwo(a: Proc, b: Proc, consumers: number, options: SplitRigOptions): Promise<Built> {
  const roomId = `fanout-two-${++roomsOpened}`;
  const roomA = await a.rooms.get(roomId);
  // B has the room's router because it has media for it; nobody on B needs a peer for that.
  const roomB = await b.rooms.get(roomId);
  const peer = await joinPublisher(roomA);
  const half = consumers / 2;
  try {
    const rig = await SplitFanoutRig.open(roomA.router, options, async (producer) => {
      publish(peer, producer);
      // NOTE: linked after the producer is the publisher's: the link's opening pipes every
      // local producer of the room (PipeLink #open → pipeOut).
      a.pipes?.link(roomId, b.id);
      const twin = await until(
        () => roomB.remoteProducers().find((p) => p.id === producer.id),
        `the twin of ${producer.id} on ${b.id}`,
        PIPE_TIMEOUT_MS,
      );
      const sides: ConsumerSide[] = [
        { name: 'A', router: roomA.router, worker: a.worker, producer, consumers: half },
        { name: 'B', router: roomB.router, worker: b.worker, producer: twin, consumers: half },
      ];
      return sides;
    });
    return { setup: 'two', rig, close: async () => closeRig(rig, roomA, peer, { room: roomB, a, b }) };
  } catch (error) {
    roomA.leave(peer);
    roomB.close();
    throw error;
  }
}

/** The far side of a two-process set-up: B's room, and the two processes. */
type FarSide = { room: MediaRoom; a: Proc; b: Proc };

async function closeRig(rig: SplitFanoutRig, room: MediaRoom, peer: Peer, far: FarSide | null): Promise<void> {
  await rig.close();
  if (far) {
    // NOTE: unlinked before the rooms close: a router closing under an open link closes its
    // pipe transport first, which PipeLink takes for a failure (a WARN on each side).
    const { a, b } = far;
    a.pipes?.unlink(room.id, b.id);
    await until(() => (b.pipes?.linkState(room.id, a.id) === null ? true : undefined), 'the link dropped on B', PIPE_TIMEOUT_MS);
  }
  // The publisher's leaving empties the room: MediaRooms closes it. B's room has no peer to
  // leave, so it is closed here; MediaRooms keeps its entry, hence a fresh room id per build.
  room.leave(peer);
  far?.room.close();
}

async function runStep(
  procs: { one: Proc; a: Proc; b: Proc },
  consumers: number,
  options: SplitRigOptions,
  windowMs: number,
  rounds: number,
  stepIndex: number,
): Promise<Record<Setup, SetupResult>> {
  const built: Built[] = [];
  try {
    built.push(await buildOne(procs.one, consumers, options));
    built.push(await buildTwo(procs.a, procs.b, consumers, options));
    for (const { rig } of built) await rig.warmUp(WARMUP_MAX_MS);
    const samples: Record<Setup, SplitSample[]> = { one: [], two: [] };
    for (let round = 0; round < rounds; round++) {
      // ABBA: who goes first alternates by round and by step.
      const ordered = (round + stepIndex) % 2 === 0 ? built : [...built].reverse();
      for (const { setup, rig } of ordered) samples[setup].push(await rig.measure(SETTLE_MS, windowMs / rounds));
    }
    const died = procs.one.died ?? procs.a.died ?? procs.b.died;
    if (died) throw died;
    const result = (setup: Setup): SetupResult => {
      const b = built.find((x) => x.setup === setup);
      if (!b) throw new TypeError(`${setup} not built`);
      return toSetupResult(setup, consumers, b.rig.consumers, samples[setup], b.rig.setupMs);
    };
    return { one: result('one'), two: result('two') };
  } finally {
    for (const b of built) await b.close();
  }
}

const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const steps = env.FANOUT_PIPES_STEPS.map((n) => Math.max(2, 2 * Math.round((n * env.FANOUT_PIPES_SCALE) / 2)));
  const windowMs = env.FANOUT_PIPES_WINDOW_S * 1000;
  const budgetMs = env.FANOUT_PIPES_BUDGET_S * 1000;
  const startedAt = performance.now();
  // A hung worker or socket must not keep the run alive forever.
  setTimeout(() => {
    console.error('fanout-pipes: watchdog: the run overran its budget by 60 s; exiting');
    process.exit(2);
  }, budgetMs + 60_000).unref();

  const config = loadConfig({ LOG_LEVEL: 'warn' });
  if (config.rtc.listenIp !== '127.0.0.1') throw new Error(`unexpected listen ip ${config.rtc.listenIp}`);
  const logger = createLogger('warn', 'bench');
  // The same stream as fanout: 25 frames/s × 4 packets × 1,000 bytes ≈ 820 kbit/s per consumer.
  const source = { ssrc: 0x5eed0002, payloadType: 101, fps: 25, packetsPerFrame: 4, payloadBytes: 1000, keyFrameIntervalMs: 2000 };
  const options: SplitRigOptions = { setupConcurrency: 32, lateMs: LATE_MS, source, appData: { peerId: PUBLISHER, source: 'camera' } };
  console.log(
    `fanout-pipes: ${os.availableParallelism()} cores, mediasoup ${mediasoup.version}, steps ${steps.join(',')}, ` +
      `${env.FANOUT_PIPES_WINDOW_S}s per set-up and step in ${env.FANOUT_PIPES_ROUNDS} turns, ` +
      `${source.fps * source.packetsPerFrame} pkt/s of ${source.payloadBytes} B per consumer, load average ${loadAverage()}`,
  );

  const started: Proc[] = [];
  try {
    const [busA, busB] = createMemoryBus(['proc-a', 'proc-b']);
    if (!busA || !busB) throw new Error('two buses expected');
    const one = await startProc('one', config.rtc, logger, null);
    started.push(one);
    const a = await startProc('proc-a', config.rtc, logger, busA);
    started.push(a);
    const b = await startProc('proc-b', config.rtc, logger, busB);
    started.push(b);

    const results: Record<Setup, SetupResult[]> = { one: [], two: [] };
    /** Set-up time per consumer at the last step, for the budget check. */
    let msPerConsumer = 2;
    console.log(formatHeader());
    for (const [index, consumers] of steps.entries()) {
      const turnsMs = 2 * env.FANOUT_PIPES_ROUNDS * SETTLE_MS + 2 * windowMs;
      const estimateMs = turnsMs + 2 * consumers * msPerConsumer + 2 * 1000;
      if (performance.now() - startedAt + estimateMs > budgetMs) {
        console.log(`fanout-pipes: stopping before N=${consumers}: it could overrun the ${env.FANOUT_PIPES_BUDGET_S}s budget`);
        break;
      }
      const step = await runStep({ one, a, b }, consumers, options, windowMs, env.FANOUT_PIPES_ROUNDS, index);
      msPerConsumer = Math.max(1, step.one.setupMs / consumers, step.two.setupMs / consumers);
      console.log(formatRow(step.one));
      console.log(formatRow(step.two));
      console.log(formatRatios(step.one, step.two));
      results.one.push(step.one);
      results.two.push(step.two);
    }
    console.log(`fanout-pipes: load average at the end ${loadAverage()}, ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
    for (const line of summarize(results)) console.log(line);
  } finally {
    for (const proc of started) await stopProc(proc);
  }
}

main().catch((error: unknown) => {
  console.error('fanout-pipes: failed:', error);
  process.exitCode = 1;
});
