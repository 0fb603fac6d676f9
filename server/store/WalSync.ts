/**
 * Puts a SQLite file's commits on the disk by syncing its write-ahead log after each commit,
 * the file being opened with synchronous=NORMAL (where SQLite syncs the log only at
 * checkpoints). What a caller is told is recorded survives a power loss, as with FULL.
 *
 * Why not FULL: SQLite then syncs inside the commit, on the event loop, and the loop waits for
 * the disk (0.2 ms typically here, 2 ms at times) with nothing else to do. A room in a vote
 * storm commits every few milliseconds, and that wait was about a third of the server thread's
 * time per vote. Here a commit that follows another within BUSY_WITHIN_MS is synced on libuv's
 * thread pool: the loop reads the next commands meanwhile, and the commits made while one sync
 * runs share the next one. A lone commit (a chair's command seconds after the last) is still
 * synced on the loop: handing it to the pool would cost it a turn of a loop that may be busy
 * with a crowd's arrivals.
 *
 * Until its sync is done a commit is visible to the process's own reads, which is why the
 * store's reads wait for `settled()` first: nothing reaches a client before it is durable.
 *
 * The file is served by one process (several processes share Redis, not a SQLite file); another
 * process reading it could see a commit before its sync.
 *
 * A failed sync leaves the disk and the kernel's cache disagreeing about what was written (the
 * kernel may drop the pages it could not write), so nothing after it can be trusted: the store
 * refuses everything until the server is restarted, as PostgreSQL does after a failed fsync.
 */
import { closeSync, fdatasync, fdatasyncSync, fsyncSync, openSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../signaling/errors.js';

/** A commit this soon after the one before is synced off the event loop. */
export const BUSY_WITHIN_MS = 5;

/** The file operations, apart so that tests can hold a sync or make it fail. */
export type SyncCalls = {
  /** Opens the log for syncing (its directory entry made durable too). */
  open(file: string): number;
  syncNow(fd: number): void;
  syncLater(fd: number): Promise<void>;
  close(fd: number): void;
};

export const fileSyncCalls: SyncCalls = {
  open(file) {
    const fd = openSync(file, 'r+');
    // The log may have just been created: its name in the directory must survive too.
    const dir = openSync(path.dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    return fd;
  },
  syncNow: (fd) => fdatasyncSync(fd),
  syncLater: (fd) => new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve()))),
  close: (fd) => closeSync(fd),
};

export type WalSyncOptions = {
  calls?: SyncCalls;
  /** Milliseconds, monotonic. */
  clock?: () => number;
  /** Told once, when a sync fails. */
  onFailure?: (error: unknown) => void;
};

export class WalSync {
  readonly #file: string;
  readonly #calls: SyncCalls;
  readonly #clock: () => number;
  readonly #onFailure: (error: unknown) => void;
  #fd: number | undefined;
  #lastCommitAt = -Infinity;
  /** The sync under way on the pool. */
  #running: Promise<void> | undefined;
  /** The sync that starts when the running one ends, for the commits made since it began. */
  #queued: Promise<void> | undefined;
  #failure: string | undefined;

  /** `walFile`: the database file's name with `-wal`. */
  constructor(walFile: string, options: WalSyncOptions = {}) {
    this.#file = walFile;
    this.#calls = options.calls ?? fileSyncCalls;
    this.#clock = options.clock ?? (() => performance.now());
    this.#onFailure = options.onFailure ?? (() => undefined);
  }

  /** A sync failed: every later call is refused (see the top of the file). */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Throws UNAVAILABLE once a sync has failed. */
  check(): void {
    if (this.#failure !== undefined) throw this.#refusal(this.#failure);
  }

  /**
   * Call right after a commit. Answers undefined when the commit is already on the disk (synced
   * on the loop), or a promise of it; throws or rejects UNAVAILABLE if the sync fails.
   */
  afterCommit(): Promise<void> | undefined {
    this.check();
    const now = this.#clock();
    const busy = now - this.#lastCommitAt < BUSY_WITHIN_MS;
    this.#lastCommitAt = now;
    if (busy || this.#running !== undefined) return this.#syncSoon();
    try {
      this.#calls.syncNow(this.#openFd());
    } catch (error) {
      throw this.#fail(error);
    }
    return undefined;
  }

  /** Undefined when every commit so far is on the disk, else a promise of it. */
  settled(): Promise<void> | undefined {
    this.check();
    return this.#queued ?? this.#running;
  }

  /** Waits for the syncs under way (a failed one is already reported), then lets the file go. */
  async close(): Promise<void> {
    await (this.#queued ?? this.#running)?.catch(() => undefined);
    if (this.#fd !== undefined) this.#calls.close(this.#fd);
    this.#fd = undefined;
  }

  #syncSoon(): Promise<void> {
    if (this.#running === undefined) return this.#start();
    // NOTE: the running sync may have begun before this commit's pages were written, so one
    // more follows it, shared by every commit made until it begins.
    this.#queued ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.#start();
      });
    return this.#queued;
  }

  #start(): Promise<void> {
    let run: Promise<void>;
    try {
      this.check();
      run = this.#calls.syncLater(this.#openFd()).catch((error: unknown) => {
        throw this.#fail(error);
      });
    } catch (error) {
      run = Promise.reject(error instanceof AppError ? error : this.#fail(error));
    }
    const tracked = run.finally(() => {
      if (this.#running === tracked) this.#running = undefined;
    });
    this.#running = tracked;
    return tracked;
  }

  #openFd(): number {
    this.#fd ??= this.#calls.open(this.#file);
    return this.#fd;
  }

  /** Records the first failure (and tells it); answers the refusal to give the caller. */
  #fail(error: unknown): AppError {
    if (this.#failure === undefined) {
      this.#failure = error instanceof Error && 'code' in error ? String(error.code) : String(error);
      this.#onFailure(error);
    }
    return this.#refusal(this.#failure);
  }

  #refusal(failure: string): AppError {
    return new AppError('UNAVAILABLE', `the room store failed to sync to the disk (${failure}); restart the server after checking the disk`);
  }
}
