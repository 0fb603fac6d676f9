import { describe, expect, test } from 'vitest';
import { apply, applyAll, folder } from './apply.js';
import type { RoomEvent } from './events.js';
import { createdRoom, type TestRoom } from './testing.js';
import { emptyRoom, type RoomState } from './state.js';

/** A room of a host and members m1…mn with an open consensus poll that takes changed ballots. */
function votingRoom(n: number): { room: TestRoom; pollId: string } {
  const room = createdRoom({ open: true });
  room.arrive('host', 'host');
  for (let i = 1; i <= n; i += 1) room.arrive(`m${i}`, 'member');
  room.ok(
    { type: 'poll:create', question: '是否同意？', kind: 'consensus', options: [], secret: false, allowChange: true, quorumPercent: null, threshold: 'simple', basis: 'cast', durationSeconds: null },
    'host',
  );
  const pollId = room.state.pollOrder.at(-1) ?? '';
  room.ok({ type: 'poll:open', pollId }, 'host');
  return { room, pollId };
}

/** Votes with changed ballots, reasons given, changed and dropped, and a close in the middle of none. */
function storm(room: TestRoom, pollId: string): RoomEvent[] {
  const start = room.log.length;
  const vote = (id: string, choice: number, reason?: string) =>
    room.ok({ type: 'poll:vote', pollId, choices: [choice], ...(reason === undefined ? {} : { reason }) }, id);
  vote('m1', 0);
  vote('m2', 3, '成本太高');
  vote('m3', 2, '需要再议');
  vote('m1', 1); // changed
  vote('m2', 0); // changed: the reason goes
  vote('m3', 3, '仍不赞同'); // changed: a new reason
  vote('m4', 2, '先试点');
  room.ok({ type: 'poll:close', pollId }, 'host');
  return room.log.slice(start);
}

/** A deep copy (a room state is plain JSON: snapshots store it so). */
const copyOf = (state: RoomState): RoomState => JSON.parse(JSON.stringify(state)) as RoomState;

/** Each event applied on its own, as a client's replica does. */
const oneByOne = (state: RoomState, events: readonly RoomEvent[]): RoomState => events.reduce(apply, state);

describe('folding a batch of events', () => {
  test('gives the state that applying them one by one gives, down to the order of its keys', () => {
    const { room, pollId } = votingRoom(5);
    const before = room.state;
    const events = storm(room, pollId);
    const batch = applyAll(before, events);
    expect(batch).toEqual(oneByOne(before, events));
    expect(batch).toEqual(room.state);
    // Snapshots are this state as JSON: the same bytes either way.
    expect(JSON.stringify(batch)).toBe(JSON.stringify(oneByOne(before, events)));
    expect(batch.polls[pollId]).toMatchObject({
      status: 'closed',
      voted: ['m1', 'm2', 'm3', 'm4'],
      choices: { m1: [1], m2: [0], m3: [3], m4: [2] },
      reasons: { m3: '仍不赞同', m4: '先试点' },
    });
  });

  test('a whole log folds to the state it was recorded with', () => {
    const { room, pollId } = votingRoom(4);
    storm(room, pollId);
    expect(applyAll(emptyRoom(room.state.id), room.log)).toEqual(room.state);
  });

  test('never changes the state it starts from, nor a state handed out before', () => {
    const { room, pollId } = votingRoom(5);
    room.ok({ type: 'poll:vote', pollId, choices: [3], reason: '成本太高' }, 'm5');
    const before = room.state;
    const copy = copyOf(before);
    const events = storm(room, pollId);
    applyAll(before, events);
    expect(before).toEqual(copy);
    expect(JSON.stringify(before)).toBe(JSON.stringify(copy));

    // A state a finished fold handed on (to listeners, as the next `before`) stays as it was
    // while the next batch is folded from it.
    const handedOn = applyAll(before, events.slice(0, 3));
    const handedOnCopy = copyOf(handedOn);
    const next = folder(handedOn);
    next(events.slice(3, 5));
    next(events.slice(5));
    expect(handedOn).toEqual(handedOnCopy);
    expect(handedOn.polls[pollId]?.voted).toEqual(['m5', 'm1', 'm2', 'm3']);
  });

  test('in steps, each step gives the state that applying one by one gives up to there', () => {
    const { room, pollId } = votingRoom(5);
    const before = room.state;
    const events = storm(room, pollId);
    const step = folder(before);
    for (let i = 0; i < events.length; i += 1) {
      const event = events[i] as RoomEvent;
      // Checked at once: a state a folder returned may change when it folds more.
      expect(step([event])).toEqual(oneByOne(before, events.slice(0, i + 1)));
    }
  });

  test('a voter id that names a property of objects is an entry like any other', () => {
    // Hand-made: the rules never let such a participant in, but the fold must not depend on it.
    const { room, pollId } = votingRoom(2);
    const before = room.state;
    const voted = [...room.ok({ type: 'poll:vote', pollId, choices: [0] }, 'm1'), ...room.ok({ type: 'poll:vote', pollId, choices: [2], reason: '再议' }, 'm2')];
    const ids = ['__proto__', 'constructor'];
    const events = voted.map((e, i) => (e.type === 'poll.voted' ? { ...e, data: { ...e.data, voterId: ids[i] ?? '' } } : e));
    const batch = applyAll(before, events);
    expect(batch).toEqual(oneByOne(before, events));
    const poll = batch.polls[pollId];
    expect(Object.getPrototypeOf(poll?.choices)).toBe(Object.prototype);
    expect(Object.entries(poll?.choices ?? {})).toEqual([
      ['__proto__', [0]],
      ['constructor', [2]],
    ]);
    expect(Object.entries(poll?.reasons ?? {})).toEqual([['constructor', '再议']]);
  });
});
