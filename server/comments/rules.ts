/**
 * What may be done to a comment, checked the same way by both stores before they write: each
 * function takes the comments as the store read them and answers the chain change to write, or
 * throws the error the caller sees (NOT_FOUND, INVALID_STATE, BAD_REQUEST).
 */
import { randomBytes } from 'node:crypto';
import type { ModerateComment } from '../../signaling/comments/api.js';
import type { CommentSettings, PublicComment, StaffComment } from '../../signaling/comments/model.js';
import { AppError, NotFoundError, ValidationError } from '../../signaling/errors.js';
import type { CommentChange } from './chain.js';

/** What a browser submits (already parsed with SubmitComment). */
export type NewComment = { name: string; place: string; text: string };

/** Settings of a room whose organiser set none: closed, no themes, no words. */
export const DEFAULT_SETTINGS: CommentSettings = { opensAt: null, closesAt: null, background: '', themes: [], heldWords: [] };

/** Comments the public list shows at most (the most upvoted or the newest). */
export const PUBLIC_PAGE_SIZE = 100;
/** Comments of each status the staff's lists hold at most: the queue's oldest, the others' newest. */
export const STAFF_PAGE_SIZE = 500;
/** A browser's own pending comments shown to it at most. */
export const OWN_PENDING_SIZE = 20;

/**
 * A fresh comment id: the time in base 36 (fixed width) then randomness, so ids sort by time
 * and a tie in upvotes lists the newer first by id alone.
 */
export function newCommentId(at: number): string {
  return `c${Math.max(0, at).toString(36).padStart(9, '0')}${randomBytes(6).toString('base64url')}`;
}

/** The organiser's words found (case-insensitively) in the comment's name, place or text. */
export function heldWords(comment: NewComment, words: readonly string[]): string[] {
  const haystack = `${comment.name}\n${comment.place}\n${comment.text}`.toLocaleLowerCase('zh-CN');
  return [...new Set(words.filter((w) => w.length > 0 && haystack.includes(w.toLocaleLowerCase('zh-CN'))))];
}

export function submitChange(id: string, comment: NewComment, settings: CommentSettings, at: number): CommentChange {
  const { name, place, text } = comment;
  return { type: 'submitted', data: { comment: { id, name, place, text, createdAt: at, heldFor: heldWords(comment, settings.heldWords) } } };
}

function found(comment: StaffComment | undefined, commentId: string): StaffComment {
  if (!comment) throw new NotFoundError(`no comment ${commentId}`);
  return comment;
}

/**
 * The change a moderation step makes, or null when the comment is already so (approving an
 * approved comment twice writes nothing). For a merge, `into` is the target as read and
 * `mergedUpvotes` the target's count once both comments' upvoters are counted once each.
 */
export function moderateChange(
  comment: StaffComment | undefined,
  commentId: string,
  action: ModerateComment,
  settings: CommentSettings,
  merge?: { into: StaffComment | undefined; mergedUpvotes: number },
): CommentChange | null {
  const c = found(comment, commentId);
  if (c.status === 'merged') throw new AppError('INVALID_STATE', `comment ${commentId} was merged into ${c.mergedInto ?? '?'}; moderate that one`);
  switch (action.action) {
    case 'approve':
      return c.status === 'approved' ? null : { type: 'approved', data: { commentId } };
    case 'reject':
      return c.status === 'rejected' && c.rejectReason === action.reason ? null : { type: 'rejected', data: { commentId, reason: action.reason } };
    case 'tag': {
      const themes = [...new Set(action.themes)];
      const unknown = themes.filter((t) => !settings.themes.includes(t));
      if (unknown.length > 0) throw new ValidationError(`not among the organiser's themes: ${unknown.join(', ')}`);
      return { type: 'tagged', data: { commentId, themes } };
    }
    case 'merge': {
      if (action.into === commentId) throw new AppError('INVALID_STATE', 'a comment cannot be merged into itself');
      const into = found(merge?.into, action.into);
      if (into.status !== 'approved' && into.status !== 'pending') {
        throw new AppError('INVALID_STATE', `comment ${action.into} is ${into.status}: merge into an approved or pending comment`);
      }
      return { type: 'merged', data: { commentId, into: action.into, upvotes: merge?.mergedUpvotes ?? into.upvotes } };
    }
  }
}

/** The comment an upvote of `comment` counts for: itself, or the one it was merged into. */
export function upvoteTarget(comment: StaffComment | undefined, commentId: string): string {
  const c = found(comment, commentId);
  return c.status === 'merged' && c.mergedInto !== null ? c.mergedInto : commentId;
}

/** Checks that the public may upvote `target` (approved only: nothing else is shown to it). */
export function upvoteChange(commentId: string, target: StaffComment | undefined, upvotes: number): CommentChange {
  // NOTE: NOT_FOUND, not INVALID_STATE, for a comment the public cannot see: it does not learn
  // that a pending or rejected comment with this id exists.
  if (!target || target.status !== 'approved') throw new NotFoundError(`no approved comment ${commentId}`);
  return { type: 'upvoted', data: { commentId, countedFor: target.id, upvotes } };
}

/** A department's answer: to an approved comment only (it is published with it). */
export function answerChange(comment: StaffComment | undefined, commentId: string, department: string, text: string, at: number): CommentChange {
  const c = found(comment, commentId);
  if (c.status !== 'approved') throw new AppError('INVALID_STATE', `comment ${commentId} is ${c.status}: only approved comments are answered`);
  return { type: 'answered', data: { commentId, answer: { department, text, answeredAt: at } } };
}

/** The public's view of a comment: no moderation fields. */
export function publicOf(c: PublicComment): PublicComment {
  return { id: c.id, roomId: c.roomId, name: c.name, place: c.place, text: c.text, createdAt: c.createdAt, status: c.status, upvotes: c.upvotes, themes: c.themes, answer: c.answer };
}
