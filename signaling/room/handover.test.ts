/**
 * Handing the chair over (room:handOver): the chair names a member present in the meeting,
 * who becomes the host; the former chair stays on as an observer (列席) or leaves.
 */
import { describe, expect, test } from 'vitest';
import { totalAttendance } from './attendance.js';
import { fullRoom } from './testing.js';

const sys = { kind: 'system' } as const;

describe('room:handOver', () => {
  test('the chair hands over to a present member: one event, roles swapped, the new chair runs the meeting', () => {
    const room = fullRoom();
    const before = totalAttendance(room.state);
    const events = room.ok({ type: 'room:handOver', participantId: 'm1' }, 'host');
    expect(events.map((e) => [e.type, e.data, e.actor])).toEqual([['room.chairHandedOver', { from: 'host', to: 'm1' }, 'host']]);
    expect(room.state.participants['m1']?.role).toBe('host');
    expect(room.state.participants['host']?.role).toBe('observer');
    // The member who took the chair no longer holds a seat (the chair holds none); the former
    // chair never held one: 实到 loses the new chair, 应到 stays what the organiser set.
    expect(before).toMatchObject({ present: 3, expected: 5 });
    expect(totalAttendance(room.state)).toMatchObject({ present: 2, expected: 5 });

    // The new chair has the chair's powers, the former chair an observer's.
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'host');
    room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'm1');
    expect(room.run({ type: 'room:end' }, 'host')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    // Repeating the hand-over: the former chair no longer may.
    expect(room.run({ type: 'room:handOver', participantId: 'm2' }, 'host')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    room.ok({ type: 'room:end' }, 'm1');
    expect(room.state.ended).toBe(true);
  });

  test("the new chair's raised hand comes down and their speech ends", () => {
    const room = fullRoom();
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm2');
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' } }, 'host');
    room.ok({ type: 'room:handOver', participantId: 'm2' }, 'host');
    expect(room.state.queue.entries).toEqual([]);
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'host');
    room.ok({ type: 'room:handOver', participantId: 'm1' }, 'm2');
    expect(room.state.floor).toBeNull();
    expect(room.state.speeches.map((s) => s.end)).toEqual(['revoked']);
    expect(room.state.queue.entries.map((q) => q.participantId)).toEqual(['host']);
  });

  test.each([
    ['the chair themself', 'host', 'INVALID_STATE'],
    ['nobody by that id', 'ghost', 'NOT_FOUND'],
    ['the secretary', 'sec', 'NOT_ELIGIBLE'],
    ['a venue terminal', 'v1', 'NOT_ELIGIBLE'],
    ['an observer', 'obs', 'NOT_ELIGIBLE'],
    ['the public', 'pub', 'NOT_ELIGIBLE'],
  ] as const)('not to %s', (_what, to, error) => {
    const room = fullRoom();
    const before = room.state;
    expect(room.run({ type: 'room:handOver', participantId: to }, 'host')).toMatchObject({ ok: false, error });
    expect(room.state).toBe(before);
  });

  test('not to a member who is not present: waiting in the lobby, dropped, left, removed', () => {
    const room = fullRoom();
    room.arrive('lobbyist', 'member', 'd1');
    room.arrive('dropped', 'member', 'd1');
    room.arrive('gone', 'member', 'd1');
    room.arrive('out', 'member', 'd1');
    for (const id of ['dropped', 'gone', 'out']) room.ok({ type: 'lobby:admit', participantId: id }, 'host');
    room.ok({ type: 'system:disconnect', participantId: 'dropped' }, sys);
    room.ok({ type: 'system:leave', participantId: 'gone' }, sys);
    room.ok({ type: 'participant:remove', participantId: 'out' }, 'host');
    for (const id of ['lobbyist', 'dropped', 'gone', 'out']) {
      expect(room.run({ type: 'room:handOver', participantId: id }, 'host'), id).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    }
    expect(room.state.participants['host']?.role).toBe('host');
  });

  test('a member may not hand the chair to anyone, themself included', () => {
    const room = fullRoom();
    for (const to of ['m1', 'm2']) expect(room.run({ type: 'room:handOver', participantId: to }, 'm1')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
  });

  test('the former chair who leaves and comes back on the host invite stays an observer', () => {
    const room = fullRoom();
    room.ok({ type: 'room:handOver', participantId: 'm1' }, 'host');
    room.ok({ type: 'system:leave', participantId: 'host' }, sys);
    // The invite still says host; the room's word wins. Observers wait in the lobby.
    room.arrive('host', 'host');
    expect(room.state.participants['host']).toMatchObject({ role: 'observer', status: 'lobby' });
    room.ok({ type: 'lobby:admit', participantId: 'host' }, 'm1');
    expect(room.run({ type: 'room:end' }, 'host')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
  });
});
