/**
 * Duty records from a scripted meeting. The story below is told minute by minute through the
 * real room model; every expected figure is worked out by hand from the story (the sums are
 * written next to them), not read from the code.
 */
import { describe, expect, test } from 'vitest';
import type { DutyCounts } from '../http/orgs.js';
import type { ClientCommand } from '../room/commands.js';
import { createdRoom, type TestRoom } from '../room/testing.js';
import { memberDuties, noDuties, roomDuties, summariseRoom, sumDuties } from './duties.js';
import type { RosterMember } from './model.js';

const MIN = 60_000;
const SYSTEM = { kind: 'system' } as const;

const poll = (secret: boolean): ClientCommand => ({
  type: 'poll:create',
  question: secret ? '人选（无记名）' : '是否同意方案？',
  kind: 'yesno',
  options: [],
  secret,
  allowChange: !secret,
  quorumPercent: null,
  threshold: 'none',
  durationSeconds: null,
});

/**
 * 0:00 room created; host, m1 (city), m2 (d1) arrive; the room is not open: m1, m2 wait in the lobby.
 *      m3 and m4 are invited and never come.
 * 0:02 host admits the lobby.                                    m1, m2 attend from 0:02
 * 0:05 m1 raises a hand; 0:10 the floor is m1's.                 m1 speaks from 0:10
 * 0:11 chair pauses m1's clock; 0:12 resumes.                    1 min not counted
 * 0:13 m2 raises a point of order; the chair interrupts m1.      m1 has spoken 2 min
 * 0:14 m2 yields (1 min point of order); m1's speech resumes.
 * 0:16 m1 yields.                                                m1: one speech of 2 + 2 = 4 min
 * 0:20 m2's connection drops; 0:25 it is back.                   5 min gap, not attended
 * 0:30 named poll opens; 0:31 m1 votes yes, m2 votes no;
 * 0:32 m1 changes to no.                                         one named vote each
 * 0:35 secret poll opens; 0:36 m1 votes; m2 does not.            m1: one secret vote
 * 0:40 m1 and m2 each submit a written statement.
 * 0:50 m2 leaves; 0:55 comes back to the lobby; 0:57 admitted.   m2 away 0:50–0:57
 * 1:00 the chair ends the meeting.
 * after: the secretary asks both speakers to confirm their passages (speech:0 is m2's point of
 *        order, which ended first; speech:1 is m1's speech). m1 confirms; m2 proposes a
 *        correction, the secretary takes it (confirmed with m2's text).
 */
function scriptedMeeting(): TestRoom {
  const room = createdRoom();
  room.arrive('host', 'host');
  room.arrive('sec', 'secretary');
  room.arrive('m1', 'member', 'city', '经济界');
  room.arrive('m2', 'member', 'd1', '教育界');
  room.advance(2 * MIN); // 0:02
  room.ok({ type: 'lobby:admitAll' }, 'host');
  room.advance(3 * MIN); // 0:05
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
  room.advance(5 * MIN); // 0:10
  room.ok({ type: 'floor:grant', target: { kind: 'next' }, seconds: 600 }, 'host');
  room.advance(MIN); // 0:11
  room.ok({ type: 'floor:pause' }, 'host');
  room.advance(MIN); // 0:12
  room.ok({ type: 'floor:resume' }, 'host');
  room.advance(MIN); // 0:13
  room.ok({ type: 'queue:raise', speechType: 'order', note: '偏离议题' }, 'm2');
  room.ok({ type: 'floor:interrupt' }, 'host');
  room.advance(MIN); // 0:14
  room.ok({ type: 'floor:yield' }, 'm2');
  room.advance(2 * MIN); // 0:16
  room.ok({ type: 'floor:yield' }, 'm1');
  room.advance(4 * MIN); // 0:20
  room.ok({ type: 'system:disconnect', participantId: 'm2' }, SYSTEM);
  room.advance(5 * MIN); // 0:25
  room.ok({ type: 'system:reconnect', participantId: 'm2' }, SYSTEM);
  room.advance(5 * MIN); // 0:30
  room.ok(poll(false), 'host');
  room.ok({ type: 'poll:open', pollId: 'poll-1' }, 'host');
  room.advance(MIN); // 0:31
  room.ok({ type: 'poll:vote', pollId: 'poll-1', choices: [0] }, 'm1');
  room.ok({ type: 'poll:vote', pollId: 'poll-1', choices: [1] }, 'm2');
  room.advance(MIN); // 0:32
  room.ok({ type: 'poll:vote', pollId: 'poll-1', choices: [1] }, 'm1');
  room.ok({ type: 'poll:close', pollId: 'poll-1' }, 'host');
  room.advance(3 * MIN); // 0:35
  room.ok(poll(true), 'host');
  room.ok({ type: 'poll:open', pollId: 'poll-2' }, 'host');
  room.advance(MIN); // 0:36
  room.ok({ type: 'poll:vote', pollId: 'poll-2', choices: [0] }, 'm1');
  room.advance(4 * MIN); // 0:40
  room.ok({ type: 'minutes:submitStatement', text: '关于加装电梯资金的书面意见' }, 'm1');
  room.ok({ type: 'minutes:submitStatement', text: '关于物业协调的书面意见' }, 'm2');
  room.advance(10 * MIN); // 0:50
  room.ok({ type: 'system:leave', participantId: 'm2' }, SYSTEM);
  room.advance(5 * MIN); // 0:55
  room.arrive('m2', 'member', 'd1', '教育界');
  room.advance(2 * MIN); // 0:57
  room.ok({ type: 'lobby:admit', participantId: 'm2' }, 'host');
  room.advance(3 * MIN); // 1:00
  room.ok({ type: 'room:end' }, 'host');
  room.advance(60 * MIN);
  room.ok({ type: 'minutes:requestConfirmation', section: 'speech:0' }, 'sec');
  room.ok({ type: 'minutes:requestConfirmation', section: 'speech:1' }, 'sec');
  room.ok({ type: 'minutes:confirm', section: 'speech:1' }, 'm1');
  room.ok({ type: 'minutes:proposeCorrection', section: 'speech:0', text: '程序性问题：请回到议题' }, 'm2');
  room.ok({ type: 'minutes:acceptCorrection', section: 'speech:0' }, 'sec');
  return room;
}

