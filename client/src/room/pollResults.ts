/**
 * Poll results as bars: counts and whole percentages. Single-answer polls share 100 % among
 * their options (largest remainder, so the bars add up); on a multiple-choice poll each
 * option is the share of ballots that chose it.
 */
import type { Poll, PollGroups, PollResult } from '../../../signaling/room/state.js';

/** One bar of a result. */
export type ResultBar = { index: number; count: number; percent: number };

/** Whole percentages of `counts` over `base`, each rounded down and the rest handed out. */
export function sharedPercentages(counts: readonly number[], base: number): number[] {
  if (base <= 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * 100) / base);
  const floors = exact.map(Math.floor);
  const total = Math.min(100, Math.round(exact.reduce((a, b) => a + b, 0)));
  let left = total - floors.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  const out = [...floors];
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    out[index] = (out[index] ?? 0) + 1;
    left--;
  }
  return out;
}

/** Whole percentages, each on its own (they may add up to more than 100). */
export function ownPercentages(counts: readonly number[], base: number): number[] {
  return counts.map((c) => (base <= 0 ? 0 : Math.round((c * 100) / base)));
}

/** The bars of a poll's result. */
export function resultBars(poll: Pick<Poll, 'kind'>, result: Pick<PollResult, 'counts' | 'votes'>): ResultBar[] {
  const percents =
    poll.kind === 'multiple' ? ownPercentages(result.counts, result.votes) : sharedPercentages(result.counts, result.votes);
  return result.counts.map((count, index) => ({ index, count, percent: percents[index] ?? 0 }));
}

/** Ballots cast against eligible voters, e.g. for "12 / 20 已投票". */
export function turnout(poll: Pick<Poll, 'voted' | 'eligible'>): { voted: number; eligible: number } {
  return { voted: poll.voted.length, eligible: poll.eligible.length };
}

/** One row of a results-by-group table: a group (null: 其他), its voters, and each option's bar. */
export type GroupRow = { group: string | null; voters: number; bars: ResultBar[] };

/** The rows of one dimension of a breakdown: the groups shown, then 其他 when it holds anyone. */
export function groupRows(poll: Pick<Poll, 'kind'>, groups: PollGroups): GroupRow[] {
  const rows: GroupRow[] = groups.groups.map((g) => ({ group: g.group, voters: g.voters, bars: resultBars(poll, { counts: g.counts, votes: g.voters }) }));
  if (groups.other.voters > 0) rows.push({ group: null, voters: groups.other.voters, bars: resultBars(poll, { counts: groups.other.counts, votes: groups.other.voters }) });
  return rows;
}
