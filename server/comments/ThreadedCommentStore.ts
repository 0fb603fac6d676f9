/**
 * The SQLite comment store on a worker thread of its own. A flood of comments and upvotes is
 * then written (SQLite's statements, its WAL, its checkpoints, the hashing of the chain) beside
 * the meeting, not on the event loop that answers the members' votes: the main thread only
 * passes each call over and its answer back. Same interface, same contract as the store itself.
 *
 * The calls made in one turn of the event loop go over in one message, and the thread answers
 * the calls it finished in one turn in one message: each message costs both threads a wake-up
 * and a serialisation, which in a flood of the public's requests (a page read makes three calls,
 * an upvote one) was a tenth of the event loop's time per request.
 */
import { Worker } from 'node:worker_threads';
import { AppError, ERROR_CODES, type ErrorCode } from '../../signaling/errors.js';
import type { CommentStore } from './CommentStore.js';

/** Every method of the store but close(), which ends the thread. */
export const STORE_METHODS = [
  'settings', 'setSettings', 'get', 'approved', 'summary', 'submit', 'listApproved', 'listForStaff', 'hotForStaff', 'moderate', 'upvote', 'answer',
  'pendingOf', 'upvotedBy', 'counts', 'head', 'exportAll',
] as const satisfies ReadonlyArray<Exclude<keyof CommentStore, 'close'>>;
type Method = (typeof STORE_METHODS)[number];

/** One call, as the thread receives it (in a batch: an array of them). */
export type StoreCall = { id: number; method: Method; args: unknown[] };
/** The thread's answer to one call (sent in a batch: an array of them). */
export type StoreReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; code: ErrorCode | null; message: string };

type Waiting = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export class ThreadedCommentStore implements CommentStore {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #next = 1;
  /** The calls of this turn, sent together once it ends. */
  #outbox: StoreCall[] = [];
  #failure: Error | null = null;
  #closing: Promise<void> | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (replies: StoreReply[]) => {
      for (const reply of replies) this.#answer(reply);
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`the comment store's thread exited (${code})`)));
  }

  /** Starts the thread on `file` and waits until the store is open (its schema checked). */
  static async open(file: string): Promise<ThreadedCommentStore> {
    const entry = new URL('./storeThread.ts', import.meta.url).href;
    // NOTE: the server runs TypeScript through tsx, whose loader a new thread does not inherit
    // before its entry loads: the thread registers tsx itself, then imports the entry.
    const tsx = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { file } });
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
    return new ThreadedCommentStore(worker);
  }

  settings = this.#method('settings');
  setSettings = this.#method('setSettings');
  get = this.#method('get');
  approved = this.#method('approved');
  summary = this.#method('summary');
  submit = this.#method('submit');
  listApproved = this.#method('listApproved');
  listForStaff = this.#method('listForStaff');
  hotForStaff = this.#method('hotForStaff');
  moderate = this.#method('moderate');
  upvote = this.#method('upvote');
  answer = this.#method('answer');
  pendingOf = this.#method('pendingOf');
  upvotedBy = this.#method('upvotedBy');
  counts = this.#method('counts');
  head = this.#method('head');
  exportAll = this.#method('exportAll');

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#fail(new AppError('UNAVAILABLE', 'the comment store is closed'));
      // terminate() ends the thread between two calls: each call is one SQLite transaction.
      await this.#worker.terminate();
    })();
    return this.#closing;
  }

  #method<M extends Method>(method: M): CommentStore[M] {
    const call = (...args: unknown[]): Promise<unknown> => {
      if (this.#failure) return Promise.reject(this.#failure);
      const id = this.#next++;
      return new Promise((resolve, reject) => {
        this.#waiting.set(id, { resolve, reject });
        if (this.#outbox.length === 0) setImmediate(() => this.#send());
        this.#outbox.push({ id, method, args });
      });
    };
    return call as CommentStore[M];
  }

  #send(): void {
    const calls = this.#outbox;
    this.#outbox = [];
    // Failed (or closed) since: the calls were rejected with it already.
    if (this.#failure) return;
    try {
      this.#worker.postMessage(calls);
    } catch {
      // An argument that cannot be cloned (a mistake of the caller's): one by one, so that only
      // that call fails, not the others of the turn nor the store.
      for (const call of calls) {
        try {
          this.#worker.postMessage([call]);
        } catch (error) {
          this.#answer({ id: call.id, ok: false, code: null, message: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }

  #answer(reply: StoreReply): void {
    const waiting = this.#waiting.get(reply.id);
    if (!waiting) return;
    this.#waiting.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value);
    else if (reply.code !== null && ERROR_CODES.includes(reply.code)) waiting.reject(new AppError(reply.code, reply.message));
    else waiting.reject(new Error(`comment store: ${reply.message}`));
  }

  #fail(error: Error): void {
    this.#failure ??= error instanceof AppError ? error : new AppError('UNAVAILABLE', `the comment store is unavailable: ${error.message}`);
    for (const waiting of this.#waiting.values()) waiting.reject(this.#failure);
    this.#waiting.clear();
  }
}
