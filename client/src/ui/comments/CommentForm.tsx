/**
 * The comment form: a display name, optionally a district/street or sector, and the text with a
 * live count against the server's limits (in characters: one per Chinese character or emoji,
 * as the server counts them). Submitting says plainly that the comment awaits review.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { COMMENT_LIMITS, type PublicComment } from '../../../../signaling/comments/model.js';
import { submitComment } from '../../net/commentsApi.js';
import { loadCommenter, saveCommenter } from './commenter.js';
import { failureText } from './failure.js';

/** Characters as the server counts them: code points of the trimmed text. */
export const charCount = (s: string): number => [...s.trim()].length;

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done' } | { kind: 'failed'; message: string };

/** The form; `onSubmitted` gets the comment as stored. */
export function CommentForm({ roomId, invite, onSubmitted }: { roomId: string; invite: string; onSubmitted: (comment: PublicComment) => void }) {
  const { t } = useTranslation();
  const id = useId();
  // A phone that commented before is not asked its name again (commenter.ts).
  const [remembered] = useState(loadCommenter);
  const [name, setName] = useState(remembered.name);
  const [place, setPlace] = useState(remembered.place);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const count = charCount(text);
  const over = count - COMMENT_LIMITS.text;
  const nameOver = charCount(name) > COMMENT_LIMITS.name;
  const placeOver = charCount(place) > COMMENT_LIMITS.place;
  const ready = charCount(name) > 0 && count > 0 && over <= 0 && !nameOver && !placeOver && status.kind !== 'busy';

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!ready) return;
    setStatus({ kind: 'busy' });
    const commenter = { name: name.trim(), place: place.trim() };
    submitComment(roomId, invite, { ...commenter, text: text.trim() }).then(
      (comment) => {
        // The name and place stay for a next comment, on this page and the next; the text goes.
        saveCommenter(commenter);
        setText('');
        setStatus({ kind: 'done' });
        onSubmitted(comment);
      },
      (error: unknown) => {
        console.warn('submitting a comment failed', error);
        setStatus({ kind: 'failed', message: t('comments.form.failed', { reason: failureText(t, error) }) });
      },
    );
  };

  return (
    <form className="comment-form" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="comment-form">
      <h3 id={`${id}-title`}>{t('comments.form.title')}</h3>
      <label htmlFor={`${id}-name`}>{t('comments.form.name')}</label>
      <input id={`${id}-name`} data-testid="comment-form-name" autoComplete="nickname" required value={name} aria-invalid={nameOver} onChange={(e) => setName(e.target.value)} />
      {nameOver && <p className="field-error">{t('comments.form.count', { count: charCount(name), max: COMMENT_LIMITS.name })}</p>}
      <label htmlFor={`${id}-place`}>{t('comments.form.place')}</label>
      <input id={`${id}-place`} data-testid="comment-form-place" value={place} aria-invalid={placeOver} onChange={(e) => setPlace(e.target.value)} />
      {placeOver && <p className="field-error">{t('comments.form.count', { count: charCount(place), max: COMMENT_LIMITS.place })}</p>}
      <label htmlFor={`${id}-text`}>{t('comments.form.text')}</label>
      <textarea
        id={`${id}-text`}
        data-testid="comment-form-text"
        rows={5}
        required
        dir="auto"
        value={text}
        aria-invalid={over > 0}
        aria-describedby={`${id}-count ${id}-review`}
        onChange={(e) => {
          setText(e.target.value);
          if (status.kind === 'done') setStatus({ kind: 'idle' });
        }}
      />
      <p id={`${id}-count`} className={over > 0 ? 'field-error' : 'field-hint'} data-testid="comment-form-count" data-over={over > 0}>
        {t('comments.form.count', { count, max: COMMENT_LIMITS.text })}
        {over > 0 && ` · ${t('comments.form.over', { over })}`}
      </p>
      <p id={`${id}-review`} className="field-hint">
        {t('comments.form.review')}
      </p>
      <button type="submit" className="button primary" data-testid="comment-form-submit" disabled={!ready} aria-busy={status.kind === 'busy'}>
        {status.kind === 'busy' ? t('comments.form.submitting') : t('comments.form.submit')}
      </button>
      <p role="status" className={status.kind === 'failed' ? 'field-error' : 'field-hint'} data-testid="comment-form-status">
        {status.kind === 'done' ? t('comments.form.submitted') : status.kind === 'failed' ? status.message : ''}
      </p>
    </form>
  );
}
