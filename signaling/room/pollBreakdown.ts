/**
 * Results by venue and by sector (界别). A named poll shows every group as it is. A secret poll
 * shows a group only where nobody's choice can be worked out from what is published; the
 * other groups are merged into 其他 (other).
 *
 * THE RULE (secret polls). What a secret poll publishes is a set of sums of ballots: the total,
 * each shown venue, each shown sector, the two 其他 groups; for a second round, the same of the
 * first round too. Whoever reads them knows who voted and everyone's venue and sector (the log
 * lists voters; invites name venues and sectors), so they can add and subtract those sums.
 * Sort the voters into "cells": two voters share a cell when they are in exactly the same
 * published groups (same shown-or-其他 venue, same shown-or-其他 sector, and, for a second
 * round, the same in the first round, and voted in the same rounds). Every published sum is a
 * sum over whole cells, so anything derived from them by adding and subtracting — a venue
 * minus a sector, one round minus the other assuming nobody changed their vote — is a sum over
 * whole cells too. So: a breakdown is published only when every cell holds at least k voters.
 * Then no combination can isolate fewer than k voters. Groups are merged into 其他, smallest
 * first, until that holds; at worst everything is 其他, which is the total and reveals nothing
 * the total does not. Two consequences a chair may notice: a venue of 6 can still be merged
 * when 2 of its 6 sit in a sector shown elsewhere (their cell would be 2), and a second round
 * in which 1 to k−1 voters took part in one round only shows no breakdown (their cell is
 * small whatever is merged). What any tally shares — a unanimous group, like a unanimous
 * total, tells how each of its members voted — is no different here.
 *
 * The merge reads only who voted and their groups, never the ballots: which groups are shown
 * says nothing about how anyone voted.
 */
import type { Poll, PollBreakdown, PollGroups, RoomState } from './state.js';

/** Smallest group a secret poll's breakdown shows when the room does not set one. */
export const DEFAULT_SECRET_GROUP_MIN = 5;

/** A voter as the breakdown sees them. */
export type GroupedVoter = { id: string; venue: string; sector: string };

/** What was shown of an earlier round: its voters and the groups it showed. */
export type ShownRound = { voters: readonly GroupedVoter[]; venues: ReadonlySet<string>; sectors: ReadonlySet<string> };

/** Which venues and sectors a breakdown shows (every other one is in 其他). */
export type Shown = { venues: Set<string>; sectors: Set<string> };

const OTHER = '\u0000other';

/** The size of each voter's cell (see THE RULE), by voter id, for everyone who voted in either round. */
function cellsOf(voters: readonly GroupedVoter[], shown: Shown, earlier: ShownRound | null): Map<string, number> {
  const cell = (v: GroupedVoter | undefined, s: { venues: ReadonlySet<string>; sectors: ReadonlySet<string> }): unknown =>
    v === undefined ? null : [s.venues.has(v.venue) ? v.venue : OTHER, s.sectors.has(v.sector) ? v.sector : OTHER];
  const now = new Map(voters.map((v) => [v.id, v]));
  const before = new Map((earlier?.voters ?? []).map((v) => [v.id, v]));
  const sig = new Map<string, string>();
  for (const id of new Set([...now.keys(), ...before.keys()])) {
    sig.set(id, JSON.stringify([cell(now.get(id), shown), earlier ? cell(before.get(id), earlier) : null]));
  }
  const sizes = new Map<string, number>();
  for (const s of sig.values()) sizes.set(s, (sizes.get(s) ?? 0) + 1);
  return new Map([...sig].map(([id, s]) => [id, sizes.get(s) ?? 0]));
}

/** Voters per group of one dimension. */
function sizesBy(voters: readonly GroupedVoter[], key: (v: GroupedVoter) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of voters) out.set(key(v), (out.get(key(v)) ?? 0) + 1);
  return out;
}

/**
 * The groups a secret poll's breakdown may show to voters `voters` with smallest group `k`,
 * given what an earlier round (of which this poll is the second) showed. Two orders of merging
 * are tried — sectors before venues, and smallest group first — and the one that shows more
 * groups is kept (venues first on a tie: a chair asks for venues first).
 */
export function safeGroups(voters: readonly GroupedVoter[], k: number, earlier: ShownRound | null = null): Shown {
  const venuesFirst = mergeUntilSafe(voters, k, earlier, 'sectorsFirst');
  const smallest = mergeUntilSafe(voters, k, earlier, 'smallestFirst');
  const count = (s: Shown) => s.venues.size + s.sectors.size;
  return count(smallest) > count(venuesFirst) ? smallest : venuesFirst;
}

type Candidate = { dim: 'venues' | 'sectors'; group: string; size: number };

