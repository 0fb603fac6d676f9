/**
 * A fan-out set-up whose consumers may sit on other routers than the producer: a producer on a
 * PlainTransport of the origin router, fed by an RtpSource, and per side a number of consumers
 * on PlainTransports of that side's router, each sending to its own sink, plus one DelayProbe
 * consumer. A side on another router consumes the producer piped there (its twin, same id);
 * how it got there is the caller's business (`place`), so the rig measures a one-process room
 * and a two-process room with the same code.
 *
 * Like FanoutRig, the source runs only while the rig warms up or is measured, so rigs can stand
 * side by side and be measured in turns; worker counters are read between turns only. The
 * consumer set-up repeats FanoutRig's few lines rather than reaching into that file, whose
 * helpers are private to the single-router benchmark.
 *
 * The caller owns the routers; `close()` closes what the rig made, not the routers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { types } from 'mediasoup';
import type { MediaAppData } from '../../server/media/Peer.js';
import { DelayProbe, type ProbeWindow } from './delayProbe.js';
import { mapLimited, plainConsumer } from './fanoutRig.js';
import { readRunQueueWaitMs, readUdpRcvbufErrors } from './procCounters.js';
import { RtpSinks, type SinkWindow } from './rtpSinks.js';
import { RtpSource, type RtpSourceOptions } from './rtpSource.js';

const HOST = '127.0.0.1';

/** Where some of the consumers go. */
export type ConsumerSide = {
  /** How the side is printed, e.g. "A" or "B". */
  name: string;
  router: types.Router;
  worker: types.Worker;
  /** The producer to consume on this router: the origin's, or its twin piped in. */
  producer: types.Producer;
  /** Sinks on this side (the probe comes on top). */
  consumers: number;
};

/** How a rig is built. */
export type SplitRigOptions = {
  /** Consumers set up at once (channel requests in flight). */
  setupConcurrency: number;
  /** A packet later than this counts as lost (see RtpSinks), ms. */
  lateMs: number;
  source: Omit<RtpSourceOptions, 'port'>;
  /** The producer's app data, as a participant's camera would carry it. */
  appData: MediaAppData;
};

/** One side's figures in one turn. */
export type SideSample = { name: string; sinks: SinkWindow; probe: ProbeWindow };

/** One worker's figures in one turn: CPU and run-queue wait from before the turn until it had handled it, ms. */
export type WorkerSample = { name: string; cpuMs: number; waitMs: number | null };

/** What one turn measured. */
export type SplitSample = {
  /** RTP packets the source sent in the counted window. */
  sent: number;
  /** RTP packets the source sent during the whole turn, and those the origin producer counted. */
  turnSent: number;
  producerReceived: number;
  /** Per side whose producer is a piped twin: the packets the twin counted over the turn. */
  pipedReceived: Array<{ name: string; packets: number }>;
  sides: SideSample[];
  workers: WorkerSample[];
  /** From the first worker reading to the second, ms. */
  spanMs: number;
  /** How long the source ran (settling included), ms. */
  activeMs: number;
  /** This process's CPU while the source ran (source, sinks, probes, control), ms. */
  benchCpuMs: number;
  /** Host-wide kernel UDP receive-buffer drops in the window (null off Linux). */
  rcvbufErrors: number | null;
};

type Side = ConsumerSide & { sinks: RtpSinks; probe: DelayProbe };

type Snapshot = {
  workers: Array<{ cpuMs: number; waitMs: number | null }>;
  producerPackets: number;
  piped: number[];
  sent: number;
};

/** A producer on one router and its consumers on one or more routers. */
export class SplitFanoutRig {
  readonly #sendTransport: types.PlainTransport;
  readonly #producer: types.Producer;
  readonly #source: RtpSource;
  readonly #sides: Side[];
  /** Each worker once, named after the first side on it. */
  readonly #workers: Array<{ name: string; worker: types.Worker }>;
  /** Time to create, connect and resume every consumer, ms. */
  readonly setupMs: number;
  #closed = false;

