import { describe, expect, test } from 'vitest';
import { apply } from '../../../signaling/room/apply.js';
import type { RoomEvent } from '../../../signaling/room/events.js';
import { createdRoom, fullRoom } from '../../../signaling/room/testing.js';
import { foldEvents, foldSync, lastSeqOf, type Replica } from './replica.js';

/** A meeting's log and its final state, made by the real decide/apply. */
function meeting() {
  const room = fullRoom();
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '第一条' }, 'm1');
  room.ok({ type: 'queue:raise', speechType: 'order', note: '' }, 'm2');
  room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
  return room;
}

describe('foldSync()', () => {
  test('a snapshot becomes the state', () => {
    const room = meeting();
    const { replica, gap } = foldSync(null, { kind: 'snapshot', state: room.state }, 'test-room');
    expect(gap).toBe(false);
    expect(replica.state).toEqual(room.state);
  });

  test('events from seq 1 rebuild the same state the server holds', () => {
    const room = meeting();
    const { replica, gap } = foldSync(null, { kind: 'events', events: room.log }, 'test-room');
    expect(gap).toBe(false);
    expect(replica.state).toEqual(room.state);
  });

  test('events continue a kept state after a resume (lastSeq)', () => {
    const room = meeting();
    const kept: Replica = { state: room.state, ahead: [] };
    const before = room.log.length;
    room.ok({ type: 'floor:revoke' }, 'host');
    const missed = room.log.slice(before);
    const { replica, gap } = foldSync(kept, { kind: 'events', events: missed }, 'test-room');
    expect(gap).toBe(false);
    expect(replica.state.floor).toBeNull();
    expect(replica.state.seq).toBe(room.state.seq);
  });

  test('events that do not start after what is kept are a gap', () => {
    const room = meeting();
    const { replica, gap } = foldSync(null, { kind: 'events', events: room.log.slice(3) }, 'test-room');
    expect(gap).toBe(true);
    expect(replica.state.seq).toBe(0);
    expect(lastSeqOf(replica)).toBeUndefined();
  });

  test('a snapshot fills a gap and the events held back continue it', () => {
    const room = meeting();
    const snapshotAt = room.state;
    const from = room.log.length;
    room.ok({ type: 'floor:extend', seconds: 60 }, 'host');
    room.ok({ type: 'floor:pause' }, 'host');
    const [extended, paused] = room.log.slice(from);
    // The client holds an old state, receives only the second new event: a gap.
    const stale: Replica = { state: { ...snapshotAt }, ahead: [] };
    const first = foldEvents(stale, [paused!]);
    expect(first.gap).toBe(true);
    expect(first.replica.state.seq).toBe(snapshotAt.seq);
    // The sync answers with events after the kept seq: both apply, in order.
    const filled = foldSync(first.replica, { kind: 'events', events: [extended!] }, 'test-room');
    expect(filled.gap).toBe(false);
    expect(filled.replica.state).toEqual(room.state);
  });
});

