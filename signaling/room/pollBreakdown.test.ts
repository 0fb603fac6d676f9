/**
 * Results by venue and sector, and second rounds, through the room's commands. Expected
 * figures are counted by hand from the ballots below, not read from the code's tables.
 */
import { describe, expect, test } from 'vitest';
import { CLIENT_COMMANDS } from './commands.js';
import { shiftOf } from './pollBreakdown.js';
import type { PollResult } from './state.js';
import { createdRoom, type TestRoom } from './testing.js';

/** Voters by venue and sector: [id, venue, sector]. */
type Seat = [string, string, string];

function roomWith(seats: Seat[], secretGroupMin?: number): TestRoom {
  const room = createdRoom({ open: true });
  room.arrive('host', 'host');
  for (const [id, venue, sector] of seats) room.arrive(id, 'member', venue, sector);
  if (secretGroupMin !== undefined) room.ok({ type: 'room:settings', secretGroupMin }, 'host');
  return room;
}

/** Creates (as a second round of `roundOf`, if given), opens, votes and closes a yes/no poll. */
function yesNo(room: TestRoom, secret: boolean, votes: Record<string, number>, roundOf?: string): { pollId: string; result: PollResult } {
  room.ok({ type: 'poll:create', question: '是否同意加装电梯方案？', kind: 'yesno', options: [], secret, allowChange: !secret, quorumPercent: null, threshold: 'simple', durationSeconds: null, ...(roundOf ? { roundOf } : {}) }, 'host');
  const pollId = room.state.pollOrder.at(-1) ?? '';
  room.ok({ type: 'poll:open', pollId }, 'host');
  for (const [id, choice] of Object.entries(votes)) room.ok({ type: 'poll:vote', pollId, choices: [choice] }, id);
  room.ok({ type: 'poll:close', pollId }, 'host');
  const result = room.state.polls[pollId]?.result;
  if (!result) throw new Error('no result');
  return { pollId, result };
}

const YES = 0;
const NO = 1;
const ABSTAIN = 2;

// 13 members: city 6 (all 经济界), d1 5 (all 教育界), d2 2 (经济界).
const SEATS: Seat[] = [
  ...[1, 2, 3, 4, 5, 6].map((i): Seat => [`c${i}`, 'city', '经济界']),
  ...[1, 2, 3, 4, 5].map((i): Seat => [`a${i}`, 'd1', '教育界']),
  ['b1', 'd2', '经济界'],
  ['b2', 'd2', '经济界'],
];
// city: 4 yes 2 no; d1: 1 yes 3 no 1 abstain; d2: 2 yes.
const VOTES: Record<string, number> = { c1: YES, c2: YES, c3: YES, c4: YES, c5: NO, c6: NO, a1: YES, a2: NO, a3: NO, a4: NO, a5: ABSTAIN, b1: YES, b2: YES };

describe('results by venue and sector', () => {
  test('a named poll shows every venue and every sector as counted', () => {
    const { result } = yesNo(roomWith(SEATS), false, VOTES);
    expect(result.breakdown).toEqual({
      minGroup: null,
      byVenue: {
        groups: [
          { group: 'city', voters: 6, counts: [4, 2, 0] },
          { group: 'd1', voters: 5, counts: [1, 3, 1] },
          { group: 'd2', voters: 2, counts: [2, 0, 0] },
        ],
        other: { voters: 0, counts: [0, 0, 0] },
      },
      bySector: {
        groups: [
          { group: '教育界', voters: 5, counts: [1, 3, 1] },
          { group: '经济界', voters: 8, counts: [6, 2, 0] },
        ],
        other: { voters: 0, counts: [0, 0, 0] },
      },
    });
  });

  test('a secret poll merges d2 (2 voters) into 其他, and with it whatever would single it out', () => {
    const { result } = yesNo(roomWith(SEATS), true, VOTES);
    // Showing city and d1 would leave 其他 = d2's two ballots; showing 经济界 would give d2 as
    // 经济界 minus city. So only city is shown, the other 7 voters are 其他, no sector shown.
    expect(result.breakdown).toEqual({
      minGroup: 5,
      byVenue: { groups: [{ group: 'city', voters: 6, counts: [4, 2, 0] }], other: { voters: 7, counts: [3, 3, 1] } },
      bySector: { groups: [], other: { voters: 13, counts: [7, 5, 1] } },
    });
  });

  test('with the room set to 2 as the smallest group… refused: a pair would know each other', () => {
    expect(CLIENT_COMMANDS['room:settings'].safeParse({ secretGroupMin: 2 }).success).toBe(false);
    expect(CLIENT_COMMANDS['room:settings'].safeParse({ secretGroupMin: 51 }).success).toBe(false);
    expect(CLIENT_COMMANDS['room:settings'].safeParse({ secretGroupMin: 3 }).success).toBe(true);
  });

  test('with the smallest group set to 2… to 3, a venue of 3 is shown', () => {
    const seats: Seat[] = [...SEATS, ['b3', 'd2', '农业界']];
    const { result } = yesNo(roomWith(seats, 3), true, { ...VOTES, b3: NO });
    // d2 now has 3 (b1, b2 yes; b3 no). Sectors: 经济界 8, 教育界 5, 农业界 1. Showing 经济界
    // would split d2 into 2 (经济界) + 1: merged. 教育界 is exactly d1: shown.
    expect(result.breakdown?.minGroup).toBe(3);
    expect(result.breakdown?.byVenue.groups).toEqual([
      { group: 'city', voters: 6, counts: [4, 2, 0] },
      { group: 'd1', voters: 5, counts: [1, 3, 1] },
      { group: 'd2', voters: 3, counts: [2, 1, 0] },
    ]);
    expect(result.breakdown?.bySector).toEqual({ groups: [{ group: '教育界', voters: 5, counts: [1, 3, 1] }], other: { voters: 9, counts: [6, 3, 0] } });
  });

  test('a ballot box opened at close keeps no venue or sector; the groups live in the result only', () => {
    const room = roomWith(SEATS);
    yesNo(room, true, VOTES);
    // The test room keeps what decide handed the server to seal: the group goes in sealed.
    expect(room.ballots.every((b) => b.group !== undefined)).toBe(true);
    // And no event of the log carries a secret ballot's choice or group.
    const voted = room.log.filter((e) => e.type === 'poll.voted');
    expect(voted.every((e) => Object.keys(e.data).sort().join() === 'pollId,voterId')).toBe(true);
  });
});

