/**
 * Where public comments are kept: beside the room log, in the same backend (SQLite alone, Redis
 * with several processes), never in it, so that a flood of comments never slows the meeting.
 * Every change of a room's comments (submitted, moderated, upvoted, answered) is an entry of the
 * room's comment chain: `hash` = SHA-256 over the previous hash and the entry, like the room
 * log, so the 群众留言 section of the locked minutes can be verified against an export.
 */
import type { CommentsSummary, CommentSettings, PublicComment, StaffComment } from '../../signaling/comments/model.js';

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
  /** Releases the backend; safe to call twice. */
  close(): Promise<void>;
}
