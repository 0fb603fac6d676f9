/**
 * Audience media benchmark: how many viewers (each with an active consumer of the program
 * video) one process carries for one room, with 1 media worker and with 2, in the same run.
 *
 * The rigs are the product's path: WorkerPool + MediaRooms + AudienceMedia. The chair's camera
 * is a synthetic VP8 stream (lib/rtpSource.ts: a fixed packet schedule, key frames on request)
 * entering the room's router as a producer from elsewhere; the program carries it (the room
 * state says the chair is there and nobody holds the floor). N viewers are opened with
 * `openViewer` — so AudienceMedia places them, least-loaded worker first — and each one's
 * program video is consumed on a PlainTransport on the viewer's audience router, sending to a
 * UDP sink in a thread of this process (lib/sinkThread.ts: the sinks' packets must not delay the
 * program's relay, which runs on the main thread as in the server).
 *
 * Why PlainTransports next to the viewers' WebRTC transports: a WebRTC transport forwards only
 * once ICE and DTLS are up, and a WebRTC client per viewer (the Node WebRTC stack decodes what
 * it receives) would take the two cores long before the workers. The plain consumer is the same
 * forwarding code in the worker without the SRTP encryption, so the absolute figures are an
 * upper bound of WebRTC viewers; both rigs pay the same way, and the ratio is the figure.
 *
 * How capacity is measured without sampling a busy machine's clock: at a fixed N, each rig's
 * source runs in turns (ABBA, only one rig sending at a time); each worker's CPU time
 * (getResourceUsage, user + system) is read before and after each turn, and divided by the
 * stream-seconds the source sent in that turn (packets sent ÷ packets per second). That is CPU
 * per second of program per worker, a count over a count; the clock only paces the source.
 * Each rig has two kinds of turn: with the viewers' consumers paused (the room's router taking
 * the source, the program fed into each audience router, the idle transports' timers) and
 * resumed (that plus forwarding to every viewer); both are printed. A worker carrying n viewers
 * at c ms per stream-second would be full (one core, 1,000 ms) at n × 1,000 ÷ c viewers: all
 * of its cost is counted as growing with its viewers, which undercounts a little (the room's
 * part does not grow) and alike for both rigs. Viewers arrive spread as AudienceMedia places
 * them (the shares measured here), so a rig's capacity is the audience at which its first
 * worker is full: min over workers of (n × 1,000 ÷ c ÷ its share).
 * The loaded turns must also deliver (loss < 1 % at the sinks, late packets counted as lost):
 * a saturated rig would under-report its CPU.
 *
 * Environment (optional): AUDIENCE_VIEWERS (N, default 200), AUDIENCE_WINDOW_S (counted seconds
 * per turn), AUDIENCE_ROUNDS (turns per rig).
 */
import os from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { z } from 'zod';
import type { Participant, RoomState } from '../signaling/room/state.js';
import { emptyRoom } from '../signaling/room/state.js';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/log.js';
import type { ViewerMedia } from '../server/media/AudienceMedia.js';
import { MediaRooms } from '../server/media/MediaRooms.js';
import { WorkerPool } from '../server/media/WorkerPool.js';
import { LATE_MS, mapLimited, plainConsumer, SETTLE_MS, WARMUP_MAX_MS } from './lib/fanoutRig.js';
import { SinkHost } from './lib/sinkHost.js';
import { readRunQueueWaitMs } from './lib/procCounters.js';
import { STARVED_WAIT_PCT } from './lib/fanoutReport.js';
import { RtpSource } from './lib/rtpSource.js';

const Env = z.object({
  AUDIENCE_VIEWERS: z.coerce.number().int().min(10).max(5000).default(200),
  AUDIENCE_WINDOW_S: z.coerce.number().min(1).max(30).default(4),
  AUDIENCE_ROUNDS: z.coerce.number().int().min(1).max(10).default(2),
});

const HOST = '127.0.0.1';
/** A turn losing this much is void: its worker could not keep up, its CPU is not the cost. */
const LOSS_LIMIT_PCT = 1;
/** 25 frames/s × 4 packets × 1,000 bytes ≈ 820 kbit/s: a 360p-ish camera. */
const SOURCE = { ssrc: 0x5eed0002, payloadType: 101, fps: 25, packetsPerFrame: 4, payloadBytes: 1000, keyFrameIntervalMs: 2000 };
const PACKETS_PER_SECOND = SOURCE.fps * SOURCE.packetsPerFrame;

