/**
 * One fan-out set-up on a given router: a producer on a PlainTransport fed by an RtpSource,
 * and N consumers, each on its own PlainTransport sending to its own sink. The source is
 * paused except while the rig warms up or is measured, so two rigs (one per path) can stand
 * side by side and be measured in turns under the same conditions.
 *
 * The caller owns the router; `close()` closes what the rig made, not the router.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { types } from 'mediasoup';
import { RtpSinks, type SinkWindow } from './rtpSinks.js';
import { RtpSource, type RtpSourceOptions } from './rtpSource.js';
import { readRunQueueWaitMs, readUdpRcvbufErrors } from './procCounters.js';

const HOST = '127.0.0.1';

/** How a rig is built. */
export type RigOptions = {
  consumers: number;
  /** Consumers set up at once (channel requests in flight). */
  setupConcurrency: number;
  /** A packet later than this counts as lost (see RtpSinks), ms. */
  lateMs: number;
  source: Omit<RtpSourceOptions, 'port'>;
};

/** What one turn measured; a path's turns are summed with `addWindows`. */
export type WindowSample = {
  /** RTP packets the source sent in the counted window. */
  sent: number;
  /** RTP packets the source sent during the whole turn, and those the producer counted. */
  turnSent: number;
  producerReceived: number;
  /** Worker user+system CPU from just before the turn until it had handled the turn's load, ms. */
  workerCpuMs: number;
  /** Over the same span, how long the worker waited for a CPU, ms (null off Linux). */
  workerWaitMs: number | null;
  /** That span: from the first worker reading to the second, ms. */
  spanMs: number;
  /** Over all sinks: received in time, received late, expected (see RtpSinks). */
  received: number;
  late: number;
  expected: number;
  /** Sinks that heard nothing, and sinks that missed anything (summed: the worst window). */
  silent: number;
  lossy: number;
  /** The longest a packet took from the source to a sink, ms. */
  maxDelayMs: number;
  /** How long the source ran in this turn (settling included), ms. */
  activeMs: number;
  /** This process's CPU while the source ran (source, sinks, control), ms. */
  benchCpuMs: number;
  /** Host-wide kernel UDP receive-buffer drops in the window (null off Linux). */
  rcvbufErrors: number | null;
};

/** Sums the samples of several windows. */
export function addWindows(a: WindowSample, b: WindowSample): WindowSample {
  const nullable = (x: number | null, y: number | null): number | null => (x === null || y === null ? null : x + y);
  return {
    sent: a.sent + b.sent,
    turnSent: a.turnSent + b.turnSent,
    producerReceived: a.producerReceived + b.producerReceived,
    workerCpuMs: a.workerCpuMs + b.workerCpuMs,
    workerWaitMs: nullable(a.workerWaitMs, b.workerWaitMs),
    spanMs: a.spanMs + b.spanMs,
    received: a.received + b.received,
    late: a.late + b.late,
    expected: a.expected + b.expected,
    silent: Math.max(a.silent, b.silent),
    lossy: Math.max(a.lossy, b.lossy),
    maxDelayMs: Math.max(a.maxDelayMs, b.maxDelayMs),
    activeMs: a.activeMs + b.activeMs,
    benchCpuMs: a.benchCpuMs + b.benchCpuMs,
    rcvbufErrors: nullable(a.rcvbufErrors, b.rcvbufErrors),
  };
}

type Snapshot = {
  /** The worker's user+system CPU since it started, ms. */
  workerCpuMs: number;
  /** The worker's run-queue wait since it started, ms. */
  workerWaitMs: number | null;
  /** RTP packets the producer has received. */
  producerPackets: number;
  /** RTP packets the source has sent. */
  sent: number;
};

/** A producer, its consumers and their sinks on one router. */
export class FanoutRig {
  readonly #worker: types.Worker;
  readonly #sendTransport: types.PlainTransport;
  readonly #producer: types.Producer;
  readonly #source: RtpSource;
  readonly #sinks: RtpSinks;
  readonly #consumers: number;
  /** Time to create, connect and resume every consumer, ms. */
  readonly setupMs: number;
  #closed = false;

  private constructor(
    worker: types.Worker,
    sendTransport: types.PlainTransport,
    producer: types.Producer,
    source: RtpSource,
    sinks: RtpSinks,
    consumers: number,
    setupMs: number,
  ) {
    this.#worker = worker;
    this.#sendTransport = sendTransport;
    this.#producer = producer;
    this.#source = source;
    this.#sinks = sinks;
    this.#consumers = consumers;
    this.setupMs = setupMs;
  }

