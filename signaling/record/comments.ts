/**
 * The minutes' 群众留言 section, drawn from the log (the comments put on the stage, the counts
 * recorded at the end) and from the comment store's summary taken at the lock.
 */
import type { CommentAnswer, CommentsSummary, PublicComment, StagedComment } from '../comments/model.js';
import type { RoomState } from '../room/state.js';
import type { CommentRecord, CommentsSection, StagedCommentRecord } from './types.js';

/**
 * The section for `state`, with the store's `summary` when the minutes are being locked (or
 * were locked with one); undefined when the log knows nothing of comments.
 */
export function commentsSection(state: RoomState, summary: CommentsSummary | undefined, asOfSeq: number = state.seq): CommentsSection | undefined {
  const { staged, countsAtEnd } = state.comments;
  if (!summary && !countsAtEnd && staged.length === 0) return undefined;
  return {
    countedAt: summary ? 'lock' : countsAtEnd ? 'end' : null,
    counts: summary?.counts ?? countsAtEnd,
    byTheme: summary?.byTheme.map(({ theme, count }) => ({ theme, count })) ?? [],
    mostUpvoted: summary?.mostUpvoted.map(commentRecord) ?? [],
    staged: staged.map((st) => stagedRecord(state, st, asOfSeq)),
    chainHead: summary ? { seq: summary.chainHead.seq, hash: summary.chainHead.hash } : null,
  };
}

function answerRecord(a: CommentAnswer | null): CommentRecord['answer'] {
  return a === null ? null : { department: a.department, text: a.text, answeredAt: a.answeredAt };
}

function commentRecord(c: PublicComment): CommentRecord {
  return { name: c.name, place: c.place, text: c.text, themes: [...c.themes], upvotes: c.upvotes, answer: answerRecord(c.answer) };
}

function stagedRecord(state: RoomState, st: StagedComment, asOfSeq: number): StagedCommentRecord {
  const asked = st.askedParticipantId === null ? null : (state.participants[st.askedParticipantId]?.name ?? st.askedParticipantId);
  // Only withdrawals up to the record's chain head: a version locked before one keeps its text.
  if (state.comments.withdrawn.some((w) => w.commentId === st.commentId && w.seq <= asOfSeq)) {
    return { name: '', place: '', text: '', themes: [], stagedAt: st.stagedAt, askedDepartment: asked, answer: null, withdrawn: true };
  }
  return {
    name: st.name,
    place: st.place,
    text: st.text,
    themes: [...st.themes],
    stagedAt: st.stagedAt,
    askedDepartment: asked,
    answer: answerRecord(st.answer),
  };
}
