/**
 * One mediasoup worker per core. Rooms get routers on the least-loaded worker; a worker that
 * dies is replaced, and its routers' owners learn of it through their routers closing.
 *
 * Each worker has a WebRtcServer: every browser transport on that worker shares its one UDP
 * and one TCP port (ICE tells the transports apart), instead of taking two ports of the range
 * per participant. A process with two workers needs four ports in the firewall for browsers,
 * and a large audience cannot run the port range out.
 */
import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from '../log.js';
import { MEDIA_CODECS } from './mediaCodecs.js';
import { listenInfo, type RouterAppData, type RtcListenOptions } from './transports.js';
import { assertWorkerBinary } from './workerBinary.js';

export type { RouterAppData } from './transports.js';

/** How a pool is made. */
export type WorkerPoolOptions = {
  size: number;
  logger: Logger;
  /** Where each worker's WebRtcServer listens (a port of the range for UDP, one for TCP). */
  listen: RtcListenOptions;
  /** Transports a worker takes at most (hasCapacity); default 1000. */
  maxTransportsPerWorker?: number;
  /** How long to wait before replacing a dead worker (a crash loop must not spin). */
  respawnDelayMs?: number;
};

type Slot = {
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
  /** Live transports on this worker: the load measure rooms are placed by. */
  transports: number;
  /** Live producers on this worker (for the metrics). */
  producers: number;
  /** Live consumers on this worker: their scores are read when the metrics are scraped. */
  consumers: Set<types.Consumer>;
};

/** One worker's load, as the metrics read it (server/metrics/). */
export type WorkerStats = {
  /** The worker's place in the pool: stays the same when a dead worker is replaced. */
  slot: number;
  worker: types.Worker;
  transports: number;
  producers: number;
  consumers: ReadonlySet<types.Consumer>;
};

type WorkerPoolEvents = {
  /** A worker died; its routers are closed and a replacement is being started. */
  workerdied: [pid: number];
  /** A replacement worker is up. */
  workerreplaced: [pid: number];
};

