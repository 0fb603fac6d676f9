/**
 * The k-anonymity merge of a secret poll's results by venue and sector, attacked: random
 * electorates (venues, sectors), random ballots in two rounds through the real commands, and an
 * attacker who knows who voted and everyone's venue and sector and adds and subtracts every
 * published figure (totals, groups, 其他, both breakdowns, both rounds, assuming nobody changed
 * their vote). Written against linear algebra, not against the merge's own cells.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { safeGroups, type GroupedVoter } from './pollBreakdown.js';
import type { PollResult } from './state.js';
import { createdRoom } from './testing.js';

type Person = { id: string; venue: string; sector: string };

/** Row-reduced basis of the span of `rows` (vectors over the persons). */
function basisOf(rows: number[][]): number[][] {
  const basis: number[][] = [];
  for (const row of rows) {
    const r = reduce(basis, row);
    const pivot = r.findIndex((x) => Math.abs(x) > 1e-9);
    if (pivot < 0) continue;
    const scaled = r.map((x) => x / (r[pivot] ?? 1));
    for (const b of basis) {
      const f = b[pivot] ?? 0;
      if (Math.abs(f) > 1e-9) for (let i = 0; i < b.length; i++) b[i] = (b[i] ?? 0) - f * (scaled[i] ?? 0);
    }
    basis.push(scaled);
  }
  return basis;
}

function reduce(basis: number[][], v: number[]): number[] {
  const r = [...v];
  for (const b of basis) {
    const pivot = b.findIndex((x) => Math.abs(x) > 1e-9);
    const f = r[pivot] ?? 0;
    if (Math.abs(f) > 1e-9) for (let i = 0; i < r.length; i++) r[i] = (r[i] ?? 0) - f * (b[i] ?? 0);
  }
  return r;
}

function inSpan(basis: number[][], v: number[]): boolean {
  return reduce(basis, v).every((x) => Math.abs(x) < 1e-6);
}

/** Every set of 1 to k−1 persons, as indicator vectors. */
function* smallSets(n: number, k: number): Generator<number[]> {
  const pick = (from: number, left: number, chosen: number[]): number[][] => {
    if (left === 0) return [chosen];
    const out: number[][] = [];
    for (let i = from; i < n; i++) out.push(...pick(i + 1, left - 1, [...chosen, i]));
    return out;
  };
  for (let size = 1; size < k; size++) {
    for (const chosen of pick(0, size, [])) yield Array.from({ length: n }, (_, i) => (chosen.includes(i) ? 1 : 0));
  }
}

/** The sets of persons whose summed ballots a round publishes: the total, each shown group, each 其他. */
function publishedSets(persons: Person[], voters: Set<string>, result: PollResult): number[][] {
  const b = result.breakdown;
  if (!b) throw new Error('no breakdown');
  const of = (pred: (p: Person) => boolean) => persons.map((p) => (voters.has(p.id) && pred(p) ? 1 : 0));
  const venues = new Set(b.byVenue.groups.map((g) => g.group));
  const sectors = new Set(b.bySector.groups.map((g) => g.group));
  return [
    of(() => true),
    ...[...venues].map((v) => of((p) => p.venue === v)),
    of((p) => !venues.has(p.venue)),
    ...[...sectors].map((s) => of((p) => p.sector === s)),
    of((p) => !sectors.has(p.sector)),
  ];
}

/** Ballots per person in one round: an index into the yes/no options. */
type Round = Map<string, number>;

/** Runs round one and its second round through the room's commands; returns both results. */
function runRounds(persons: Person[], k: number, first: Round, second: Round): [PollResult, PollResult] {
  const room = createdRoom({ open: true });
  room.arrive('host', 'host');
  for (const p of persons) room.arrive(p.id, 'member', p.venue, p.sector);
  room.ok({ type: 'room:settings', secretGroupMin: k }, 'host');
  const poll = (roundOf?: string) => {
    room.ok({ type: 'poll:create', question: '是否同意？', kind: 'yesno', options: [], secret: true, allowChange: false, quorumPercent: null, threshold: 'none', durationSeconds: null, ...(roundOf ? { roundOf } : {}) }, 'host');
    return room.state.pollOrder.at(-1) ?? '';
  };
  const run = (pollId: string, ballots: Round): PollResult => {
    room.ok({ type: 'poll:open', pollId }, 'host');
    for (const [id, choice] of ballots) room.ok({ type: 'poll:vote', pollId, choices: [choice] }, id);
    room.ok({ type: 'poll:close', pollId }, 'host');
    const result = room.state.polls[pollId]?.result;
    if (!result) throw new Error('no result');
    return result;
  };
  const one = poll();
  const r1 = run(one, first);
  const r2 = run(poll(one), second);
  return [r1, r2];
}

