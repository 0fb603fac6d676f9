import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { chain, describeEventStoreContract } from './EventStore.contract.js';
import { ThreadedEventStore } from './ThreadedEventStore.js';

// NOTE: a suite declared in this file itself: `vitest list`, which CI's closing line compares
// the run with, reads each file's own declarations and fails on a file that makes none.
describe('ThreadedEventStore', () => {
  describeEventStoreContract(
    'ThreadedEventStore (SQLite on its own thread)',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'wsl-store-'));
      const file = path.join(dir, 'data', 'rooms.sqlite');
      const opened = [await ThreadedEventStore.open(file)];
      return {
        store: opened[0]!,
        reopen: async () => {
          // A second connection to the file, on a thread of its own: as a restart would see it.
          const again = await ThreadedEventStore.open(file);
          opened.push(again);
          return again;
        },
        cleanup: async () => {
          for (const s of opened) await s.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
    { persistent: true },
  );

  test('a caller’s bug stays a TypeError across the thread, and nothing is written', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsl-store-'));
    const store = await ThreadedEventStore.open(path.join(dir, 'rooms.sqlite'));
    try {
      const [first] = chain([], [{ type: 'queue.openChanged', data: { open: true } }]);
      if (!first) throw new Error('no event');
      await expect(store.append('r', 1, [first])).rejects.toBeInstanceOf(TypeError);
      expect(await store.lastSeq('r')).toBe(0);
      expect(store.available()).toBe(true);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('after close() a call answers UNAVAILABLE instead of hanging, and the store says it is unavailable', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsl-store-'));
    const store = await ThreadedEventStore.open(path.join(dir, 'rooms.sqlite'));
    await store.close();
    await expect(store.lastSeq('r')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(store.available()).toBe(false);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