/** The set of mediasoup workers of this process. */
export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  readonly #slots: Slot[] = [];
  readonly #logger: Logger;
  readonly #respawnDelayMs: number;
  readonly #listen: RtcListenOptions;
  readonly #maxTransports: number;
  /** The slot each live router was made on. */
  readonly #slotOf = new WeakMap<types.Router, Slot>();
  #closed = false;

  private constructor(logger: Logger, respawnDelayMs: number, listen: RtcListenOptions, maxTransports: number) {
    super();
    this.#logger = logger;
    this.#respawnDelayMs = respawnDelayMs;
    this.#listen = listen;
    this.#maxTransports = maxTransports;
  }

  /** Starts `size` workers. */
  static async create({ size, logger, listen, respawnDelayMs = 500, maxTransportsPerWorker = 1000 }: WorkerPoolOptions): Promise<WorkerPool> {
    assertWorkerBinary();
    const pool = new WorkerPool(logger, respawnDelayMs, listen, maxTransportsPerWorker);
    for (let i = 0; i < size; i++) {
      await pool.#startWorker(i);
    }
    return pool;
  }

  /** The workers' process ids, by slot. */
  get pids(): number[] {
    return this.#slots.map((s) => s.worker.pid);
  }

  /** The live workers, by slot (for stats and tests). */
  get workers(): types.Worker[] {
    return this.#slots.map((s) => s.worker);
  }

  /** The live workers' loads, by slot. */
  stats(): WorkerStats[] {
    return this.#slots.flatMap((s, slot) =>
      s.worker.closed ? [] : [{ slot, worker: s.worker, transports: s.transports, producers: s.producers, consumers: s.consumers }],
    );
  }

  /** Router capabilities every room shares (all routers use the same codecs). */
  async rtpCapabilities(): Promise<types.RouterRtpCapabilities> {
    const router = await this.#pickSlot().worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    const caps = router.rtpCapabilities;
    router.close();
    return caps;
  }

  /** The live workers (a dead one is missing until its replacement is up). */
  get liveWorkers(): types.Worker[] {
    return this.#slots.filter((s) => !s.worker.closed).map((s) => s.worker);
  }

  /** The worker a router of this pool is on. */
  workerOf(router: types.Router): types.Worker | undefined {
    return this.#slotOf.get(router)?.worker;
  }

  /** Live transports on the worker of this router (made by this pool): its load. */
  transportsOn(router: types.Router): number {
    return this.#slotOf.get(router)?.transports ?? Infinity;
  }

  /** Creates a router on the least-loaded worker, or on `worker` (one of this pool's). */
  async createRouter(worker?: types.Worker): Promise<types.Router<RouterAppData>> {
    const slot = worker === undefined ? this.#pickSlot() : this.#slots.find((s) => s.worker === worker && !worker.closed);
    if (!slot) throw new Error('not a live worker of this pool');
    const router = await slot.worker.createRouter<RouterAppData>({ mediaCodecs: MEDIA_CODECS, appData: { webRtcServer: slot.webRtcServer } });
    this.#slotOf.set(router, slot);
    router.observer.on('newtransport', (transport) => {
      slot.transports++;
      transport.observer.once('close', () => {
        slot.transports--;
      });
      // Counted where mediasoup says so, so that the metrics need no round trip to the worker.
      transport.observer.on('newproducer', (producer) => {
        slot.producers++;
        producer.observer.once('close', () => {
          slot.producers--;
        });
      });
      transport.observer.on('newconsumer', (consumer) => {
        slot.consumers.add(consumer);
        consumer.observer.once('close', () => slot.consumers.delete(consumer));
      });
    });
    return router;
  }

  /**
   * Can `transports` more be made on the worker of `router` (a room's), or, for a room without
   * a router yet, on the least-loaded worker? A soft limit: joins racing each other may pass
   * it together by a few transports.
   */
  hasCapacity(router: types.Router | undefined, transports: number): boolean {
    if (this.#closed) return false;
    const slot = router === undefined ? this.#leastLoaded() : this.#slotOf.get(router);
    return slot !== undefined && !slot.worker.closed && slot.transports + transports <= this.#maxTransports;
  }

  /** Closes every worker; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots) slot.worker.close();
    this.removeAllListeners();
  }

  #pickSlot(): Slot {
    if (this.#closed) throw new Error('WorkerPool is closed');
    const best = this.#leastLoaded();
    if (!best) throw new Error('no live mediasoup worker');
    return best;
  }

  #leastLoaded(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.#slots) {
      if (slot.worker.closed) continue;
      if (!best || slot.transports < best.transports) best = slot;
    }
    return best;
  }

  async #startWorker(index: number): Promise<void> {
    const worker = await mediasoup.createWorker({ logLevel: 'warn' });
    let webRtcServer: types.WebRtcServer;
    try {
      webRtcServer = await worker.createWebRtcServer({ listenInfos: [listenInfo(this.#listen, 'udp'), listenInfo(this.#listen, 'tcp')] });
    } catch (error) {
      worker.close();
      throw error;
    }
    const slot: Slot = { worker, webRtcServer, transports: 0, producers: 0, consumers: new Set() };
    this.#slots[index] = slot;
    worker.on('died', (error) => {
      this.#logger.error(`mediasoup worker ${worker.pid} died: ${error.message}`);
      this.emit('workerdied', worker.pid);
      setTimeout(() => this.#replace(index), this.#respawnDelayMs);
    });
  }

  #replace(index: number): void {
    if (this.#closed) return;
    this.#startWorker(index).then(
      () => {
        const pid = this.#slots[index]?.worker.pid ?? -1;
        this.#logger.info(`mediasoup worker replaced by ${pid}`);
        this.emit('workerreplaced', pid);
      },
      (error: unknown) => {
        this.#logger.error('could not replace a dead mediasoup worker; retrying', error);
        setTimeout(() => this.#replace(index), this.#respawnDelayMs * 4);
      },
    );
  }
}