function mergeUntilSafe(voters: readonly GroupedVoter[], k: number, earlier: ShownRound | null, order: 'sectorsFirst' | 'smallestFirst'): Shown {
  const sizes = { venues: sizesBy(voters, (v) => v.venue), sectors: sizesBy(voters, (v) => v.sector) };
  const big = (of: Map<string, number>) => new Set([...of].filter(([, n]) => n >= k).map(([g]) => g));
  const shown: Shown = { venues: big(sizes.venues), sectors: big(sizes.sectors) };
  const now = new Map(voters.map((v) => [v.id, v]));
  const everyone = [...voters, ...(earlier?.voters ?? [])];
  const candidate = (dim: Candidate['dim'], group: string): Candidate => ({ dim, group, size: sizes[dim].get(group) ?? 0 });
  const rank = (a: Candidate, b: Candidate): number => {
    const bySize = a.size - b.size;
    const byDim = a.dim === b.dim ? 0 : a.dim === 'sectors' ? -1 : 1;
    const first = order === 'smallestFirst' ? bySize || byDim : byDim || bySize;
    return first || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0);
  };
  for (;;) {
    const cells = cellsOf(voters, shown, earlier);
    const small = everyone.find((v) => (cells.get(v.id) ?? 0) < k);
    if (small === undefined || (shown.venues.size === 0 && shown.sectors.size === 0)) return shown;
    // Merge a shown group the small cell's voter is in; if they are in none (their cell is
    // 其他 × 其他, or they voted in the other round only), any shown group.
    const mine = now.get(small.id);
    let candidates = mine ? [candidate('venues', mine.venue), candidate('sectors', mine.sector)].filter((c) => shown[c.dim].has(c.group)) : [];
    if (candidates.length === 0) candidates = [...[...shown.venues].map((g) => candidate('venues', g)), ...[...shown.sectors].map((g) => candidate('sectors', g))];
    const drop = candidates.sort(rank)[0];
    if (drop) shown[drop.dim].delete(drop.group);
  }
}

/** A ballot with the groups of its voter (never the voter). */
export type GroupedBallot = { choices: readonly number[]; venue: string; sector: string };

/** Counts per shown group and for 其他, in one dimension. */
function groupsOf(ballots: readonly GroupedBallot[], options: number, shown: ReadonlySet<string> | null, key: (b: GroupedBallot) => string): PollGroups {
  const zero = () => Array.from({ length: options }, () => 0);
  const groups = new Map<string, { voters: number; counts: number[] }>();
  const other = { voters: 0, counts: zero() };
  for (const b of ballots) {
    const k = key(b);
    let into = other;
    if (shown === null || shown.has(k)) {
      into = groups.get(k) ?? { voters: 0, counts: zero() };
      groups.set(k, into);
    }
    into.voters += 1;
    for (const i of b.choices) into.counts[i] = (into.counts[i] ?? 0) + 1;
  }
  const list = [...groups].map(([group, g]) => ({ group, ...g })).sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  return { groups: list, other };
}

/** The breakdown of a poll's ballots: every group on a named poll, the safe ones on a secret poll. */
export function breakdownOf(ballots: readonly GroupedBallot[], options: number, shown: Shown | null, k: number | null): PollBreakdown {
  return {
    minGroup: shown === null ? null : k,
    byVenue: groupsOf(ballots, options, shown?.venues ?? null, (b) => b.venue),
    bySector: groupsOf(ballots, options, shown?.sectors ?? null, (b) => b.sector),
  };
}

/** The smallest group a secret breakdown shows in this room. */
export function secretGroupMin(s: RoomState): number {
  return s.settings.secretGroupMin ?? DEFAULT_SECRET_GROUP_MIN;
}

/** The voters of a poll with their venue and sector (from their invites, in the log). */
export function groupedVoters(s: RoomState, poll: Pick<Poll, 'voted'>): GroupedVoter[] {
  return poll.voted.map((id) => ({ id, venue: s.participants[id]?.venue ?? '', sector: s.participants[id]?.sector ?? '' }));
}

/** What the first round of `poll` showed, if it is a second round with a breakdown. */
export function earlierRound(s: RoomState, poll: Pick<Poll, 'roundOf'>): ShownRound | null {
  const first = poll.roundOf ? s.polls[poll.roundOf] : undefined;
  if (!first) return null;
  const b = first.result?.breakdown;
  return {
    voters: groupedVoters(s, first),
    venues: new Set(b?.byVenue.groups.map((g) => g.group) ?? []),
    sectors: new Set(b?.bySector.groups.map((g) => g.group) ?? []),
  };
}

/** Per option, how a second round moved from its first: votes and share of ballots (points). */
export type OptionShift = { index: number; votes: number; points: number };

/** The shift per option from `first` to `second` (whole percentage points of the ballots cast). */
export function shiftOf(first: { counts: readonly number[]; votes: number }, second: { counts: readonly number[]; votes: number }): OptionShift[] {
  const share = (r: { counts: readonly number[]; votes: number }, i: number) => (r.votes > 0 ? ((r.counts[i] ?? 0) * 100) / r.votes : 0);
  return second.counts.map((c, index) => ({
    index,
    votes: c - (first.counts[index] ?? 0),
    points: Math.round(share(second, index) - share(first, index)),
  }));
}
