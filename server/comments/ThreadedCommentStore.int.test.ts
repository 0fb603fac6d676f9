import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { describeCommentStoreContract } from './CommentStore.contract.js';
import { ThreadedCommentStore } from './ThreadedCommentStore.js';

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

  test('after close() a call answers UNAVAILABLE instead of hanging', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsl-comments-'));
    const store = await ThreadedCommentStore.open(path.join(dir, 'comments.sqlite'));
    await store.close();
    await expect(store.settings('r')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
