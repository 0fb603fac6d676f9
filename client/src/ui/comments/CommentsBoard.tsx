/**
 * The public side of comments (码上商量), made for a phone: the topic's background (the page
 * that composes the board shows the topic itself), the form,
 * and the approved comments sorted 最热 or 最新 with their departments' answers. This browser's
 * own comments that still await review are on top, marked 待审核 (the server shows them to this
 * browser only). Live updates come through `subscribe` when the page has a socket; without one
 * the board refreshes when the page is looked at again. A topic with more published comments than
 * the server sends at once (100) is read a page at a time as the reader asks for more
 * (usePublicComments.ts).
 */
import { useId, useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { CommentSort, PublicCommentsPage } from '../../../../signaling/comments/api.js';
import type { PublicComment } from '../../../../signaling/comments/model.js';
import { fetchApprovedCsv, upvoteComment } from '../../net/commentsApi.js';
import { formatDateTime } from '../format.js';
import { CommentForm } from './CommentForm.js';
import { CommentView } from './CommentView.js';
import { saveBlob } from '../saveBlob.js';
import { failureText } from './failure.js';
import { sortComments } from './commentList.js';
import { SortChoice } from './SortChoice.js';
import { SteppedList } from './SteppedList.js';
import { usePublicComments, type SubscribeToComments } from './usePublicComments.js';

/** What the board needs: the room, the invite of its public link, and optionally live updates. */
export type CommentsBoardProps = {
  roomId: string;
  invite: string;
  /** Registers a listener for `comments:changed`; answers its removal. */
  subscribe?: SubscribeToComments;
  /** The board is shown (default): it reads and follows the comments only then. */
  active?: boolean;
};

/** The public comments board. */
export function CommentsBoard({ roomId, invite, subscribe, active = true }: CommentsBoardProps) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<CommentSort>('hot');
  const [notice, setNotice] = useState<string | null>(null);
  const titleId = useId();
  const { held: page, error: loadError, load, update, complete, exactIn, nextPage, moreFor } = usePublicComments(roomId, invite, sort, subscribe, active);
  const moreFailed = (error: unknown): void => setNotice(t('comments.moreFailed', { reason: failureText(t, error) }));

  if (page === null) {
    return (
      <section className="comments-board" aria-label={t('comments.title')} data-testid="comments-board">
        {loadError === null ? (
          <p className="muted-text">{t('comments.loading')}</p>
        ) : (
          <div role="alert" className="alert">
            <span>{t('comments.failed', { reason: failureText(t, loadError) })}</span>
            <button type="button" className="button small" onClick={load}>
              {t('comments.retry')}
            </button>
          </div>
        )}
      </section>
    );
  }

  const upvote = (comment: PublicComment): void => {
    if (page.upvotedSet.has(comment.id)) return;
    // Shown as used at once; the server is the judge and its count replaces ours.
    update((p) => ({ ...p, upvotedSet: new Set([...p.upvotedSet, comment.id]) }));
    upvoteComment(roomId, comment.id, invite).then(
      ({ commentId, upvotes }) => update((p) => ({ ...p, comments: p.comments.map((c) => (c.id === commentId ? { ...c, upvotes } : c)) })),
      (error: unknown) => {
        // Not counted (a repeat is no error: the server answers it with the same count).
        console.warn('upvote failed', error);
        update((p) => ({ ...p, upvotedSet: new Set([...p.upvotedSet].filter((id) => id !== comment.id)) }));
        setNotice(t('comments.upvoteFailed', { reason: failureText(t, error) }));
      },
    );
  };

  const download = (): void => {
    fetchApprovedCsv(roomId, invite).then(
      (file) => saveBlob(file.blob, file.fileName),
      (error: unknown) => {
        console.warn('downloading the approved comments failed', error);
        setNotice(t('comments.downloadFailed', { reason: failureText(t, error) }));
      },
    );
  };

  const comments = sortComments(page.comments, sort);
  // The whole topic's counts, from the server and its live changes: the list may hold only part.
  const { approved, answered } = page.counts;
  /** 最热 and 最新 hold different firsts of a large topic: the other order's first page is fetched. */
  const chooseSort = (next: CommentSort): void => {
    setSort(next);
    if (!complete && page.listedIn !== next) void nextPage(next, moreFailed);
  };
  // Exact in the order shown up to what its pages held: a step past it fetches the next page first.
  const more = moreFor(sort, exactIn(sort), moreFailed);
  return (
    <section className="comments-board" aria-labelledby={titleId} data-testid="comments-board">
      <h2 id={titleId}>{t('comments.title')}</h2>
      {page.settings.background !== '' && <Background text={page.settings.background} />}
      <OpenState page={page} />
      {page.open && (
        <CommentForm
          roomId={roomId}
          invite={invite}
          onSubmitted={(comment) =>
            update((p) =>
              comment.status === 'approved'
                ? { ...p, comments: [comment, ...p.comments], counts: { ...p.counts, approved: p.counts.approved + 1 } }
                : { ...p, mine: [comment, ...p.mine] },
            )
          }
        />
      )}
      {page.mine.length > 0 && (
        <ul className="comment-list mine" aria-label={t('comments.pending')} data-testid="comments-mine">
          {page.mine.map((comment) => (
            <li key={comment.id} className="comment-card pending" data-testid="comment-mine" data-comment-id={comment.id}>
              <CommentView
                comment={comment}
                marker={
                  <span className="chip pending-mark" data-testid="comment-pending" title={t('comments.pendingHint')}>
                    {t('comments.pending')}
                  </span>
                }
              />
            </li>
          ))}
        </ul>
      )}
      <div className="comments-toolbar">
        <p className="muted-text" data-testid="comments-counts">
          {t('comments.counts', { approved, answered })}
        </p>
        <SortChoice sort={sort} onSort={chooseSort} />
      </div>
      {notice !== null && (
        <p role="status" className="field-hint" data-testid="comments-notice">
          {notice}
        </p>
      )}
      {comments.length === 0 ? (
        <p className="muted-text">{t('comments.empty')}</p>
      ) : (
        <SteppedList items={comments} total={approved} more={more} className="comment-list" testId="comments-approved">
          {(comment) => {
            const used = page.upvotedSet.has(comment.id);
            return (
              <li key={comment.id} className="comment-card" data-testid="comment" data-comment-id={comment.id}>
                <CommentView comment={comment}>
                  <button
                    type="button"
                    className={`button small upvote${used ? ' used' : ''}`}
                    aria-pressed={used}
                    // Upvotes are taken while comments are open, as comments are.
                    disabled={used || !page.open}
                    data-testid="comment-upvote"
                    onClick={() => upvote(comment)}
                  >
                    {used ? t('comments.upvoted', { count: comment.upvotes }) : t('comments.upvoteCount', { count: comment.upvotes })}
                  </button>
                </CommentView>
              </li>
            );
          }}
        </SteppedList>
      )}
      {page.comments.length > 0 && (
        <button type="button" className="button ghost small" data-testid="comments-download" onClick={download}>
          {t('comments.downloadApproved')}
        </button>
      )}
    </section>
  );
}

