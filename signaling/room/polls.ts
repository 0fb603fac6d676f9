/**
 * Poll rules: drafting, eligibility, ballots, the tally and the pass rule. `decidePolls`
 * checks the poll: commands, `foldPolls` folds the poll. events, `closeDuePolls` closes the
 * polls whose time ran out.
 */
import type { Cmd } from './commands.js';
import type { NewRoomEvent, RoomEventData } from './events.js';
import { accept, refuse, type DecideContext, type DecideResult, type SecretBallot } from './result.js';
import { keepsMinutes, seesEveryChoice } from './roles.js';
import { eligibleVoters } from './selectors.js';
import type { MajorityBasis, Poll, PollKind, PollResult, RoomState, Viewer } from './state.js';
import { assertNever, mapOne } from './util.js';
import { commandsOf, eventsOf, type CommandsOf, type EventsOf } from './parts.js';
import { breakdownOf, earlierRound, groupedVoters, safeGroups, secretGroupMin, type GroupedBallot } from './pollBreakdown.js';

/** The commands of this part. */
export type PollCommand = CommandsOf<'poll:'>;
export const isPollCommand = commandsOf('poll:');

/** The events of this part. */
export type PollEvent = EventsOf<'poll.'>;
export const isPollEvent = eventsOf('poll.');

/** Checks a poll command (its issuer's role was checked already) and returns its events. */
export function decidePolls(s: RoomState, c: PollCommand, actorId: string, ctx: DecideContext): DecideResult {
  switch (c.type) {
    case 'poll:create':
      return createPoll(s, c);
    case 'poll:open':
      return openPoll(s, c, ctx.now);
    case 'poll:vote':
      return vote(s, c, actorId);
    case 'poll:close':
      return closePoll(s, c.pollId, ctx.secretBallots?.[c.pollId]);
    case 'poll:publish':
      return publishPoll(s, c);
    default:
      return assertNever(c);
  }
}

/** The open polls whose time has run out, closed (a refusal when one cannot be tallied). */
export function closeDuePolls(s: RoomState, ctx: DecideContext): DecideResult {
  const events: NewRoomEvent[] = [];
  for (const id of s.pollOrder) {
    const poll = s.polls[id];
    if (poll?.status !== 'open' || poll.closesAt === null || poll.closesAt > ctx.now) continue;
    const closed = closePoll(s, id, ctx.secretBallots?.[id]);
    if (!closed.ok) return closed;
    events.push(...closed.events);
  }
  return accept(...events);
}

/** Folds a poll event. */
export function foldPolls(s: RoomState, e: PollEvent, at: number): RoomState {
  const update = (id: string, f: (p: Poll) => Poll): RoomState => ({ ...s, polls: mapOne(s.polls, id, f) });
  switch (e.type) {
    case 'poll.created': {
      const d = e.data;
      const poll: Poll = {
        id: d.pollId,
        question: d.question,
        kind: d.kind,
        options: d.options,
        minChoices: d.minChoices,
        maxChoices: d.maxChoices,
        secret: d.secret,
        allowChange: d.allowChange,
        quorumPercent: d.quorumPercent,
        threshold: d.threshold,
        basis: d.basis ?? 'cast',
        durationMs: d.durationMs,
        ...(d.roundOf === undefined ? {} : { roundOf: d.roundOf }),
        status: 'draft',
        createdAt: at,
        openedAt: null,
        closesAt: null,
        closedAt: null,
        eligible: [],
        voted: [],
        choices: {},
        reasons: {},
        result: null,
      };
      return { ...s, polls: { ...s.polls, [d.pollId]: poll }, pollOrder: [...s.pollOrder, d.pollId] };
    }
    case 'poll.opened':
      return update(e.data.pollId, (p) => ({ ...p, status: 'open', openedAt: at, closesAt: e.data.closesAt, eligible: e.data.eligible }));
    case 'poll.voted':
      return update(e.data.pollId, (p) => votedPoll(p, e.data));
    case 'poll.closed':
      return update(e.data.pollId, (p) => ({ ...p, status: 'closed', closedAt: at, result: e.data.result ?? null }));
    case 'poll.published':
      return update(e.data.pollId, (p) => ({ ...p, status: 'published', result: e.data.result }));
    default:
      return assertNever(e);
  }
}

/**
 * What each participant sees of the polls. The chair sees everything. A voter sees their own
 * ballot; named voters' choices stay with the chair, even after publication; secret ballots
 * carry no choices at all. A closed poll's result (counts, quorum, outcome, the anonymous
 * reasons: what the minutes record) is seen by those who keep the minutes as soon as it
 * closes, by everybody once published.
 */
function seesClosedResult(viewer: Viewer): boolean {
  return keepsMinutes(viewer.role);
}

/** Does `e` read differently depending on who looks? */
export function pollEventDependsOnViewer(e: PollEvent): boolean {
  return e.type === 'poll.voted' || e.type === 'poll.closed';
}

