/**
 * 群众留言上屏: the public comment the chair put on the stage, shown to everybody in the
 * meeting above the floor and the shared content — the comment, who wrote it and where from,
 * the department asked to answer it, and the answer once there is one. The chair takes it down.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { canIssue } from '../../roomSelectors.js';
import { useRoomClient, useRoomState } from '../context.js';

/** Nothing while the stage is empty. */
export function StageComment({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const staged = room.stage;
  if (staged === null) return null;
  const asked = staged.askedParticipantId === null ? null : (room.participants[staged.askedParticipantId]?.name ?? null);
  // The department asked reads it addressed to itself: it is its turn to answer.
  const askedMe = staged.askedParticipantId !== null && staged.askedParticipantId === state.peerId;
  return (
    <section className="stage-comment" aria-label={t('stageComment.region')} aria-live="polite" data-testid="stage-comment" data-comment-id={staged.commentId}>
      <header className="stage-comment-head">
        <span className="chip stage-comment-label">{t('stageComment.label')}</span>
        {staged.themes.map((theme) => (
          <span key={theme} className="chip">
            {theme}
          </span>
        ))}
        {asked !== null && (
          <span className="stage-comment-asked" data-testid="stage-comment-asked">
            {askedMe ? t('stageComment.askedYou') : t('stageComment.asked', { department: asked })}
          </span>
        )}
        {canIssue(state, 'comment:unstage') && (
          <button type="button" className="button small stage-comment-unstage" data-testid="stage-comment-unstage" onClick={() => client.act('comment:unstage', {})}>
            {t('stageComment.unstage')}
          </button>
        )}
      </header>
      <blockquote className="stage-comment-text" data-testid="stage-comment-text">
        {staged.text}
      </blockquote>
      <p className="stage-comment-author" data-testid="stage-comment-author">
        {staged.place === '' ? staged.name : `${staged.name} · ${staged.place}`}
      </p>
      {staged.answer !== null && (
        <div className="stage-comment-answer" data-testid="stage-comment-answer">
          <p className="stage-comment-answer-by">{t('stageComment.answer', { department: staged.answer.department })}</p>
          <p className="stage-comment-answer-text">{staged.answer.text}</p>
        </div>
      )}
    </section>
  );
}
