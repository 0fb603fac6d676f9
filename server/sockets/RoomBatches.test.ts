/**
 * RoomBatches: a quiet room's events go out at the end of their turn; a busy room's wait and go
 * out together, every 100 ms while only votes wait and within 20 ms once anything else does;
 * nothing is lost, sent twice or reordered. The clock and the timers are vitest's fake ones.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { apply } from '../../signaling/room/apply.js';
import type { RoomState } from '../../signaling/room/state.js';
import { votingRoom } from '../../signaling/room/testing.js';
import { BURST_INTERVAL_MS, LARGEST_TALLY_INTERVAL_MS, RoomBatches, TALLY_INTERVAL_MS, tallyIntervalFor, type Batch } from './RoomBatches.js';

const ROOM = 'test-room';

/** What went out, batch by batch, with the fake clock's time of each. */
type Sent = Array<Batch & { at: number }>;

function batchesOf(sent: Sent): RoomBatches {
  return new RoomBatches(
    (roomId, batch) => {
      expect(roomId).toBe(ROOM);
      sent.push({ ...batch, at: Date.now() });
    },
    () => Date.now(),
  );
}

/** The state a client folds from every batch, starting from `from`, event by event. */
function folded(from: RoomState, sent: Sent): RoomState {
  let state = from;
  for (const { events } of sent) for (const e of events) state = apply(state, e);
  return state;
}

