/**
 * The SQLite comment store on a worker thread of its own. A flood of comments and upvotes is
 * then written (SQLite's statements, its WAL, its checkpoints, the hashing of the chain) beside
 * the meeting, not on the event loop that answers the members' votes: the main thread only
 * passes each call over and its answer back. Same interface, same contract as the store itself.
 */
import type { CommentStore } from './CommentStore.js';
import { StoreThread } from '../store/storeThread.js';

/** Every method of the store but close(), which ends the thread. */
export const COMMENT_STORE_METHODS = [
  'settings', 'setSettings', 'get', 'approved', 'summary', 'submit', 'listApproved', 'listForStaff', 'moderate', 'upvote', 'answer',
  'pendingOf', 'upvotedBy', 'counts', 'head', 'exportAll',
] as const satisfies ReadonlyArray<Exclude<keyof CommentStore, 'close'>>;
type Method = (typeof COMMENT_STORE_METHODS)[number];

export class ThreadedCommentStore implements CommentStore {
  readonly #thread: StoreThread;

  private constructor(thread: StoreThread) {
    this.#thread = thread;
  }

  /** Starts the thread on `file` and waits until the store is open (its schema checked). */
  static async open(file: string): Promise<ThreadedCommentStore> {
    return new ThreadedCommentStore(await StoreThread.start(new URL('./commentStoreThread.ts', import.meta.url), { file }, 'comment store'));
  }

  settings = this.#method('settings');
  setSettings = this.#method('setSettings');
  get = this.#method('get');
  approved = this.#method('approved');
  summary = this.#method('summary');
  submit = this.#method('submit');
  listApproved = this.#method('listApproved');
  listForStaff = this.#method('listForStaff');
  moderate = this.#method('moderate');
  upvote = this.#method('upvote');
  answer = this.#method('answer');
  pendingOf = this.#method('pendingOf');
  upvotedBy = this.#method('upvotedBy');
  counts = this.#method('counts');
  head = this.#method('head');
  exportAll = this.#method('exportAll');

  close(): Promise<void> {
    return this.#thread.close();
  }

  #method<M extends Method>(method: M): CommentStore[M] {
    const call = (...args: unknown[]): Promise<unknown> => this.#thread.call(method, args);
    return call as CommentStore[M];
  }
}
