/**
 * The 留言 tab for a department (部门): the published comments, those still without an answer
 * first, each with a form for the department's answer (答复), which is published with the
 * comment. An answered comment shows its answer. Both lists are shown 20 at a time (each
 * unanswered one has its own form); past the unanswered ones held, the next 100 of 最热 are
 * fetched (usePublicComments.ts). The server checks that the invite is a department's; this
 * panel is only where the department finds the comments.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { COMMENT_LIMITS, type PublicComment } from '../../../../signaling/comments/model.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { answerComment } from '../../net/commentsApi.js';
import { useRoomClient, useRoomState } from '../context.js';
import { charCount } from './CommentForm.js';
import { sortComments } from './commentList.js';
import { CommentView } from './CommentView.js';
import { failureText } from './failure.js';
import { SteppedList } from './SteppedList.js';
import { usePublicComments, type SubscribeToComments } from './usePublicComments.js';

/** The department's comments tab. */
export function AnswerPanel({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { invite } = useRoomState();
  const token = invite.kind === 'none' ? null : invite.token;
  const [notice, setNotice] = useState<string | null>(null);
  // Changes are folded in as they come (a new upvote needs no new fetch of every comment).
  const subscribe = useCallback<SubscribeToComments>((listener, onFollowing) => client.onComments({ changed: listener, ...(onFollowing && { resumed: onFollowing }) }), [client]);
  const { held, error, update, moreFor } = usePublicComments(room.id, token, 'hot', subscribe);

  if (token === null) return null;
  if (held === null) {
    return (
      <div className="panel-section" data-testid="comments-answers">
        {error === null ? <p className="muted-text">{t('comments.loading')}</p> : <p role="alert" className="alert">{t('comments.failed', { reason: failureText(t, error) })}</p>}
      </div>
    );
  }
  const comments = held.comments;
  // The most upvoted first: what the public most wants answered.
  const open = sortComments(comments.filter((c) => c.answer === null), 'hot');
  const answered = sortComments(comments.filter((c) => c.answer !== null), 'new');
  // The whole topic's, from the server: what is held may be part of it.
  const unansweredTotal = Math.max(open.length, held.counts.approved - held.counts.answered);
  const replace = (changed: PublicComment): void => update((h) => ({ ...h, comments: h.comments.map((c) => (c.id === changed.id ? { ...c, answer: changed.answer } : c)) }));
  // Past the unanswered ones held, a step fetches the next page of 最热 (the server's order).
  const more = moreFor('hot', open.length, (failure) => setNotice(t('comments.moreFailed', { reason: failureText(t, failure) })));
  return (
    <div className="panel-section comments-answers" data-testid="comments-answers">
      {comments.length === 0 && <p className="field-hint">{t('comments.answers.none')}</p>}
      {notice !== null && (
        <p role="status" className="field-hint" data-testid="answers-notice">
          {notice}
        </p>
      )}
      {open.length > 0 && (
        <>
          <h3 className="panel-heading">
            {t('comments.answers.unanswered')} <span className="muted-text">({unansweredTotal})</span>
          </h3>
          <SteppedList items={open} total={unansweredTotal} more={more} className="comment-list" testId="answers-open">
            {(comment) => (
              <li key={comment.id} className="comment-card" data-testid="answer-comment" data-comment-id={comment.id}>
                <CommentView comment={comment}>
                  <AnswerForm roomId={room.id} invite={token} comment={comment} onAnswered={replace} />
                </CommentView>
              </li>
            )}
          </SteppedList>
        </>
      )}
      {answered.length > 0 && (
        <>
          <h3 className="panel-heading">
            {t('comments.answers.answered')} <span className="muted-text">({Math.max(answered.length, held.counts.answered)})</span>
          </h3>
          <SteppedList items={answered} className="comment-list" testId="answers-done">
            {(comment) => (
              <li key={comment.id} className="comment-card" data-testid="answer-comment" data-comment-id={comment.id}>
                <CommentView comment={comment} />
              </li>
            )}
          </SteppedList>
        </>
      )}
    </div>
  );
}

function AnswerForm({ roomId, invite, comment, onAnswered }: { roomId: string; invite: string; comment: PublicComment; onAnswered: (comment: PublicComment) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const count = charCount(text);
  const over = count > COMMENT_LIMITS.answer;
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (busy || count === 0 || over) return;
    setBusy(true);
    setFailure(null);
    answerComment(roomId, comment.id, invite, { text: text.trim() })
      .then(onAnswered, (error: unknown) => {
        console.warn('answering a comment failed', error);
        setFailure(t('comments.moderation.failed', { reason: failureText(t, error) }));
      })
      .finally(() => setBusy(false));
  };
  return (
    <form className="answer-form" onSubmit={submit} data-testid="answer-form">
      <label htmlFor={`${id}-text`}>{t('comments.answers.text')}</label>
      <textarea id={`${id}-text`} rows={3} dir="auto" data-testid="answer-text" value={text} aria-invalid={over} aria-describedby={`${id}-count`} onChange={(e) => setText(e.target.value)} />
      <p id={`${id}-count`} className={over ? 'field-error' : 'field-hint'} data-testid="answer-count">
        {t('comments.form.count', { count, max: COMMENT_LIMITS.answer })}
      </p>
      <button type="submit" className="button primary small" data-testid="answer-submit" disabled={busy || count === 0 || over} aria-busy={busy}>
        {busy ? t('comments.answers.submitting') : t('comments.answers.submit')}
      </button>
      {failure !== null && (
        <p role="alert" className="field-error">
          {failure}
        </p>
      )}
    </form>
  );
}
