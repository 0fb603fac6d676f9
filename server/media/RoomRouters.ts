/**
 * One room's routers on this process: the hub, where every track of the room is present (the
 * speaker observer, the pipes to other processes, the program and the recording read it
 * there), and a router on each other worker that takes participants when the hub's worker is
 * the busier one. A room then uses every core of the process instead of filling one.
 *
 * A track lives on the router of the peer who sends it. It is piped (mediasoup's
 * `pipeToRouter`, same producer id on both sides) to the hub at once, and to another router
 * the first time a peer there receives it; one pipe per track and router, made once.
 */
import type { types } from 'mediasoup';
import type { RouterAppData, WorkerPool } from './WorkerPool.js';

type Router = types.Router<RouterAppData>;

/** The routers of one room, and the pipes between them. */
export class RoomRouters {
  readonly #pool: WorkerPool;
  readonly #hub: Router;
  /** The room's router on each other worker (made when a peer is first placed there). */
  readonly #others = new Map<types.Worker, Promise<Router>>();
  /** The router each producer was made on (its sender's), by producer id. */
  readonly #origin = new Map<string, Router>();
  /** Pipes made or being made, by `${producerId} ${routerId}`. */
  readonly #pipes = new Map<string, Promise<void>>();
  readonly #onLost: (router: Router) => void;
  #closed = false;

  /** `onLost` hears of a router other than the hub that lost its worker (its peers' media is gone). */
  constructor(pool: WorkerPool, hub: Router, onLost: (router: Router) => void) {
    this.#pool = pool;
    this.#hub = hub;
    this.#onLost = onLost;
  }

  get hub(): Router {
    return this.#hub;
  }

  /**
   * The router for a new peer's transports: the room's router on the worker with the fewest
   * transports, the hub when it is among the least loaded (a small meeting stays on one
   * router, and no pipes).
   */
  async place(): Promise<Router> {
    const hubWorker = this.#pool.workerOf(this.#hub);
    let best: { worker: types.Worker; transports: number } | undefined;
    for (const { worker, transports } of this.#pool.stats()) {
      const better = !best || transports < best.transports || (transports === best.transports && worker === hubWorker);
      if (better) best = { worker, transports };
    }
    if (!best || best.worker === hubWorker || this.#closed) return this.#hub;
    return this.#routerOn(best.worker);
  }

  /** Records the router a producer was made on (before anybody consumes it). */
  madeOn(producer: types.Producer, router: Router): void {
    this.#origin.set(producer.id, router);
    producer.observer.once('close', () => this.#origin.delete(producer.id));
  }

  /**
   * Makes the producer consumable on `target`. A producer not recorded with `madeOn` lives on
   * the hub (a track piped in from another process).
   */
  async reach(producerId: string, target: Router): Promise<void> {
    const source = this.#origin.get(producerId) ?? this.#hub;
    if (source === target) return;
    // A track sent on another router reaches a third one through the hub when it is already
    // there (it always is once `toHub` ran): one pipe per router and track either way.
    const from = source === this.#hub || target === this.#hub ? source : this.#hub;
    const key = `${producerId} ${target.id}`;
    let pipe = this.#pipes.get(key);
    if (!pipe) {
      pipe = from.pipeToRouter({ producerId, router: target }).then(({ pipeConsumer }) => {
        pipeConsumer?.observer.once('close', () => this.#pipes.delete(key));
      });
      this.#pipes.set(key, pipe);
      pipe.catch(() => this.#pipes.delete(key));
    }
    return pipe;
  }

  /** Pipes a producer made on another router to the hub, where the room's observers read it. */
  async toHub(producerId: string): Promise<void> {
    return this.reach(producerId, this.#hub);
  }

  /** Closes the routers other than the hub (their transports and pipes close with them). */
  closeOthers(): void {
    this.#closed = true;
    for (const pending of this.#others.values()) void pending.then((router) => router.close(), () => undefined);
    this.#others.clear();
    this.#pipes.clear();
    this.#origin.clear();
  }

  #routerOn(worker: types.Worker): Promise<Router> {
    let router = this.#others.get(worker);
    if (!router) {
      router = this.#pool.createRouter(worker);
      this.#others.set(worker, router);
      router.then(
        (made) =>
          made.once('workerclose', () => {
            this.#others.delete(worker);
            this.#onLost(made);
          }),
        () => this.#others.delete(worker),
      );
    }
    return router;
  }
}
