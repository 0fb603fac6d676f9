/**
 * The meeting's stage for public comments (群众留言上屏): the chair puts an approved comment
 * on it for everybody in the meeting, may ask a department present to answer it on the floor,
 * and takes it down. The comment itself comes from the comment store through the decide
 * context (read by the server), never from the client; the log keeps a snapshot of it.
 * `decideStage` checks a command, `foldStage` folds the events into the state.
 */
import type { StagedComment } from '../comments/model.js';
import type { Cmd } from './commands.js';
import { canonicalJson, type RoomEvent } from './events.js';
import { accept, refuse, type DecideContext, type DecideResult } from './result.js';
import { answersComments } from './roles.js';
import type { RoomState } from './state.js';
import { assertNever } from './util.js';

/** The commands of this module. */
export type StageCommand = Cmd<'comment:stage' | 'comment:unstage'>;

/** The events of this part. */
export type StageEvent = Extract<RoomEvent, { type: `comment.${string}` }>;

/** Is `e` a stage event? */
export function isStageEvent(e: { type: string }): e is StageEvent {
  return e.type.startsWith('comment.');
}

/** Is `c` a stage command? */
export function isStageCommand(c: { type: string }): c is StageCommand {
  return c.type === 'comment:stage' || c.type === 'comment:unstage';
}

/** Checks a stage command (its issuer's role was checked already) and returns its events. */
export function decideStage(s: RoomState, c: StageCommand, ctx: DecideContext): DecideResult {
  if (c.type === 'comment:unstage') {
    if (!s.stage) return refuse('INVALID_STATE', 'no comment is on the stage');
    // The department may have answered while the comment was up: the store's latest answer goes on the record.
    const fresh = ctx.comment?.id === s.stage.commentId ? ctx.comment.answer : null;
    return accept({ type: 'comment.unstaged', data: { commentId: s.stage.commentId, answer: fresh ?? s.stage.answer } });
  }
  const asked = c.askParticipantId === undefined ? null : s.participants[c.askParticipantId];
  if (asked === undefined) return refuse('NOT_FOUND', 'no such participant');
  if (asked !== null) {
    if (!answersComments(asked.role)) return refuse('NOT_ELIGIBLE', `a ${asked.role} does not answer public comments`);
    if (asked.status !== 'admitted') return refuse('INVALID_STATE', `${asked.name} is not in the meeting`);
  }
  const comment = ctx.comment;
  // The server passes the comment only when the store holds it approved; anything else is,
  // for the chair, a comment that is not there to be staged.
  if (comment?.id !== c.commentId || comment.status !== 'approved') return refuse('NOT_FOUND', 'no approved comment by that id');
  const staged: StagedComment = {
    commentId: comment.id,
    name: comment.name,
    place: comment.place,
    text: comment.text,
    themes: comment.themes,
    answer: comment.answer,
    stagedAt: ctx.now,
    askedParticipantId: asked?.id ?? null,
  };
  const { stagedAt: _now, ...same } = staged;
  if (s.stage && sameStage(s.stage, same)) return refuse('INVALID_STATE', 'this comment is already on the stage');
  return accept({ type: 'comment.staged', data: { comment: staged } });
}

function sameStage(a: StagedComment, b: Omit<StagedComment, 'stagedAt'>): boolean {
  const { stagedAt: _at, ...rest } = a;
  return canonicalJson(rest) === canonicalJson(b);
}

/**
 * A comment staff took back from the public: off the stage, and marked in the record, if it
 * was ever staged; nothing otherwise (most rejected comments never were).
 */
export function withdrawComment(s: RoomState, commentId: string): DecideResult {
  const staged = s.comments.staged.some((st) => st.commentId === commentId);
  if (!staged || s.comments.withdrawn.some((w) => w.commentId === commentId)) return accept();
  return accept({ type: 'comment.withdrawn', data: { commentId } });
}

/** Folds a stage event. */
export function foldStage(s: RoomState, e: StageEvent): RoomState {
  switch (e.type) {
    case 'comment.staged':
      return { ...s, stage: e.data.comment, comments: { ...s.comments, staged: [...s.comments.staged, e.data.comment] } };
    case 'comment.unstaged': {
      const { commentId, answer } = e.data;
      // The record keeps the latest answer with the comment's last time on stage.
      const staged = s.comments.staged.map((st, i, all) => (i === lastIndexOf(all, commentId) ? { ...st, answer } : st));
      return { ...s, stage: null, comments: { ...s.comments, staged } };
    }
    case 'comment.withdrawn': {
      const { commentId } = e.data;
      const stage = s.stage?.commentId === commentId ? null : s.stage;
      return { ...s, stage, comments: { ...s.comments, withdrawn: [...s.comments.withdrawn, { commentId, seq: e.seq }] } };
    }
    default:
      return assertNever(e);
  }
}

function lastIndexOf(staged: readonly StagedComment[], commentId: string): number {
  for (let i = staged.length - 1; i >= 0; i--) if (staged[i]?.commentId === commentId) return i;
  return -1;
}
