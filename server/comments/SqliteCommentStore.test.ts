import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import { describeCommentStoreContract } from './CommentStore.contract.js';
import { SqliteCommentStore } from './SqliteCommentStore.js';

// NOTE: a suite declared in this file itself: `vitest list`, which CI's closing line compares
// the run with, reads each file's own declarations and fails on a file that makes none.
describe('SqliteCommentStore', () => {
  describeCommentStoreContract('SqliteCommentStore', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsl-comments-'));
    const file = path.join(dir, 'data', 'comments.sqlite');
    const opened = [SqliteCommentStore.open(file)];
    return {
      store: opened[0]!,
      reopen: async () => {
        const again = SqliteCommentStore.open(file);
        opened.push(again);
        return again;
      },
      cleanup: async () => {
        for (const s of opened) await s.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
});