  /** Builds the rig on `router` (whose worker is `worker`); the source starts paused. */
  static async open(router: types.Router, worker: types.Worker, options: RigOptions): Promise<FanoutRig> {
    const { payloadType, ssrc } = options.source;
    const sendTransport = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: HOST },
      rtcpMux: true,
      comedia: true,
    });
    let sinks: RtpSinks | null = null;
    let source: RtpSource | null = null;
    try {
      const producer = await sendTransport.produce({
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
      });
      sinks = await RtpSinks.open(options.consumers, options.lateMs);
      source = await RtpSource.open({ ...options.source, port: sendTransport.tuple.localPort });
      const setupStarted = performance.now();
      const consumers = await createConsumers(router, producer, sinks, options.setupConcurrency);
      // NOTE: created paused like the product's consumers and resumed once the sink is
      // connected; the resume asks the producer for a key frame, which the source sends.
      await mapLimited(consumers, options.setupConcurrency, (consumer) => consumer.resume());
      const setupMs = performance.now() - setupStarted;
      return new FanoutRig(worker, sendTransport, producer, source, sinks, options.consumers, setupMs);
    } catch (error) {
      await source?.close();
      await sinks?.close();
      sendTransport.close();
      throw error;
    }
  }

  /** Sends until every sink has heard its consumer (or `maxMs` passed), then pauses. */
  async warmUp(maxMs: number): Promise<void> {
    this.#source.resume();
    const deadline = performance.now() + maxMs;
    while (this.#sinks.live < this.#consumers && performance.now() < deadline) await sleep(50);
    this.#source.pause();
  }

  /**
   * One turn: runs the source for `settleMs` (an overloaded worker's queue builds up), counts
   * at the sinks for `windowMs`, pauses the source. Worker counters are read just before the
   * source starts and just after it stops: a worker past its capacity answers its channel
   * seconds late, so they are never asked for under load, and the second reading comes once
   * the worker has worked off its queue (its CPU for the turn's load, all of it). Between
   * turns the worker is left out: idle, its transports' timers still cost CPU.
   */
  async measure(settleMs: number, windowMs: number): Promise<WindowSample> {
    const before = await this.#snapshot();
    const spanStartedAt = performance.now();
    const cpu0 = process.cpuUsage();
    const startedAt = performance.now();
    this.#source.resume();
    let activeMs: number;
    let counted: { sent: number; sinks: SinkWindow; rcvbufErrors: number | null };
    try {
      await sleep(settleMs);
      const udp0 = await readUdpRcvbufErrors();
      const sent0 = this.#source.sent;
      this.#sinks.openWindow();
      await sleep(windowMs);
      const sent = this.#source.sent - sent0;
      const sinks = this.#sinks.closeWindow(sent);
      const udp1 = await readUdpRcvbufErrors();
      counted = { sent, sinks, rcvbufErrors: udp0 === null || udp1 === null ? null : udp1 - udp0 };
    } finally {
      this.#source.pause();
      activeMs = performance.now() - startedAt;
    }
    const cpu = process.cpuUsage(cpu0);
    const after = await this.#snapshot();
    const failure = this.#source.error ?? this.#sinks.error;
    if (failure) throw failure;
    return {
      sent: counted.sent,
      turnSent: after.sent - before.sent,
      producerReceived: after.producerPackets - before.producerPackets,
      workerCpuMs: after.workerCpuMs - before.workerCpuMs,
      workerWaitMs:
        after.workerWaitMs === null || before.workerWaitMs === null ? null : after.workerWaitMs - before.workerWaitMs,
      spanMs: performance.now() - spanStartedAt,
      ...counted.sinks,
      activeMs,
      benchCpuMs: (cpu.user + cpu.system) / 1000,
      rcvbufErrors: counted.rcvbufErrors,
    };
  }

  async #snapshot(): Promise<Snapshot> {
    const usage = await this.#worker.getResourceUsage();
    const stats = await this.#producer.getStats();
    return {
      workerCpuMs: usage.ru_utime + usage.ru_stime,
      workerWaitMs: await readRunQueueWaitMs(this.#worker.pid),
      producerPackets: stats.reduce((sum, st) => sum + st.packetCount, 0),
      sent: this.#source.sent,
    };
  }

  /** Closes the rig's sockets and transports; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#source.close();
    await this.#sinks.close();
    // Closing the producer's transport closes the producer and with it every consumer; their
    // transports go with the router, which the caller closes.
    this.#sendTransport.close();
  }
}

/** How long a rig may take for every sink to hear its consumer before the first turn. */
export const WARMUP_MAX_MS = 5000;
/** Sending before each window opens: the worker's queue, if it cannot keep up, builds up. */
export const SETTLE_MS = 1000;
/** Later than this, a packet would miss a receiver's jitter buffer: it counts as lost. */
export const LATE_MS = 200;

/** One PlainTransport per sink, connected to it, and a paused consumer on it. */
async function createConsumers(
  router: types.Router,
  producer: types.Producer,
  sinks: RtpSinks,
  concurrency: number,
): Promise<types.Consumer[]> {
  return mapLimited(sinks.ports, concurrency, async (port, index) => {
    const { consumer, ssrc } = await plainConsumer(router, producer.id, port);
    sinks.expectSsrc(index, ssrc);
    return consumer;
  });
}

/** A PlainTransport on `router` sending to `port` on loopback, with a paused consumer of `producerId` and its SSRC. */
export async function plainConsumer(router: types.Router, producerId: string, port: number): Promise<{ consumer: types.Consumer; ssrc: number }> {
  const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: HOST }, rtcpMux: true, comedia: false });
  await transport.connect({ ip: HOST, port });
  const consumer = await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities, paused: true });
  const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
  if (ssrc === undefined) throw new Error(`consumer ${consumer.id} has no SSRC`);
  return { consumer, ssrc };
}

/** Maps over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item === undefined) throw new TypeError(`no item ${i}`);
      results[i] = await fn(item, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
