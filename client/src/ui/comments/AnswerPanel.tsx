/**
 * The 留言 tab for a department (部门): the published comments, those still without an answer
 * first, each with a form for the department's answer (答复), which is published with the
 * comment. An answered comment shows its answer. Both lists are shown 20 at a time (each
 * unanswered one has its own form). The server checks that the invite is a department's; this
 * panel is only where the department finds the comments.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { COMMENT_LIMITS, type PublicComment } from '../../../../signaling/comments/model.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { answerComment, fetchPublicComments } from '../../net/commentsApi.js';
import { useRoomClient, useRoomState } from '../context.js';
import { charCount } from './CommentForm.js';
import { applyChanges, sortComments } from './commentList.js';
import { CommentView } from './CommentView.js';
import { failureText } from './failure.js';
import { SteppedList } from './SteppedList.js';

/** The department's comments tab. */
export function AnswerPanel({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { invite } = useRoomState();
  const token = invite.kind === 'none' ? null : invite.token;
  const [comments, setComments] = useState<PublicComment[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    if (token === null) return;
    fetchPublicComments(room.id, token, 'hot').then(
      (page) => {
        setComments(page.comments);
        setError(null);
      },
      (failure: unknown) => {
        console.warn('loading the comments to answer failed', failure);
        setError(failure);
      },
    );
  }, [room.id, token]);

  useEffect(() => {
    load();
    // Changes are folded in as they come (a new upvote needs no new fetch of every comment).
    return client.onComments({
      changed: (news) => news.roomId === room.id && setComments((list) => list && applyChanges({ comments: list, mine: [] }, news.comments).comments),
    });
  }, [client, room.id, load]);

  if (token === null) return null;
  if (comments === null) {
    return (
      <div className="panel-section" data-testid="comments-answers">
        {error === null ? <p className="muted-text">{t('comments.loading')}</p> : <p role="alert" className="alert">{t('comments.failed', { reason: failureText(t, error) })}</p>}
      </div>
    );
  }
  // The most upvoted first: what the public most wants answered.
  const open = sortComments(comments.filter((c) => c.answer === null), 'hot');
  const answered = sortComments(comments.filter((c) => c.answer !== null), 'new');
  const replace = (changed: PublicComment): void => setComments((list) => list && list.map((c) => (c.id === changed.id ? { ...c, answer: changed.answer } : c)));
  return (
    <div className="panel-section comments-answers" data-testid="comments-answers">
      {comments.length === 0 && <p className="field-hint">{t('comments.answers.none')}</p>}
      {open.length > 0 && (
        <>
          <h3 className="panel-heading">
            {t('comments.answers.unanswered')} <span className="muted-text">({open.length})</span>
          </h3>
          <SteppedList items={open} className="comment-list" testId="answers-open">
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
            {t('comments.answers.answered')} <span className="muted-text">({answered.length})</span>
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
