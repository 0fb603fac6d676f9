import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { describeCommentStoreContract } from './CommentStore.contract.js';
import { ThreadedCommentStore } from './ThreadedCommentStore.js';

/** Runs `use` on a store of its own in a fresh directory; closes it (again, if `use` did) and removes the directory. */
async function withStore(use: (store: ThreadedCommentStore) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wsl-comments-'));
  const store = await ThreadedCommentStore.open(path.join(dir, 'comments.sqlite'));
  try {
    await use(store);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// NOTE: a suite declared in this file itself: `vitest list`, which CI's closing line compares
// the run with, reads each file's own declarations and fails on a file that makes none.
describe('ThreadedCommentStore', () => {
  describeCommentStoreContract('ThreadedCommentStore (SQLite on its own thread)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsl-comments-'));
    const file = path.join(dir, 'data', 'comments.sqlite');
    const opened = [await ThreadedCommentStore.open(file)];
    return {
      store: opened[0]!,
      reopen: async () => {
        // SQLite allows a second connection to the file (WAL): as a restart would see it.
        const again = await ThreadedCommentStore.open(file);
        opened.push(again);
        return again;
      },
      cleanup: async () => {
        for (const s of opened) await s.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  test('the calls of one turn go to the thread in one message and come back in one, each with its own answer', () =>
    withStore(async (store) => {
      const sent = vi.spyOn(Worker.prototype, 'postMessage');
      const received = vi.spyOn(Worker.prototype, 'emit');
      const at = Date.parse('2026-12-05T10:00:00Z');
      await store.setSettings('r', { opensAt: at - 1000, closesAt: at + 1000, background: '', themes: [], heldWords: [] });
      sent.mockClear();
      received.mockClear();
      // Five calls in one turn, one of them refused (no such comment).
      const answers = await Promise.allSettled([
        store.settings('r'),
        store.submit('r', { name: '居民', place: '', text: '第一条' }, 'browser-1', at),
        store.upvote('r', 'no-such-comment', 'browser-1', at),
        store.counts('r'),
        store.settings('other-room'),
      ]);
      expect(sent).toHaveBeenCalledTimes(1);
      expect(sent.mock.calls[0]?.[0]).toHaveLength(5);
      const replies = received.mock.calls.filter(([event]) => event === 'message');
      expect(replies).toHaveLength(1);
      expect(replies[0]?.[1]).toHaveLength(5);
      // Each call got its own answer, in the order asked.
      expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const [settings, submitted, upvote, counts, other] = answers;
      expect(settings).toMatchObject({ value: { opensAt: at - 1000 } });
      expect(submitted).toMatchObject({ value: { text: '第一条', status: 'pending' } });
      expect(upvote).toMatchObject({ reason: { code: 'NOT_FOUND' } });
      expect(counts).toMatchObject({ value: { received: 1 } });
      expect(other).toMatchObject({ value: { opensAt: null } });
      // A call of the next turn is a message of its own.
      await store.counts('r');
      expect(sent).toHaveBeenCalledTimes(2);
    }));

  test('a call whose argument cannot reach the thread fails alone; the store goes on', () =>
    withStore(async (store) => {
      const unclonable = { opensAt: null, closesAt: null, background: '', themes: [], heldWords: [], hook: () => undefined };
      // In the same turn as a call that can.
      const [refused, answered] = await Promise.allSettled([store.setSettings('r', unclonable), store.settings('r')]);
      expect(refused).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/could not be cloned/) } });
      expect(answered).toMatchObject({ status: 'fulfilled', value: { opensAt: null } });
      await expect(store.counts('r')).resolves.toMatchObject({ received: 0 });
    }));

  test('after close() a call answers UNAVAILABLE instead of hanging, and closing again is safe', () =>
    withStore(async (store) => {
      await store.close();
      await expect(store.settings('r')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    }));
});
