/**
 * 上屏: the chair puts a published comment on the meeting's stage, where every participant and
 * viewer sees it, and may ask a department present to answer it on the floor. Only the comment's
 * id is sent; the server takes the comment from its store.
 */
import { useId, useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { PublicComment } from '../../../../signaling/comments/model.js';
import { answersComments } from '../../../../signaling/room/roles.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { canIssue } from '../../roomSelectors.js';
import { useRoomClient, useRoomState } from '../context.js';
import { Dialog } from '../Dialog.js';

/** The chair's 上屏 button for one comment (nothing for anyone else). */
export function StageButton({ room, comment }: { room: RoomState; comment: PublicComment }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const [asking, setAsking] = useState(false);
  const [ask, setAsk] = useState('');
  const id = useId();
  if (!canIssue(state, 'comment:stage')) return null;
  const onStage = room.stage?.commentId === comment.id;
  const departments = Object.values(room.participants).filter((p) => answersComments(p.role) && p.status === 'admitted');
  const stage = (): void => {
    setAsking(false);
    void client.act('comment:stage', ask === '' ? { commentId: comment.id } : { commentId: comment.id, askParticipantId: ask });
  };
  return (
    <>
      <button type="button" className="button small" data-testid="moderation-stage" aria-haspopup="dialog" aria-pressed={onStage} onClick={() => setAsking(true)}>
        {onStage ? t('comments.moderation.staged') : t('comments.moderation.stage')}
      </button>
      {asking && (
        <Dialog title={t('comments.moderation.stageTitle')} onCancel={() => setAsking(false)} initialFocus="first" data-testid="stage-dialog">
          <p className="comment-text quoted" dir="auto">
            {comment.text}
          </p>
          {departments.length > 0 && (
            <>
              <label htmlFor={`${id}-ask`}>{t('comments.moderation.stageAsk')}</label>
              <select id={`${id}-ask`} data-testid="stage-ask" value={ask} onChange={(e) => setAsk(e.target.value)}>
                <option value="">{t('comments.moderation.stageNobody')}</option>
                {departments.map((p) => (
                  <option key={p.id} value={p.id}>
                    {/* The department (its sector, e.g. 住建局) and who speaks for it. */}
                    {p.sector === '' ? p.name : `${p.sector} · ${p.name}`}
                  </option>
                ))}
              </select>
            </>
          )}
          <div className="dialog-actions">
            <button type="button" className="button" data-testid="stage-dialog-cancel" onClick={() => setAsking(false)}>
              {t('comments.moderation.cancel')}
            </button>
            <button type="button" className="button primary" data-testid="stage-dialog-confirm" onClick={stage}>
              {t('comments.moderation.stageConfirm')}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
