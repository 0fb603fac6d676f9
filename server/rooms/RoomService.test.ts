import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { AppError } from '../../signaling/errors.js';
import { apply } from '../../signaling/room/apply.js';
import { emptyRoom, type RoomState } from '../../signaling/room/state.js';
import { createLogger } from '../log.js';
import type { EventStore } from '../store/EventStore.js';
import { hashEvent } from '../store/hashChain.js';
import { SqliteEventStore } from '../store/SqliteEventStore.js';
import Database from 'better-sqlite3';
import { MAX_BATCH, RoomService, type Executed, type LogFollower } from './RoomService.js';
import { BallotBox } from './BallotBox.js';

/** One secret for every service of a test: they share stores, so they must open each other's ballots. */
const ballotBox = new BallotBox('test-ballot-secret-of-32-characters');

const logger = createLogger('silent');
const system = { kind: 'system' } as const;
const stores: EventStore[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

/** A real store whose next append is written and then reported as failed (a timeout). */
function storeThatTimesOutOnce(): { store: EventStore; failNextAppend: () => void } {
  const real = SqliteEventStore.open(':memory:');
  stores.push(real);
  let fail = false;
  const store: EventStore = {
    ...delegate(real),
    appendBatch: async (...args) => {
      const result = await real.appendBatch(...args);
      if (fail) {
        fail = false;
        throw new AppError('UNAVAILABLE', 'store did not answer in time');
      }
      return result;
    },
  };
  return { store, failNextAppend: () => (fail = true) };
}

async function roomWithMember(rooms: RoomService): Promise<string> {
  const roomId = await rooms.create({ topic: '议题', startsAt: null, endsAt: null, venues: [{ id: 'city', name: '主会场', expectedMembers: 1 }], settings: { open: true } });
  await rooms.execute(roomId, { type: 'system:arrive', participantId: 'm1', inviteId: 'inv-m1', name: '委员', role: 'member', venue: 'city', sector: '' }, system);
  return roomId;
}

describe('RoomService', () => {
  test('execute() after a store timeout reads what the timed-out append wrote before deciding', async () => {
    const { store, failNextAppend } = storeThatTimesOutOnce();
    const rooms = new RoomService({ store, logger, ballotBox });
    const roomId = await roomWithMember(rooms);
    const raise = { type: 'queue:raise', speechType: 'statement', note: '' } as const;

    failNextAppend();
    await expect(rooms.execute(roomId, raise, { kind: 'participant', id: 'm1' }, 'raise-1')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    // The retry with the same command id is answered from the log, not applied twice.
    const retried = await rooms.execute(roomId, raise, { kind: 'participant', id: 'm1' }, 'raise-1');
    expect(retried.duplicate).toBe(true);
    expect((await rooms.state(roomId))?.queue.entries.map((q) => q.participantId)).toEqual(['m1']);
    // A new command decides on the caught-up state.
    await expect(rooms.execute(roomId, raise, { kind: 'participant', id: 'm1' }, 'raise-2')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await rooms.close();
  });

  test('two services on one store (two processes) never interleave: the second catches up and decides again', async () => {
    const shared = SqliteEventStore.open(':memory:');
    stores.push(shared);
    const a = new RoomService({ store: shared, logger, ballotBox });
    const b = new RoomService({ store: shared, logger, ballotBox });
    const roomId = await roomWithMember(a);
    await b.state(roomId); // b loads the room now, then falls behind
    await a.execute(roomId, { type: 'queue:raise', speechType: 'statement', note: '' }, { kind: 'participant', id: 'm1' });
    await expect(
      b.execute(roomId, { type: 'queue:raise', speechType: 'question', note: '' }, { kind: 'participant', id: 'm1' }),
    ).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect((await b.state(roomId))?.seq).toBe((await a.state(roomId))?.seq);
    await a.close();
    await b.close();
  });

  test('following a shared store: each service’s listeners get every event of the room, in order, once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wsl-follow-'));
    const file = path.join(dir, 'rooms.sqlite');
    const [storeA, storeB] = [SqliteEventStore.open(file), SqliteEventStore.open(file)];
    stores.push(storeA, storeB);
    // SQLite announces nothing: these followers say "read whatever is there" every 10 ms.
    const a = new RoomService({ store: storeA, logger, ballotBox, follower: pollingFollower(10) });
    const b = new RoomService({ store: storeB, logger, ballotBox, follower: pollingFollower(10) });
    const roomId = await roomWithMember(a);
    await b.execute(roomId, { type: 'system:arrive', participantId: 'm2', inviteId: 'inv-m2', name: '委员二', role: 'member', venue: 'city', sector: '' }, system);
    const seen: Record<'a' | 'b', number[]> = { a: [], b: [] };
    await a.subscribe(roomId, (events) => seen.a.push(...events.map((e) => e.seq)));
    await b.subscribe(roomId, (events) => seen.b.push(...events.map((e) => e.seq)));
    // Let both catch up with the arrivals, then watch what the commands below add.
    const settled = await storeA.lastSeq(roomId);
    while ((await a.state(roomId))?.seq !== settled || (await b.state(roomId))?.seq !== settled) {
      await new Promise((r) => setTimeout(r, 10));
    }
    seen.a.length = 0;
    seen.b.length = 0;
    const from = settled;
    for (let i = 0; i < 20; i++) {
      const [service, who] = i % 2 === 0 ? [a, 'm1'] : [b, 'm2'];
      const type = i % 4 < 2 ? 'queue:raise' : 'queue:withdraw';
      const command = type === 'queue:raise' ? ({ type, speechType: 'statement', note: `${i}` } as const) : ({ type } as const);
      await service.execute(roomId, command, { kind: 'participant', id: who });
    }
    const last = (await storeA.lastSeq(roomId));
    const deadline = Date.now() + 5000;
    while ((seen.a.at(-1) !== last || seen.b.at(-1) !== last) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const expected = Array.from({ length: last - from }, (_, i) => from + 1 + i);
    expect(seen.a).toEqual(expected);
    expect(seen.b).toEqual(expected);
    expect(await a.state(roomId)).toEqual(await b.state(roomId));
    await a.close();
    await b.close();
  });

  test('a room loads from its snapshot plus the later events; a snapshot of another shape is ignored', async () => {
    const store = SqliteEventStore.open(':memory:');
    stores.push(store);
    const first = new RoomService({ store, logger, ballotBox, snapshotEvery: 2 });
    const roomId = await roomWithMember(first);
    await first.execute(roomId, { type: 'queue:raise', speechType: 'statement', note: '快照' }, { kind: 'participant', id: 'm1' });
    await new Promise((r) => setTimeout(r, 20)); // the snapshot is written in the background
    const saved = await store.loadSnapshot(roomId);
    expect(saved?.seq).toBeGreaterThan(0);
    const expected = await first.state(roomId);
    expect(await new RoomService({ store, logger, ballotBox }).state(roomId)).toEqual(expected);

    await store.saveSnapshot(roomId, { seq: expected?.seq ?? 0, state: JSON.stringify({ seq: 1, id: roomId, participants: {} }) });
    expect(await new RoomService({ store, logger, ballotBox }).state(roomId)).toEqual(expected);
    await first.close();
  });

  test('a room whose log was altered on disk is not served, and the operator is told which event breaks the chain', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wsl-tamper-'));
    const file = path.join(dir, 'rooms.sqlite');
    const store = SqliteEventStore.open(file);
    stores.push(store);
    const writer = new RoomService({ store, logger, ballotBox });
    const roomId = await roomWithMember(writer);
    await writer.execute(roomId, { type: 'queue:raise', speechType: 'statement', note: '原话' }, { kind: 'participant', id: 'm1' });
    const seq = (await writer.state(roomId))?.seq ?? 0;
    await writer.close();

    // Someone edits what the member said, straight in the file.
    const db = new Database(file);
    db.prepare("UPDATE events SET data = replace(data, '原话', '改过的话') WHERE room_id = ? AND seq = ?").run(roomId, seq);
    db.close();

    const errors: { message: string; details: unknown[] }[] = [];
    const recording = { ...logger, error: (message: string, ...details: unknown[]) => void errors.push({ message, details }), child: () => recording };
    const reader = new RoomService({ store, logger: recording, ballotBox });
    await expect(reader.state(roomId)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(reader.execute(roomId, { type: 'system:tick' }, system)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(errors).toEqual([{ message: expect.stringMatching(new RegExp(`log was altered at event ${seq} `)), details: [{ roomId }] }]);
    await reader.close();
  });

  test('the hash chain links every event to the one before', async () => {
    const { store } = storeThatTimesOutOnce();
    const rooms = new RoomService({ store, logger, ballotBox });
    const roomId = await roomWithMember(rooms);
    const log = await store.read(roomId);
    expect(log.length).toBeGreaterThan(1);
    let previous = '';
    for (const { hash, ...event } of log) {
      expect(hash).toBe(hashEvent(previous, event));
      previous = hash;
    }
    expect((await rooms.state(roomId))?.hash).toBe(previous);
    await rooms.close();
  });
});

/**
 * A real store that counts its writes (the entries of each) and knows the last seq it made
 * durable; while held, a batch append waits (is not yet written) until released.
 */
function countingStore() {
  const real = SqliteEventStore.open(':memory:');
  stores.push(real);
  const writes: number[] = [];
  let durable = 0;
  let gate: Promise<void> | null = null;
  let called: () => void = () => undefined;
  const store: EventStore = {
    ...delegate(real),
    append: async (...args) => {
      writes.push(1);
      const result = await real.append(...args);
      if (result.ok) durable = Math.max(durable, args[1] + args[2].length);
      return result;
    },
    appendBatch: async (roomId, expectedSeq, entries) => {
      writes.push(entries.length);
      called();
      if (gate) await gate;
      const result = await real.appendBatch(roomId, expectedSeq, entries);
      if (result.ok) durable = Math.max(durable, expectedSeq + entries.reduce((n, e) => n + e.events.length, 0));
      return result;
    },
  };
  return {
    store,
    writes,
    durable: () => durable,
    /** Holds the next batch appends; answers when one is waiting and how to release them all. */
    hold(): { waiting: Promise<void>; release: () => void } {
      let release: () => void = () => undefined;
      gate = new Promise<void>((resolve) => {
        release = () => {
          gate = null;
          resolve();
        };
      });
      const waiting = new Promise<void>((resolve) => {
        called = resolve;
      });
      return { waiting, release };
    },
  };
}

const member = (id: string) => ({ kind: 'participant', id }) as const;

/** A room with its host and `n` members (m1…mn), arrived together. */
async function roomWithMembers(rooms: RoomService, n: number): Promise<string> {
  const roomId = await rooms.create({ topic: '议题', startsAt: null, endsAt: null, venues: [{ id: 'city', name: '主会场', expectedMembers: n }], settings: { open: true } });
  const arrive = (participantId: string, role: 'host' | 'member') =>
    rooms.execute(roomId, { type: 'system:arrive', participantId, inviteId: `inv-${participantId}`, name: participantId, role, venue: 'city', sector: '' }, system);
  await arrive('host', 'host');
  await Promise.all(Array.from({ length: n }, (_, i) => arrive(`m${i + 1}`, 'member')));
  return roomId;
}

/** Drafts and opens a yes/no poll; answers its id. */
async function openPoll(rooms: RoomService, roomId: string, secret: boolean): Promise<string> {
  const created = await rooms.execute(roomId, { type: 'poll:create', question: '是否同意加装电梯？', kind: 'yesno', options: [], secret, allowChange: !secret, quorumPercent: null, threshold: 'none', durationSeconds: null }, member('host'));
  const event = created.events[0];
  if (event?.type !== 'poll.created') throw new Error('poll:create made no poll');
  await rooms.execute(roomId, { type: 'poll:open', pollId: event.data.pollId }, member('host'));
  return event.data.pollId;
}

const raise = { type: 'queue:raise', speechType: 'statement', note: '' } as const;

describe('RoomService group commit', () => {
  test('votes that arrive together are one store write, each answered only once its events are durable', async () => {
    const { store, writes, durable, hold } = countingStore();
    const rooms = new RoomService({ store, logger, ballotBox });
    const roomId = await roomWithMembers(rooms, 40);
    const pollId = await openPoll(rooms, roomId, false);
    const batches: number[] = [];
    await rooms.subscribe(roomId, (events) => batches.push(events.length));
    writes.length = 0;

    const { waiting, release } = hold();
    const answered: Array<{ executed: Executed; durableThen: number }> = [];
    const votes = Array.from({ length: 40 }, (_, i) =>
      rooms.execute(roomId, { type: 'poll:vote', pollId, choices: [i % 2] }, member(`m${i + 1}`), `vote-${i}`).then((executed) => {
        answered.push({ executed, durableThen: durable() });
      }),
    );
    await waiting;
    // Turns of the event loop enough for any answer not tied to the held write to come out.
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toEqual([]); // the batch is not written yet: nobody is told it is
    release();
    await Promise.all(votes);

    expect(writes).toEqual([40]);
    expect(batches).toEqual([40]);
    for (const { executed, durableThen } of answered) {
      expect(executed.duplicate).toBe(false);
      expect(executed.events).toHaveLength(1);
      expect(durableThen).toBeGreaterThanOrEqual(executed.seq);
    }
    const seqs = answered.map((a) => a.executed.seq).sort((x, y) => x - y);
    const first = seqs[0] ?? 0;
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => first + i));
    expect((await rooms.state(roomId))?.polls[pollId]?.voted).toHaveLength(40);
    expect(await store.read(roomId, first - 1)).toEqual(answered.map((a) => a.executed.events[0]).sort((x, y) => (x?.seq ?? 0) - (y?.seq ?? 0)));
    await rooms.close();
  });

  test('a busy room waits a moment for more commands: a vote that comes a turn after the batch is ready still joins it', async () => {
    // Always busy after a batch, and the window's timer in the test's hands: nothing here
    // depends on how fast the machine runs.
    const { store, writes, hold } = countingStore();
    const rooms = new RoomService({ store, logger, ballotBox, gathering: { busyWithinMs: Infinity, windowMs: 2 } });
    const roomId = await roomWithMembers(rooms, 3);
    const pollId = await openPoll(rooms, roomId, false);
    const vote = (i: number) => rooms.execute(roomId, { type: 'poll:vote', pollId, choices: [0] }, member(`m${i}`));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      writes.length = 0;
      const { waiting, release } = hold();
      const first = vote(1);
      // The room had just run a batch (the poll's opening): the first vote waits for the window too.
      await vi.advanceTimersByTimeAsync(2);
      await waiting;
      const second = vote(2);
      release();
      await first;
      // Turns of the event loop after the first write: without the window, the second vote
      // would have been written alone by now.
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(writes).toEqual([1]);
      const third = vote(3);
      await vi.advanceTimersByTimeAsync(2);
      await Promise.all([second, third]);
      expect(writes).toEqual([1, 2]);
    } finally {
      vi.useRealTimers();
    }
    expect((await rooms.state(roomId))?.polls[pollId]?.voted).toEqual(['m1', 'm2', 'm3']);
    await rooms.close();
  });

  test('a quiet room does not wait: its command is written at the next turn of the event loop', async () => {
    const { store, writes } = countingStore();
    const rooms = new RoomService({ store, logger, ballotBox, gathering: { busyWithinMs: 0, windowMs: 60_000 } });
    const roomId = await roomWithMembers(rooms, 1);
    writes.length = 0;
    // No timer ever fires here: a command that waited for the window would never be answered.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await rooms.execute(roomId, raise, member('m1'));
      await rooms.execute(roomId, { type: 'queue:withdraw' }, member('m1'));
    } finally {
      vi.useRealTimers();
    }
    expect(writes).toEqual([1, 1]);
    await rooms.close();
  });

  test('a large room snapshots every as many events as it has participants, not every snapshotEvery', async () => {
    const real = SqliteEventStore.open(':memory:');
    stores.push(real);
    const saved: number[] = [];
    const store: EventStore = {
      ...delegate(real),
      saveSnapshot: async (roomId, snapshot) => {
        saved.push(snapshot.seq);
        await real.saveSnapshot(roomId, snapshot);
      },
    };
    const rooms = new RoomService({ store, logger, ballotBox, snapshotEvery: 10 });
    const roomId = await roomWithMembers(rooms, 40);
    const pollId = await openPoll(rooms, roomId, false);
    saved.length = 0;
    for (let i = 1; i <= 40; i += 1) await rooms.execute(roomId, { type: 'poll:vote', pollId, choices: [0] }, member(`m${i}`));
    for (let i = 1; i <= 40; i += 1) await rooms.execute(roomId, { type: 'queue:raise', speechType: 'statement', note: '' }, member(`m${i}`));
    // 80 events in a room of 41: one or two snapshots (every 41 events), not eight (every 10).
    expect(saved.length).toBeGreaterThanOrEqual(1);
    expect(saved.length).toBeLessThanOrEqual(2);
    for (let i = 1; i < saved.length; i += 1) expect((saved[i] ?? 0) - (saved[i - 1] ?? 0)).toBeGreaterThanOrEqual(41);
    // And a room loads from it as it was.
    const expected = await rooms.state(roomId);
    expect(await new RoomService({ store: real, logger, ballotBox }).state(roomId)).toEqual(expected);
    await rooms.close();
  });

  test('a batch is at most MAX_BATCH commands', async () => {
    const { store, writes } = countingStore();
    const rooms = new RoomService({ store, logger, ballotBox });
    const n = MAX_BATCH * 2 + 10;
    const roomId = await roomWithMembers(rooms, n);
    const pollId = await openPoll(rooms, roomId, false);
    writes.length = 0;
    await Promise.all(Array.from({ length: n }, (_, i) => rooms.execute(roomId, { type: 'poll:vote', pollId, choices: [0] }, member(`m${i + 1}`))));
    expect(writes.reduce((sum, w) => sum + w, 0)).toBe(n);
    expect(Math.max(...writes)).toBeLessThanOrEqual(MAX_BATCH);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    await rooms.close();
  });

  test('secret ballots cast in one batch are all in the box, and the close that runs alone counts them', async () => {
    const { store, writes } = countingStore();
    const rooms = new RoomService({ store, logger, ballotBox });
    const roomId = await roomWithMembers(rooms, 30);
    const pollId = await openPoll(rooms, roomId, true);
    writes.length = 0;
    const votes = Array.from({ length: 30 }, (_, i) => rooms.execute(roomId, { type: 'poll:vote', pollId, choices: [i < 20 ? 0 : 1] }, member(`m${i + 1}`)));
    const close = rooms.execute(roomId, { type: 'poll:close', pollId }, member('host'));
    await Promise.all(votes);
    const closed = await close;
    expect(writes).toEqual([30, 1]);
    expect(closed.events.map((e) => e.type)).toEqual(['poll.closed']);
    const result = (await rooms.state(roomId))?.polls[pollId]?.result;
    expect(result?.counts).toEqual([20, 10, 0]); // 同意, 反对, 弃权
    expect(result?.votes).toBe(30);
    // Refilled with the opened ballots, in the same write as the close.
    expect(await store.ballots(roomId, pollId)).toHaveLength(30);
    await rooms.close();
  });

  test('a command the rules refuse in the middle of a batch gets its own error; the others are written', async () => {
    const { store, writes } = countingStore();
    const rooms = new RoomService({ store, logger, ballotBox });
    const roomId = await roomWithMembers(rooms, 3);
    writes.length = 0;
    const before = (await rooms.state(roomId))?.seq ?? 0;
    const [a, b, again, c] = await Promise.allSettled([
      rooms.execute(roomId, raise, member('m1')),
      rooms.execute(roomId, raise, member('m2')),
      rooms.execute(roomId, raise, member('m1')), // m1 is in the queue already
      rooms.execute(roomId, raise, member('m3')),
    ]);
    expect(again).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_STATE' } });
    expect([a, b, c].map((r) => (r.status === 'fulfilled' ? r.value.seq : r.reason))).toEqual([before + 1, before + 2, before + 3]);
    expect(writes).toEqual([3]);
    expect((await rooms.state(roomId))?.queue.entries.map((q) => q.participantId)).toEqual(['m1', 'm2', 'm3']);
    await rooms.close();
  });

  test('a command id repeated in the batch, or recorded by an earlier one, gets the first answer as duplicate', async () => {
    const { store, writes } = countingStore();
    const rooms = new RoomService({ store, logger, ballotBox });
    const roomId = await roomWithMembers(rooms, 3);
    writes.length = 0;
    const [first, repeat, other] = await Promise.all([
      rooms.execute(roomId, raise, member('m1'), 'c1'),
      rooms.execute(roomId, raise, member('m1'), 'c1'),
      rooms.execute(roomId, raise, member('m2'), 'c1'), // another actor's c1 is another command
    ]);
    expect(writes).toEqual([2]);
    expect(first.duplicate).toBe(false);
    expect(repeat).toEqual({ ...first, duplicate: true });
    expect(other).toMatchObject({ duplicate: false, seq: first.seq + 1 });

    // m1 leaves the queue, so a retry of c1 decides fine again: the store recognises it, and
    // the batch is written without it.
    await rooms.execute(roomId, { type: 'queue:withdraw' }, member('m1'), 'w1');
    writes.length = 0;
    const [retry, third] = await Promise.all([rooms.execute(roomId, raise, member('m1'), 'c1'), rooms.execute(roomId, raise, member('m3'), 'c3')]);
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(third.duplicate).toBe(false);
    expect(writes).toEqual([2, 1]);
    expect((await rooms.state(roomId))?.queue.entries.map((q) => q.participantId)).toEqual(['m2', 'm3']);
    await rooms.close();
  });

  test('a batch that conflicts with another process catches up and is decided again, whole', async () => {
    const shared = SqliteEventStore.open(':memory:');
    stores.push(shared);
    const a = new RoomService({ store: shared, logger, ballotBox });
    const b = new RoomService({ store: shared, logger, ballotBox });
    const roomId = await roomWithMembers(a, 3);
    await b.state(roomId); // b loads the room now, then falls behind
    await a.execute(roomId, raise, member('m1'));
    const [m1, m2, m3] = await Promise.allSettled([b.execute(roomId, raise, member('m1')), b.execute(roomId, raise, member('m2')), b.execute(roomId, raise, member('m3'))]);
    expect(m1).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_STATE' } });
    expect([m2, m3].map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect((await b.state(roomId))?.queue.entries.map((q) => q.participantId)).toEqual(['m1', 'm2', 'm3']);
    expect(await shared.read(roomId)).toHaveLength((await b.state(roomId))?.seq ?? -1);
    await a.close();
    await b.close();
  });
});

