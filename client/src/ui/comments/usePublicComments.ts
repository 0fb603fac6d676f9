/**
 * The published comments of a room as a page holds them (the public's board, a department's
 * tab): the server's first page in the order shown, its further pages as the reader asks for
 * more, and the live changes folded in (`subscribe`), with the whole topic's counts. Without
 * live changes the first page is fetched again when the reader comes back to the page.
 *
 * Only while the comments are shown (`active`): a board on a tab not shown fetches nothing and
 * hears nothing, so a large audience watching the 直播 tab costs the server no comment traffic.
 * When the live changes start (again), the first page is fetched afresh: what changed while
 * they did not come is in it.
 *
 * The server sends 100 a page from a position in its order (?offset=). The first `listed` of
 * the order the pages came in are held exactly; what else is held came from the other order or
 * from live changes, so a list shown in an order is exact up to that order's `listed`.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommentsChanged } from '../../../../signaling/audience.js';
import type { CommentSort, PublicCommentsPage } from '../../../../signaling/comments/api.js';
import { fetchPublicComments } from '../../net/commentsApi.js';
import { applyChanges, withFetched } from './commentList.js';

/** What is held: the server's page (its comments grown by further pages) and this browser's upvotes. */
export type HeldComments = PublicCommentsPage & {
  upvotedSet: ReadonlySet<string>;
  /** The order the server's pages came in, and how many of that order they held: the next page's offset. */
  listedIn: CommentSort;
  listed: number;
};

/**
 * Registers a listener for `comments:changed`; answers its removal. `onFollowing`, if the source
 * calls it, says the changes come from now on (also after a dropped connection).
 */
export type SubscribeToComments = (listener: (change: CommentsChanged) => void, onFollowing?: () => void) => () => void;

export type PublicComments = {
  held: HeldComments | null;
  /** Why the first page did not come (null when it did, or while it is coming). */
  error: unknown;
  /** The first page again, in the order shown, standing for everything held before. */
  load: () => void;
  /** Changes what is held (an upvote's count, an answer, a comment just submitted). */
  update: (change: (held: HeldComments) => HeldComments) => void;
  /** Every published comment of the topic is held. */
  complete: boolean;
  /** How many of `order` are held exactly: its first ones, as the server ordered them. */
  exactIn: (order: CommentSort) => number;
  /**
   * Fetches the next page of `order` (its first, when the pages held came in the other order);
   * resolves whether it came (`onFailure` is told why not).
   */
  nextPage: (order: CommentSort, onFailure: (error: unknown) => void) => Promise<boolean>;
  /**
   * SteppedList's `more` for a list in `order` whose first `exact` are as the server has them: a
   * step past them fetches the next page first, unless every comment is held.
   */
  moreFor: (order: CommentSort, exact: number, onFailure: (error: unknown) => void) => (wanted: number) => Promise<boolean> | null;
};

/** What is held after a page of `order` from `offset`: a first page with `replace` stands for the whole list. */
function withPage(current: HeldComments | null, loaded: PublicCommentsPage, order: CommentSort, offset: number, replace: boolean): HeldComments {
  const base = replace || current === null ? null : current;
  const reached = offset + loaded.comments.length;
  const listed = base !== null && base.listedIn === order ? Math.max(base.listed, reached) : reached;
  return {
    ...loaded,
    comments: base === null ? loaded.comments : withFetched(base.comments, loaded.comments),
    // Upvotes given here that the server has not answered yet stay marked.
    upvotedSet: new Set([...(base?.upvotedSet ?? []), ...loaded.upvoted]),
    listedIn: order,
    listed,
  };
}

/** The published comments of `roomId`, read with `invite` (nothing while it is null), shown in `order` while `active`. */
export function usePublicComments(roomId: string, invite: string | null, order: CommentSort, subscribe?: SubscribeToComments, active = true): PublicComments {
  const [held, setHeld] = useState<HeldComments | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The refresh on coming back to the page reads the order chosen by then.
  const orderRef = useRef(order);
  orderRef.current = order;

  const load = useCallback(() => {
    if (invite === null) return;
    const first = orderRef.current;
    fetchPublicComments(roomId, invite, first).then(
      (loaded) => {
        setHeld((current) => withPage(current, loaded, first, 0, true));
        setError(null);
      },
      (failure: unknown) => {
        console.warn('loading the public comments failed', failure);
        setError(failure);
      },
    );
  }, [roomId, invite]);

  // The first page each time the comments are shown. NOTE: with live changes, only the first
  // time (and for another room or invite): later showings are brought up to date when the
  // changes start coming again (`onFollowing`), and show what is held meanwhile.
  const shownOnce = useRef<typeof load | null>(null);
  useEffect(() => {
    if (!active || (subscribe !== undefined && shownOnce.current === load)) return;
    shownOnce.current = load;
    load();
  }, [active, subscribe, load]);

  useEffect(() => {
    if (!active) return;
    if (subscribe !== undefined) {
      return subscribe((change) => {
        if (change.roomId !== roomId) return;
        setHeld((current) => (current === null ? current : { ...current, ...applyChanges(current, change.comments), counts: change.counts ?? current.counts }));
      }, load);
    }
    // No live changes: what others did meanwhile is fetched when the reader comes back to the page.
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') load();
    };
    window.addEventListener('focus', load);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('focus', load);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [active, subscribe, roomId, load]);

  const exactIn = (wanted: CommentSort): number => (held !== null && held.listedIn === wanted ? held.listed : 0);
  const complete = held !== null && held.comments.length >= held.counts.approved;
  const nextPage = async (wanted: CommentSort, onFailure: (error: unknown) => void): Promise<boolean> => {
    if (invite === null) return false;
    const offset = exactIn(wanted);
    try {
      const loaded = await fetchPublicComments(roomId, invite, wanted, offset);
      setHeld((current) => withPage(current, loaded, wanted, offset, false));
      return true;
    } catch (failure) {
      console.warn('loading more public comments failed', failure);
      onFailure(failure);
      return false;
    }
  };
  return {
    held,
    error,
    load,
    update: (change) => setHeld((current) => current && change(current)),
    complete,
    exactIn,
    nextPage,
    moreFor: (order, exact, onFailure) => (wanted) => (wanted > exact && !complete ? nextPage(order, onFailure) : null),
  };
}
