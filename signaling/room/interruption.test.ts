/**
 * A point of order interrupts the speech: the timeline (speech → waiting → point of order →
 * speech back with its time left), the speech log, and the edge cases. Who may interrupt is
 * written out here (the chair alone), not read from roles.ts.
 */
import { describe, expect, test } from 'vitest';
import type { ClientCommand } from './commands.js';
import { floorClock, waitingClock } from './floorClock.js';
import { mayBeHeard, nextDeadline, venueSpeeches } from './selectors.js';
import { fullRoom, type TestRoom } from './testing.js';

const SYSTEM = { kind: 'system' } as const;
const raise = (speechType: 'statement' | 'question' | 'order', note = ''): ClientCommand => ({ type: 'queue:raise', speechType, note });
const grantTo = (participantId: string, seconds = 120): ClientCommand => ({ type: 'floor:grant', target: { kind: 'participant', participantId }, seconds });
const interrupt: ClientCommand = { type: 'floor:interrupt' };
const holder = (room: TestRoom): string | null => {
  const h = room.state.floor?.holder;
  return h?.kind === 'participant' ? h.participantId : null;
};
const remaining = (room: TestRoom): number => {
  const floor = room.state.floor;
  if (!floor) throw new Error('nobody has the floor');
  return floorClock(floor, room.state.settings, room.now).remainingMs;
};

/** m2 (member of d1) speaks for two minutes; after 30 s obs raises a point of order; the chair interrupts. */
function interrupted(): TestRoom {
  const room = fullRoom();
  room.ok(grantTo('m2'), 'host');
  room.advance(30_000);
  room.ok(raise('order', '发言偏离议题'), 'obs');
  room.advance(2_000);
  room.ok(interrupt, 'host');
  return room;
}

