/**
 * One meeting room on a WorkerPool, every participant sending and receiving video, its routers
 * managed by RoomRouters as MediaRoom uses it: each participant is placed (`place()`), sends a
 * VP8-typed RtpSource into a PlainTransport producer on its router (`madeOn`, `toHub`), and
 * receives every other participant's track on its own router (`reach`, then a consumer).
 *
 * Each participant receives on one SRTP PlainTransport, as a browser does on one DTLS-SRTP
 * transport, whose consumers send to a UdpBlackhole: those packets are encrypted and sent, not
 * counted. `sampled` of its incoming tracks (the next participants' in join order, so each
 * track is also counted by `sampled` receivers, on both routers once they alternate) go instead
 * to consumers on plain transports of their own, each to a sink of RtpSinks in a thread
 * (SinkHost), one SinkHost per router: those are counted for loss and lateness (the sinks read
 * the send time in the payload, which SRTP would encrypt). A worker that cannot keep up delays
 * or drops a producer's packets for all its consumers alike, so the sample shows it.
 *
 * Like FanoutRig, the sources run only while the rig warms up or is measured, so two rigs can
 * stand side by side and be measured in turns; worker counters are read between turns only.
 * The caller owns the pool; `close()` closes the rig's routers and everything on them.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { types } from 'mediasoup';
import { RoomRouters } from '../../server/media/RoomRouters.js';
import type { RouterAppData, WorkerPool } from '../../server/media/WorkerPool.js';
import { mapLimited, plainConsumer } from './fanoutRig.js';
import { readRunQueueWaitMs } from './procCounters.js';
import type { SinkWindow } from './rtpSinks.js';
import { RtpSource, type RtpSourceOptions } from './rtpSource.js';
import { SinkHost } from './sinkHost.js';

const HOST = '127.0.0.1';
/**
 * The suite mediasoup prefers when a browser's DTLS offers it (Chrome does): what a WebRTC
 * consumer's packets are encrypted with.
 */
const CRYPTO_SUITE: types.SrtpCryptoSuite = 'AEAD_AES_256_GCM';
/** AEAD_AES_256_GCM: a 256-bit key and a 96-bit salt. */
const SRTP_KEY_BYTES = 32 + 12;

/** How a room is built. */
export type RoomRigOptions = {
  participants: number;
  /** Incoming tracks per participant counted at sinks (the rest go to the blackhole). */
  sampled: number;
  /** Channel requests in flight while consumers are set up. */
  setupConcurrency: number;
  /** A packet later than this counts as lost (see RtpSinks), ms. */
  lateMs: number;
  /** Each participant's camera; SSRCs are numbered from `ssrc`. */
  source: Omit<RtpSourceOptions, 'port'>;
  /** Where the uncounted consumers send. */
  blackholePort: number;
};

/** One worker in one turn. */
export type WorkerTurn = {
  /** User+system CPU from just before the turn until it had handled the turn's load, ms. */
  cpuMs: number;
  /** Over the same span, how long it waited for a CPU, ms (null off Linux). */
  waitMs: number | null;
  /** Its counted sinks in the window (null: no participant on it). */
  sinks: SinkWindow | null;
};

/** What one turn measured. */
export type RoomSample = {
  /** RTP packets all sources sent in the counted window, and during the whole turn. */
  sent: number;
  turnSent: number;
  /** RTP packets the participants' producers counted over the turn. */
  producerReceived: number;
  /**
   * Over the turn, for each track piped to another router: the packets its producer counted,
   * and those its piped copy counted there (the pipe's loss is the difference).
   */
  pipedOrigin: number;
  pipedReceived: number;
  /** By worker, in the pool's order. */
  workers: WorkerTurn[];
  /** From the first worker reading to the second, ms. */
  spanMs: number;
  /** How long the sources ran (settling included), ms. */
  activeMs: number;
  /** This process's CPU while the sources ran (sources, sink threads, control), ms. */
  benchCpuMs: number;
};

type Participant = {
  router: types.Router<RouterAppData>;
  send: types.PlainTransport;
  producer: types.Producer;
  source: RtpSource;
};

/** Per router with participants: its worker's place in the pool and its counted sinks. */
type SinkSide = { router: types.Router; slot: number; sinks: SinkHost; count: number };

