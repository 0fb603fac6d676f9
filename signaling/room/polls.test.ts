import { describe, expect, test } from 'vitest';
import { minutesSkeleton } from '../record/skeleton.js';
import { applyAll } from './apply.js';
import type { RoomEvent } from './events.js';
import { createdRoom, type TestRoom } from './testing.js';
import { emptyRoom, type MajorityBasis, type PollKind, type Threshold } from './state.js';

/**
 * The pass rule as an organiser reads it, written out by hand: each row is a poll put to
 * `eligible` voters who cast `counts` (one ballot per vote; 赞成/反对/弃权 on yes/no, 赞同/
 * 基本赞同/需进一步协商/不赞同 on the consensus scale) and the verdict a person counting
 * on paper would reach. Not derived from the code's own tables.
 */
const RULES: {
  kind: PollKind;
  threshold: Threshold;
  basis: MajorityBasis;
  eligible: number;
  counts: number[];
  passed: boolean | null;
  why: string;
}[] = [
  // The case from the field: 1 赞成, 1 弃权, 3 应投.
  { kind: 'yesno', threshold: 'simple', basis: 'cast', eligible: 3, counts: [1, 0, 1], passed: true, why: '1 of 1 yes/no vote' },
  { kind: 'yesno', threshold: 'simple', basis: 'castWithAbstentions', eligible: 3, counts: [1, 0, 1], passed: false, why: '1 of 2 votes is not more than half' },
  { kind: 'yesno', threshold: 'simple', basis: 'eligible', eligible: 3, counts: [1, 0, 1], passed: false, why: '1 of 3 eligible' },
  { kind: 'yesno', threshold: 'simple', basis: 'cast', eligible: 4, counts: [2, 2, 0], passed: false, why: 'a tie is not a majority' },
  { kind: 'yesno', threshold: 'simple', basis: 'cast', eligible: 3, counts: [0, 0, 3], passed: false, why: 'only abstentions: nothing to be a majority of' },
  { kind: 'yesno', threshold: 'simple', basis: 'castWithAbstentions', eligible: 5, counts: [3, 1, 1], passed: true, why: '3 of 5 votes' },
  { kind: 'yesno', threshold: 'simple', basis: 'eligible', eligible: 7, counts: [3, 1, 0], passed: false, why: '3 of 7 eligible' },
  { kind: 'yesno', threshold: 'simple', basis: 'eligible', eligible: 7, counts: [4, 0, 0], passed: true, why: '4 of 7 eligible' },
  { kind: 'yesno', threshold: 'twoThirds', basis: 'cast', eligible: 8, counts: [2, 1, 5], passed: true, why: '2 of 3 yes/no votes is two thirds' },
  { kind: 'yesno', threshold: 'twoThirds', basis: 'castWithAbstentions', eligible: 4, counts: [2, 1, 1], passed: false, why: '2 of 4 votes' },
  { kind: 'yesno', threshold: 'twoThirds', basis: 'eligible', eligible: 9, counts: [6, 0, 0], passed: true, why: '6 of 9 eligible is two thirds' },
  { kind: 'yesno', threshold: 'twoThirds', basis: 'eligible', eligible: 9, counts: [5, 1, 1], passed: false, why: '5 of 9 eligible' },
  { kind: 'consensus', threshold: 'simple', basis: 'cast', eligible: 4, counts: [1, 1, 2, 0], passed: false, why: '赞同 + 基本赞同 2 of 4 votes' },
  { kind: 'consensus', threshold: 'simple', basis: 'cast', eligible: 4, counts: [1, 2, 1, 0], passed: true, why: '赞同 + 基本赞同 3 of 4 votes' },
  { kind: 'consensus', threshold: 'simple', basis: 'eligible', eligible: 7, counts: [1, 2, 1, 0], passed: false, why: '3 of 7 eligible' },
  { kind: 'single', threshold: 'simple', basis: 'cast', eligible: 6, counts: [3, 2], passed: true, why: 'the leading option has 3 of 5 votes' },
  { kind: 'single', threshold: 'simple', basis: 'eligible', eligible: 6, counts: [3, 2], passed: false, why: 'the leading option has 3 of 6 eligible' },
  { kind: 'yesno', threshold: 'none', basis: 'eligible', eligible: 3, counts: [3, 0, 0], passed: null, why: 'no pass rule: a measurement only' },
];

