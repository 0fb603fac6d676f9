import { describe, expect, test } from 'vitest';
import { BUSY_WITHIN_MS, WalSync, type SyncCalls } from './WalSync.js';

/**
 * File calls that record what they were asked, sync on the loop at once, and hold each sync on
 * the pool until the test lets it go (or fails it).
 */
function heldCalls() {
  const log: string[] = [];
  const held: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  let failNow: Error | undefined;
  const calls: SyncCalls = {
    open: (file) => {
      log.push(`open ${file}`);
      return 7;
    },
    syncNow: (fd) => {
      log.push(`now ${fd}`);
      if (failNow) throw failNow;
    },
    syncLater: (fd) => {
      log.push(`later ${fd}`);
      return new Promise((resolve, reject) => held.push({ resolve, reject }));
    },
    close: (fd) => log.push(`close ${fd}`),
  };
  return {
    calls,
    log,
    release: (i = 0) => held[i]?.resolve(),
    failSync: (i: number, error: Error) => held[i]?.reject(error),
    failOnLoop: (error: Error) => (failNow = error),
    held: () => held.length,
  };
}

/** A clock the test moves: commits `BUSY_WITHIN_MS` apart or more are lone ones. */
function manualClock() {
  let now = 1_000;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

/** A WalSync on held file calls and a manual clock, with both at hand. */
function heldWalSync(walFile = '/d/r-wal', onFailure?: (error: unknown) => void) {
  const files = heldCalls();
  const { clock, advance } = manualClock();
  const sync = new WalSync(walFile, { calls: files.calls, clock, ...(onFailure ? { onFailure } : {}) });
  return { files, advance, sync };
}

function settledFlag(promise: Promise<unknown>): { readonly done: boolean; readonly failed: unknown } {
  const state = { done: false, failed: undefined as unknown };
  promise.then(
    () => (state.done = true),
    (error: unknown) => (state.failed = error),
  );
  return state;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('WalSync', () => {
  test('a lone commit is synced on the loop before afterCommit returns; the log is opened once, by its name', () => {
    const { files, advance, sync } = heldWalSync('/data/rooms.sqlite-wal');
    expect(sync.afterCommit()).toBeUndefined();
    advance(BUSY_WITHIN_MS + 1000);
    expect(sync.afterCommit()).toBeUndefined();
    expect(files.log).toEqual(['open /data/rooms.sqlite-wal', 'now 7', 'now 7']);
    expect(sync.settled()).toBeUndefined();
  });

  test('a commit right after another is synced on the pool, and is not durable until that sync ends', async () => {
    const { files, advance, sync } = heldWalSync();
    sync.afterCommit();
    advance(1);
    const second = sync.afterCommit();
    expect(second).toBeInstanceOf(Promise);
    const state = settledFlag(second!);
    const readers = settledFlag(sync.settled()!);
    await flush();
    expect([state.done, readers.done]).toEqual([false, false]);
    files.release(0);
    await flush();
    expect([state.done, readers.done]).toEqual([true, true]);
    expect(files.log).toEqual(['open /d/r-wal', 'now 7', 'later 7']);
    expect(sync.settled()).toBeUndefined();
  });

  test('the commits made while a sync runs share one more sync after it, even one that comes alone', async () => {
    const { files, advance, sync } = heldWalSync();
    sync.afterCommit();
    advance(1);
    const first = settledFlag(sync.afterCommit()!);
    advance(1);
    const second = settledFlag(sync.afterCommit()!);
    // Seconds later, but the pool's sync still runs: it may have begun before this commit.
    advance(10_000);
    const third = settledFlag(sync.afterCommit()!);
    await flush();
    expect(files.held()).toBe(1);
    files.release(0);
    await flush();
    expect(first.done).toBe(true);
    expect([second.done, third.done]).toEqual([false, false]);
    expect(files.held()).toBe(2);
    files.release(1);
    await flush();
    expect([second.done, third.done]).toEqual([true, true]);
    expect(files.log.filter((l) => l.startsWith('later'))).toHaveLength(2);
  });

  test('a failed sync on the pool: that commit and every later call are refused with UNAVAILABLE, and it is told once', async () => {
    const told: unknown[] = [];
    const { files, advance, sync } = heldWalSync('/d/r-wal', (error) => told.push(error));
    sync.afterCommit();
    advance(1);
    const failing = sync.afterCommit()!;
    advance(1);
    const queued = sync.afterCommit()!;
    const eio = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    files.failSync(0, eio);
    await expect(failing).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(queued).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(sync.failed).toBe(true);
    advance(10_000);
    expect(() => sync.afterCommit()).toThrow(expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringContaining('EIO') }));
    expect(() => sync.settled()).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
    expect(() => sync.check()).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
    expect(told).toEqual([eio]);
    // Nothing was synced after the failure: the queued sync never began.
    expect(files.log.filter((l) => l.startsWith('later') || l.startsWith('now'))).toEqual(['now 7', 'later 7']);
  });

  test('a failed sync on the loop throws UNAVAILABLE and refuses what follows', () => {
    const { files, sync } = heldWalSync();
    files.failOnLoop(Object.assign(new Error('EROFS'), { code: 'EROFS' }));
    expect(() => sync.afterCommit()).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
    expect(sync.failed).toBe(true);
    expect(() => sync.check()).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
  });

  test('close waits for the sync under way, then closes the log', async () => {
    const { files, advance, sync } = heldWalSync();
    sync.afterCommit();
    advance(1);
    void sync.afterCommit();
    const closing = settledFlag(sync.close());
    await flush();
    expect(closing.done).toBe(false);
    files.release(0);
    await flush();
    expect(closing.done).toBe(true);
    expect(files.log.at(-1)).toBe('close 7');
  });
});