  private constructor(sendTransport: types.PlainTransport, producer: types.Producer, source: RtpSource, sides: Side[], setupMs: number) {
    this.#sendTransport = sendTransport;
    this.#producer = producer;
    this.#source = source;
    this.#sides = sides;
    this.setupMs = setupMs;
    const workers = new Map<number, { name: string; worker: types.Worker }>();
    for (const side of sides) if (!workers.has(side.worker.pid)) workers.set(side.worker.pid, { name: side.name, worker: side.worker });
    this.#workers = [...workers.values()];
  }

  /**
   * Builds the producer on `origin`, then asks `place` where the consumers go (it may pipe the
   * producer elsewhere first and wait for its twin), then builds each side. The source starts
   * paused.
   */
  static async open(
    origin: types.Router,
    options: SplitRigOptions,
    place: (producer: types.Producer<MediaAppData>) => Promise<ConsumerSide[]>,
  ): Promise<SplitFanoutRig> {
    const { payloadType, ssrc } = options.source;
    const sendTransport = await origin.createPlainTransport({ listenInfo: { protocol: 'udp', ip: HOST }, rtcpMux: true, comedia: true });
    const opened: Side[] = [];
    let source: RtpSource | null = null;
    try {
      const producer = await sendTransport.produce<MediaAppData>({
        kind: 'video',
        rtpParameters: {
          codecs: [
            {
              mimeType: 'video/VP8',
              payloadType,
              clockRate: 90_000,
              rtcpFeedback: [{ type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
            },
          ],
          encodings: [{ ssrc }],
        },
        appData: options.appData,
      });
      source = await RtpSource.open({ ...options.source, port: sendTransport.tuple.localPort });
      const placed = await place(producer);
      const setupStarted = performance.now();
      const consumers: types.Consumer[] = [];
      for (const spec of placed) {
        const side: Side = { ...spec, sinks: await RtpSinks.open(spec.consumers, options.lateMs), probe: await DelayProbe.open() };
        opened.push(side);
        consumers.push(...(await createSideConsumers(side, options.setupConcurrency)));
      }
      // NOTE: created paused like the product's consumers and resumed once every sink is
      // connected; the resume asks for a key frame (through the pipe for a far side), which the
      // source sends.
      await mapLimited(consumers, options.setupConcurrency, (consumer) => consumer.resume());
      return new SplitFanoutRig(sendTransport, producer, source, opened, performance.now() - setupStarted);
    } catch (error) {
      await source?.close();
      for (const side of opened) {
        await side.sinks.close();
        await side.probe.close();
      }
      sendTransport.close();
      throw error;
    }
  }

  /** Consumers on the workers, probes included. */
  get consumers(): number {
    return this.#sides.reduce((sum, side) => sum + side.consumers + 1, 0);
  }

  /** Sends until every sink and probe has heard its consumer (or `maxMs` passed), then pauses. */
  async warmUp(maxMs: number): Promise<void> {
    this.#source.resume();
    const deadline = performance.now() + maxMs;
    const ready = (): boolean => this.#sides.every((s) => s.sinks.live === s.consumers && s.probe.live);
    while (!ready() && performance.now() < deadline) await sleep(50);
    this.#source.pause();
  }

  /** One turn, as FanoutRig.measure: settle, count for `windowMs`, pause; counters read outside the load. */
  async measure(settleMs: number, windowMs: number): Promise<SplitSample> {
    const before = await this.#snapshot();
    const spanStartedAt = performance.now();
    const cpu0 = process.cpuUsage();
    const startedAt = performance.now();
    this.#source.resume();
    let activeMs: number;
    let counted: { sent: number; sides: SideSample[]; rcvbufErrors: number | null };
    try {
      await sleep(settleMs);
      const udp0 = await readUdpRcvbufErrors();
      const sent0 = this.#source.sent;
      for (const side of this.#sides) {
        side.sinks.openWindow();
        side.probe.openWindow();
      }
      await sleep(windowMs);
      const sent = this.#source.sent - sent0;
      const sides = this.#sides.map((side) => ({ name: side.name, sinks: side.sinks.closeWindow(sent), probe: side.probe.closeWindow() }));
      const udp1 = await readUdpRcvbufErrors();
      counted = { sent, sides, rcvbufErrors: udp0 === null || udp1 === null ? null : udp1 - udp0 };
    } finally {
      this.#source.pause();
      activeMs = performance.now() - startedAt;
    }
    const cpu = process.cpuUsage(cpu0);
    const after = await this.#snapshot();
    const failure = this.#source.error ?? this.#sides.map((s) => s.sinks.error ?? s.probe.error).find((e) => e !== null);
    if (failure) throw failure;
    const piped = this.#pipedSides();
    return {
      sent: counted.sent,
      turnSent: after.sent - before.sent,
      producerReceived: after.producerPackets - before.producerPackets,
      pipedReceived: piped.map((side, i) => ({ name: side.name, packets: (after.piped[i] ?? 0) - (before.piped[i] ?? 0) })),
      sides: counted.sides,
      workers: this.#workers.map(({ name }, i) => {
        const b = before.workers[i];
        const a = after.workers[i];
        if (!a || !b) throw new TypeError(`no reading of worker ${name}`);
        return { name, cpuMs: a.cpuMs - b.cpuMs, waitMs: a.waitMs === null || b.waitMs === null ? null : a.waitMs - b.waitMs };
      }),
      spanMs: performance.now() - spanStartedAt,
      activeMs,
      benchCpuMs: (cpu.user + cpu.system) / 1000,
      rcvbufErrors: counted.rcvbufErrors,
    };
  }