/** The room as the program reads it: the chair is in, nobody holds the floor. */
function chairOnly(roomId: string): RoomState {
  const state = emptyRoom(roomId);
  const chair: Participant = {
    id: 'chair',
    inviteId: 'bench',
    name: '主持人',
    role: 'host',
    venue: 'city',
    sector: '',
    status: 'admitted',
    online: true,
    presences: [],
    forceMuted: false,
    speeches: 0,
  };
  return { ...state, participants: { chair } };
}

type Turn = { cpuMsByWorker: number[]; waitPct: number | null; turnSent: number; received: number; expected: number; late: number; silent: number; maxDelayMs: number };

/** One process's audience media with `workers` workers, N viewers and their sinks. */
class Rig {
  readonly workers: number;
  readonly #pool: WorkerPool;
  readonly #rooms: MediaRooms;
  readonly #source: RtpSource;
  readonly #sinks: SinkHost;
  readonly #viewers: ViewerMedia[];
  readonly #consumers: types.Consumer[];
  /** Viewers per worker (pool order), as AudienceMedia placed them. */
  readonly placement: number[];

  private constructor(workers: number, pool: WorkerPool, rooms: MediaRooms, source: RtpSource, sinks: SinkHost, viewers: ViewerMedia[], consumers: types.Consumer[], placement: number[]) {
    this.workers = workers;
    this.#pool = pool;
    this.#rooms = rooms;
    this.#source = source;
    this.#sinks = sinks;
    this.#viewers = viewers;
    this.#consumers = consumers;
    this.placement = placement;
  }

