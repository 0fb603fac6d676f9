/**
 * Where public comments are kept: beside the room log, in the same backend (SQLite alone, Redis
 * with several processes), never in it, so that a flood of comments never slows the meeting.
 * Every change of a room's comments (submitted, moderated, upvoted, answered) is an entry of the
 * room's comment chain: `hash` = SHA-256 over the previous hash and the entry, like the room
 * log, so the 群众留言 section of the locked minutes can be verified against an export.
 */
import type { CommentSort, ModerateComment } from '../../signaling/comments/api.js';
import type { CommentCounts, CommentsSummary, CommentSettings, CommentStatus, PublicComment, StaffComment } from '../../signaling/comments/model.js';
import type { ChainHead, CommentExport } from './chain.js';
import type { NewComment } from './rules.js';

/** What an upvote did: `counted` false when this browser had already upvoted (nothing written). */
export type UpvoteResult = { comment: PublicComment; counted: boolean };

/** Both backends pass CommentStore.contract.ts. */
export interface CommentStore {
  /** The organiser's settings of a room (defaults when never set: closed, no themes, no words). */
  settings(roomId: string): Promise<CommentSettings>;
  /** Replaces a room's settings. */
  setSettings(roomId: string, settings: CommentSettings): Promise<void>;
  /** One comment, as staff see it. */
  get(roomId: string, commentId: string): Promise<StaffComment | undefined>;
  /** An approved comment, as the public sees it (what the chair may put on stage). */
  approved(roomId: string, commentId: string): Promise<PublicComment | undefined>;
  /** Counts, themes, the most upvoted and the chain head: what the minutes read at lock. */
  summary(roomId: string): Promise<CommentsSummary>;
  /**
   * Records a new comment of `browser` (pending; held for the organiser's words if it matches
   * any). The browser id is kept to show the commenter their own pending comments, never shown.
   */
  submit(roomId: string, comment: NewComment, browser: string, at: number): Promise<StaffComment>;
  /**
   * Approved comments, most upvoted or newest first, at most `limit`, after the first `offset`
   * of that order (the public page's next 100; 0 when not given).
   */
  listApproved(roomId: string, sort: CommentSort, limit: number, offset?: number): Promise<PublicComment[]>;
  /**
   * Comments of one status for staff, at most `limit`: the queue (pending) oldest first, as it
   * is worked from its head; the decided ones (approved, rejected, merged) newest first.
   */
  listForStaff(roomId: string, status: CommentStatus, limit: number): Promise<StaffComment[]>;
  /** The most upvoted approved comments as staff see them, at most `limit` (the staff's 最热 of a topic larger than their lists). */
  hotForStaff(roomId: string, limit: number): Promise<StaffComment[]>;
  /** Approves, rejects, merges or tags; NOT_FOUND, INVALID_STATE or BAD_REQUEST when it cannot. */
  moderate(roomId: string, commentId: string, action: ModerateComment, at: number): Promise<StaffComment>;
  /**
   * One upvote of `browser`: exactly once per comment (a repeat changes nothing), counted for
   * the target of a merged comment. Approved comments only (NOT_FOUND otherwise).
   */
  upvote(roomId: string, commentId: string, browser: string, at: number): Promise<UpvoteResult>;
  /** A department's answer to an approved comment (a later one replaces it). */
  answer(roomId: string, commentId: string, answer: { department: string; text: string }, at: number): Promise<StaffComment>;
  /** This browser's comments still pending, newest first. */
  pendingOf(roomId: string, browser: string): Promise<PublicComment[]>;
  /** Ids of the comments this browser has upvoted (the ones its upvotes counted for). */
  upvotedBy(roomId: string, browser: string): Promise<string[]>;
  counts(roomId: string): Promise<CommentCounts>;
  head(roomId: string): Promise<ChainHead>;
  /** Every comment, oldest first, with the whole chain: what staff download and anyone can verify. */
  exportAll(roomId: string): Promise<CommentExport>;
  /** Releases the backend; safe to call twice. */
  close(): Promise<void>;
}
