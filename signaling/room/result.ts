/**
 * What `decide` is given besides the state, and what it returns: the events to record, or a
 * refusal with a stable error code.
 */
import type { CommentCounts, CommentsSummary, PublicComment } from '../comments/model.js';
import type { ErrorCode } from '../errors.js';
import type { NewRoomEvent } from './events.js';
import type { RecordingSummary } from './state.js';

/**
 * A secret ballot, kept apart from the log so nobody can link it to its voter. `group`: the
 * voter's venue and sector while the poll is open (sealed with the ballot), counted into the
 * breakdown at close and dropped from the opened ballot (pollBreakdown.ts).
 */
export type SecretBallot = { pollId: string; choices: number[]; reason?: string; group?: { venue: string; sector: string } };

/** An accepted command. */
export type Decision = { ok: true; events: NewRoomEvent[]; ballot?: SecretBallot };

/** A refused command. */
export type Refusal = { ok: false; error: ErrorCode; detail: string };

/** The outcome of `decide`. */
export type DecideResult = Decision | Refusal;

/** Accepts with these events. */
export function accept(...events: NewRoomEvent[]): Decision {
  return { ok: true, events };
}

/** Refuses with a code and a human-readable reason (for logs and developers). */
export function refuse(error: ErrorCode, detail: string): Refusal {
  return { ok: false, error, detail };
}

/** A participant's microphone as the server observes it: sent at all, and last heard carrying sound. */
export type MicFact = { hasMic: boolean; heardAt: number | null };

/** What decide may read besides the state. */
export type DecideContext = {
  /** Server time, epoch ms. */
  now: number;
  /** Ballots of open secret polls, by poll id; loaded by the server before closing one. */
  secretBallots?: Record<string, SecretBallot[]>;
  /**
   * SHA-256 of the canonical minutes record of the state (signaling/record); computed by the
   * server before `minutes:lock`, since hashing needs APIs this module does not use.
   */
  minutesContentHash?: string;
  /**
   * For `comment:stage`: the approved comment it names; for `comment:unstage`: the staged
   * comment as the store holds it now (for its latest answer). Read by the server from the
   * comment store; absent when the store has no approved comment by that id. A client command
   * carries the id only, so what goes on the stage is always what the store approved.
   */
  comment?: PublicComment;
  /**
   * For `rollCall:confirm`: what the server's media observed of the confirming participant's
   * microphone (server/media/MicActivity.ts). Absent without media: nobody is then heard.
   */
  mic?: MicFact;
  /** For `room:end`: the comment store's counts, recorded with the end. */
  commentCounts?: CommentCounts;
  /** For `minutes:lock`: the comment store's summary, recorded with the lock (群众留言). */
  commentsSummary?: CommentsSummary;
  /** For `minutes:lock`: the recording's files as the server read them (absent: nothing recorded). */
  recordingSummary?: RecordingSummary;
};