describe('second rounds', () => {
  test('a second round of a named poll shows how each option moved', () => {
    const room = roomWith(SEATS);
    const first = yesNo(room, false, VOTES);
    const second = yesNo(room, false, { ...VOTES, c5: YES, c6: YES, a2: YES, a5: NO }, first.pollId);
    expect(room.state.polls[second.pollId]?.roundOf).toBe(first.pollId);
    // First: 7 yes, 5 no, 1 abstain of 13. Second: 10 yes, 3 no, 0 abstain.
    expect(second.result.counts).toEqual([10, 3, 0]);
    // Shares: 53.8 → 76.9 % (+23), 38.5 → 23.1 % (−15), 7.7 → 0 % (−8).
    expect(shiftOf(first.result, second.result)).toEqual([
      { index: 0, votes: 3, points: 23 },
      { index: 1, votes: -2, points: -15 },
      { index: 2, votes: -1, points: -8 },
    ]);
  });

  test('a secret second round by the same voters may show what the first showed', () => {
    const room = roomWith(SEATS);
    const first = yesNo(room, true, VOTES);
    const second = yesNo(room, true, { ...VOTES, c5: YES }, first.pollId);
    expect(second.result.breakdown?.byVenue.groups).toEqual([{ group: 'city', voters: 6, counts: [5, 1, 0] }]);
  });

  test('a secret second round that one voter of city missed shows no group: city then minus city now would be their ballot', () => {
    const room = roomWith(SEATS);
    const first = yesNo(room, true, VOTES);
    const { c6: _absent, ...rest } = VOTES;
    const second = yesNo(room, true, rest, first.pollId);
    expect(second.result.breakdown?.byVenue.groups).toEqual([]);
    expect(second.result.breakdown?.bySector.groups).toEqual([]);
    expect(second.result.breakdown?.byVenue.other.voters).toBe(12);
  });

  test('a second round asks the same thing: a closed poll, the same kind, options and secrecy, once', () => {
    const room = roomWith(SEATS);
    const base = { question: '再议', options: [] as string[], allowChange: false, quorumPercent: null, threshold: 'none' as const, durationSeconds: null };
    room.ok({ type: 'poll:create', ...base, kind: 'yesno', secret: true }, 'host');
    const draft = room.state.pollOrder.at(-1) ?? '';
    expect(room.run({ type: 'poll:create', ...base, kind: 'yesno', secret: true, roundOf: draft }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    const first = yesNo(room, true, VOTES).pollId;
    expect(room.run({ type: 'poll:create', ...base, kind: 'consensus', secret: true, roundOf: first }, 'host')).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    expect(room.run({ type: 'poll:create', ...base, kind: 'yesno', secret: false, roundOf: first }, 'host')).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    expect(room.run({ type: 'poll:create', ...base, kind: 'yesno', secret: true, roundOf: 'poll-99' }, 'host')).toMatchObject({ ok: false, error: 'NOT_FOUND' });
    room.ok({ type: 'poll:create', ...base, kind: 'yesno', secret: true, roundOf: first }, 'host');
    const second = room.state.pollOrder.at(-1) ?? '';
    expect(room.run({ type: 'poll:create', ...base, kind: 'yesno', secret: true, roundOf: first }, 'host')).toMatchObject({ ok: false, error: 'INVALID_STATE' });
    room.ok({ type: 'poll:open', pollId: second }, 'host');
    room.ok({ type: 'poll:close', pollId: second }, 'host');
    expect(room.run({ type: 'poll:create', ...base, kind: 'yesno', secret: true, roundOf: second }, 'host')).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    expect(room.run({ type: 'poll:create', ...base, kind: 'yesno', secret: true, roundOf: first }, 'c1')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
  });

  test('choice polls: a second round needs the same options in the same order', () => {
    const room = roomWith(SEATS);
    const base = { question: '选址', kind: 'single', secret: false, allowChange: true, quorumPercent: null, threshold: 'none', durationSeconds: null } as const;
    room.ok({ type: 'poll:create', ...base, options: ['东侧', '西侧'] }, 'host');
    const first = room.state.pollOrder.at(-1) ?? '';
    room.ok({ type: 'poll:open', pollId: first }, 'host');
    room.ok({ type: 'poll:close', pollId: first }, 'host');
    expect(room.run({ type: 'poll:create', ...base, options: ['西侧', '东侧'], roundOf: first }, 'host')).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    room.ok({ type: 'poll:create', ...base, options: ['东侧', '西侧'], roundOf: first }, 'host');
  });
});
