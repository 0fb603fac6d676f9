/**
 * One comment as text: who (display name, place), when, its themes, what it says and its
 * department's answer. Everything here was typed by the public or a department, so it is only
 * ever rendered as React text (never as markup), each field isolated for bidirectional text
 * (`dir="auto"`) so that a right-to-left name cannot reorder the line around it.
 */
import type { ReactNode } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { PublicComment } from '../../../../signaling/comments/model.js';
import { formatDateTime } from '../format.js';

/** The comment's body; `children` go in its footer (upvote, moderation buttons). */
export function CommentView({ comment, children, marker }: { comment: PublicComment; children?: ReactNode; marker?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <header className="comment-head">
        <bdi className="comment-name" dir="auto" data-testid="comment-name">
          {comment.name}
        </bdi>
        {comment.place !== '' && (
          <bdi className="comment-place muted-text" dir="auto" data-testid="comment-place">
            {comment.place}
          </bdi>
        )}
        <time className="comment-time muted-text" dateTime={new Date(comment.createdAt).toISOString()}>
          {formatDateTime(comment.createdAt)}
        </time>
        {marker}
      </header>
      {comment.themes.length > 0 && (
        <ul className="chips comment-themes" aria-label={t('comments.themes')}>
          {comment.themes.map((theme) => (
            <li key={theme} className="chip" dir="auto" data-testid="comment-theme">
              {theme}
            </li>
          ))}
        </ul>
      )}
      <p className="comment-text" dir="auto" data-testid="comment-text">
        {comment.text}
      </p>
      {comment.answer !== null && (
        <section className="comment-answer" data-testid="comment-answer" aria-label={t('comments.answer', { department: comment.answer.department })}>
          <h4>
            <bdi dir="auto">{t('comments.answer', { department: comment.answer.department })}</bdi>{' '}
            <time className="muted-text" dateTime={new Date(comment.answer.answeredAt).toISOString()}>
              {formatDateTime(comment.answer.answeredAt)}
            </time>
          </h4>
          <p className="comment-text" dir="auto">
            {comment.answer.text}
          </p>
        </section>
      )}
      {children !== undefined && <footer className="comment-foot">{children}</footer>}
    </>
  );
}