const seqs = (sent: Sent): number[] => sent.flatMap((b) => b.events.map((e) => e.seq));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the tally interval by room size', () => {
  test('a room of up to a few hundred sockets sees its count 10 times a second; a room of a thousand, 4 times', () => {
    // At ~13 µs a frame, 10 batches a second cost a 1,000-socket room 13 % of the thread;
    // the interval keeps it near 5 %, never over a quarter of a second.
    const table: Array<[sockets: number, ms: number]> = [
      [0, 100],
      [24, 100],
      [300, 100],
      [500, 130],
      [800, 208],
      [1000, 250],
      [20000, 250],
    ];
    for (const [sockets, ms] of table) expect(tallyIntervalFor(sockets), `${sockets} sockets`).toBe(ms);
  });

  test('a large room’s storm goes out once per its own interval, every vote once and in order', () => {
    const n = 500;
    const { room, pollId } = votingRoom(n);
    const before = room.state;
    const sent: Sent = [];
    const batches = new RoomBatches((_, batch) => sent.push({ ...batch, at: Date.now() }), () => Date.now(), () => LARGEST_TALLY_INTERVAL_MS);
    for (let i = 1; i <= n; i += 1) {
      batches.add(ROOM, room.ok({ type: 'poll:vote', pollId, choices: [i % 2] }, `m${i}`), room.state);
      vi.advanceTimersByTime(1);
    }
    vi.runAllTimers();
    expect(sent.length).toBeLessThanOrEqual(1 + Math.ceil(n / LARGEST_TALLY_INTERVAL_MS));
    for (let i = 1; i < sent.length; i += 1) expect((sent[i]?.at ?? 0) - (sent[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(LARGEST_TALLY_INTERVAL_MS);
    expect(folded(before, sent)).toEqual(room.state);
  });
});

describe('RoomBatches', () => {
  test('a quiet room: the events of one turn go out together at the end of the turn', () => {
    const { room, pollId } = votingRoom(3);
    const sent: Sent = [];
    const batches = batchesOf(sent);
    const first = room.ok({ type: 'poll:vote', pollId, choices: [0] }, 'm1');
    batches.add(ROOM, first, room.state);
    const second = room.ok({ type: 'poll:vote', pollId, choices: [1] }, 'm2');
    batches.add(ROOM, second, room.state);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.events).toEqual([...first, ...second]);
    expect(sent[0]?.state).toBe(room.state);
  });

  test('a storm of N votes, one a millisecond, reaches the room in one batch per 100 ms, every vote once and in order', () => {
    const n = 500;
    const { room, pollId } = votingRoom(n);
    const before = room.state;
    const sent: Sent = [];
    const batches = batchesOf(sent);
    const start = Date.now();
    for (let i = 1; i <= n; i += 1) {
      batches.add(ROOM, room.ok({ type: 'poll:vote', pollId, choices: [i % 2] }, `m${i}`), room.state);
      vi.advanceTimersByTime(1);
    }
    vi.runAllTimers();
    // The first at once (the room was quiet), then one per window: 500 ms of votes, 6 batches.
    expect(sent.length).toBeLessThanOrEqual(1 + Math.ceil(n / TALLY_INTERVAL_MS));
    expect(sent[0]?.at).toBe(start);
    for (let i = 1; i < sent.length; i += 1) expect((sent[i]?.at ?? 0) - (sent[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(TALLY_INTERVAL_MS);
    const voted = room.log.filter((e) => e.type === 'poll.voted').map((e) => e.seq);
    expect(seqs(sent)).toEqual(voted);
    expect(folded(before, sent)).toEqual(room.state);
    expect(sent.at(-1)?.state).toBe(room.state);
  });

  test('an event that is not a vote is not held for the tally: it goes out within 20 ms, with the votes before it', () => {
    const { room, pollId } = votingRoom(3);
    const sent: Sent = [];
    const batches = batchesOf(sent);
    batches.add(ROOM, room.ok({ type: 'poll:vote', pollId, choices: [0] }, 'm1'), room.state);
    vi.advanceTimersByTime(0);
    expect(sent).toHaveLength(1);
    const sentAt = Date.now();

    vi.advanceTimersByTime(5);
    const vote = room.ok({ type: 'poll:vote', pollId, choices: [1] }, 'm2');
    batches.add(ROOM, vote, room.state);
    const closed = room.ok({ type: 'poll:close', pollId }, 'host');
    batches.add(ROOM, closed, room.state);
    vi.advanceTimersByTime(BURST_INTERVAL_MS - 6);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.at).toBe(sentAt + BURST_INTERVAL_MS);
    expect(sent[1]?.events).toEqual([...vote, ...closed]);

    // Long after: quiet again, so the publication goes out at the end of its turn.
    vi.advanceTimersByTime(TALLY_INTERVAL_MS);
    const published = room.ok({ type: 'poll:publish', pollId }, 'host');
    batches.add(ROOM, published, room.state);
    vi.advanceTimersByTime(0);
    expect(sent[2]?.events).toEqual(published);
    expect(sent[2]?.at).toBe(sentAt + BURST_INTERVAL_MS + TALLY_INTERVAL_MS);
  });

  test('votes right after a batch wait the tally interval; a room sends nothing while nothing waits', () => {
    const { room, pollId } = votingRoom(3);
    const sent: Sent = [];
    const batches = batchesOf(sent);
    batches.add(ROOM, room.ok({ type: 'poll:vote', pollId, choices: [0] }, 'm1'), room.state);
    vi.advanceTimersByTime(0);
    const sentAt = Date.now();
    batches.add(ROOM, room.ok({ type: 'poll:vote', pollId, choices: [1] }, 'm2'), room.state);
    vi.advanceTimersByTime(TALLY_INTERVAL_MS - 1);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent.map((b) => b.at)).toEqual([sentAt, sentAt + TALLY_INTERVAL_MS]);
    vi.runAllTimers();
    expect(sent).toHaveLength(2);
  });

  test('close() drops what waits and sends nothing more', () => {
    const { room, pollId } = votingRoom(2);
    const sent: Sent = [];
    const batches = batchesOf(sent);
    batches.add(ROOM, room.ok({ type: 'poll:vote', pollId, choices: [0] }, 'm1'), room.state);
    batches.close();
    vi.runAllTimers();
    expect(sent).toEqual([]);
  });
});
