/**
 * What a verifier can check of the polls' results by venue and sector, from the log alone.
 * A named poll's breakdown is recounted from the named ballots. A secret poll's ballots are not
 * in the log, but who voted and their venues and sectors are: the groups that had to be shown
 * (the merge reads nothing else), each group's number of voters, and that every breakdown adds
 * up to the poll's counts are all checked; only how a shown group's votes split among the
 * options rests on the server's count, as the total does.
 */
import { breakdownOf, earlierRound, groupedVoters, safeGroups, type GroupedVoter } from '../room/pollBreakdown.js';
import { canonicalJson } from '../room/events.js';
import type { Poll, PollGroups, RoomState } from '../room/state.js';

/** The first thing wrong with a breakdown of the state's polls, or null. */
export function breakdownProblem(state: RoomState): string | null {
  for (const id of state.pollOrder) {
    const poll = state.polls[id];
    const b = poll?.result?.breakdown;
    if (!poll || !b) continue;
    const problem = poll.secret ? secretProblem(state, poll) : namedProblem(state, poll);
    if (problem !== null) return `poll ${id} ("${poll.question}"): ${problem}`;
  }
  return null;
}

function namedProblem(state: RoomState, poll: Poll): string | null {
  const voters = groupedVoters(state, poll);
  const recount = breakdownOf(
    voters.map((v) => ({ choices: poll.choices[v.id] ?? [], venue: v.venue, sector: v.sector })),
    poll.options.length,
    null,
    null,
  );
  return canonicalJson(recount) === canonicalJson(poll.result?.breakdown) ? null : 'its results by venue and sector are not what its named ballots give';
}

function secretProblem(state: RoomState, poll: Poll): string | null {
  const result = poll.result;
  const b = result?.breakdown;
  if (!result || !b) return null;
  if (b.minGroup === null || b.minGroup < 3) return `a secret breakdown with smallest group ${String(b.minGroup)}`;
  const voters = groupedVoters(state, poll);
  const shown = safeGroups(voters, b.minGroup, earlierRound(state, poll));
  const dims: Array<[string, PollGroups, ReadonlySet<string>, (v: GroupedVoter) => string]> = [
    ['venue', b.byVenue, shown.venues, (v) => v.venue],
    ['sector', b.bySector, shown.sectors, (v) => v.sector],
  ];
  for (const [name, groups, expected, key] of dims) {
    const keys = groups.groups.map((g) => g.group);
    if (keys.length !== expected.size || keys.some((k) => !expected.has(k))) {
      return `the ${name}s shown (${keys.join(', ') || 'none'}) are not those the rule allows (${[...expected].join(', ') || 'none'})`;
    }
    for (const g of groups.groups) {
      const n = voters.filter((v) => key(v) === g.group).length;
      if (g.voters !== n) return `${name} ${g.group} shows ${g.voters} voters, the log has ${n}`;
    }
    const rest = voters.filter((v) => !expected.has(key(v))).length;
    if (groups.other.voters !== rest) return `其他 (${name}) shows ${groups.other.voters} voters, the log has ${rest}`;
    const sum = result.counts.map((_, i) => [...groups.groups, groups.other].reduce((a, g) => a + (g.counts[i] ?? 0), 0));
    if (canonicalJson(sum) !== canonicalJson(result.counts)) return `the ${name} groups add up to ${sum.join('/')}, not ${result.counts.join('/')}`;
    for (const g of [...groups.groups, groups.other]) {
      if (g.counts.length !== poll.options.length || g.counts.some((c) => c > g.voters)) return `a ${name} group counts more votes than voters`;
    }
  }
  return null;
}
