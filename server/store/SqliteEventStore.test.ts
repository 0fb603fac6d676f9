import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { NewRoomEvent, RoomEvent } from '../../signaling/room/events.js';
import { chain, describeEventStoreContract } from './EventStore.contract.js';
import { SqliteEventStore } from './SqliteEventStore.js';
import { fileSyncCalls, type SyncCalls } from './WalSync.js';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'wsl-store-'));
}

describeEventStoreContract('SqliteEventStore (file)', async () => {
  const dir = await tempDir();
  // A subdirectory that does not exist yet: open() creates it.
  const file = path.join(dir, 'data', 'rooms.sqlite');
  const store = SqliteEventStore.open(file);
  const opened: SqliteEventStore[] = [store];
  return {
    store,
    reopen: async () => {
      const again = SqliteEventStore.open(file);
      opened.push(again);
      return again;
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}, { persistent: true });

describeEventStoreContract('SqliteEventStore (:memory:)', async () => {
  const store = SqliteEventStore.open(':memory:');
  return { store, cleanup: () => store.close() };
}, { persistent: false });

const hand = (i: number): NewRoomEvent => ({
  type: 'queue.handRaised',
  data: { participantId: `m${i % 7}`, type: 'question', note: `第${i}个问题` },
});

describe('SqliteEventStore', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await tempDir();
    file = path.join(dir, 'rooms.sqlite');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('open() puts the file in WAL mode, at the current schema version', async () => {
    const store = SqliteEventStore.open(file);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(2);
    } finally {
      db.close();
    }
  });

  test('a closed file can be reopened and read back in full', async () => {
    const first = SqliteEventStore.open(file);
    const log = chain([], [hand(1), hand(2), hand(3)]);
    for (const room of ['r1', 'r2']) await first.append(room, 0, log, { commandId: 'c', actor: 'host' });
    await first.close();

    const second = SqliteEventStore.open(file);
    try {
      expect(await second.read('r1')).toEqual(log);
      expect(await second.read('r2')).toEqual(log);
      expect(await second.commandResult('r2', 'host', 'c')).toEqual([1, 2, 3]);
      expect(await second.rooms()).toEqual(['r1', 'r2']);
    } finally {
      await second.close();
    }
  });

  test('two stores on one file see each other: the second append conflicts', async () => {
    const a = SqliteEventStore.open(file);
    const b = SqliteEventStore.open(file);
    try {
      expect(await a.append('r1', 0, chain([], [hand(1)]))).toEqual({ ok: true });
      expect(await b.append('r1', 0, chain([], [hand(2)]))).toEqual({ ok: false, reason: 'conflict', actualSeq: 1 });
      expect(await b.lastSeq('r1')).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('1,000 single-event appends in a row all succeed', async () => {
    const store = SqliteEventStore.open(file);
    try {
      const log: RoomEvent[] = [];
      for (let i = 0; i < 1000; i++) {
        const events = chain(log, [hand(i)]);
        expect(await store.append('r1', log.length, events)).toEqual({ ok: true });
        log.push(...events);
      }
      expect(await store.lastSeq('r1')).toBe(1000);
      expect(await store.read('r1')).toEqual(log);
    } finally {
      await store.close();
    }
  });

  /**
   * The real file calls, except that a sync on the pool waits until the test lets it go, or
   * fails; and a clock the test moves (commits closer than BUSY_WITHIN_MS are synced on the pool).
   */
  function heldSyncs() {
    const held: Array<{ go: () => void; fail: (error: Error) => void }> = [];
    let now = 0;
    const calls: SyncCalls = {
      ...fileSyncCalls,
      syncLater: (fd) =>
        new Promise((resolve, reject) => {
          held.push({ go: () => fileSyncCalls.syncLater(fd).then(resolve, reject), fail: reject });
        }),
    };
    return { sync: { calls, clock: () => now }, held, tick: () => (now += 1) };
  }

  test('a commit synced off the loop: neither its append nor a read that would see it answers before the sync ends', async () => {
    const syncs = heldSyncs();
    const store = SqliteEventStore.open(file, undefined, syncs.sync);
    try {
      const first = chain([], [hand(1)]);
      expect(await store.append('r1', 0, first, { commandId: 'c1', actor: 'host' })).toEqual({ ok: true });
      syncs.tick();
      const second = chain(first, [hand(2)]);
      let appended = false;
      let read: RoomEvent[] | undefined;
      const appending = store.append('r1', 1, second, { commandId: 'c2', actor: 'host' }).then((r) => ((appended = true), r));
      const reading = store.read('r1').then((events) => (read = events));
      // The same command again (a client's retry) is answered with the first one's seqs: not yet.
      let repeated = false;
      const repeating = store.append('r1', 1, chain(first, [hand(3)]), { commandId: 'c2', actor: 'host' }).then((r) => ((repeated = true), r));
      await new Promise((resolve) => setImmediate(resolve));
      expect(syncs.held).toHaveLength(1);
      expect({ appended, read, repeated }).toEqual({ appended: false, read: undefined, repeated: false });
      syncs.held[0]?.go();
      expect(await appending).toEqual({ ok: true });
      expect(await reading).toEqual([...first, ...second]);
      expect(await repeating).toEqual({ ok: false, reason: 'duplicate', seqs: [2] });
    } finally {
      await store.close();
    }
  });

  test('a failed sync: that append, the retry of its command, reads and later appends are refused with UNAVAILABLE, and the store reports itself unavailable', async () => {
    const syncs = heldSyncs();
    const store = SqliteEventStore.open(file, undefined, syncs.sync);
    try {
      const first = chain([], [hand(1)]);
      await store.append('r1', 0, first);
      syncs.tick();
      const second = chain(first, [hand(2)]);
      const appending = store.append('r1', 1, second, { commandId: 'c2', actor: 'host' });
      await new Promise((resolve) => setImmediate(resolve));
      syncs.held[0]?.fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      await expect(appending).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      expect(store.available()).toBe(false);
      await expect(store.append('r1', 1, second, { commandId: 'c2', actor: 'host' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await expect(store.read('r1')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await expect(store.commandResult('r1', 'host', 'c2')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await store.close();
    }
  });

  test('read() rejects with a clear error when a stored row is corrupt', async () => {
    const store = SqliteEventStore.open(file);
    await store.append('r1', 0, chain([], [hand(1), hand(2)]));
    await store.close();
    const db = new Database(file);
    db.prepare("UPDATE events SET data = '[1,2]' WHERE seq = 2").run();
    db.close();

    const again = SqliteEventStore.open(file);
    try {
      await expect(again.read('r1')).rejects.toThrow(/room r1, seq 2.*data is not an object/);
      expect(await again.read('r1', 0, 1)).toHaveLength(1);
    } finally {
      await again.close();
    }
  });

  test('open() refuses a file with a schema from a later release', async () => {
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => SqliteEventStore.open(file)).toThrow(/schema version 99/);
  });

  test('open() migrates a version-1 file: its ballots become open entries, the log is untouched', async () => {
    const db = new Database(file);
    db.exec(`
      CREATE TABLE events (room_id TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, actor TEXT NOT NULL,
        type TEXT NOT NULL, data TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (room_id, seq)) WITHOUT ROWID, STRICT;
      CREATE INDEX events_first ON events (at, room_id) WHERE seq = 1;
      CREATE TABLE commands (room_id TEXT NOT NULL, actor TEXT NOT NULL, command_id TEXT NOT NULL, seqs TEXT NOT NULL,
        PRIMARY KEY (room_id, actor, command_id)) WITHOUT ROWID, STRICT;
      CREATE TABLE ballots (room_id TEXT NOT NULL, poll_id TEXT NOT NULL, ballot_id TEXT NOT NULL, choices TEXT NOT NULL,
        reason TEXT, PRIMARY KEY (room_id, poll_id, ballot_id)) WITHOUT ROWID, STRICT;
      CREATE TABLE snapshots (room_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, state TEXT NOT NULL) STRICT;
      INSERT INTO ballots VALUES ('r1', 'p1', 'a', '[0]', NULL), ('r1', 'p1', 'b', '[1,2]', '噪音 "扰民"');
    `);
    db.pragma('user_version = 1');
    db.close();
    const store = SqliteEventStore.open(file);
    try {
      expect([...(await store.ballots('r1', 'p1'))].sort()).toEqual([
        'open:{"choices":[0]}',
        'open:{"choices":[1,2],"reason":"噪音 \\"扰民\\""}',
      ]);
      const log = chain([], [hand(1)]);
      expect(await store.append('r1', 0, log)).toEqual({ ok: true });
    } finally {
      await store.close();
    }
  });
});