describe('RoomService group commit: the states it hands out', () => {
  test('a state a listener got stays as it was while later batches of votes are folded, and each equals the log folded one event at a time', async () => {
    const { store } = countingStore();
    const rooms = new RoomService({ store, logger, ballotBox });
    const roomId = await roomWithMembers(rooms, 20);
    const pollId = await openPoll(rooms, roomId, false);
    const got: Array<{ state: RoomState; copy: RoomState }> = [];
    await rooms.subscribe(roomId, (_events, state) => got.push({ state, copy: structuredClone(state) }));
    const vote = (i: number, choice: number) => rooms.execute(roomId, { type: 'poll:vote', pollId, choices: [choice] }, member(`m${i}`));
    await Promise.all(Array.from({ length: 10 }, (_, i) => vote(i + 1, 0)));
    // The next batch: new voters, and changed ballots of voters of the batch before.
    await Promise.all([...Array.from({ length: 10 }, (_, i) => vote(i + 11, 1)), vote(1, 2), vote(2, 1)]);
    await Promise.all([vote(3, 2), vote(12, 0)]);
    expect(got.length).toBeGreaterThanOrEqual(3);
    for (const { state, copy } of got) expect(state).toEqual(copy);

    const log = await store.read(roomId, 0);
    const final = (await rooms.state(roomId)) as RoomState;
    expect(final).toEqual(log.reduce(apply, emptyRoom(roomId)));
    for (const { state } of got) expect(state).toEqual(log.slice(0, state.seq).reduce(apply, emptyRoom(roomId)));
    const poll = final.polls[pollId];
    expect(poll?.voted).toHaveLength(20);
    expect(poll?.choices).toMatchObject({ m1: [2], m2: [1], m3: [2], m4: [0], m11: [1], m12: [0] });
    await rooms.close();
  });

  test('votes of a batch decided again after a conflict count once each, on the state the other process made', async () => {
    const shared = SqliteEventStore.open(':memory:');
    stores.push(shared);
    const a = new RoomService({ store: shared, logger, ballotBox });
    const b = new RoomService({ store: shared, logger, ballotBox });
    const roomId = await roomWithMembers(a, 3);
    const pollId = await openPoll(a, roomId, false);
    const loaded = await b.state(roomId); // b loads the room now, then falls behind
    const loadedCopy = structuredClone(loaded);
    await a.execute(roomId, { type: 'poll:vote', pollId, choices: [1] }, member('m1'));
    const vote = (id: string, choice: number) => b.execute(roomId, { type: 'poll:vote', pollId, choices: [choice] }, member(id));
    await Promise.all([vote('m2', 0), vote('m1', 0), vote('m3', 2)]);
    expect(loaded).toEqual(loadedCopy);
    const state = await b.state(roomId);
    expect(state?.polls[pollId]?.voted).toEqual(['m1', 'm2', 'm3']);
    expect(state?.polls[pollId]?.choices).toEqual({ m1: [0], m2: [0], m3: [2] });
    expect(state).toEqual((await shared.read(roomId, 0)).reduce(apply, emptyRoom(roomId)));
    await a.close();
    await b.close();
  });
});