/** A room of N participants on one pool. */
export class RoomRig {
  readonly #pool: WorkerPool;
  readonly #routers: RoomRouters;
  readonly #participants: Participant[];
  readonly #sides: SinkSide[];
  /** The producers RoomRouters' pipes made on the room's routers (same ids as their origins). */
  readonly #piped: types.Producer[];
  /** Participants placed on each worker, in the pool's order. */
  readonly placement: number[];
  /** The pool slot of the hub's worker. */
  readonly hubSlot: number;
  /** Consumers made: N × (N − 1). */
  readonly consumers: number;
  /** Time to place the participants and make their producers, and to make and resume every consumer, ms. */
  readonly setupMs: number;
  /** Set when a router of the room lost its worker: the rig's results are void. */
  readonly #lost: { error: Error | null };
  #closed = false;

  private constructor(
    pool: WorkerPool,
    routers: RoomRouters,
    participants: Participant[],
    sides: SinkSide[],
    consumers: number,
    setupMs: number,
    lost: { error: Error | null },
    piped: types.Producer[],
  ) {
    this.#pool = pool;
    this.#piped = piped;
    this.#lost = lost;
    this.#routers = routers;
    this.#participants = participants;
    this.#sides = sides;
    this.consumers = consumers;
    this.setupMs = setupMs;
    const slotOf = (router: types.Router): number => pool.workers.findIndex((w) => w === pool.workerOf(router));
    this.placement = pool.workers.map((_, slot) => participants.filter((p) => slotOf(p.router) === slot).length);
    this.hubSlot = slotOf(routers.hub);
  }

  /** Builds the room on a fresh hub router of `pool`; the sources start paused. */
  static async open(pool: WorkerPool, options: RoomRigOptions): Promise<RoomRig> {
    const started = performance.now();
    const hub = await pool.createRouter();
    const lost: { error: Error | null } = { error: null };
    const routers = new RoomRouters(pool, hub, (router) => {
      lost.error ??= new Error(`router ${router.id} lost its worker`);
    });
    hub.once('workerclose', () => {
      lost.error ??= new Error('the hub lost its worker');
    });
    const piped: types.Producer[] = [];
    const watched = new Set<types.Router>();
    /** Records the producers the pipes into `router` make. */
    const watch = (router: types.Router): void => {
      if (watched.has(router)) return;
      watched.add(router);
      router.observer.on('newtransport', (transport) => {
        if (transport.type === 'pipe') transport.observer.on('newproducer', (producer) => piped.push(producer));
      });
    };
    watch(hub);
    const participants: Participant[] = [];
    const sides: SinkSide[] = [];
    try {
      // NOTE: one participant after the other, each with its send transport and its track
      // piped to the hub before the next is placed: `place()` counts transports, so the
      // participants alternate between the workers as joins spaced out in time would.
      for (let i = 0; i < options.participants; i++) participants.push(await join(routers, i, options, watch));

      const n = participants.length;
      const sampled = Math.min(options.sampled, n - 1);
      const counted = (receiver: number, sender: number): boolean => {
        const ahead = (sender - receiver + n) % n;
        return ahead >= 1 && ahead <= sampled;
      };
      for (const router of new Set(participants.map((p) => p.router))) {
        const count = participants.filter((p) => p.router === router).length * sampled;
        if (count === 0) continue;
        const slot = pool.workers.findIndex((w) => w === pool.workerOf(router));
        sides.push({ router, slot, sinks: await SinkHost.open(count, options.lateMs), count });
      }
      const sideOf = (router: types.Router): SinkSide => {
        const side = sides.find((s) => s.router === router);
        if (!side) throw new TypeError('no sinks for a router with participants');
        return side;
      };
      const nextSink = new Map<SinkSide, number>(sides.map((s) => [s, 0]));

      // Each participant's receiving transport: SRTP, to the blackhole.
      const receivers = await mapLimited(participants, options.setupConcurrency, async ({ router }) => {
        const transport = await router.createPlainTransport({
          listenInfo: { protocol: 'udp', ip: HOST },
          rtcpMux: true,
          comedia: false,
          enableSrtp: true,
          srtpCryptoSuite: CRYPTO_SUITE,
        });
        await transport.connect({
          ip: HOST,
          port: options.blackholePort,
          srtpParameters: { cryptoSuite: CRYPTO_SUITE, keyBase64: randomBytes(SRTP_KEY_BYTES).toString('base64') },
        });
        return transport;
      });

      const pairs: Array<{ receiver: number; sender: number; sink: number | null }> = [];
      for (let r = 0; r < n; r++) {
        for (let s = 0; s < n; s++) {
          if (r === s) continue;
          const router = participants[r]?.router;
          if (!router) throw new TypeError(`no participant ${r}`);
          let sink: number | null = null;
          if (counted(r, s)) {
            const side = sideOf(router);
            sink = nextSink.get(side) ?? 0;
            nextSink.set(side, sink + 1);
          }
          pairs.push({ receiver: r, sender: s, sink });
        }
      }
      const consumers = await mapLimited(pairs, options.setupConcurrency, async ({ receiver, sender, sink }) => {
        const me = participants[receiver];
        const them = participants[sender];
        const transport = receivers[receiver];
        if (!me || !them || !transport) throw new TypeError(`no participant ${receiver} or ${sender}`);
        const producerId = them.producer.id;
        await routers.reach(producerId, me.router);
        if (sink === null) {
          return transport.consume({ producerId, rtpCapabilities: me.router.rtpCapabilities, paused: true });
        }
        const side = sideOf(me.router);
        const port = side.sinks.ports[sink];
        if (port === undefined) throw new TypeError(`no sink ${sink}`);
        const { consumer, ssrc } = await plainConsumer(me.router, producerId, port);
        await side.sinks.expectSsrc(sink, ssrc);
        return consumer;
      });
      // NOTE: created paused like the product's consumers and resumed once every sink is
      // there; each resume asks its producer for a key frame (through the pipe for a track made
      // on another router), which the source sends.
      await mapLimited(consumers, options.setupConcurrency, (consumer) => consumer.resume());
      if (lost.error) throw lost.error;
      return new RoomRig(pool, routers, participants, sides, consumers.length, performance.now() - started, lost, piped);
    } catch (error) {
      await Promise.all(participants.map((p) => p.source.close()));
      await Promise.all(sides.map((s) => s.sinks.close()));
      routers.closeOthers();
      hub.close();
      throw error;
    }
  }

