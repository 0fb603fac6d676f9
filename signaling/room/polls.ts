/**
 * Poll rules: drafting, eligibility, ballots, the tally and the pass rule.
 */
import type { Cmd } from './commands.js';
import { accept, refuse, type DecideResult, type SecretBallot } from './result.js';
import { eligibleVoters } from './selectors.js';
import type { MajorityBasis, Poll, PollKind, PollResult, RoomState } from './state.js';


/** Option keys of the kinds whose choices are fixed; clients translate them. */
export const FIXED_OPTIONS: Partial<Record<PollKind, string[]>> = {
  yesno: ['yes', 'no', 'abstain'],
  // 赞同 / 基本赞同 / 需进一步协商 / 不赞同
  consensus: ['agree', 'basicallyAgree', 'needsDiscussion', 'disagree'],
};

/** Consensus options whose voters may give a reason (需进一步协商, 不赞同). */
const DISSENT = new Set([2, 3]);

/** Drafts a poll; its id is its place in the room's poll list. */
export function createPoll(s: RoomState, c: Cmd<'poll:create'>): DecideResult {
  const fixed = FIXED_OPTIONS[c.kind];
  const options = fixed ?? c.options;
  if (!fixed && options.length < 2) return refuse('BAD_REQUEST', 'a choice poll needs at least two options');
  if (new Set(options).size !== options.length) return refuse('BAD_REQUEST', 'options must differ');
  const multiple = c.kind === 'multiple';
  const minChoices = multiple ? (c.minChoices ?? 1) : 1;
  const maxChoices = multiple ? (c.maxChoices ?? options.length) : 1;
  if (minChoices > maxChoices || maxChoices > options.length) {
    return refuse('BAD_REQUEST', 'need 1 ≤ minChoices ≤ maxChoices ≤ number of options');
  }
  const basis = c.basis ?? 'cast';
  if (basis === 'castWithAbstentions' && !hasAbstention(c.kind)) {
    return refuse('BAD_REQUEST', 'only a yes/no poll has abstentions to count; choose basis cast or eligible');
  }
  if (c.secret && c.allowChange) {
    // A changeable secret ballot would need the server to know which ballot is whose.
    return refuse('BAD_REQUEST', 'a secret ballot cannot be changed; set allowChange to false');
  }
  return accept({
    type: 'poll.created',
    data: {
      pollId: `poll-${s.pollOrder.length + 1}`,
      question: c.question,
      kind: c.kind,
      options,
      minChoices,
      maxChoices,
      secret: c.secret,
      allowChange: c.allowChange,
      quorumPercent: c.quorumPercent,
      threshold: c.threshold,
      basis,
      durationMs: c.durationSeconds === null ? null : c.durationSeconds * 1000,
    },
  });
}

/** Opens a draft, fixing who may vote. */
export function openPoll(s: RoomState, c: Cmd<'poll:open'>, now: number): DecideResult {
  const poll = s.polls[c.pollId];
  if (!poll) return refuse('NOT_FOUND', `no poll ${c.pollId}`);
  if (poll.status !== 'draft') return refuse('INVALID_STATE', `poll is ${poll.status}`);
  const eligible = eligibleVoters(s);
  const closesAt = poll.durationMs === null ? null : now + poll.durationMs;
  return accept({ type: 'poll.opened', data: { pollId: poll.id, eligible, closesAt } });
}

/** Casts or changes a vote. Secret ballots leave the log without their choices. */
export function vote(s: RoomState, c: Cmd<'poll:vote'>, voterId: string): DecideResult {
  const poll = s.polls[c.pollId];
  if (!poll) return refuse('NOT_FOUND', `no poll ${c.pollId}`);
  if (poll.status !== 'open') return refuse('INVALID_STATE', `poll is ${poll.status}`);
  if (!poll.eligible.includes(voterId)) return refuse('NOT_ELIGIBLE', 'not an eligible voter of this poll');
  if (poll.voted.includes(voterId) && !poll.allowChange) return refuse('ALREADY_VOTED', 'this poll takes one vote each');
  const choices = [...c.choices].sort((a, b) => a - b);
  if (new Set(choices).size !== choices.length) return refuse('BAD_REQUEST', 'a choice may appear once');
  if (choices.some((i) => i >= poll.options.length)) return refuse('BAD_REQUEST', 'no such option');
  if (choices.length < poll.minChoices || choices.length > poll.maxChoices) {
    return refuse('BAD_REQUEST', `choose ${poll.minChoices} to ${poll.maxChoices} options`);
  }
  const reason = c.reason ? c.reason : undefined;
  if (reason !== undefined && !(poll.kind === 'consensus' && choices.some((i) => DISSENT.has(i)))) {
    return refuse('BAD_REQUEST', 'a reason goes with a dissenting consensus vote only');
  }
  if (poll.secret) {
    const ballot: SecretBallot = reason === undefined ? { pollId: poll.id, choices } : { pollId: poll.id, choices, reason };
    return { ok: true, events: [{ type: 'poll.voted', data: { pollId: poll.id, voterId } }], ballot };
  }
  const data = reason === undefined ? { pollId: poll.id, voterId, choices } : { pollId: poll.id, voterId, choices, reason };
  return accept({ type: 'poll.voted', data });
}

