/**
 * 群众留言 in the minutes panel: what the exports' section says — the counts (at the end of
 * the meeting, or at the lock), the themes, and every comment put on the stage with the
 * department asked and its answer — so the secretary sees it before locking.
 */
import { useTranslation } from '../../i18n/useTranslation.js';
import type { CommentsSection } from '../../../../signaling/record/types.js';

/** Nothing for a meeting that knew no comments (the record has no section either). */
export function CommentRecords({ section }: { section: CommentsSection | undefined }) {
  const { t } = useTranslation();
  if (!section) return null;
  const { counts } = section;
  const nothing = counts !== null && counts.received === 0 && section.staged.length === 0;
  return (
    <section className="minutes-block" aria-labelledby="minutes-comments-heading" data-testid="minutes-comments">
      <h3 id="minutes-comments-heading" className="panel-heading">
        {t('minutes.comments.heading')}
      </h3>
      {counts === null ? (
        <p className="field-hint">{t('minutes.comments.notYet')}</p>
      ) : nothing ? (
        <p data-testid="minutes-comments-none">{t('minutes.comments.none')}</p>
      ) : (
        <p data-testid="minutes-comments-counts">
          {t(section.countedAt === 'lock' ? 'minutes.comments.countsAtLock' : 'minutes.comments.countsAtEnd', counts)}
        </p>
      )}
      {section.byTheme.length > 0 && (
        <div className="chips">
          {section.byTheme.map((theme) => (
            <span key={theme.theme} className="chip">
              {t('minutes.comments.theme', { theme: theme.theme, count: theme.count })}
            </span>
          ))}
        </div>
      )}
      {!nothing && (
        <>
          <p className="minutes-item-title">{t('minutes.comments.staged')}</p>
          {section.staged.length === 0 ? (
            <p className="field-hint">{t('minutes.comments.noneStaged')}</p>
          ) : (
            <ol className="minutes-list">
              {section.staged.map((st, i) =>
                st.withdrawn ? (
                  <li key={i} data-testid="minutes-comment-staged" className="field-hint">
                    {t('minutes.comments.withdrawn')}
                  </li>
                ) : (
                <li key={i} data-testid="minutes-comment-staged">
                  <p className="stage-comment-author">{st.place === '' ? st.name : `${st.name} · ${st.place}`}</p>
                  <p className="minutes-comment-text">{st.text}</p>
                  {st.askedDepartment !== null && <p className="muted-text">{t('minutes.comments.asked', { department: st.askedDepartment })}</p>}
                  <p className={st.answer === null ? 'field-hint' : ''}>
                    {st.answer === null ? t('minutes.comments.noAnswer') : t('minutes.comments.answer', { department: st.answer.department, text: st.answer.text })}
                  </p>
                </li>
                ),
              )}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
