/**
 * Who is expected (应到) and who is counted (实到), written down here from the meeting's rules
 * and NOT read from attendance.ts: members and venue terminals hold the seats; the chair and
 * the secretary run the meeting, observers and departments attend without a seat, the public watches. Then one
 * realistic room, counted by every place that shows a number: they must agree.
 */
import { describe, expect, test } from 'vitest';
import { minutesSkeleton } from '../record/skeleton.js';
import { attendance, standing, venueAttendance } from './attendance.js';
import { quorumGauges } from './selectors.js';
import type { Role } from './state.js';
import { createdRoom, type TestRoom } from './testing.js';

type Status = 'lobby' | 'online' | 'offline' | 'left' | 'removed' | 'denied';

/**
 * role × status → is the person one of the 应到 (a seat: an extra one raises a venue's 应到),
 * counted in 实到 now, counted in the record's 实到, called in a roll call.
 * `online`: admitted with a live connection; `offline`: admitted, connection dropped (may
 * resume); `left`, `removed`: after having been in the meeting; `denied`: turned away at the door.
 * Staff and the public go straight in, so they are never in the lobby or denied.
 */
const TABLE: Array<[Role, Status, { seat: boolean; present: boolean; attended: boolean; called: boolean }]> = [
  ['member', 'lobby', { seat: true, present: false, attended: false, called: false }],
  ['member', 'online', { seat: true, present: true, attended: true, called: true }],
  ['member', 'offline', { seat: true, present: false, attended: true, called: true }],
  ['member', 'left', { seat: true, present: false, attended: true, called: true }],
  ['member', 'removed', { seat: true, present: false, attended: true, called: true }],
  ['member', 'denied', { seat: true, present: false, attended: false, called: false }],
  ['venue', 'lobby', { seat: true, present: false, attended: false, called: false }],
  ['venue', 'online', { seat: true, present: true, attended: true, called: true }],
  ['venue', 'offline', { seat: true, present: false, attended: true, called: true }],
  ['venue', 'left', { seat: true, present: false, attended: true, called: true }],
  ['venue', 'removed', { seat: true, present: false, attended: true, called: true }],
  ['venue', 'denied', { seat: true, present: false, attended: false, called: false }],
  ['observer', 'lobby', { seat: false, present: false, attended: false, called: false }],
  ['observer', 'online', { seat: false, present: false, attended: false, called: false }],
  ['observer', 'offline', { seat: false, present: false, attended: false, called: false }],
  ['observer', 'left', { seat: false, present: false, attended: false, called: false }],
  ['observer', 'removed', { seat: false, present: false, attended: false, called: false }],
  ['observer', 'denied', { seat: false, present: false, attended: false, called: false }],
  // A department (部门) attends like an observer: it answers, it holds no seat.
  ['department', 'lobby', { seat: false, present: false, attended: false, called: false }],
  ['department', 'online', { seat: false, present: false, attended: false, called: false }],
  ['department', 'offline', { seat: false, present: false, attended: false, called: false }],
  ['department', 'left', { seat: false, present: false, attended: false, called: false }],
  ['department', 'removed', { seat: false, present: false, attended: false, called: false }],
  ['department', 'denied', { seat: false, present: false, attended: false, called: false }],
  ['host', 'online', { seat: false, present: false, attended: false, called: false }],
  ['host', 'offline', { seat: false, present: false, attended: false, called: false }],
  ['host', 'left', { seat: false, present: false, attended: false, called: false }],
  ['secretary', 'online', { seat: false, present: false, attended: false, called: false }],
  ['secretary', 'offline', { seat: false, present: false, attended: false, called: false }],
  ['secretary', 'left', { seat: false, present: false, attended: false, called: false }],
  ['secretary', 'removed', { seat: false, present: false, attended: false, called: false }],
  ['public', 'online', { seat: false, present: false, attended: false, called: false }],
  ['public', 'offline', { seat: false, present: false, attended: false, called: false }],
  ['public', 'left', { seat: false, present: false, attended: false, called: false }],
  ['public', 'removed', { seat: false, present: false, attended: false, called: false }],
];

/** A room with a chair (h) and `x` of `role` from venue `dx` (which the organiser expected nobody from), in `status`. */
function roomWith(role: Role, status: Status): TestRoom {
  const room = createdRoom();
  room.arrive('h', 'host');
  room.arrive('x', role, 'dx');
  const sys = { kind: 'system' } as const;
  if (status === 'denied') room.ok({ type: 'lobby:deny', participantId: 'x' }, 'h');
  if (status !== 'lobby' && status !== 'denied' && room.state.participants['x']?.status === 'lobby') {
    room.ok({ type: 'lobby:admit', participantId: 'x' }, 'h');
  }
  if (status === 'offline') room.ok({ type: 'system:disconnect', participantId: 'x' }, sys);
  if (status === 'left') room.ok({ type: 'system:leave', participantId: 'x' }, sys);
  if (status === 'removed') room.ok({ type: 'participant:remove', participantId: 'x' }, 'h');
  return room;
}