  /** Closes the rig's sockets and transports; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#source.close();
    for (const side of this.#sides) {
      await side.sinks.close();
      await side.probe.close();
    }
    // Closing the producer's transport closes the producer, its local consumers and, through
    // the pipe (producer:close), its twin and the far consumers.
    this.#sendTransport.close();
  }

  #pipedSides(): Side[] {
    return this.#sides.filter((side) => side.producer !== this.#producer);
  }

  async #snapshot(): Promise<Snapshot> {
    const packets = async (producer: types.Producer): Promise<number> =>
      (await producer.getStats()).reduce((sum, st) => sum + st.packetCount, 0);
    const workers = await Promise.all(
      this.#workers.map(async ({ worker }) => {
        const usage = await worker.getResourceUsage();
        return { cpuMs: usage.ru_utime + usage.ru_stime, waitMs: await readRunQueueWaitMs(worker.pid) };
      }),
    );
    return {
      workers,
      producerPackets: await packets(this.#producer),
      piped: await Promise.all(this.#pipedSides().map((side) => packets(side.producer))),
      sent: this.#source.sent,
    };
  }
}

/** One PlainTransport per sink, connected to it, with a paused consumer; then the probe's. */
async function createSideConsumers(side: Side, concurrency: number): Promise<types.Consumer[]> {
  const consume = (port: number) => plainConsumer(side.router, side.producer.id, port);
  const made = await mapLimited(side.sinks.ports, concurrency, async (port, index) => {
    const { consumer, ssrc } = await consume(port);
    side.sinks.expectSsrc(index, ssrc);
    return consumer;
  });
  // NOTE: a router hands a packet to a producer's consumers in the order of a hash set, not
  // the order they were made, so a probe is an arbitrary consumer of its side, not the last:
  // two probes on one router differ by their places in that order (and by when this process
  // reads their sockets). The one-process set-up measures that spread.
  const probe = await consume(side.probe.port);
  side.probe.expectSsrc(probe.ssrc);
  return [...made, probe.consumer];
}
