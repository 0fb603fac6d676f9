/**
 * One mediasoup worker per core. Rooms get routers on the least-loaded worker; a worker that
 * dies is replaced, and its routers' owners learn of it through their routers closing.
 */
import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from '../log.js';
import { MEDIA_CODECS } from './mediaCodecs.js';
import { assertWorkerBinary } from './workerBinary.js';

/** How a pool is made. */
export type WorkerPoolOptions = {
  size: number;
  logger: Logger;
  /** How long to wait before replacing a dead worker (a crash loop must not spin). */
  respawnDelayMs?: number;
};

type Slot = {
  worker: types.Worker;
  /** Live transports on this worker: the load measure rooms are placed by. */
  transports: number;
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
  #closed = false;

  private constructor(logger: Logger, respawnDelayMs: number) {
    super();
    this.#logger = logger;
    this.#respawnDelayMs = respawnDelayMs;
  }

  /** Starts `size` workers. */
  static async create({ size, logger, respawnDelayMs = 500 }: WorkerPoolOptions): Promise<WorkerPool> {
    assertWorkerBinary();
    const pool = new WorkerPool(logger, respawnDelayMs);
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

  /** Router capabilities every room shares (all routers use the same codecs). */
  async rtpCapabilities(): Promise<types.RouterRtpCapabilities> {
    const router = await this.#pickSlot().worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    const caps = router.rtpCapabilities;
    router.close();
    return caps;
  }

  /** Creates a router on the least-loaded worker. */
  async createRouter(): Promise<types.Router> {
    const slot = this.#pickSlot();
    const router = await slot.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    router.observer.on('newtransport', (transport) => {
      slot.transports++;
      transport.observer.once('close', () => {
        slot.transports--;
      });
    });
    return router;
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
    let best: Slot | undefined;
    for (const slot of this.#slots) {
      if (slot.worker.closed) continue;
      if (!best || slot.transports < best.transports) best = slot;
    }
    if (!best) throw new Error('no live mediasoup worker');
    return best;
  }

  async #startWorker(index: number): Promise<void> {
    const worker = await mediasoup.createWorker({ logLevel: 'warn' });
    const slot: Slot = { worker, transports: 0 };
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
