import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { CommentsChanged } from '../../signaling/audience.js';
import type { CommentCounts, PublicComment } from '../../signaling/comments/model.js';
import { createLogger } from '../log.js';
import { CommentNotifier } from './CommentNotifier.js';

type Sent = { channels: string[]; event: string; data: unknown };

function comment(id: string, upvotes: number, status: PublicComment['status'] = 'approved'): PublicComment {
  return { id, roomId: 'r', name: '市民', place: '', text: '留言', createdAt: 1, status, upvotes, themes: [], answer: null };
}

describe('CommentNotifier', () => {
  let sent: Sent[];
  let toViewers: CommentsChanged[];
  let notifier: CommentNotifier;
  let pending = 3;
  let approved = 40;
  let failing = false;
  const counts = async (): Promise<CommentCounts> => {
    if (failing) throw new Error('the store is down');
    return { received: 100, pending, approved, rejected: 1, merged: 2, answered: 5, upvotes: 9 };
  };
  beforeEach(() => {
    pending = 3;
    approved = 40;
    failing = false;
    vi.useFakeTimers();
    sent = [];
    const io = {
      to: (channels: string | string[]) => ({
        emit: (event: string, data: unknown) => {
          sent.push({ channels: [channels].flat(), event, data });
          return true;
        },
      }),
    };
    // The notifier only calls to(...).emit(...): the fake stands for the Socket.IO server there.
    toViewers = [];
    notifier = new CommentNotifier({ io: io as never, viewers: { changed: (news) => toViewers.push(news) }, counts, logger: createLogger('silent'), throttleMs: 500 });
  });
  afterEach(() => {
    notifier.close();
    vi.useRealTimers();
  });

  test('a change just after a message waits the pause, also when the counts take a moment to read', async () => {
    // Each read of the counts takes 1 ms. A room quiet for a pause is forgotten, but it was
    // forgotten while a message was still reading its counts, and the next change then went
    // out at once, 2 ms after it, as if the room had been quiet.
    const at: number[] = [];
    const io = { to: () => ({ emit: (event: string) => (event === 'comments:changed' && at.push(Date.now()), true) }) };
    const start = Date.now();
    const slowCounts = () => new Promise<CommentCounts>((resolve) => setTimeout(() => resolve({ received: 1, pending: 0, approved: 1, rejected: 0, merged: 0, answered: 0, upvotes: 1 }), 1));
    const slow = new CommentNotifier({ io: io as never, viewers: { changed: () => undefined }, counts: slowCounts, logger: createLogger('silent'), throttleMs: 500 });
    try {
      for (const [t, upvotes] of [[0, 1], [100, 2], [503, 3]] as const) {
        await vi.advanceTimersByTimeAsync(t - (Date.now() - start));
        slow.changed('r', [comment('a', upvotes)]);
      }
      await vi.advanceTimersByTimeAsync(1000);
      expect(at.map((t) => t - start)).toEqual([1, 501, 1001]);
    } finally {
      slow.close();
    }
  });

  test('a burst of upvotes becomes one message at once and one with the latest state after the pause', async () => {
    notifier.changed('r', [comment('a', 1)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    for (let n = 2; n <= 500; n++) notifier.changed('r', [comment(n % 2 ? 'a' : 'b', n)]);
    await vi.advanceTimersByTimeAsync(499);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual({
      channels: ['room:r:comments'],
      event: 'comments:changed',
      data: { roomId: 'r', comments: [comment('b', 500), comment('a', 499)], counts: { approved: 40, answered: 5 } },
    });
    // The viewers that follow the comments get the same news, as often.
    expect(toViewers).toEqual(sent.map((s) => s.data));
  });

  test('only what the public may see goes out; a comment taken down goes out once so pages drop it', async () => {
    notifier.changed('r', [comment('p', 0, 'pending'), { ...comment('x', 0, 'rejected'), wasPublic: false }]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([]);
    notifier.changed('r', [{ ...comment('y', 2, 'rejected'), wasPublic: true }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent[0]?.data).toEqual({ roomId: 'r', comments: [comment('y', 2, 'rejected')], counts: { approved: 40, answered: 5 } });
  });

  test('the staff hear the pending count, read when it is sent, at most once per pause', async () => {
    notifier.pending('r');
    await vi.advanceTimersByTimeAsync(0);
    pending = 7;
    for (let i = 0; i < 50; i++) notifier.pending('r');
    await vi.advanceTimersByTimeAsync(500);
    expect(sent.map((s) => [s.channels, s.event, s.data])).toEqual([
      [['room:r:staff'], 'comments:pending', { roomId: 'r', pending: 3 }],
      [['room:r:staff'], 'comments:pending', { roomId: 'r', pending: 7 }],
    ]);
  });

  test('the published count is read when the change is sent, after the change (a page holds only part of a large topic)', async () => {
    notifier.changed('r', [comment('a', 0)]);
    approved = 41;
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.data)).toEqual([{ roomId: 'r', comments: [comment('a', 0)], counts: { approved: 41, answered: 5 } }]);
  });

  test('the viewers failing to be told neither keeps the news from the meeting’s pages nor stops the next news', async () => {
    const io = {
      to: (channels: string | string[]) => ({
        emit: (event: string, data: unknown) => {
          sent.push({ channels: [channels].flat(), event, data });
          return true;
        },
      }),
    };
    const failing = new CommentNotifier({
      io: io as never,
      viewers: {
        changed: () => {
          throw new Error('the bus is down');
        },
      },
      counts,
      logger: createLogger('silent'),
      throttleMs: 500,
    });
    try {
      failing.changed('r', [comment('a', 1)]);
      await vi.advanceTimersByTimeAsync(0);
      failing.changed('r', [comment('a', 2)]);
      await vi.advanceTimersByTimeAsync(500);
      expect(sent.map((s) => [s.channels, (s.data as CommentsChanged).comments[0]?.upvotes])).toEqual([
        [['room:r:comments'], 1],
        [['room:r:comments'], 2],
      ]);
    } finally {
      failing.close();
    }
  });

  test('when the counts cannot be read the changes still go out, without counts, and the staff count waits for the next one', async () => {
    failing = true;
    notifier.changed('r', [comment('a', 1)]);
    notifier.pending('r');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => [s.event, s.data])).toEqual([['comments:changed', { roomId: 'r', comments: [comment('a', 1)] }]]);
    failing = false;
    notifier.pending('r');
    await vi.advanceTimersByTimeAsync(500);
    expect(sent.map((s) => [s.event, s.data])).toEqual([
      ['comments:changed', { roomId: 'r', comments: [comment('a', 1)] }],
      ['comments:pending', { roomId: 'r', pending: 3 }],
    ]);
  });
});
