/** The two moderation questions that need a choice: why a comment is rejected, and which comment a duplicate joins. */
import { useId, useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { REJECT_REASONS, type RejectReason, type StaffComment } from '../../../../signaling/comments/model.js';
import { Dialog } from '../Dialog.js';
import { matchesQuery } from './commentList.js';

/** 不予公开: one of 离题 / 不文明 / 含个人信息 / 重复, none chosen until the moderator picks one. */
export function RejectDialog({ onReject, onCancel }: { onReject: (reason: RejectReason) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<RejectReason | null>(null);
  return (
    <Dialog title={t('comments.moderation.rejectTitle')} onCancel={onCancel} initialFocus="first" data-testid="reject-dialog">
      <fieldset className="reasons">
        <legend className="visually-hidden">{t('comments.moderation.rejectTitle')}</legend>
        {REJECT_REASONS.map((r) => (
          <label key={r} className="ballot-option">
            <input type="radio" name="reject-reason" value={r} checked={reason === r} data-testid={`reject-reason-${r}`} onChange={() => setReason(r)} />
            {t(`comments.moderation.rejectReason.${r}`)}
          </label>
        ))}
      </fieldset>
      <div className="dialog-actions">
        <button type="button" className="button" data-testid="reject-dialog-cancel" onClick={onCancel}>
          {t('comments.moderation.cancel')}
        </button>
        <button type="button" className="button danger" data-testid="reject-dialog-confirm" disabled={reason === null} onClick={() => reason !== null && onReject(reason)}>
          {t('comments.moderation.reject')}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * 合并: the duplicate's text, and a list of the comments it may join (published or awaiting
 * review), narrowed by what the moderator types (a large topic has hundreds).
 */
export function MergeDialog({ comment, targets, onMerge, onCancel }: { comment: StaffComment; targets: StaffComment[]; onMerge: (into: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState(targets[0]?.id ?? '');
  const shown = targets.filter((target) => matchesQuery(target, query));
  // What is merged into is always one the list shows: the first found when the choice is filtered out.
  const into = shown.some((target) => target.id === chosen) ? chosen : (shown[0]?.id ?? '');
  return (
    <Dialog title={t('comments.moderation.mergeTitle')} onCancel={onCancel} initialFocus="first" data-testid="merge-dialog">
      <p className="comment-text quoted" dir="auto">
        {comment.text}
      </p>
      {targets.length === 0 ? (
        <p className="field-hint">{t('comments.moderation.mergeNone')}</p>
      ) : (
        <>
          <label htmlFor={`${id}-filter`}>{t('comments.moderation.mergeFilter')}</label>
          <input id={`${id}-filter`} type="search" value={query} placeholder={t('comments.moderation.searchHint')} data-testid="merge-filter" onChange={(e) => setQuery(e.target.value)} />
          <label htmlFor={`${id}-into`}>{t('comments.moderation.mergeInto')}</label>
          <select id={`${id}-into`} data-testid="merge-into" value={into} onChange={(e) => setChosen(e.target.value)}>
            {shown.map((target) => (
              <option key={target.id} value={target.id}>
                {/* An <option> holds text only: the name and the start of the comment. */}
                {`${target.name}：${[...target.text].slice(0, 40).join('')}`}
              </option>
            ))}
          </select>
          {shown.length === 0 && (
            <p className="field-hint" role="status">
              {t('comments.moderation.found', { count: 0 })}
            </p>
          )}
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" data-testid="merge-dialog-cancel" onClick={onCancel}>
          {t('comments.moderation.cancel')}
        </button>
        <button type="button" className="button primary" data-testid="merge-dialog-confirm" disabled={into === ''} onClick={() => onMerge(into)}>
          {t('comments.moderation.merge')}
        </button>
      </div>
    </Dialog>
  );
}