describe('a point of order interrupts the speech', () => {
  test('speech → waiting → point of order → speech back with its remaining time', () => {
    const room = interrupted();
    // The point of order has the floor, taken from the list; the speech waits, clock stopped at 88 s left.
    expect(holder(room)).toBe('obs');
    expect(room.state.floor).toMatchObject({ type: 'order', note: '发言偏离议题', limitMs: 180_000 });
    expect(room.state.queue.entries).toEqual([]);
    const waiting = room.state.floor?.interrupted;
    expect(waiting?.floor.holder).toEqual({ kind: 'participant', participantId: 'm2' });
    expect(waiting && waitingClock(waiting, room.state.settings).remainingMs).toBe(88_000);
    // Floor-only: the waiting speaker is not heard; the point of order is.
    expect(mayBeHeard(room.state, 'm2')).toBe(false);
    expect(mayBeHeard(room.state, 'obs')).toBe(true);
    // What ends by itself now is the point of order.
    expect(nextDeadline(room.state, room.now)).toBe(room.now + 180_000 + 15_000);

    room.advance(45_000);
    expect(waiting && waitingClock(waiting, room.state.settings).remainingMs).toBe(88_000);
    room.ok({ type: 'floor:yield' }, 'obs');
    expect(holder(room)).toBe('m2');
    expect(remaining(room)).toBe(88_000);
    expect(room.state.floor?.pausedAt).toBeNull();
    expect(room.state.floor?.interrupted).toBeUndefined();
    expect(mayBeHeard(room.state, 'm2')).toBe(true);
    expect(mayBeHeard(room.state, 'obs')).toBe(false);

    room.advance(8_000);
    expect(remaining(room)).toBe(80_000);
    room.ok({ type: 'floor:yield' }, 'm2');
    // Two speeches, each as it ended: the point of order (45 s), then m2's whole speech
    // (32 s + 8 s spoken), its start where it started and the wait recorded beside it.
    const start = 1_700_000_000_000;
    expect(room.state.speeches).toEqual([
      expect.objectContaining({ holder: { kind: 'participant', participantId: 'obs' }, type: 'order', spokenMs: 45_000, end: 'yielded' }),
      expect.objectContaining({
        holder: { kind: 'participant', participantId: 'm2' },
        type: 'statement',
        venue: 'd1',
        startedAt: start,
        endedAt: start + 85_000,
        spokenMs: 40_000,
        end: 'yielded',
        interruptions: [{ from: start + 32_000, to: start + 77_000 }],
      }),
    ]);
    expect(room.state.floor).toBeNull();
  });

  test('the limit, extensions and earlier pauses of the speech are kept', () => {
    const room = fullRoom();
    room.ok(grantTo('m2', 60), 'host');
    room.ok({ type: 'floor:extend', seconds: 30 }, 'host');
    room.advance(10_000);
    room.ok({ type: 'floor:pause' }, 'host');
    room.advance(50_000);
    room.ok({ type: 'floor:resume' }, 'host');
    room.advance(5_000);
    room.ok(raise('order'), 'm1');
    room.ok(interrupt, 'host');
    room.advance(20_000);
    room.ok({ type: 'floor:revoke' }, 'host');
    expect(holder(room)).toBe('m2');
    expect(room.state.floor?.limitMs).toBe(90_000);
    expect(remaining(room)).toBe(75_000);
    // An extension while back counts as before.
    room.ok({ type: 'floor:extend', seconds: 15 }, 'host');
    expect(remaining(room)).toBe(90_000);
  });

  test('a speech the chair had paused comes back paused, and runs on when the chair restarts it', () => {
    const room = fullRoom();
    room.ok(grantTo('m2'), 'host');
    room.advance(20_000);
    room.ok({ type: 'floor:pause' }, 'host');
    room.advance(5_000);
    room.ok(raise('order'), 'm1');
    room.ok(interrupt, 'host');
    room.advance(30_000);
    room.ok({ type: 'floor:yield' }, 'm1');
    expect(holder(room)).toBe('m2');
    expect(room.state.floor?.pausedAt).not.toBeNull();
    expect(remaining(room)).toBe(100_000);
    expect(mayBeHeard(room.state, 'm2')).toBe(false);
    room.advance(7_000);
    room.ok({ type: 'floor:resume' }, 'host');
    room.advance(10_000);
    expect(remaining(room)).toBe(90_000);
  });

  test('a point of order whose time runs out gives the floor back too', () => {
    const room = fullRoom();
    room.ok(grantTo('m2'), 'host');
    room.advance(60_000);
    room.ok(raise('order'), 'm1');
    room.ok({ type: 'floor:interrupt', seconds: 30 }, 'host');
    room.advance(30_000 + 15_000);
    const events = room.ok({ type: 'system:tick' }, SYSTEM);
    expect(events.map((e) => e.type)).toEqual(['floor.ended']);
    expect(room.state.speeches.at(-1)).toMatchObject({ type: 'order', end: 'expired', spokenMs: 45_000 });
    expect(holder(room)).toBe('m2');
    expect(remaining(room)).toBe(60_000);
  });

  test('the point of order’s speaker leaving gives the floor back at once', () => {
    const room = interrupted();
    room.advance(5_000);
    room.ok({ type: 'system:leave', participantId: 'obs' }, SYSTEM);
    expect(room.state.speeches.at(-1)).toMatchObject({ type: 'order', end: 'revoked', spokenMs: 5_000 });
    expect(holder(room)).toBe('m2');
    expect(remaining(room)).toBe(88_000);
  });

  test('the waiting speaker leaving ends their speech there; the point of order goes on, and nothing comes back after it', () => {
    const room = interrupted();
    room.advance(5_000);
    room.ok({ type: 'system:leave', participantId: 'm2' }, SYSTEM);
    expect(holder(room)).toBe('obs');
    expect(room.state.floor?.interrupted).toBeUndefined();
    expect(room.state.speeches).toEqual([
      expect.objectContaining({ holder: { kind: 'participant', participantId: 'm2' }, end: 'revoked', spokenMs: 32_000 }),
    ]);
    room.ok({ type: 'floor:yield' }, 'obs');
    expect(room.state.floor).toBeNull();
    expect(room.state.speeches.map((s) => s.type)).toEqual(['statement', 'order']);
  });

  test('the chair may end the waiting speech: recorded as revoked with what was spoken; the point of order goes on', () => {
    const room = interrupted();
    room.advance(5_000);
    const events = room.ok({ type: 'floor:revoke', interrupted: true }, 'host');
    expect(events.map((e) => e.type)).toEqual(['floor.interruptedRevoked']);
    expect(holder(room)).toBe('obs');
    const start = 1_700_000_000_000;
    expect(room.state.speeches).toEqual([
      expect.objectContaining({ end: 'revoked', spokenMs: 32_000, endedAt: start + 37_000, interruptions: [{ from: start + 32_000, to: start + 37_000 }] }),
    ]);
    expect(room.run({ type: 'floor:revoke', interrupted: true }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'floor:revoke' }, 'host');
    expect(room.state.floor).toBeNull();
  });

  test('a second point of order waits at the head of the list; the chair interrupts again once the speech is back', () => {
    const room = interrupted();
    room.ok(raise('statement'), 'm1');
    room.ok(raise('order', '第二个程序性问题'), 'dept');
    expect(room.state.queue.entries.map((q) => q.participantId)).toEqual(['dept', 'm1']);
    const before = room.state;
    expect(room.run(interrupt, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    expect(room.state).toBe(before);
    room.advance(10_000);
    room.ok({ type: 'floor:yield' }, 'obs');
    expect(holder(room)).toBe('m2');
    room.advance(3_000);
    room.ok(interrupt, 'host');
    expect(holder(room)).toBe('dept');
    room.advance(10_000);
    room.ok({ type: 'floor:yield' }, 'dept');
    expect(remaining(room)).toBe(85_000);
    room.ok({ type: 'floor:yield' }, 'm2');
    expect(room.state.speeches.at(-1)?.interruptions).toHaveLength(2);
    expect(room.state.speeches.at(-1)?.spokenMs).toBe(35_000);
  });

  test('while a speech waits, the chair cannot give the floor to someone else (revoke it first)', () => {
    const room = interrupted();
    room.ok(raise('statement'), 'm1');
    expect(room.run({ type: 'floor:grant', target: { kind: 'next' } }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'floor:revoke', interrupted: true }, 'host');
    room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
    expect(holder(room)).toBe('m1');
  });

  test('the meeting ending during a point of order records both speeches', () => {
    const room = interrupted();
    room.advance(4_000);
    room.ok({ type: 'room:end' }, 'host');
    expect(room.state.floor).toBeNull();
    expect(room.state.speeches.map((s) => [s.type, s.end, s.spokenMs])).toEqual([
      ['statement', 'revoked', 32_000],
      ['order', 'revoked', 4_000],
    ]);
  });

  test('the minutes’ sections keep their index: a speech recorded before stays speech:0', () => {
    const room = fullRoom();
    room.ok(grantTo('m1'), 'host');
    room.ok({ type: 'floor:yield' }, 'm1');
    const first = room.state.speeches[0];
    room.ok(grantTo('m2'), 'host');
    room.ok(raise('order'), 'obs');
    room.ok(interrupt, 'host');
    room.ok({ type: 'floor:yield' }, 'obs');
    room.ok({ type: 'floor:yield' }, 'm2');
    expect(room.state.speeches[0]).toBe(first);
    expect(room.state.speeches.map((s) => s.holder)).toEqual([
      { kind: 'participant', participantId: 'm1' },
      { kind: 'participant', participantId: 'obs' },
      { kind: 'participant', participantId: 'm2' },
    ]);
  });

  test('the waiting speech is still its venue’s turn for the quota; the point of order is not', () => {
    const room = interrupted();
    expect(venueSpeeches(room.state, 'd1')).toBe(1);
    expect(venueSpeeches(room.state, 'city')).toBe(0);
  });

  test('a whole venue’s speech can be interrupted; none of its people is heard until it is back', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'venue', venue: 'd1' }, seconds: 60 }, 'host');
    expect(mayBeHeard(room.state, 'm2')).toBe(true);
    room.ok(raise('order'), 'm1');
    room.ok(interrupt, 'host');
    expect(mayBeHeard(room.state, 'm2')).toBe(false);
    room.ok({ type: 'floor:yield' }, 'm1');
    expect(room.state.floor?.holder).toEqual({ kind: 'venue', venue: 'd1' });
    expect(mayBeHeard(room.state, 'm2')).toBe(true);
  });
});