/** Background text, folded when long so that the form is within a thumb's reach on a phone. */
function Background({ text }: { text: string }) {
  const { t } = useTranslation();
  const long = [...text].length > 160 || text.split('\n').length > 4;
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <section className="comments-background" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('comments.background')}</h3>
      <p id={`${id}-text`} className={`comment-text${long && !open ? ' folded' : ''}`} dir="auto" data-testid="comments-background">
        {text}
      </p>
      {long && (
        <button type="button" className="button ghost small" aria-expanded={open} aria-controls={`${id}-text`} onClick={() => setOpen(!open)}>
          {open ? t('comments.showLess') : t('comments.showMore')}
        </button>
      )}
    </section>
  );
}

/** Whether comments are accepted: until when, from when, or since when no longer. */
function OpenState({ page }: { page: PublicCommentsPage }) {
  const { t } = useTranslation();
  const { opensAt, closesAt } = page.settings;
  const now = Date.now();
  const text = page.open
    ? closesAt === null
      ? t('comments.state.open')
      : t('comments.state.openUntil', { time: formatDateTime(closesAt) })
    : opensAt !== null && now < opensAt
      ? t('comments.state.opensAt', { time: formatDateTime(opensAt) })
      : closesAt !== null && now >= closesAt
        ? t('comments.state.closedAt', { time: formatDateTime(closesAt) })
        : t('comments.state.closed');
  return (
    <p className={page.open ? 'comments-state open' : 'comments-state notice'} data-testid="comments-state" data-open={page.open}>
      {text}
    </p>
  );
}