/** The organisation's links: TestRoom's invites are `inv-<participant id>`. */
const INVITES = [
  { inviteId: 'inv-m1', memberId: 'member-1' },
  { inviteId: 'inv-m2', memberId: 'member-2' },
  { inviteId: 'inv-m3', memberId: 'member-3' },
  { inviteId: 'inv-m4', memberId: 'member-4' },
];

const duties = (fields: Partial<DutyCounts>): DutyCounts => ({ ...noDuties(), ...fields });

describe('one room’s duties, from its log', () => {
  const room = scriptedMeeting();
  const byMember = roomDuties('test-room', room.log, INVITES);

  test('m1: attended 0:02–1:00, one speech of 4 min (pause and wait left out), one named and one secret vote, a statement, a passage confirmed', () => {
    expect(byMember.get('member-1')).toEqual(
      duties({
        invited: 1,
        attended: 1,
        attendedMs: 58 * MIN, // 0:02 → 1:00
        speeches: 1, // interrupted and resumed: still one speech
        speakingMs: 4 * MIN, // 0:10–0:11 and 0:12–0:13, then 0:14–0:16
        namedVotes: 1, // voted, then changed: one vote
        secretVotes: 1,
        statements: 1,
        passagesConfirmed: 1, // speech:1
      }),
    );
  });

  test('m2: the disconnect and the time away are not attended; the point of order is a speech; no secret vote', () => {
    expect(byMember.get('member-2')).toEqual(
      duties({
        invited: 1,
        attended: 1,
        attendedMs: 46 * MIN, // 0:02–0:20 (18) + 0:25–0:50 (25) + 0:57–1:00 (3)
        speeches: 1,
        speakingMs: MIN, // 0:13–0:14
        namedVotes: 1,
        secretVotes: 0,
        statements: 1,
        passagesConfirmed: 1, // speech:0, confirmed with the correction m2 proposed
      }),
    );
  });

  test('members invited who never came: invited 1, attended 0, nothing else', () => {
    expect(byMember.get('member-3')).toEqual(duties({ invited: 1 }));
    expect(byMember.get('member-4')).toEqual(duties({ invited: 1 }));
  });

  test('a secret ballot counts only as voted: the summary holds no choice', () => {
    const summary = summariseRoom('test-room', room.log);
    expect(JSON.stringify(summary)).not.toMatch(/choice/i);
    // The secret poll's vote is in the log without a choice, and m1's count says only that it was cast.
    const secretVote = room.log.find((e) => e.type === 'poll.voted' && e.data.pollId === 'poll-2');
    expect(secretVote?.data).toEqual({ pollId: 'poll-2', voterId: 'm1' });
    expect(summary.byInvite['inv-m1']?.secretVotes).toBe(1);
  });

  test('staff and people without a member invite are nobody’s duties', () => {
    // host and sec did things (admitted, granted, asked); no member invite is theirs.
    expect([...byMember.keys()].sort()).toEqual(['member-1', 'member-2', 'member-3', 'member-4']);
  });

  test('a member holding two invites to one consultation is invited and attended once', () => {
    const twice = memberDuties(summariseRoom('test-room', room.log), [...INVITES, { inviteId: 'inv-m3', memberId: 'member-1' }]);
    expect(twice.get('member-1')).toMatchObject({ invited: 1, attended: 1, attendedMs: 58 * MIN });
  });

  test('the summary knows the log it read: last seq and first event time', () => {
    const summary = summariseRoom('test-room', room.log);
    expect(summary.lastSeq).toBe(room.log.length);
    expect(summary.firstAt).toBe(1_700_000_000_000);
  });
});