describe('who may interrupt, and when', () => {
  test('only the chair: the secretary, a member, a venue, an observer, a department are refused', () => {
    for (const actor of ['sec', 'm1', 'v1', 'obs', 'dept', 'pub']) {
      const room = fullRoom();
      room.ok(grantTo('m2'), 'host');
      room.ok(raise('order'), 'm1');
      const before = room.state;
      expect(room.run(interrupt, actor), actor).toMatchObject({ ok: false, error: 'FORBIDDEN' });
      expect(room.state).toBe(before);
    }
  });

  test('only for a point of order waiting in the list', () => {
    const room = fullRoom();
    room.ok(grantTo('m2'), 'host');
    expect(room.run(interrupt, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok(raise('question'), 'm1');
    expect(room.run(interrupt, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    expect(room.run({ type: 'floor:interrupt', participantId: 'm1' }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok(raise('order'), 'obs');
    room.ok({ type: 'floor:interrupt', participantId: 'obs' }, 'host');
    expect(holder(room)).toBe('obs');
  });

  test('not when nobody speaks: the point of order is simply given the floor', () => {
    const room = fullRoom();
    room.ok(raise('order'), 'obs');
    expect(room.run(interrupt, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
  });

  test('not a point of order already on the floor', () => {
    const room = fullRoom();
    room.ok(raise('order'), 'obs');
    room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
    room.ok(raise('order'), 'm1');
    expect(room.run(interrupt, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
  });
});
