/**
 * The `room:events` message as it travels: the room's new events in seq order, where a run of
 * votes that nobody may read more of than "this member voted on this poll" travels as one
 * compact entry, and a viewer's own view of some events (their own ballot, the secretary's
 * minutes) travels beside the others' view instead of a whole message of its own.
 *
 * Why: in a vote storm every member receives every vote. As a full event a vote is about 250
 * bytes (its seq, time, actor, hash and data); in a run it is its voter's id and a time step,
 * about 45. A thousand members each receiving a thousand votes parse and hold a fifth of the
 * text, and the server writes a fifth of it.
 *
 * What a run leaves out: the hash of each vote but the last. A replica takes the hash of the
 * last event it folds, and the events of a run arrive together, so a replica never stops
 * inside a run with the missing hash as its head. The log itself (the server's, and what
 * `room:sync` and the minutes' verifier read) keeps every hash.
 */
import type { RoomEvent } from './events.js';

/** A run of consecutive votes on one poll as anybody but the voters sees them. */
export type VoteRun = {
  type: 'poll.voteRun';
  /** The seq of the first vote; each next vote has the next seq. */
  seq: number;
  pollId: string;
  /** Who voted, in seq order; each vote's actor is its voter. */
  voters: string[];
  /** Each vote's time: the first as epoch ms, then each as ms after the one before. */
  at: number[];
  /** The last vote's hash: the chain's head after the run. */
  hash: string;
};

/** An entry of a `room:events` message. */
export type WireEvent = RoomEvent | VoteRun;

/** The `room:events` payload. `own`: events this viewer sees otherwise than `events` shows them. */
export type EventsMessage = { events: WireEvent[]; own?: RoomEvent[] };

/** Fewer votes than this in a row stay full events: a run would not be shorter. */
const MIN_RUN = 2;

type AnonymousVote = Extract<RoomEvent, { type: 'poll.voted' }>;

/** A vote as anybody but its voter sees it: who voted on which poll, and nothing else. */
function anonymousVote(e: RoomEvent): e is AnonymousVote {
  if (e.type !== 'poll.voted' || e.actor !== e.data.voterId) return false;
  const keys = Object.keys(e.data);
  return keys.length === 2 && keys.includes('pollId') && keys.includes('voterId');
}

/** Events (in seq order) with each run of anonymous votes on one poll made compact. */
export function packEvents(events: readonly RoomEvent[]): WireEvent[] {
  const out: WireEvent[] = [];
  for (let i = 0; i < events.length; ) {
    const run = voteRunAt(events, i);
    if (run.length >= MIN_RUN) {
      out.push(compact(run));
      i += run.length;
    } else {
      out.push(events[i] as RoomEvent);
      i += 1;
    }
  }
  return out;
}

/** The anonymous votes on one poll, one seq after the other, from `events[start]` on (none if it is not one). */
function voteRunAt(events: readonly RoomEvent[], start: number): AnonymousVote[] {
  const run: AnonymousVote[] = [];
  for (let k = start; k < events.length; k += 1) {
    const e = events[k];
    const prev = run.at(-1);
    if (e === undefined || !anonymousVote(e) || (prev !== undefined && (e.data.pollId !== prev.data.pollId || e.seq !== prev.seq + 1))) break;
    run.push(e);
  }
  return run;
}

function compact(run: readonly AnonymousVote[]): VoteRun {
  const [first] = run;
  const last = run.at(-1);
  if (first === undefined || last === undefined) throw new TypeError('an empty run of votes');
  return {
    type: 'poll.voteRun',
    seq: first.seq,
    pollId: first.data.pollId,
    voters: run.map((v) => v.data.voterId),
    at: run.map((v, k) => v.at - (k === 0 ? 0 : (run[k - 1]?.at ?? 0))),
    hash: last.hash,
  };
}

/** The events of a message, in seq order, each as this viewer sees it. */
export function unpackEvents(message: EventsMessage): RoomEvent[] {
  const own = new Map((message.own ?? []).map((e) => [e.seq, e]));
  const out: RoomEvent[] = [];
  for (const entry of message.events) {
    if (entry.type !== 'poll.voteRun') {
      out.push(own.get(entry.seq) ?? entry);
      continue;
    }
    let at = 0;
    entry.voters.forEach((voterId, k) => {
      const seq = entry.seq + k;
      at += entry.at[k] ?? 0;
      const last = k === entry.voters.length - 1;
      out.push(own.get(seq) ?? { type: 'poll.voted', seq, at, actor: voterId, hash: last ? entry.hash : '', data: { pollId: entry.pollId, voterId } });
    });
  }
  return out;
}