/** The poll event as `viewer` receives it. */
export function pollEventForViewer(e: PollEvent, viewer: Viewer): PollEvent {
  if (seesEveryChoice(viewer.role)) return e;
  if (e.type === 'poll.voted' && e.data.voterId !== viewer.participantId) return { ...e, data: { pollId: e.data.pollId, voterId: e.data.voterId } };
  if (e.type === 'poll.closed' && !seesClosedResult(viewer)) return { ...e, data: { pollId: e.data.pollId } };
  return e;
}

/** Participants besides the chair whose view of `e` differs from an anonymous one. */
export function pollViewersWithOwnView(e: PollEvent, state: RoomState): string[] {
  if (e.type === 'poll.voted') return [e.data.voterId];
  if (e.type !== 'poll.closed') return [];
  return Object.values(state.participants)
    .filter((p) => !seesEveryChoice(p.role) && seesClosedResult({ participantId: p.id, role: p.role }))
    .map((p) => p.id);
}

/** The polls as `viewer` may hold them. */
export function pollsForViewer(state: RoomState, viewer: Viewer): Record<string, Poll> {
  if (seesEveryChoice(viewer.role)) return state.polls;
  const own = <T>(record: Record<string, T>): Record<string, T> => {
    const value = record[viewer.participantId];
    return value === undefined ? {} : { [viewer.participantId]: value };
  };
  const polls: Record<string, Poll> = {};
  for (const [id, poll] of Object.entries(state.polls)) {
    const resultShown = poll.status === 'published' || (poll.status === 'closed' && seesClosedResult(viewer));
    polls[id] = { ...poll, choices: own(poll.choices), reasons: own(poll.reasons), result: resultShown ? poll.result : null };
  }
  return polls;
}

/**
 * A poll's record of ballots (who voted, their choices and reasons) as a run of folds owns it:
 * copied from the poll once, then written in place by each vote of the run (`foldVote`).
 */
export type BallotDraft = { voted: string[]; seen: Set<string>; choices: Record<string, number[]>; reasons: Record<string, string> };

/**
 * Folds a `poll.voted` event as `votedPoll` does, but writes the poll's record of ballots in
 * place once `drafts` holds a copy of it: a run of N votes copies the record once instead of N
 * times (the record grows with the voters). The state it returns shares that copy, so a state
 * returned earlier in the run changes with the next vote; the state the run started from never
 * changes (see `folder` in apply.ts).
 */
export function foldVote(s: RoomState, e: Extract<PollEvent, { type: 'poll.voted' }>, drafts: Map<string, BallotDraft>): RoomState {
  const d = e.data;
  const p = s.polls[d.pollId];
  if (p === undefined) return s;
  let draft = drafts.get(p.id);
  if (draft === undefined || draft.voted !== p.voted || draft.choices !== p.choices || draft.reasons !== p.reasons) {
    draft = { voted: [...p.voted], seen: new Set(p.voted), choices: { ...p.choices }, reasons: { ...p.reasons } };
    drafts.set(p.id, draft);
  }
  if (!draft.seen.has(d.voterId)) {
    draft.seen.add(d.voterId);
    draft.voted.push(d.voterId);
  }
  if (d.choices) put(draft.choices, d.voterId, d.choices);
  // Removed and put back, so that the reason goes last, as in votedPoll.
  if (Object.hasOwn(draft.reasons, d.voterId)) delete draft.reasons[d.voterId];
  if (d.reason !== undefined) put(draft.reasons, d.voterId, d.reason);
  const poll: Poll = { ...p, voted: draft.voted, choices: draft.choices, reasons: draft.reasons };
  return { ...s, polls: { ...s.polls, [p.id]: poll } };
}

/** `record[key] = value` as an own property, also for a key such as `__proto__`. */
function put<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/** A ballot counted: a changed ballot replaces the voter's earlier one (and its reason). */
function votedPoll(p: Poll, d: RoomEventData['poll.voted']): Poll {
  const voted = p.voted.includes(d.voterId) ? p.voted : [...p.voted, d.voterId];
  const choices = d.choices ? { ...p.choices, [d.voterId]: d.choices } : p.choices;
  const { [d.voterId]: _previous, ...otherReasons } = p.reasons;
  const reasons = d.reason === undefined ? otherReasons : { ...otherReasons, [d.voterId]: d.reason };
  return { ...p, voted, choices, reasons };
}


/** Option keys of the kinds whose choices are fixed; clients translate them. */
export const FIXED_OPTIONS: Partial<Record<PollKind, string[]>> = {
  yesno: ['yes', 'no', 'abstain'],
  // 赞同 / 基本赞同 / 需进一步协商 / 不赞同
  consensus: ['agree', 'basicallyAgree', 'needsDiscussion', 'disagree'],
};

/** Consensus options whose voters may give a reason (需进一步协商, 不赞同). */
const DISSENT = new Set([2, 3]);