  /** Counted sinks over all routers. */
  get sinks(): number {
    return this.#sides.reduce((sum, s) => sum + s.count, 0);
  }

  /** Sends until every counted sink has heard its consumer (or `maxMs` passed), then pauses. */
  async warmUp(maxMs: number): Promise<number> {
    this.#resume();
    const deadline = performance.now() + maxMs;
    let live = 0;
    for (;;) {
      live = (await Promise.all(this.#sides.map((s) => s.sinks.live()))).reduce((a, b) => a + b, 0);
      if (live >= this.sinks || performance.now() > deadline) break;
      await sleep(100);
    }
    this.#pause();
    return live;
  }

  /**
   * One turn, as FanoutRig.measure: every source runs for `settleMs`, the sinks count for
   * `windowMs`, the sources pause. Worker counters are read just before the sources start and
   * once they have stopped (a busy worker answers its channel late, so never under load).
   */
  async measure(settleMs: number, windowMs: number): Promise<RoomSample> {
    const before = await this.#snapshot();
    const spanStartedAt = performance.now();
    const cpu0 = process.cpuUsage();
    const startedAt = performance.now();
    this.#resume();
    let activeMs: number;
    let counted: { sent: number; windows: Array<SinkWindow | null> };
    try {
      await sleep(settleMs);
      const sent0 = this.#sent();
      await Promise.all(this.#sides.map((s) => s.sinks.openWindow()));
      await sleep(windowMs);
      const sent = this.#sent() - sent0;
      // A silent sink is charged what one source sent in the window.
      const perSource = sent / this.#participants.length;
      const windows = await Promise.all(this.#sides.map((s) => s.sinks.closeWindow(perSource)));
      counted = {
        sent,
        windows: this.#pool.workers.map((_, slot) => {
          const mine = this.#sides.flatMap((s, i) => {
            const window = windows[i];
            return s.slot === slot && window ? [window] : [];
          });
          return mine.length === 0 ? null : mine.reduce(addSinkWindows);
        }),
      };
    } finally {
      this.#pause();
      activeMs = performance.now() - startedAt;
    }
    const cpu = process.cpuUsage(cpu0);
    const after = await this.#snapshot();
    const failure = this.#lost.error ?? this.#participants.map((p) => p.source.error).find((e) => e !== null);
    if (failure) throw failure;
    return {
      sent: counted.sent,
      turnSent: after.sent - before.sent,
      producerReceived: after.producerPackets - before.producerPackets,
      pipedOrigin: after.pipedOrigin - before.pipedOrigin,
      pipedReceived: after.pipedReceived - before.pipedReceived,
      workers: after.workers.map((a, slot) => {
        const b = before.workers[slot];
        if (!b) throw new TypeError(`no reading of worker ${slot}`);
        return {
          cpuMs: a.cpuMs - b.cpuMs,
          waitMs: a.waitMs === null || b.waitMs === null ? null : a.waitMs - b.waitMs,
          sinks: counted.windows[slot] ?? null,
        };
      }),
      spanMs: performance.now() - spanStartedAt,
      activeMs,
      benchCpuMs: (cpu.user + cpu.system) / 1000,
    };
  }

