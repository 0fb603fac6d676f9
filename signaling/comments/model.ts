/**
 * Public comments (留言, 码上商量): what a comment is, its moderation states and the limits of
 * its fields. Pure data shared by the server (store, routes, minutes) and the client (public
 * page, moderation panel). Comments live in their own store beside the room log; the room log
 * records only what the meeting did with them (a comment put on stage, the counts at close).
 */

/** Field lengths, in characters (code points). The server refuses longer input with BAD_REQUEST. */
export const COMMENT_LIMITS = {
  name: 40,
  place: 40,
  text: 1000,
  answer: 2000,
  theme: 20,
  themes: 20,
  heldWords: 500,
  heldWord: 40,
  background: 5000,
} as const;

/**
 * Where a comment is in moderation. `pending`: waiting for staff (and every comment held by
 * the word list); `approved`: shown to the public; `rejected`: not shown, with a reason;
 * `merged`: a duplicate folded into another comment (its upvotes count for that one).
 */
export const COMMENT_STATUSES = ['pending', 'approved', 'rejected', 'merged'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** Why staff rejected a comment: 离题 off-topic, 不文明 abusive, 含个人信息 personal data, 重复 duplicate. */
export const REJECT_REASONS = ['offTopic', 'abusive', 'personalData', 'duplicate'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** A department's answer (答复), published with its comment. */
export type CommentAnswer = {
  /** The department's name as on its invite, e.g. 住建局. */
  department: string;
  text: string;
  /** Epoch ms. */
  answeredAt: number;
};

/** A comment as the public sees it (approved ones; a commenter's own also while pending). */
export type PublicComment = {
  id: string;
  roomId: string;
  /** The display name the commenter typed. */
  name: string;
  /** District/street or sector, optional (empty string when not given). */
  place: string;
  text: string;
  /** Epoch ms. */
  createdAt: number;
  status: CommentStatus;
  upvotes: number;
  /** Themes set by staff, from the organiser's list. */
  themes: string[];
  answer: CommentAnswer | null;
};

/** A comment as staff see it in moderation. Never sent to the public. */
export type StaffComment = PublicComment & {
  rejectReason: RejectReason | null;
  /** The comment this one was merged into. */
  mergedInto: string | null;
  /** Words of the organiser's list that this comment matched (it was held for review). */
  heldFor: string[];
  /** Epoch ms of the last moderation step, or null. */
  moderatedAt: number | null;
};

/** What the organiser sets for a consultation's comments. */
export type CommentSettings = {
  /** Epoch ms; comments are accepted from `opensAt` to `closesAt`. Null `opensAt`: comments are closed. */
  opensAt: number | null;
  closesAt: number | null;
  /** Background text (背景材料) shown above the form. */
  background: string;
  /** The themes staff may tag comments with. */
  themes: string[];
  /** Words that hold a comment for review (matched case-insensitively anywhere in name, place or text). */
  heldWords: string[];
};

/** Counts of a room's comments, for the public page, the staff panel and the minutes. */
export type CommentCounts = {
  received: number;
  pending: number;
  approved: number;
  rejected: number;
  merged: number;
  answered: number;
  upvotes: number;
};

/**
 * A comment put on the meeting's stage (群众留言上屏). The room log keeps this snapshot of the
 * comment as it was when staged, so the record does not depend on the comment store later.
 */
export type StagedComment = {
  commentId: string;
  name: string;
  place: string;
  text: string;
  themes: string[];
  answer: CommentAnswer | null;
  /** Epoch ms. */
  stagedAt: number;
  /** A department participant the chair asked to answer it on the floor, if any. */
  askedParticipantId: string | null;
};

/** What the minutes' 群众留言 section reads from the comment store when the minutes are locked. */
export type CommentsSummary = {
  counts: CommentCounts;
  /** Approved comments per theme (themes with none are left out). */
  byTheme: Array<{ theme: string; count: number }>;
  /** The most upvoted approved comments, most first (at most 10). */
  mostUpvoted: PublicComment[];
  /** Head of the comment store's hash chain for this room when the summary was read. */
  chainHead: { seq: number; hash: string };
};