describe('foldEvents()', () => {
  test('a batch of votes as the chair sees them (every choice) folds to what apply gives one by one, and the state held before does not change', () => {
    const room = createdRoom({ open: true });
    room.arrive('host', 'host');
    for (let i = 1; i <= 30; i += 1) room.arrive(`m${i}`, 'member');
    room.ok({ type: 'poll:create', question: '是否同意？', kind: 'yesno', options: [], secret: false, allowChange: true, quorumPercent: null, threshold: 'simple', durationSeconds: null }, 'host');
    const pollId = room.state.pollOrder.at(-1) ?? '';
    room.ok({ type: 'poll:open', pollId }, 'host');
    const held: Replica = { state: room.state, ahead: [] };
    const snapshot = structuredClone(held.state);
    const votes: RoomEvent[] = [];
    for (let i = 1; i <= 30; i += 1) votes.push(...room.ok({ type: 'poll:vote', pollId, choices: [i % 2] }, `m${i}`));
    // Two voters change their ballots in the same batch.
    votes.push(...room.ok({ type: 'poll:vote', pollId, choices: [2] }, 'm1'), ...room.ok({ type: 'poll:vote', pollId, choices: [2] }, 'm2'));

    const first = foldEvents(held, votes.slice(0, 20));
    const { replica, gap } = foldEvents(first.replica, votes.slice(20));
    expect(gap).toBe(false);
    let oneByOne = held.state;
    for (const e of votes) oneByOne = apply(oneByOne, e);
    expect(replica.state).toEqual(oneByOne);
    expect(replica.state).toEqual(room.state);
    expect(replica.state.polls[pollId]?.choices['m1']).toEqual([2]);
    expect(held.state).toEqual(snapshot);
  });

  test('applies consecutive events and skips ones already folded', () => {
    const room = meeting();
    const half = Math.floor(room.log.length / 2);
    const start = foldSync(null, { kind: 'events', events: room.log.slice(0, half) }, 'test-room').replica;
    // A resend overlapping what we have is harmless.
    const { replica, gap } = foldEvents(start, room.log.slice(half - 2));
    expect(gap).toBe(false);
    expect(replica.state).toEqual(room.state);
  });

  test('detects a gap when an event is not state.seq + 1 and holds it back', () => {
    const room = meeting();
    const log = room.log;
    const start = foldSync(null, { kind: 'events', events: log.slice(0, 5) }, 'test-room').replica;
    const { replica, gap } = foldEvents(start, log.slice(6));
    expect(gap).toBe(true);
    expect(replica.state.seq).toBe(5);
    expect(replica.ahead.map((e) => e.seq)).toEqual(log.slice(6).map((e) => e.seq));
    // The missing event arrives: everything held back folds in.
    const healed = foldEvents(replica, [log[5]!]);
    expect(healed.gap).toBe(false);
    expect(healed.replica.ahead).toEqual([]);
    expect(healed.replica.state).toEqual(room.state);
  });

  test('out-of-order events in one batch are sorted by seq', () => {
    const room = meeting();
    const log = room.log;
    const start = foldSync(null, { kind: 'events', events: log.slice(0, 3) }, 'test-room').replica;
    const { replica, gap } = foldEvents(start, [...log.slice(3)].reverse());
    expect(gap).toBe(false);
    expect(replica.state).toEqual(room.state);
  });

  test('does not touch the state it was given', () => {
    const room = meeting();
    const start = foldSync(null, { kind: 'events', events: room.log.slice(0, 4) }, 'test-room').replica;
    const frozen = structuredClone(start);
    foldEvents(start, room.log.slice(4));
    expect(start).toEqual(frozen);
  });
});

describe('the lobby’s view', () => {
  test('is never continued by events: they are held, and the next answer replaces it', () => {
    const room = meeting();
    const lobbyState = { ...room.state, participants: {}, queue: { open: true, entries: [] } };
    const lobby = foldSync(null, { kind: 'lobby', state: lobbyState }, 'test-room');
    expect(lobby.gap).toBe(false);
    expect(lobby.replica.partial).toBe(true);
    // Asking again must not name a seq: the lobby's seq is not a state events could continue.
    expect(lastSeqOf(lobby.replica)).toBeUndefined();

    const snapshotSeq = room.state.seq;
    const snapshot = room.state;
    room.ok({ type: 'floor:revoke' }, 'host');
    const later = room.log.slice(snapshotSeq);
    const held = foldEvents(lobby.replica, later);
    expect(held.gap).toBe(true);
    expect(held.replica.state).toBe(lobbyState);

    // Admitted: the whole room arrives, older than the held event, which then continues it.
    const admitted = foldSync(held.replica, { kind: 'snapshot', state: snapshot }, 'test-room');
    expect(admitted.gap).toBe(false);
    expect(admitted.replica.partial).toBeUndefined();
    expect(admitted.replica.state).toEqual(room.state);
  });
});