const electorate = fc
  .record({
    k: fc.integer({ min: 3, max: 5 }),
    people: fc.array(fc.record({ venue: fc.constantFrom('city', 'd1', 'd2'), sector: fc.constantFrom('经济界', '教育界', '农业界'), first: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 6 }), second: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 6 }) }), { minLength: 3, maxLength: 13 }),
  })
  .map(({ k, people }) => {
    const persons: Person[] = people.map((p, i) => ({ id: `p${i}`, venue: p.venue, sector: p.sector }));
    const round = (pick: (i: number) => number | null): Round => new Map(persons.flatMap((p, i) => (pick(i) === null ? [] : [[p.id, pick(i) ?? 0] as const])));
    return { k, persons, first: round((i) => people[i]?.first ?? null), second: round((i) => people[i]?.second ?? null) };
  });

/** What the attacker can work out that the totals (and, for round two, round one) did not already give. */
function leaks(persons: Person[], k: number, published: number[][], known: number[][]): number[] | null {
  const all = basisOf(published);
  const before = basisOf(known);
  for (const set of smallSets(persons.length, k)) if (inSpan(all, set) && !inSpan(before, set)) return set;
  return null;
}

describe('the k-anonymity merge of a secret poll', () => {
  test('no combination of the published figures isolates fewer than k voters, within a round and across two rounds', () => {
    fc.assert(
      fc.property(electorate, ({ k, persons, first, second }) => {
        const [r1, r2] = runRounds(persons, k, first, second);
        const v1 = new Set(first.keys());
        const v2 = new Set(second.keys());
        const p1 = publishedSets(persons, v1, r1);
        const p2 = publishedSets(persons, v2, r2);
        // Round one: only its total may show a group smaller than k (e.g. 3 voters in all).
        expect(leaks(persons, k, p1, [p1[0] ?? []])).toBeNull();
        // Round two on its own, and with round one (same votes assumed): nothing beyond what
        // round one and the two totals already gave.
        expect(leaks(persons, k, p2, [p2[0] ?? []])).toBeNull();
        expect(leaks(persons, k, [...p1, ...p2], [...p1, p2[0] ?? []])).toBeNull();
        // Every group shown, and every non-empty 其他 beside shown groups, has k voters or more.
        for (const r of [r1, r2]) {
          for (const dim of [r.breakdown?.byVenue, r.breakdown?.bySector]) {
            for (const g of dim?.groups ?? []) expect(g.voters).toBeGreaterThanOrEqual(k);
            if (dim && dim.groups.length > 0 && dim.other.voters > 0) expect(dim.other.voters).toBeGreaterThanOrEqual(k);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  test('the breakdowns add up to the ballots cast, group by group', () => {
    fc.assert(
      fc.property(electorate, ({ k, persons, first, second }) => {
        const [r1] = runRounds(persons, k, first, second);
        const b = r1.breakdown;
        for (const dim of [b?.byVenue, b?.bySector]) {
          const sum = [0, 0, 0];
          for (const g of [...(dim?.groups ?? []), dim?.other ?? { counts: [] }]) g.counts.forEach((c, i) => (sum[i] = (sum[i] ?? 0) + c));
          expect(sum).toEqual(r1.counts);
        }
        for (const g of b?.byVenue.groups ?? []) {
          const expected = [0, 0, 0];
          for (const p of persons) if (p.venue === g.group && first.has(p.id)) expected[first.get(p.id) ?? 0] = (expected[first.get(p.id) ?? 0] ?? 0) + 1;
          expect(g.counts).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('the attacker is not blind: merging only the groups smaller than k leaks a voter', () => {
    // Venue city: 6 voters, 5 of them 经济界 and one 教育界; sector 经济界: those 5; d1: 5 voters
    // of 教育界. Every group has 5 or more, yet city minus 经济界 is one voter's ballot.
    const persons: Person[] = [
      ...['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, venue: 'city', sector: '经济界' })),
      { id: 'x', venue: 'city', sector: '教育界' },
      ...['g', 'h', 'i', 'j', 'k'].map((id) => ({ id, venue: 'd1', sector: '教育界' })),
    ];
    const voters = new Set(persons.map((p) => p.id));
    const naive: PollResult = {
      counts: [],
      votes: 11,
      eligible: 11,
      quorumMet: null,
      passed: null,
      reasons: [],
      breakdown: {
        minGroup: 5,
        byVenue: { groups: [{ group: 'city', voters: 6, counts: [] }, { group: 'd1', voters: 5, counts: [] }], other: { voters: 0, counts: [] } },
        bySector: { groups: [{ group: '经济界', voters: 5, counts: [] }, { group: '教育界', voters: 6, counts: [] }], other: { voters: 0, counts: [] } },
      },
    };
    const published = publishedSets(persons, voters, naive);
    expect(leaks(persons, 5, published, [published[0] ?? []])).not.toBeNull();
    // The merge keeps the venues and merges the sectors (or the other way round): not both.
    const shown = safeGroups(persons satisfies GroupedVoter[], 5);
    expect(shown.venues.size === 0 || shown.sectors.size === 0).toBe(true);
    expect(shown.venues.size + shown.sectors.size).toBeGreaterThan(0);
  });
});