/** Closes a poll with its tally; secret polls are counted from their ballot box. */
export function closePoll(s: RoomState, pollId: string, ballots: readonly SecretBallot[] | undefined): DecideResult {
  const poll = s.polls[pollId];
  if (!poll) return refuse('NOT_FOUND', `no poll ${pollId}`);
  if (poll.status !== 'open') return refuse('INVALID_STATE', `poll is ${poll.status}`);
  if (poll.secret && ballots === undefined) return refuse('INTERNAL', 'ballot box not loaded');
  const cast = poll.secret
    ? (ballots ?? []).filter((b) => b.pollId === pollId)
    : poll.voted.map((voter) => ({ choices: poll.choices[voter] ?? [], reason: poll.reasons[voter] }));
  return accept({ type: 'poll.closed', data: { pollId, result: tally(poll, cast) } });
}

/** Publishes a closed poll's result. */
export function publishPoll(s: RoomState, c: Cmd<'poll:publish'>): DecideResult {
  const poll = s.polls[c.pollId];
  if (!poll) return refuse('NOT_FOUND', `no poll ${c.pollId}`);
  if (poll.status !== 'closed' || !poll.result) return refuse('INVALID_STATE', `poll is ${poll.status}`);
  return accept({ type: 'poll.published', data: { pollId: poll.id, result: poll.result } });
}

/** Counts ballots and applies quorum and threshold. */
export function tally(poll: Poll, ballots: ReadonlyArray<{ choices: number[]; reason?: string | undefined }>): PollResult {
  const counts = poll.options.map(() => 0);
  const reasons: string[] = [];
  for (const b of ballots) {
    for (const i of b.choices) counts[i] = (counts[i] ?? 0) + 1;
    if (b.reason) reasons.push(b.reason);
  }
  const votes = ballots.length;
  const eligible = poll.eligible.length;
  const quorumMet = poll.quorumPercent === null ? null : eligible > 0 && votes * 100 >= poll.quorumPercent * eligible;
  return { counts, votes, eligible, quorumMet, passed: passed(poll, counts, votes, quorumMet), reasons };
}

/** Does this kind of poll have an abstain option (弃权)? Only yes/no polls do. */
export function hasAbstention(kind: PollKind): boolean {
  return kind === 'yesno';
}

/** The votes a pass rule weighs: those in favour, against the base they must be a share of. */
export type Majority = { support: number; base: number };

/**
 * Support and base of a pass rule; null for kinds without one (multiple choice). Support: 赞成
 * on yes/no, 赞同 + 基本赞同 on the consensus scale, the leading option of a single choice.
 * Base: the votes cast (yes/no: without abstentions, unless the basis counts them), or
 * everybody eligible.
 */
export function majority(
  poll: Pick<Poll, 'kind' | 'basis'>,
  result: Pick<PollResult, 'counts' | 'votes' | 'eligible'>,
): Majority | null {
  const c = (i: number): number => result.counts[i] ?? 0;
  let support: number;
  switch (poll.kind) {
    case 'multiple':
      return null;
    case 'yesno':
      support = c(0);
      break;
    case 'consensus':
      support = c(0) + c(1);
      break;
    case 'single':
      support = Math.max(0, ...result.counts);
      break;
  }
  const base = basisCount(poll, result);
  return { support, base };
}

function basisCount(poll: Pick<Poll, 'kind' | 'basis'>, result: Pick<PollResult, 'counts' | 'votes' | 'eligible'>): number {
  switch (poll.basis) {
    case 'eligible':
      return result.eligible;
    case 'castWithAbstentions':
      return result.votes;
    case 'cast':
      // Abstentions are the yes/no poll's third option; other kinds have none to leave out.
      return hasAbstention(poll.kind) ? (result.counts[0] ?? 0) + (result.counts[1] ?? 0) : result.votes;
  }
}

/** Does `support` meet the threshold over `base`? More than half, or at least two thirds. */
export function meetsThreshold(threshold: 'simple' | 'twoThirds', { support, base }: Majority): boolean {
  if (base === 0) return false;
  return threshold === 'simple' ? support * 2 > base : support * 3 >= base * 2;
}

function passed(poll: Poll, counts: number[], votes: number, quorumMet: boolean | null): boolean | null {
  if (poll.threshold === 'none') return null;
  const m = majority(poll, { counts, votes, eligible: poll.eligible.length });
  if (m === null) return null;
  if (quorumMet === false) return false;
  return meetsThreshold(poll.threshold, m);
}

/** Which words say a basis: "abstentions left out" only where a poll has abstentions. */
export type BasisWording = 'castWithoutAbstentions' | 'cast' | 'castWithAbstentions' | 'eligible';

/** The wording of `basis` for a poll of `kind` (the terms are in termsZh.ts and the client's i18n). */
export function basisWording(kind: PollKind, basis: MajorityBasis): BasisWording {
  if (basis === 'cast') return hasAbstention(kind) ? 'castWithoutAbstentions' : 'cast';
  return basis;
}
