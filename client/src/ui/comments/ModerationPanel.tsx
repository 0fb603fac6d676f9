/**
 * The 留言 tab for the staff (chair, secretary): the comments awaiting review first, each to
 * approve, reject with a reason, merge into another or tag with the organiser's themes, with
 * the words that held it; then the published, rejected and merged ones, the counts, and every
 * comment as CSV. The chair puts a published comment on the meeting's stage from here.
 * The server decides who may do each of these; this panel only shows the staff's controls.
 */
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { CommentSort, ModerateComment } from '../../../../signaling/comments/api.js';
import type { CommentStatus, StaffComment } from '../../../../signaling/comments/model.js';
import type { RoomState } from '../../../../signaling/room/state.js';
import { fetchExportCsv, moderateComment } from '../../net/commentsApi.js';
import { useRoomState } from '../context.js';
import { CommentView } from './CommentView.js';
import { saveBlob } from '../saveBlob.js';
import { failureText } from './failure.js';
import { MergeDialog, RejectDialog } from './ModerationDialogs.js';
import { matchesQuery, sortComments } from './commentList.js';
import { SortChoice } from './SortChoice.js';
import { StageButton } from './StageButton.js';
import { COMMENTS_PER_STEP, SteppedList } from './SteppedList.js';
import { useModeration } from './useModeration.js';

type Asking = { kind: 'reject' | 'merge'; comment: StaffComment } | null;

