/** 最热 | 最新: how a list of published comments is ordered (commentList.ts, sortComments). */
import { useTranslation } from '../../i18n/useTranslation.js';
import type { CommentSort } from '../../../../signaling/comments/api.js';

export function SortChoice({ sort, onSort }: { sort: CommentSort; onSort: (sort: CommentSort) => void }) {
  const { t } = useTranslation();
  return (
    <div role="group" aria-label={t('comments.sort.label')} className="segmented">
      {(['hot', 'new'] as const).map((s) => (
        <button key={s} type="button" className={`button small${sort === s ? ' primary' : ''}`} aria-pressed={sort === s} data-testid={`comments-sort-${s}`} onClick={() => onSort(s)}>
          {t(`comments.sort.${s}`)}
        </button>
      ))}
    </div>
  );
}
