/**
 * The roll call checked by media and the halls' headcounts, written from the issue's rules
 * (a seat is present when it confirms AND its microphone carried sound in the last minute; a
 * venue terminal reports its hall's members, bounded by what the organiser expects, and the
 * quorum counts them) rather than from roles.ts or the module's own constants.
 */
import { describe, expect, test } from 'vitest';
import { totalAttendance, venueAttendance } from './attendance.js';
import { apply } from './apply.js';
import type { RoomEvent } from './events.js';
import { presentCount, rollCallAnswer } from './rollCall.js';
import type { RollCall } from './state.js';
import { createdRoom, fullRoom } from './testing.js';

const MINUTE = 60_000;

function running() {
  const room = fullRoom();
  room.ok({ type: 'rollCall:start' }, 'host');
  return room;
}
const answer = (rc: RollCall | null, id: string) => (rc === null ? 'no roll call' : rollCallAnswer(rc, id));

describe('a roll call checked by media', () => {
  test('a confirm with the microphone heard in the last minute is present, and the log says when it was heard', () => {
    const room = running();
    room.advance(5_000);
    room.hear('m1');
    room.advance(40_000);
    const [confirmed] = room.ok({ type: 'rollCall:confirm' }, 'm1');
    expect(confirmed?.data).toEqual({ participantId: 'm1', heardAt: room.now - 40_000, mic: true });
    expect(answer(room.state.rollCall, 'm1')).toBe('present');
    expect(presentCount(room.state.rollCall!)).toBe(1);
  });

  test('a click without any microphone is confirmed, not present; the log records that no microphone was sent', () => {
    const room = running();
    const [confirmed] = room.ok({ type: 'rollCall:confirm' }, 'm1');
    expect(confirmed?.data).toEqual({ participantId: 'm1', heardAt: null, mic: false });
    expect(answer(room.state.rollCall, 'm1')).toBe('noMic');
    expect(presentCount(room.state.rollCall!)).toBe(0);
  });

  test('sound heard more than a minute before the confirm does not vouch for it', () => {
    const room = running();
    room.hear('m1');
    room.advance(MINUTE + 1);
    const [confirmed] = room.ok({ type: 'rollCall:confirm' }, 'm1');
    expect(confirmed?.data).toMatchObject({ heardAt: null, mic: true });
    expect(answer(room.state.rollCall, 'm1')).toBe('silent');
  });

  test('a microphone that was silent at the confirm and is heard afterwards makes the seat present', () => {
    const room = running();
    room.mics.set('m2', { hasMic: true, heardAt: null });
    room.ok({ type: 'rollCall:confirm' }, 'm2');
    expect(answer(room.state.rollCall, 'm2')).toBe('silent');
    room.advance(90_000);
    const events = room.hear('m2');
    expect(events.map((e) => e.type)).toEqual(['rollCall.heard']);
    expect(answer(room.state.rollCall, 'm2')).toBe('present');
  });

  test('heard but not confirmed is told apart from neither', () => {
    const room = running();
    room.hear('m2');
    expect(answer(room.state.rollCall, 'm2')).toBe('heard');
    expect(answer(room.state.rollCall, 'm1')).toBe('none');
    expect(presentCount(room.state.rollCall!)).toBe(0);
  });

  test('hearing someone adds to the log only when it changes their answer', () => {
    const room = running();
    expect(room.hear('m1')).toHaveLength(1);
    room.advance(1_000);
    expect(room.hear('m1')).toHaveLength(0);
    room.ok({ type: 'rollCall:confirm' }, 'm1');
    room.advance(1_000);
    // Present already: nothing more to record.
    expect(room.hear('m1')).toHaveLength(0);
    // Not called (no seat), or no roll call running: nothing either.
    expect(room.hear('obs')).toHaveLength(0);
    expect(room.hear('host')).toHaveLength(0);
    room.ok({ type: 'rollCall:end' }, 'host');
    expect(room.hear('m2')).toHaveLength(0);
  });

  test('a client cannot send what the server heard: system:micHeard from a participant is refused', () => {
    const room = running();
    expect(room.run({ type: 'system:micHeard', participantId: 'm1' }, 'm1')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    expect(answer(room.state.rollCall, 'm1')).toBe('none');
  });

  test('a heard time the media claims from the future is not taken', () => {
    const room = running();
    room.mics.set('m1', { hasMic: true, heardAt: room.now + 5_000 });
    const [confirmed] = room.ok({ type: 'rollCall:confirm' }, 'm1');
    expect(confirmed?.data).toMatchObject({ heardAt: null });
  });

  test('a roll call of an old log (no media) still takes a confirm alone as present', () => {
    const room = fullRoom();
    const at = room.now;
    const old = (seq: number, type: 'rollCall.started' | 'rollCall.confirmed', data: object): RoomEvent =>
      ({ seq, at, actor: 'host', type, data, hash: `old-${seq}` }) as RoomEvent;
    let state = apply(room.state, old(room.state.seq + 1, 'rollCall.started', { expected: ['m1', 'm2'] }));
    state = apply(state, old(state.seq + 1, 'rollCall.confirmed', { participantId: 'm1' }));
    expect(state.rollCall).toEqual({ startedAt: at, endedAt: null, expected: ['m1', 'm2'], confirmed: { m1: at } });
    expect(answer(state.rollCall, 'm1')).toBe('present');
    expect(answer(state.rollCall, 'm2')).toBe('none');
  });
});

describe('a venue terminal reports its hall', () => {
  test('the quorum counts the members it reports instead of the terminal as one', () => {
    // 主会场 2, 一区 2, 二区 1 expected; the terminal v1 is 一区's hall.
    const room = createdRoom({ quorumPercent: 60 });
    room.arrive('host', 'host');
    room.arrive('m1', 'member', 'city');
    room.arrive('v1', 'venue', 'd1');
    room.ok({ type: 'lobby:admitAll' }, 'host');
    // Before any report the terminal counts as one: 2 of 5, under 60 %.
    expect(totalAttendance(room.state)).toMatchObject({ present: 2, expected: 5, quorumMet: false });
    const [reported] = room.ok({ type: 'rollCall:headcount', count: 2 }, 'v1');
    expect(reported).toMatchObject({ type: 'rollCall.headcount', actor: 'v1', data: { participantId: 'v1', venue: 'd1', count: 2 } });
    expect(venueAttendance(room.state, 'd1')).toMatchObject({ present: 2, expected: 2, quorumMet: true });
    expect(totalAttendance(room.state)).toMatchObject({ present: 3, expected: 5, quorumMet: true });
    // An empty hall: the terminal alone counts for no member.
    room.ok({ type: 'rollCall:headcount', count: 0 }, 'v1');
    expect(totalAttendance(room.state)).toMatchObject({ present: 1, quorumMet: false });
    // A terminal gone offline brings nobody; the record still counts its last report.
    room.ok({ type: 'rollCall:headcount', count: 2 }, 'v1');
    room.ok({ type: 'system:disconnect', participantId: 'v1' }, { kind: 'system' });
    expect(totalAttendance(room.state)).toMatchObject({ present: 1 });
    expect(totalAttendance(room.state, 'attended')).toMatchObject({ attended: 3 });
  });

  test('a count above what the organiser expects of the hall is refused, and so is one far beyond any hall where nothing is expected', () => {
    const room = createdRoom();
    room.arrive('host', 'host');
    room.arrive('v1', 'venue', 'd1');
    room.arrive('v9', 'venue', 'nowhere');
    room.ok({ type: 'lobby:admitAll' }, 'host');
    expect(room.run({ type: 'rollCall:headcount', count: 3 }, 'v1')).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    expect(room.state.participants['v1']?.headcount).toBeUndefined();
    expect(room.run({ type: 'rollCall:headcount', count: 2 }, 'v1')).toMatchObject({ ok: true });
    expect(room.run({ type: 'rollCall:headcount', count: 400 }, 'v9')).toMatchObject({ ok: true });
    expect(room.run({ type: 'rollCall:headcount', count: 9_999 }, 'v9')).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  });

  test('only a venue terminal reports a hall: a member, the chair or the secretary may not', () => {
    for (const who of ['m1', 'host', 'sec', 'obs', 'dept', 'pub']) {
      const room = fullRoom();
      expect(room.run({ type: 'rollCall:headcount', count: 1 }, who), who).toMatchObject({ ok: false });
      expect(totalAttendance(room.state).present).toBe(totalAttendance(fullRoom().state).present);
    }
  });
});
