/**
 * The SQLite event store on a worker thread of its own (the embedded default's room logs).
 *
 * Why: every append is a transaction synced to the disk (synchronous=FULL), and better-sqlite3
 * runs it on the calling thread. On the event loop, each sync held up every socket of the
 * process for its duration, and a vote storm paid one sync per turn of the loop. On a thread,
 * the loop goes on while a batch is written, and the commands that arrive meanwhile form the
 * next batch (RoomService), as they do with Redis: fewer, larger transactions.
 * Same interface, same contract suite as SqliteEventStore.
 */
import type { RoomEvent } from '../../signaling/room/events.js';
import type { AppendOptions, AppendResult, BatchAppendResult, BatchEntry, EventStore, Snapshot } from './EventStore.js';
import type { Logger } from '../log.js';
import { StoreThread } from './storeThread.js';

/** Every method of the store that the thread answers (all but available() and close()). */
export const EVENT_STORE_METHODS = [
  'append', 'appendBatch', 'read', 'lastSeq', 'commandResult', 'ballots', 'compact', 'saveSnapshot', 'loadSnapshot', 'rooms',
] as const satisfies ReadonlyArray<Exclude<keyof EventStore, 'available' | 'close'>>;

export class ThreadedEventStore implements EventStore {
  readonly #thread: StoreThread;

  private constructor(thread: StoreThread) {
    this.#thread = thread;
  }

  /**
   * Starts the thread on `file` and waits until the store is open (its schema checked or
   * migrated); what the store logs (a disk that refuses writes, and when it takes them again)
   * goes to `logger`.
   */
  static async open(file: string, logger?: Logger): Promise<ThreadedEventStore> {
    return new ThreadedEventStore(await StoreThread.start(new URL('./eventStoreThread.ts', import.meta.url), { file }, 'room store', logger));
  }

  append(roomId: string, expectedSeq: number, events: readonly RoomEvent[], options?: AppendOptions): Promise<AppendResult> {
    return this.#call('append', roomId, expectedSeq, events, options);
  }

  appendBatch(roomId: string, expectedSeq: number, entries: readonly BatchEntry[]): Promise<BatchAppendResult> {
    return this.#call('appendBatch', roomId, expectedSeq, entries);
  }

  read(roomId: string, afterSeq?: number, limit?: number): Promise<RoomEvent[]> {
    return this.#call('read', roomId, afterSeq, limit);
  }

  lastSeq(roomId: string): Promise<number> {
    return this.#call('lastSeq', roomId);
  }

  commandResult(roomId: string, actor: string, commandId: string): Promise<number[] | undefined> {
    return this.#call('commandResult', roomId, actor, commandId);
  }

  ballots(roomId: string, pollId: string): Promise<string[]> {
    return this.#call('ballots', roomId, pollId);
  }

  compact(): Promise<void> {
    return this.#call('compact');
  }

  saveSnapshot(roomId: string, snapshot: Snapshot): Promise<void> {
    return this.#call('saveSnapshot', roomId, snapshot);
  }

  loadSnapshot(roomId: string): Promise<Snapshot | undefined> {
    return this.#call('loadSnapshot', roomId);
  }

  rooms(): Promise<string[]> {
    return this.#call('rooms');
  }

  available(): boolean {
    return this.#thread.available();
  }

  close(): Promise<void> {
    return this.#thread.close();
  }

  #call<T>(method: (typeof EVENT_STORE_METHODS)[number], ...args: unknown[]): Promise<T> {
    // NOTE: `undefined` arguments are passed as such (structured clone keeps them), so the
    // store's own defaults apply on the thread.
    return this.#thread.call(method, args) as Promise<T>;
  }
}