/** The staff's comments tab. */
export function ModerationPanel({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const { invite } = useRoomState();
  const token = invite.kind === 'none' ? null : invite.token;
  const { page, error, reload, reloadQueue, patch } = useModeration(room.id, token, true);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking>(null);
  // The chair looks for what to put on stage: the most upvoted, or the latest.
  const [publishedSort, setPublishedSort] = useState<CommentSort>('new');
  // Hundreds of comments in a large consultation: the chair finds one by a word of it (the box
  // is shown once there are more than one step of them).
  const [query, setQuery] = useState('');
  const searchId = useId();

  if (token === null) return null;
  if (page === null) {
    return (
      <div className="panel-section comments-moderation" data-testid="comments-moderation">
        {error === null ? (
          <p className="muted-text">{t('comments.loading')}</p>
        ) : (
          <div role="alert" className="alert">
            <span>{t('comments.failed', { reason: failureText(t, error) })}</span>
            <button type="button" className="button small" onClick={reload}>
              {t('comments.retry')}
            </button>
          </div>
        )}
      </div>
    );
  }

  const moderate = (comment: StaffComment, action: ModerateComment, done: string): void => {
    setBusy(comment.id);
    setNotice(null);
    moderateComment(room.id, comment.id, token, action).then(
      (moderated) => {
        setBusy(null);
        setNotice(done);
        // The server's answer is the comment as it now is: put in its list here, and only the
        // queue fetched again (the whole page holds up to 500 comments of each status). A merge
        // also changed the comment merged into: everything is fetched again.
        patch(moderated);
        if (action.action === 'merge') reload();
        else reloadQueue();
      },
      (failure: unknown) => {
        console.warn(`moderating a comment (${action.action}) failed`, failure);
        setBusy(null);
        setNotice(t('comments.moderation.failed', { reason: failureText(t, failure) }));
        reload();
      },
    );
  };

  const download = (): void => {
    fetchExportCsv(room.id, token).then(
      (file) => saveBlob(file.blob, file.fileName),
      (failure: unknown) => {
        console.warn('downloading every comment failed', failure);
        setNotice(t('comments.downloadFailed', { reason: failureText(t, failure) }));
      },
    );
  };

  const { comments, counts, settings } = page;
  const found = query.trim() === '' ? comments : comments.filter((c) => matchesQuery(c, query));
  const byStatus = (status: CommentStatus): StaffComment[] => found.filter((c) => c.status === status);
  // The queue in arrival order: the oldest has waited longest.
  const pending = byStatus('pending').sort((a, b) => a.createdAt - b.createdAt);
  const newestFirst = (list: StaffComment[]): StaffComment[] => list.sort((a, b) => b.createdAt - a.createdAt);
  const names = new Map(comments.map((c) => [c.id, c.name]));
  const nameOf = (id: string | null): string => (id === null ? '' : (names.get(id) ?? id));

  const themeChips = (comment: StaffComment): ReactNode =>
    settings.themes.length === 0 ? null : (
      <div role="group" className="chips theme-picker" aria-label={t('comments.moderation.themes')}>
        {settings.themes.map((theme) => {
          const on = comment.themes.includes(theme);
          const themes = on ? comment.themes.filter((x) => x !== theme) : [...comment.themes, theme];
          return (
            <button
              key={theme}
              type="button"
              className={`chip theme${on ? ' on' : ''}`}
              aria-pressed={on}
              disabled={busy === comment.id}
              data-testid="moderation-theme"
              onClick={() => moderate(comment, { action: 'tag', themes }, t('comments.moderation.themesSaved'))}
            >
              <bdi dir="auto">{theme}</bdi>
            </button>
          );
        })}
      </div>
    );

  return (
    <div className="panel-section comments-moderation" data-testid="comments-moderation">
      <p className="muted-text" data-testid="moderation-counts">
        {t('comments.moderation.counts', counts)}
      </p>
      <div className="row-actions">
        <button type="button" className="button small" data-testid="moderation-export" onClick={download}>
          {t('comments.moderation.exportCsv')}
        </button>
        <button type="button" className="button ghost small" onClick={reload}>
          {t('comments.moderation.refresh')}
        </button>
      </div>
      <p role="status" className="field-hint" data-testid="moderation-notice">
        {notice ?? ''}
      </p>
      {(comments.length > COMMENTS_PER_STEP || query !== '') && (
        <div className="field comments-search">
          <label htmlFor={searchId}>{t('comments.moderation.search')}</label>
          <input
            id={searchId}
            type="search"
            value={query}
            placeholder={t('comments.moderation.searchHint')}
            data-testid="moderation-search"
            onChange={(e) => setQuery(e.target.value)}
          />
          {query.trim() !== '' && (
            <span className="muted-text" role="status" data-testid="moderation-found">
              {t('comments.moderation.found', { count: found.length })}
            </span>
          )}
        </div>
      )}

      <h3 className="panel-heading">
        {t('comments.moderation.pending')} <span className="tab-badge" data-testid="moderation-pending-count">{counts.pending}</span>
      </h3>
      {pending.length === 0 ? (
        <p className="field-hint">{t('comments.moderation.nonePending')}</p>
      ) : (
        <SteppedList items={pending} className="comment-list" testId="moderation-pending">
          {(comment) => (
            <li key={comment.id} className="comment-card pending" data-testid="moderation-comment" data-comment-id={comment.id} data-status={comment.status}>
              <CommentView comment={comment}>
                {comment.heldFor.length > 0 && (
                  <p className="held-for" data-testid="moderation-held">
                    {t('comments.moderation.heldFor', { words: comment.heldFor.join('、') })}
                  </p>
                )}
                {themeChips(comment)}
                <div className="row-actions">
                  <button
                    type="button"
                    className="button primary small"
                    data-testid="moderation-approve"
                    disabled={busy === comment.id}
                    onClick={() => moderate(comment, { action: 'approve' }, t('comments.moderation.done'))}
                  >
                    {t('comments.moderation.approve')}
                  </button>
                  <button type="button" className="button small" data-testid="moderation-reject" disabled={busy === comment.id} aria-haspopup="dialog" onClick={() => setAsking({ kind: 'reject', comment })}>
                    {t('comments.moderation.reject')}
                  </button>
                  <button type="button" className="button ghost small" data-testid="moderation-merge" disabled={busy === comment.id} aria-haspopup="dialog" onClick={() => setAsking({ kind: 'merge', comment })}>
                    {t('comments.moderation.merge')}
                  </button>
                </div>
              </CommentView>
            </li>
          )}
        </SteppedList>
      )}

      <Section title={t('comments.moderation.approved')} count={counts.approved} testId="moderation-approved"
        items={sortComments(byStatus('approved'), publishedSort)}
        tools={<SortChoice sort={publishedSort} onSort={setPublishedSort} />}
        open
      >
        {(comment) => (
          <li key={comment.id} className="comment-card" data-testid="moderation-comment" data-comment-id={comment.id} data-status={comment.status}>
            <CommentView comment={comment}>
              <span className="muted-text">{t('comments.upvoteCount', { count: comment.upvotes })}</span>
              {themeChips(comment)}
              <div className="row-actions">
                <StageButton room={room} comment={comment} />
                {/* Published and then found to hold personal data, say: taken down with a reason. */}
                <button type="button" className="button ghost small" data-testid="moderation-reject" disabled={busy === comment.id} aria-haspopup="dialog" onClick={() => setAsking({ kind: 'reject', comment })}>
                  {t('comments.moderation.reject')}
                </button>
              </div>
            </CommentView>
          </li>
        )}
      </Section>
      <Section title={t('comments.moderation.rejected')} count={counts.rejected} testId="moderation-rejected" items={newestFirst(byStatus('rejected'))}>
        {(comment) => (
          <li key={comment.id} className="comment-card rejected" data-testid="moderation-comment" data-comment-id={comment.id} data-status={comment.status}>
            <CommentView comment={comment}>
              {comment.rejectReason !== null && (
                <span className="chip">{t('comments.moderation.rejectedFor', { reason: t(`comments.moderation.rejectReason.${comment.rejectReason}`) })}</span>
              )}
              {/* A rejection made by mistake is undone by approving the comment after all. */}
              <button
                type="button"
                className="button small"
                data-testid="moderation-approve"
                disabled={busy === comment.id}
                onClick={() => moderate(comment, { action: 'approve' }, t('comments.moderation.done'))}
              >
                {t('comments.moderation.approve')}
              </button>
            </CommentView>
          </li>
        )}
      </Section>
      <Section title={t('comments.moderation.merged')} count={counts.merged} testId="moderation-merged" items={newestFirst(byStatus('merged'))}>
        {(comment) => (
          <li key={comment.id} className="comment-card merged" data-testid="moderation-comment" data-comment-id={comment.id} data-status={comment.status}>
            <CommentView comment={comment}>
              <span className="muted-text">
                <bdi dir="auto">{t('comments.moderation.mergedInto', { name: nameOf(comment.mergedInto) })}</bdi>
              </span>
            </CommentView>
          </li>
        )}
      </Section>

      {asking?.kind === 'reject' && (
        <RejectDialog
          onCancel={() => setAsking(null)}
          onReject={(reason) => {
            setAsking(null);
            moderate(asking.comment, { action: 'reject', reason }, t('comments.moderation.done'));
          }}
        />
      )}
      {asking?.kind === 'merge' && (
        <MergeDialog
          comment={asking.comment}
          targets={comments.filter((c) => c.id !== asking.comment.id && (c.status === 'approved' || c.status === 'pending'))}
          onCancel={() => setAsking(null)}
          onMerge={(into) => {
            setAsking(null);
            moderate(asking.comment, { action: 'merge', into }, t('comments.moderation.done'));
          }}
        />
      )}
    </div>
  );
}

/** A list that folds away (the rejected and merged ones are rarely looked at), shown a step at a time. */
function Section({
  title,
  count,
  testId,
  items,
  tools,
  open = false,
  children,
}: {
  title: string;
  count: number;
  testId: string;
  items: readonly StaffComment[];
  /** Controls shown above the list (its order). */
  tools?: ReactNode;
  open?: boolean;
  children: (comment: StaffComment) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <details className="comments-section" open={open} data-testid={testId}>
      <summary className="panel-heading">
        {title} <span className="muted-text">({count})</span>
      </summary>
      {items.length > 0 && tools}
      {items.length === 0 ? (
        <p className="field-hint">{t('comments.moderation.none')}</p>
      ) : (
        <SteppedList items={items} className="comment-list">
          {children}
        </SteppedList>
      )}
    </details>
  );
}