describe('RoomService following announcements', () => {
  test('an append announced while a catch-up is under way is read too, with no further announcement', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wsl-announce-'));
    const file = path.join(dir, 'rooms.sqlite');
    const realA = SqliteEventStore.open(file);
    const realB = SqliteEventStore.open(file);
    stores.push(realA, realB);
    // B's reads of the log are answered as of when they were made, but only once released.
    let hold: Promise<void> | null = null;
    const storeB: EventStore = {
      ...delegate(realB),
      read: async (...args) => {
        const events = await realB.read(...args);
        if (hold) await hold;
        return events;
      },
    };
    let announce: ((seq: number | undefined) => void) | undefined;
    const follower: LogFollower = {
      follow(_roomId, appended) {
        announce = appended;
        return () => undefined;
      },
    };
    const a = new RoomService({ store: realA, logger, ballotBox });
    const b = new RoomService({ store: storeB, logger, ballotBox, follower });
    const roomId = await roomWithMember(a);
    await b.state(roomId);
    let release: () => void = () => undefined;
    hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = await a.execute(roomId, { type: 'queue:raise', speechType: 'statement', note: '一' }, { kind: 'participant', id: 'm1' });
    announce?.(first.seq); // B starts reading; its answer stops at `first`
    await new Promise((r) => setTimeout(r, 20));
    const second = await a.execute(roomId, { type: 'queue:withdraw' }, { kind: 'participant', id: 'm1' });
    announce?.(second.seq); // arrives while B's read is held
    hold = null;
    release();
    const deadline = Date.now() + 2000;
    while ((await b.state(roomId))?.seq !== second.seq && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect((await b.state(roomId))?.seq).toBe(second.seq);
    await a.close();
    await b.close();
  });
});

/** Every EventStore method of `real`, as an object to override some of. */
function delegate(real: EventStore): EventStore {
  return {
    append: (...args) => real.append(...args),
    appendBatch: (...args) => real.appendBatch(...args),
    read: (...args) => real.read(...args),
    lastSeq: (...args) => real.lastSeq(...args),
    commandResult: (...args) => real.commandResult(...args),
    ballots: (...args) => real.ballots(...args),
    compact: () => real.compact(),
    available: () => real.available(),
    saveSnapshot: (...args) => real.saveSnapshot(...args),
    loadSnapshot: (...args) => real.loadSnapshot(...args),
    rooms: () => real.rooms(),
    close: () => real.close(),
  };
}

/** A follower without announcements: asks for a read of the log every `ms`. */
function pollingFollower(ms: number): LogFollower {
  return {
    follow(_roomId, appended) {
      const timer = setInterval(() => appended(undefined), ms);
      return () => clearInterval(timer);
    },
  };
}