/** Drafts a poll; its id is its place in the room's poll list. */
function createPoll(s: RoomState, c: Cmd<'poll:create'>): DecideResult {
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
  const round = checkRound(s, c, options);
  if (round !== null) return round;
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
      ...(c.roundOf === undefined ? {} : { roundOf: c.roundOf }),
    },
  });
}

/**
 * A second round asks the same of the same voters: the first round is closed, of the same kind,
 * options and secrecy, not itself a second round, and asked again only once (the breakdown's
 * rule weighs one round against one other: pollBreakdown.ts).
 */
function checkRound(s: RoomState, c: Cmd<'poll:create'>, options: string[]): DecideResult | null {
  if (c.roundOf === undefined) return null;
  const first = s.polls[c.roundOf];
  if (!first) return refuse('NOT_FOUND', `no poll ${c.roundOf}`);
  if (first.status !== 'closed' && first.status !== 'published') return refuse('INVALID_STATE', `poll is ${first.status}`);
  if (first.roundOf !== undefined) return refuse('BAD_REQUEST', 'a second round cannot be asked again');
  if (Object.values(s.polls).some((p) => p.roundOf === first.id)) return refuse('INVALID_STATE', 'this poll has a second round already');
  const same = first.kind === c.kind && first.secret === c.secret && first.options.length === options.length && first.options.every((o, i) => o === options[i]);
  if (!same) return refuse('BAD_REQUEST', 'a second round has the kind, options and secrecy of the first');
  return null;
}

/** Opens a draft, fixing who may vote. */
function openPoll(s: RoomState, c: Cmd<'poll:open'>, now: number): DecideResult {
  const poll = s.polls[c.pollId];
  if (!poll) return refuse('NOT_FOUND', `no poll ${c.pollId}`);
  if (poll.status !== 'draft') return refuse('INVALID_STATE', `poll is ${poll.status}`);
  const eligible = eligibleVoters(s);
  const closesAt = poll.durationMs === null ? null : now + poll.durationMs;
  return accept({ type: 'poll.opened', data: { pollId: poll.id, eligible, closesAt } });
}

/** Casts or changes a vote. Secret ballots leave the log without their choices. */
function vote(s: RoomState, c: Cmd<'poll:vote'>, voterId: string): DecideResult {
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
    const voter = s.participants[voterId];
    const group = { venue: voter?.venue ?? '', sector: voter?.sector ?? '' };
    const ballot: SecretBallot = reason === undefined ? { pollId: poll.id, choices, group } : { pollId: poll.id, choices, reason, group };
    return { ok: true, events: [{ type: 'poll.voted', data: { pollId: poll.id, voterId } }], ballot };
  }
  const data = reason === undefined ? { pollId: poll.id, voterId, choices } : { pollId: poll.id, voterId, choices, reason };
  return accept({ type: 'poll.voted', data });
}

/** Closes a poll with its tally; secret polls are counted from their ballot box. */
function closePoll(s: RoomState, pollId: string, ballots: readonly SecretBallot[] | undefined): DecideResult {
  const poll = s.polls[pollId];
  if (!poll) return refuse('NOT_FOUND', `no poll ${pollId}`);
  if (poll.status !== 'open') return refuse('INVALID_STATE', `poll is ${poll.status}`);
  if (poll.secret && ballots === undefined) return refuse('INTERNAL', 'ballot box not loaded');
  const cast = poll.secret
    ? (ballots ?? []).filter((b) => b.pollId === pollId)
    : poll.voted.map((voter) => ({ choices: poll.choices[voter] ?? [], reason: poll.reasons[voter] }));
  const result = tally(poll, cast);
  const breakdown = breakdownAtClose(s, poll, ballots);
  return accept({ type: 'poll.closed', data: { pollId, result: breakdown ? { ...result, breakdown } : result } });
}

/**
 * Results by venue and sector: a named poll's from its named ballots, a secret poll's from the
 * groups sealed with its ballots, merged by the rule of pollBreakdown.ts. None when a secret
 * ballot came without its group (cast before the server kept groups).
 */
function breakdownAtClose(s: RoomState, poll: Poll, ballots: readonly SecretBallot[] | undefined) {
  const voters = groupedVoters(s, poll);
  if (!poll.secret) {
    const named: GroupedBallot[] = voters.map((v) => ({ choices: poll.choices[v.id] ?? [], venue: v.venue, sector: v.sector }));
    return breakdownOf(named, poll.options.length, null, null);
  }
  const own = (ballots ?? []).filter((b) => b.pollId === poll.id);
  const grouped: GroupedBallot[] = [];
  for (const b of own) {
    if (!b.group) return undefined;
    grouped.push({ choices: b.choices, ...b.group });
  }
  const k = secretGroupMin(s);
  return breakdownOf(grouped, poll.options.length, safeGroups(voters, k, earlierRound(s, poll)), k);
}

/** Publishes a closed poll's result. */
function publishPoll(s: RoomState, c: Cmd<'poll:publish'>): DecideResult {
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