describe('who is expected and who is counted (from the meeting rules)', () => {
  test.each(TABLE)('a %s who is %s', (role, status, want) => {
    const room = roomWith(role, status);
    const x = room.state.participants['x'];
    expect(x?.status).toBe(status === 'online' || status === 'offline' ? 'admitted' : status);
    expect(standing(x!)).toEqual(want);

    // The counts of the venue follow: one more 应到 for a seat that came (a venue nobody was
    // expected from then reads 1 / 1, never 1 / 0), 实到 now and in the record.
    const count = venueAttendance(room.state, 'dx');
    expect(count.expected).toBe(want.attended ? 1 : 0);
    expect(count.present).toBe(want.present ? 1 : 0);
    expect(count.attended).toBe(want.attended ? 1 : 0);
    expect(count.present).toBeLessThanOrEqual(count.expected);

    // A roll call calls them or not; a seat still in the meeting may answer it.
    room.ok({ type: 'rollCall:start' }, 'h');
    expect(room.state.rollCall?.expected.includes('x')).toBe(want.called);
    if (status === 'online' || status === 'offline') {
      expect(room.run({ type: 'rollCall:confirm' }, 'x').ok).toBe(want.called);
    }
  });
});

describe('every place counts the same room the same way', () => {
  /**
   * 主会场 expects 2, 一区 2, 二区 1. The chair, 李记录 (secretary), an observer and a viewer are
   * there besides: 张 (city) and 王, 赵 (一区), the 二区 terminal and 钱, a member of 二区 the
   * organiser forgot (二区 now expects 2). 赵's connection dropped. A roll call: 张 and the
   * terminal answer; then 孙 from 一区 arrives late and answers while it runs.
   */
  function meeting(): TestRoom {
    const room = createdRoom({ quorumPercent: 50 });
    room.arrive('host', 'host');
    room.arrive('sec', 'secretary');
    room.arrive('zhang', 'member', 'city');
    room.arrive('wang', 'member', 'd1');
    room.arrive('zhao', 'member', 'd1');
    room.arrive('term', 'venue', 'd2');
    room.arrive('qian', 'member', 'd2');
    room.arrive('obs', 'observer', 'city');
    room.arrive('pub', 'public');
    room.ok({ type: 'lobby:admitAll' }, 'host');
    room.ok({ type: 'system:disconnect', participantId: 'zhao' }, { kind: 'system' });
    room.ok({ type: 'rollCall:start' }, 'host');
    room.ok({ type: 'rollCall:confirm' }, 'zhang');
    room.ok({ type: 'rollCall:confirm' }, 'term');
    room.arrive('sun', 'member', 'd1');
    room.ok({ type: 'lobby:admit', participantId: 'sun' }, 'host');
    room.ok({ type: 'rollCall:confirm' }, 'sun');
    return room;
  }

  test('the gauges, the roll call and the minutes', () => {
    const room = meeting();
    const s = room.state;
    // 应到 2 + max(2, 3 who came from 一区) + max(1, 2 who came from 二区) = 7; 实到 now: all
    // seats but 赵 = 5; in the record 6 (赵 was here).
    expect(quorumGauges(s)).toEqual([
      { venue: '*', present: 5, expected: 7, quorumMet: true },
      { venue: 'city', present: 1, expected: 2, quorumMet: true },
      { venue: 'd1', present: 2, expected: 3, quorumMet: true },
      { venue: 'd2', present: 2, expected: 2, quorumMet: true },
    ]);
    // The roll call called the seats only, and the late 孙 answered.
    expect([...(s.rollCall?.expected ?? [])].sort()).toEqual(['qian', 'sun', 'term', 'wang', 'zhang', 'zhao']);
    expect(Object.keys(s.rollCall?.confirmed ?? {}).sort()).toEqual(['sun', 'term', 'zhang']);

    const m = minutesSkeleton(s);
    const total = m.attendance.find((a) => a.venue === '*');
    expect(total).toMatchObject({ expected: 7, present: 6 });
    expect(m.attendance.filter((a) => a.venue !== '*').map((a) => [a.venue, a.present, a.expected])).toEqual([
      ['city', 1, 2],
      ['d1', 3, 3],
      ['d2', 2, 2],
    ]);
    // The same 应到 as the gauge; nobody of the staff among those who did not answer.
    expect(m.rollCall).toMatchObject({ expected: 7, confirmed: ['name-zhang', 'name-term', 'name-sun'] });
    expect([...(m.rollCall?.absent ?? [])].sort()).toEqual(['name-qian', 'name-wang', 'name-zhao']);
    expect(m.rollCall?.absent).not.toContain('name-sec');
    // Never more present than expected, anywhere.
    for (const c of attendance(s)) expect(c.present).toBeLessThanOrEqual(c.expected);
    for (const c of m.attendance) expect(c.present).toBeLessThanOrEqual(c.expected);
  });
});