/** A room of `n` admitted members m1…mn and a host. */
function roomOf(n: number): TestRoom {
  const room = createdRoom({ open: true });
  room.arrive('host', 'host');
  for (let i = 1; i <= n; i += 1) room.arrive(`m${i}`, 'member');
  return room;
}

/** Runs one poll through the real commands: create, open, one ballot per counted vote, close. */
function runPoll(room: TestRoom, row: Pick<(typeof RULES)[number], 'kind' | 'threshold' | 'basis' | 'counts'>, quorumPercent: number | null = null) {
  const options = row.kind === 'single' ? row.counts.map((_, i) => `方案${i + 1}`) : [];
  room.ok(
    { type: 'poll:create', question: '是否同意？', kind: row.kind, options, secret: false, allowChange: true, quorumPercent, threshold: row.threshold, basis: row.basis, durationSeconds: null },
    'host',
  );
  const pollId = room.state.pollOrder.at(-1) ?? '';
  room.ok({ type: 'poll:open', pollId }, 'host');
  let voter = 1;
  row.counts.forEach((count, option) => {
    for (let k = 0; k < count; k += 1) room.ok({ type: 'poll:vote', pollId, choices: [option] }, `m${voter++}`);
  });
  room.ok({ type: 'poll:close', pollId }, 'host');
  return room.state.polls[pollId]?.result;
}

describe('the pass rule counts against the basis the organiser chose', () => {
  test.each(RULES)('$kind $threshold of $basis, $counts of $eligible eligible → $passed ($why)', (row) => {
    const result = runPoll(roomOf(row.eligible), row);
    expect(result).toMatchObject({ eligible: row.eligible, votes: row.counts.reduce((a, b) => a + b, 0), passed: row.passed });
  });

  test('a quorum not met fails the poll whatever the basis', () => {
    const result = runPoll(roomOf(3), { kind: 'yesno', threshold: 'simple', basis: 'cast', counts: [1, 0, 0] }, 50);
    expect(result).toMatchObject({ quorumMet: false, passed: false });
  });

  test('poll:create refuses to count abstentions on a poll that has none', () => {
    const room = roomOf(2);
    for (const kind of ['consensus', 'single', 'multiple'] as const) {
      const options = kind === 'consensus' ? [] : ['甲', '乙'];
      const refused = room.run(
        { type: 'poll:create', question: 'q', kind, options, secret: false, allowChange: true, quorumPercent: null, threshold: 'simple', basis: 'castWithAbstentions', durationSeconds: null },
        'host',
      );
      expect(refused).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    }
  });

  test('a poll drafted without a basis counts the votes cast, abstentions left out, and says so in its event', () => {
    const room = roomOf(3);
    const [created] = room.ok({ type: 'poll:create', question: 'q', kind: 'yesno', options: [], secret: false, allowChange: true, quorumPercent: null, threshold: 'simple', durationSeconds: null }, 'host');
    expect(created).toMatchObject({ type: 'poll.created', data: { basis: 'cast' } });
  });
});

describe('logs written before the basis existed', () => {
  test('fold to the same state and draw the same minutes record (so their locked hashes hold)', () => {
    const room = roomOf(3);
    runPoll(room, { kind: 'yesno', threshold: 'simple', basis: 'cast', counts: [1, 0, 1] });
    room.ok({ type: 'room:end' }, 'host');
    // The same log as an older server wrote it: poll.created without the basis field.
    const old: RoomEvent[] = room.log.map((e) => {
      if (e.type !== 'poll.created') return e;
      const { basis: _dropped, ...data } = e.data;
      return { ...e, data };
    });
    expect(old.some((e) => e.type === 'poll.created' && 'basis' in e.data)).toBe(false);
    const folded = applyAll(emptyRoom(room.state.id), old);
    expect(folded).toEqual(room.state);
    expect(folded.polls['poll-1']).toMatchObject({ basis: 'cast', result: { passed: true } });
    const record = minutesSkeleton(folded);
    expect(record.polls[0]).not.toHaveProperty('basis');
    expect(record).toEqual(minutesSkeleton(room.state));
  });

  test('a poll with another basis carries it into the minutes record', () => {
    const room = roomOf(3);
    runPoll(room, { kind: 'yesno', threshold: 'simple', basis: 'eligible', counts: [1, 0, 1] });
    expect(minutesSkeleton(room.state).polls[0]).toMatchObject({ basis: 'eligible', passed: false });
  });
});
