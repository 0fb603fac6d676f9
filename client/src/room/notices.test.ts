import { describe, expect, test } from 'vitest';
import type { RoomState } from '../../../signaling/room/state.js';
import { fullRoom, type TestRoom } from '../../../signaling/room/testing.js';
import { noticesFor, rings, stillRelevant, type Notice } from './notices.js';

/** The notices each participant of the room gets for one step of the meeting. */
function step(room: TestRoom, act: () => void): Record<string, Notice['kind'][]> {
  const before: RoomState = room.state;
  act();
  const out: Record<string, Notice['kind'][]> = {};
  for (const id of Object.keys(room.state.participants)) {
    const kinds = noticesFor(before, room.state, id).map((n) => n.kind);
    if (kinds.length > 0) out[id] = kinds;
  }
  return out;
}

function openPoll(room: TestRoom): string {
  room.ok(
    { type: 'poll:create', question: '是否同意？', kind: 'yesno', options: [], secret: false, allowChange: false, quorumPercent: null, threshold: 'none', durationSeconds: null },
    'host',
  );
  const id = room.state.pollOrder[room.state.pollOrder.length - 1] ?? '';
  room.ok({ type: 'poll:open', pollId: id }, 'host');
  return id;
}

describe('noticesFor(): who is told what', () => {
  // Written from the meeting's rules: the chair admits and grants the floor; the secretary
  // keeps the minutes and neither admits nor grants; members and venues vote.
  test('someone knocking: the chair only', () => {
    const room = fullRoom();
    expect(step(room, () => room.arrive('late', 'member', 'd1'))).toEqual({ host: ['lobbyWaiting'] });
  });

  test('a raised hand: the chair only, not the one who raised it', () => {
    const room = fullRoom();
    expect(step(room, () => room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1'))).toEqual({ host: ['handRaised'] });
  });

  test('a point of order is a hand too, marked as such', () => {
    const room = fullRoom();
    const before = room.state;
    room.ok({ type: 'queue:raise', speechType: 'order', note: '' }, 'm2');
    expect(noticesFor(before, room.state, 'host')).toEqual([expect.objectContaining({ kind: 'handRaised', participantId: 'm2', type: 'order' })]);
  });

  test('a new poll: every eligible voter (members and venues), nobody else', () => {
    const room = fullRoom();
    expect(step(room, () => openPoll(room))).toEqual({ m1: ['pollOpened'], m2: ['pollOpened'], v1: ['pollOpened'] });
  });

  test('the floor: the speaker hears when it comes and when it ends, and why', () => {
    const room = fullRoom();
    expect(step(room, () => room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' } }, 'host'))).toEqual({ m1: ['floorGranted'] });
    const before = room.state;
    room.ok({ type: 'floor:revoke' }, 'host');
    expect(noticesFor(before, room.state, 'm1')).toEqual([expect.objectContaining({ kind: 'floorEnded', end: 'revoked' })]);
  });

  test('joining: people already waiting and a ballot already open are told; old hands are not', () => {
    const room = fullRoom();
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
    room.arrive('late', 'member', 'd1');
    openPoll(room);
    expect(noticesFor(null, room.state, 'host').map((n) => n.kind)).toEqual(['lobbyWaiting']);
    expect(noticesFor(null, room.state, 'm2').map((n) => n.kind)).toEqual(['pollOpened']);
  });

  test('a participant still in the lobby is told nothing of the meeting', () => {
    const room = fullRoom();
    room.arrive('late', 'member', 'd1');
    const before = room.state;
    openPoll(room);
    expect(noticesFor(before, room.state, 'late')).toEqual([]);
  });

  test('the same state twice adds nothing', () => {
    const room = fullRoom();
    room.arrive('late', 'member', 'd1');
    expect(noticesFor(room.state, room.state, 'host')).toEqual([]);
  });
});

describe('stillRelevant(): a notice goes away when its matter is done', () => {
  test('admitted, hand lowered, poll closed', () => {
    const room = fullRoom();
    const before = room.state;
    room.arrive('late', 'member', 'd1');
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
    const pollId = openPoll(room);
    const [lobbyNotice, hand] = noticesFor(before, room.state, 'host');
    const ballot = noticesFor(before, room.state, 'm1').find((n) => n.kind === 'pollOpened');
    if (lobbyNotice === undefined || hand === undefined || ballot === undefined) throw new Error('notices expected');
    expect([lobbyNotice, hand].every((n) => stillRelevant(n, room.state, 'host'))).toBe(true);
    room.ok({ type: 'lobby:admit', participantId: 'late' }, 'host');
    room.ok({ type: 'queue:withdraw' }, 'm1');
    expect(stillRelevant(lobbyNotice, room.state, 'host')).toBe(false);
    expect(stillRelevant(hand, room.state, 'host')).toBe(false);
    expect(stillRelevant(ballot, room.state, 'm1')).toBe(true);
    room.ok({ type: 'poll:close', pollId }, 'host');
    expect(stillRelevant(ballot, room.state, 'm1')).toBe(false);
  });

  test('what asks someone to act rings; the end of my speech only shows', () => {
    expect(rings({ kind: 'lobbyWaiting', id: 'a', participantId: 'x', name: 'x' })).toBe(true);
    expect(rings({ kind: 'pollOpened', id: 'b', pollId: 'p' })).toBe(true);
    expect(rings({ kind: 'floorEnded', id: 'c', end: 'expired' })).toBe(false);
  });
});