  /** Closes the sources, sinks and the room's routers (and all on them); safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#participants.map((p) => p.source.close()));
    await Promise.all(this.#sides.map((s) => s.sinks.close()));
    for (const p of this.#participants) p.send.close();
    this.#routers.closeOthers();
    this.#routers.hub.close();
  }

  #resume(): void {
    for (const p of this.#participants) p.source.resume();
  }

  #pause(): void {
    for (const p of this.#participants) p.source.pause();
  }

  #sent(): number {
    return this.#participants.reduce((sum, p) => sum + p.source.sent, 0);
  }

  async #snapshot(): Promise<{
    workers: Array<{ cpuMs: number; waitMs: number | null }>;
    producerPackets: number;
    pipedOrigin: number;
    pipedReceived: number;
    sent: number;
  }> {
    const sent = this.#sent();
    const workers = await Promise.all(
      this.#pool.workers.map(async (worker) => {
        const usage = await worker.getResourceUsage();
        return { cpuMs: usage.ru_utime + usage.ru_stime, waitMs: await readRunQueueWaitMs(worker.pid) };
      }),
    );
    const count = async (producer: types.Producer): Promise<number> =>
      producer.closed ? 0 : (await producer.getStats()).reduce((sum, st) => sum + st.packetCount, 0);
    const packets = await mapLimited(this.#participants, 16, (p) => count(p.producer));
    const byId = new Map(this.#participants.map((p, i) => [p.producer.id, packets[i] ?? 0]));
    const piped = await mapLimited(this.#piped, 16, count);
    return {
      workers,
      producerPackets: packets.reduce((a, b) => a + b, 0),
      pipedOrigin: this.#piped.reduce((sum, p) => sum + (byId.get(p.id) ?? 0), 0),
      pipedReceived: piped.reduce((a, b) => a + b, 0),
      sent,
    };
  }
}

/** Places participant `index`, makes its producer and source, and pipes its track to the hub. */
async function join(
  routers: RoomRouters,
  index: number,
  options: RoomRigOptions,
  watch: (router: types.Router) => void,
): Promise<Participant> {
  const router = await routers.place();
  // NOTE: before `toHub`, which makes the first pipe into this router.
  watch(router);
  const send = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: HOST }, rtcpMux: true, comedia: true });
  try {
    const ssrc = (options.source.ssrc + index) >>> 0;
    const producer = await send.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [
          {
            mimeType: 'video/VP8',
            payloadType: options.source.payloadType,
            clockRate: 90_000,
            rtcpFeedback: [{ type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
          },
        ],
        encodings: [{ ssrc }],
      },
    });
    routers.madeOn(producer, router);
    await routers.toHub(producer.id);
    const source = await RtpSource.open({ ...options.source, ssrc, port: send.tuple.localPort });
    return { router, send, producer, source };
  } catch (error) {
    send.close();
    throw error;
  }
}

function addSinkWindows(a: SinkWindow, b: SinkWindow): SinkWindow {
  return {
    received: a.received + b.received,
    late: a.late + b.late,
    expected: a.expected + b.expected,
    silent: a.silent + b.silent,
    lossy: a.lossy + b.lossy,
    maxDelayMs: Math.max(a.maxDelayMs, b.maxDelayMs),
  };
}
