/**
 * A store on a worker thread of its own: its calls are passed over as { id, method, args } and
 * answered as { id, ok, value } or { id, ok: false, … }, each answer carrying the store's
 * status (whether it can take writes, for /healthz). Used for the SQLite stores, whose calls
 * (statements, the sync of each commit to the disk, checkpoints) would otherwise hold the
 * event loop that answers the meeting: see ThreadedEventStore and ThreadedCommentStore.
 *
 * `StoreThread` is the caller's side, `serveStore` the thread's.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { z } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode } from '../../signaling/errors.js';
import type { Logger } from '../log.js';

/** The thread's answer to one call; `available` is the store's status after it. */
type Reply =
  | { id: number; ok: true; value: unknown; available: boolean }
  | { id: number; ok: false; code: ErrorCode | null; name: string; message: string; available: boolean };

/** A line the store logged on the thread, for the caller's logger. */
type LogLine = { log: 'debug' | 'info' | 'warn' | 'error'; message: string };

type Waiting = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** The caller's side: starts the thread, passes calls over, and fails them all if it ends. */
export class StoreThread {
  readonly #worker: Worker;
  readonly #what: string;
  readonly #waiting = new Map<number, Waiting>();
  #next = 1;
  #failure: AppError | null = null;
  #closing: Promise<void> | null = null;
  #available = true;

  private constructor(worker: Worker, what: string, logger: Logger | undefined) {
    this.#worker = worker;
    this.#what = what;
    worker.on('message', (message: Reply | LogLine) => {
      if ('log' in message) logger?.[message.log](message.message);
      else this.#answer(message);
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`the ${what}'s thread exited (${code})`)));
  }

  /**
   * Starts `entry` (a module that calls serveStore) on a thread with `data` as its workerData,
   * and waits until its store is open. `what` names the store in errors ("comment store");
   * what the store logs on the thread (threadLogger) goes to `logger`.
   */
  static async start(entry: URL, data: unknown, what: string, logger?: Logger): Promise<StoreThread> {
    // NOTE: the server runs TypeScript through tsx, whose loader a new thread does not inherit
    // before its entry loads: the thread registers tsx itself, then imports the entry.
    const tsx = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: data });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (): void => {
        worker.off('error', onError);
        resolve();
      };
      const onError = (error: Error): void => {
        worker.off('message', onMessage);
        reject(error);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
    });
    return new StoreThread(worker, what, logger);
  }

  /** The store's status as of its last answer, or false once the thread is gone. */
  available(): boolean {
    return this.#failure === null && this.#available;
  }

  /** Calls `method` of the store on the thread. */
  call(method: string, args: unknown[]): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ id, method, args });
    });
  }

  /** Ends the thread; calls after it (and any still waiting) fail with UNAVAILABLE. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#fail(new AppError('UNAVAILABLE', `the ${this.#what} is closed`));
      // terminate() ends the thread between two calls: each call is one SQLite transaction.
      await this.#worker.terminate();
    })();
    return this.#closing;
  }

  #answer(reply: Reply): void {
    this.#available = reply.available;
    const waiting = this.#waiting.get(reply.id);
    if (!waiting) return;
    this.#waiting.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value);
    else if (reply.code !== null && ERROR_CODES.includes(reply.code)) waiting.reject(new AppError(reply.code, reply.message));
    // A caller's bug (a TypeError: wrong numbering, a closed store) stays one across the thread.
    else if (reply.name === 'TypeError') waiting.reject(new TypeError(reply.message));
    else waiting.reject(new Error(`${this.#what}: ${reply.message}`));
  }

  #fail(error: Error): void {
    this.#failure ??= error instanceof AppError ? error : new AppError('UNAVAILABLE', `the ${this.#what} is unavailable: ${error.message}`);
    for (const waiting of this.#waiting.values()) waiting.reject(this.#failure);
    this.#waiting.clear();
  }
}

/**
 * The thread's side: answers each call with `store[method](...args)`, in the order they came.
 * Only the `methods` named may be called; `available` reads the store's status for each answer.
 */
export function serveStore<S extends object>(store: S, methods: readonly [string, ...string[]], available: () => boolean = () => true): void {
  if (!parentPort) throw new TypeError('serveStore() runs on a worker thread (see StoreThread)');
  const port = parentPort;
  const Request = z.object({ id: z.number(), method: z.enum(methods), args: z.array(z.unknown()) });
  port.postMessage({ ready: true });
  port.on('message', (raw: unknown) => {
    const { id, method, args } = Request.parse(raw);
    // The arguments were typed by the caller in this process; the method table is the interface's.
    const call = (store as Record<string, unknown>)[method] as (this: S, ...a: unknown[]) => Promise<unknown>;
    // NOTE: a call that throws before its promise (a synchronous check) answers like one that rejects.
    Promise.resolve()
      .then(() => call.apply(store, args))
      .then(
        (value) => port.postMessage({ id, ok: true, value, available: available() } satisfies Reply),
        (error: unknown) => {
          const reply: Reply =
            error instanceof AppError
              ? { id, ok: false, code: error.code, name: error.name, message: error.message, available: available() }
              : error instanceof Error
                ? { id, ok: false, code: null, name: error.name, message: error.name === 'TypeError' ? error.message : (error.stack ?? error.message), available: available() }
                : { id, ok: false, code: null, name: 'Error', message: String(error), available: available() };
          port.postMessage(reply);
        },
      );
  });
}

/** For the store on the thread: a logger whose lines the caller's logger writes (StoreThread.start). */
export function threadLogger(): Logger {
  const port = parentPort;
  if (!port) throw new TypeError('threadLogger() runs on a worker thread (see StoreThread)');
  const line =
    (log: LogLine['log']) =>
    (message: string, ...details: unknown[]): void => {
      const more = details.map((d) => (d instanceof Error ? d.message : typeof d === 'string' ? d : JSON.stringify(d))).join(' ');
      port.postMessage({ log, message: more === '' ? message : `${message} ${more}` } satisfies LogLine);
    };
  const logger: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'), child: () => logger };
  return logger;
}