describe('while the meeting runs', () => {
  test('an open stay and the speech on the floor count up to the log’s last event', () => {
    const room = createdRoom({ open: true });
    room.arrive('host', 'host');
    room.arrive('m1', 'member');
    room.advance(MIN);
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' }, seconds: 600 }, 'host');
    room.advance(3 * MIN);
    room.ok({ type: 'floor:extend', seconds: 60 }, 'host'); // the last event: 4 min after m1 came, 3 min into the speech
    room.advance(30 * MIN); // no event: the log does not know this time has passed
    expect(roomDuties('r', room.log, [{ inviteId: 'inv-m1', memberId: 'x' }]).get('x')).toEqual(
      duties({ invited: 1, attended: 1, attendedMs: 4 * MIN, speeches: 1, speakingMs: 3 * MIN }),
    );
  });
});

const member = (memberId: string, name: string, sector: string, district = ''): RosterMember => ({
  memberId,
  orgId: 'org-city',
  name,
  sector,
  venue: '',
  district,
  phone: '',
  email: '',
  note: '',
  updatedAt: 0,
});

describe('sumDuties', () => {
  const roster = [member('member-1', '王芳', '经济界', '一区'), member('member-2', '李明', '教育界'), member('member-3', '张伟', '经济界'), member('member-5', '赵丽', '')];
  const roomA = new Map([
    ['member-1', duties({ invited: 1, attended: 1, attendedMs: 10, speeches: 2, speakingMs: 5, namedVotes: 1 })],
    ['member-2', duties({ invited: 1 })],
    ['member-9', duties({ invited: 1, attended: 1, attendedMs: 99 })], // no longer on the roster
  ]);
  const roomB = new Map([
    ['member-1', duties({ invited: 1, attended: 1, attendedMs: 20, secretVotes: 1, statements: 2, passagesConfirmed: 1 })],
    ['member-3', duties({ invited: 1, attended: 1, attendedMs: 7 })],
  ]);
  const { members, sectors } = sumDuties([roomA, roomB], roster);

  test('per member: every roster member, summed over rooms, zeros for one never invited', () => {
    const of = (id: string) => members.find((m) => m.memberId === id);
    expect(of('member-1')).toEqual({
      memberId: 'member-1',
      name: '王芳',
      sector: '经济界',
      district: '一区',
      ...duties({ invited: 2, attended: 2, attendedMs: 30, speeches: 2, speakingMs: 5, namedVotes: 1, secretVotes: 1, statements: 2, passagesConfirmed: 1 }),
    });
    expect(of('member-2')).toMatchObject(duties({ invited: 1 }));
    expect(of('member-3')).toMatchObject(duties({ invited: 1, attended: 1, attendedMs: 7 }));
    expect(of('member-5')).toMatchObject(noDuties());
    expect(members.map((m) => m.memberId)).not.toContain('member-9');
  });

  test('per sector: members counted and their duties summed; the empty sector last', () => {
    // 教育界 (jiào) sorts before 经济界 (jīng) in pinyin order.
    expect(sectors.map((s) => [s.sector, s.members])).toEqual([
      ['教育界', 1],
      ['经济界', 2],
      ['', 1],
    ]);
    expect(sectors[1]).toMatchObject(duties({ invited: 3, attended: 3, attendedMs: 37, speeches: 2, speakingMs: 5, namedVotes: 1, secretVotes: 1, statements: 2, passagesConfirmed: 1 }));
    expect(sectors[2]).toMatchObject(noDuties());
  });

  test('members by sector, then name', () => {
    // 张 (zhāng) after 王 (wáng) within 经济界.
    expect(members.map((m) => m.name)).toEqual(['李明', '王芳', '张伟', '赵丽']);
  });
});