  static async open(workers: number, viewers: number): Promise<Rig> {
    const config = loadConfig({ LOG_LEVEL: 'warn' });
    const logger = createLogger('warn', 'bench');
    const pool = await WorkerPool.create({ size: workers, listen: config.rtc, logger, maxTransportsPerWorker: 100_000 });
    const roomId = `audience-${workers}`;
    const state = chairOnly(roomId);
    const rooms = new MediaRooms(pool, logger, { roomState: async () => state });
    const opened: ViewerMedia[] = [];
    // The first viewer opens the audience and holds the room's media open.
    opened.push(await rooms.audience.openViewer(roomId, 'viewer-0'));
    const room = await rooms.get(roomId);
    const send = await room.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: HOST }, rtcpMux: true, comedia: true });
    const producer = await send.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: SOURCE.payloadType, clockRate: 90_000, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] }],
        encodings: [{ ssrc: SOURCE.ssrc }],
      },
      appData: { peerId: 'chair', source: 'camera' as const },
    });
    await room.addRemoteProducer('bench', producer);
    const source = await RtpSource.open({ ...SOURCE, port: send.tuple.localPort });
    const more = await mapLimited(Array.from({ length: viewers - 1 }, (_, i) => i + 1), 16, (i) => rooms.audience.openViewer(roomId, `viewer-${i}`));
    opened.push(...more);
    const outlets = await rooms.audience.outlets(roomId);
    const sinks = await SinkHost.open(viewers, LATE_MS);
    const consumers = await mapLimited(opened, 16, async (viewer, index) => {
      const outlet = outlets.find((o) => o.router.id === viewer.routerId);
      const video = outlet?.producers.find((p) => p.kind === 'video');
      if (!outlet || !video) throw new Error(`no program outlet for viewer ${index}`);
      const port = sinks.ports[index];
      if (port === undefined) throw new Error(`no sink ${index}`);
      const { consumer, ssrc } = await plainConsumer(outlet.router, video.id, port);
      await sinks.expectSsrc(index, ssrc);
      return consumer;
    });
    // NOTE: resumed once every sink is there; each resume asks the program for a key frame,
    // which the program asks of the source.
    await mapLimited(consumers, 16, (consumer: types.Consumer) => consumer.resume());
    const byRouter = await rooms.audience.viewersByRouter(roomId);
    // One outlet per worker: in the pool's worker order, as the CPU readings are.
    const placement = pool.workers.map((worker) => {
      const outlet = outlets.find((o) => pool.workerOf(o.router) === worker);
      return outlet ? (byRouter.get(outlet.router.id)?.length ?? 0) : 0;
    });
    return new Rig(workers, pool, rooms, source, sinks, opened, consumers, placement);
  }

  /** Sends until every sink hears the program (or the time is up), then pauses. */
  async warmUp(): Promise<number> {
    this.#source.resume();
    const deadline = performance.now() + WARMUP_MAX_MS * 2;
    while ((await this.#sinks.live()) < this.#viewers.length && performance.now() < deadline) await sleep(50);
    this.#source.pause();
    return this.#sinks.live();
  }

  /**
   * One turn (see the header): worker CPU read only while the source is paused, before and
   * after, so no reading waits on a busy worker's channel.
   */
  async turn(windowMs: number, viewersPaused: boolean): Promise<Turn> {
    await mapLimited(this.#consumers, 32, (c) => (viewersPaused ? c.pause() : c.resume()));
    const before = await this.#cpu();
    const waitBefore = await this.#waits();
    const spanStarted = performance.now();
    const sent0 = this.#source.sent;
    this.#source.resume();
    let counted;
    try {
      await sleep(SETTLE_MS);
      const windowSent0 = this.#source.sent;
      await this.#sinks.openWindow();
      await sleep(windowMs);
      counted = await this.#sinks.closeWindow(this.#source.sent - windowSent0);
    } finally {
      this.#source.pause();
    }
    const turnSent = this.#source.sent - sent0;
    // Let the workers work off what is queued before the second reading.
    await sleep(300);
    const after = await this.#cpu();
    const waitAfter = await this.#waits();
    const spanMs = performance.now() - spanStarted;
    if (this.#source.error) throw this.#source.error;
    // The longest any of the rig's processes (its workers, this one with the relay) waited for a CPU.
    const waits = waitAfter.map((w, i) => (w === null || waitBefore[i] === null || waitBefore[i] === undefined ? null : w - waitBefore[i]));
    const waitPct = waits.some((w) => w === null) ? null : (100 * Math.max(...waits.map((w) => w ?? 0))) / spanMs;
    return { cpuMsByWorker: after.map((ms, i) => ms - (before[i] ?? 0)), waitPct, turnSent, ...counted };
  }

  /** Time each worker and this process have waited for a CPU so far (Linux; null elsewhere). */
  async #waits(): Promise<Array<number | null>> {
    return Promise.all([...this.#pool.pids, process.pid].map((pid) => readRunQueueWaitMs(pid)));
  }

  async #cpu(): Promise<number[]> {
    return Promise.all(
      this.#pool.workers.map(async (worker) => {
        const usage = await worker.getResourceUsage();
        return usage.ru_utime + usage.ru_stime;
      }),
    );
  }

  async close(): Promise<void> {
    await this.#source.close();
    await this.#sinks.close();
    for (const viewer of this.#viewers) viewer.close();
    await this.#rooms.close();
    this.#pool.close();
  }
}

type Summary = { fixedMs: number[]; loadedMs: number[]; lossPct: number; maxDelayMs: number; capacity: number; waitPct: number | null };

/** Worker CPU per stream-second over some turns, by worker. */
function cpuPerStreamSecond(turns: Turn[]): number[] {
  const workers = turns[0]?.cpuMsByWorker.length ?? 0;
  const streamSeconds = turns.reduce((s, t) => s + t.turnSent, 0) / PACKETS_PER_SECOND;
  return Array.from({ length: workers }, (_, w) => turns.reduce((s, t) => s + (t.cpuMsByWorker[w] ?? 0), 0) / streamSeconds);
}

/** See the header: the audience at which the rig's first worker needs a whole core. */
function summarize(fixed: Turn[], loaded: Turn[], placement: number[]): Summary {
  const fixedMs = cpuPerStreamSecond(fixed);
  const loadedMs = cpuPerStreamSecond(loaded);
  const total = placement.reduce((a, b) => a + b, 0);
  let capacity = Infinity;
  placement.forEach((viewers, w) => {
    if (viewers === 0) return;
    const full = (viewers * 1000) / (loadedMs[w] ?? Infinity);
    capacity = Math.min(capacity, full / (viewers / total));
  });
  const expected = loaded.reduce((s, t) => s + t.expected, 0);
  const received = loaded.reduce((s, t) => s + t.received, 0);
  return {
    fixedMs,
    loadedMs,
    lossPct: expected === 0 ? 100 : (100 * (expected - received)) / expected,
    maxDelayMs: Math.max(...loaded.map((t) => t.maxDelayMs)),
    capacity,
    waitPct: loaded.some((t) => t.waitPct === null) ? null : Math.max(...loaded.map((t) => t.waitPct ?? 0)),
  };
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const windowMs = env.AUDIENCE_WINDOW_S * 1000;
  setTimeout(() => {
    console.error('audience-media: watchdog: the run took over 10 minutes; exiting');
    process.exit(2);
  }, 600_000).unref();
  console.log(
    `audience-media: ${os.availableParallelism()} cores, mediasoup ${mediasoup.version}, ${env.AUDIENCE_VIEWERS} viewers per rig, ` +
      `${PACKETS_PER_SECOND} pkt/s of ${SOURCE.payloadBytes} B per viewer, ${env.AUDIENCE_ROUNDS} turns of ${env.AUDIENCE_WINDOW_S}s (+${SETTLE_MS / 1000}s settling) per rig, ` +
      `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  const rigs: Rig[] = [];
  try {
    for (const workers of [1, 2]) {
      const started = performance.now();
      const rig = await Rig.open(workers, env.AUDIENCE_VIEWERS);
      rigs.push(rig);
      const live = await rig.warmUp();
      console.log(
        `  ${workers} worker(s): ${env.AUDIENCE_VIEWERS} viewers placed ${rig.placement.join(' / ')} in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
          `${live} of them hear the program`,
      );
      if (live < env.AUDIENCE_VIEWERS) throw new Error(`only ${live} of ${env.AUDIENCE_VIEWERS} viewers received the program`);
    }
    const turns = new Map<Rig, { fixed: Turn[]; loaded: Turn[] }>(rigs.map((r) => [r, { fixed: [], loaded: [] }]));
    for (let round = 0; round < env.AUDIENCE_ROUNDS; round++) {
      // ABBA: who goes first alternates (rigs, and paused or resumed viewers), so load from
      // outside falls on all alike.
      for (const rig of round % 2 === 0 ? rigs : [...rigs].reverse()) {
        const mine = turns.get(rig);
        if (!mine) continue;
        for (const paused of round % 2 === 0 ? [true, false] : [false, true]) {
          (paused ? mine.fixed : mine.loaded).push(await rig.turn(windowMs, paused));
        }
      }
    }
    const summaries = rigs.map((rig) => {
      const mine = turns.get(rig);
      return { rig, summary: summarize(mine?.fixed ?? [], mine?.loaded ?? [], rig.placement) };
    });
    console.log('  workers | viewers per worker | worker CPU ms per stream-second: idle audience → with viewers | loss % | max delay ms | waited for a CPU % | capacity (viewers)');
    for (const { rig, summary } of summaries) {
      const cpu = summary.fixedMs.map((f, w) => `${f.toFixed(1)} → ${(summary.loadedMs[w] ?? 0).toFixed(1)}`).join(' / ');
      console.log(
        `  ${rig.workers}       | ${rig.placement.join(' / ').padEnd(18)} | ${cpu.padEnd(60)} | ` +
          `${summary.lossPct.toFixed(2).padStart(6)} | ${summary.maxDelayMs.toFixed(0).padStart(12)} | ${(summary.waitPct?.toFixed(0) ?? '?').padStart(17)} | ${summary.capacity.toFixed(0)}`,
      );
    }
    const [one, two] = summaries;
    if (!one || !two) throw new Error('a rig is missing');
    // A rig that lost packets is void, unless its processes were starved by other load on the
    // machine (then its delivery says nothing of it, and its CPU figures, counted in CPU time
    // and far from a full core, still stand: inconclusive, not failed).
    const lossy = summaries.filter((s) => s.summary.lossPct >= LOSS_LIMIT_PCT);
    const starved = lossy.filter((s) => s.summary.waitPct !== null && s.summary.waitPct > STARVED_WAIT_PCT);
    for (const s of lossy) {
      const why = starved.includes(s) ? `its processes waited for a CPU ${s.summary.waitPct?.toFixed(0)} % of a turn: the machine is busy, delivery inconclusive` : 'past capacity at this N: lower AUDIENCE_VIEWERS';
      console.log(`  ${s.rig.workers} worker(s): lost ${s.summary.lossPct.toFixed(2)} % — ${why}`);
    }
    const verdict = lossy.length === 0 ? '' : lossy.length === starved.length ? ' — INCONCLUSIVE (starved by other load)' : ' — VOID (loss)';
    console.log(`audience-media: capacity with 2 workers ÷ with 1 = ${(two.summary.capacity / one.summary.capacity).toFixed(2)}× (goal ≥ 1.8×)${verdict}`);
  } finally {
    for (const rig of rigs) await rig.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  console.error('audience-media: failed:', error);
  process.exitCode = 1;
});
