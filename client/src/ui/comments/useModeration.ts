/**
 * The staff's view of the room's comments, kept fresh: fetched once, then the queue again
 * whenever the server says it changed (a burst of news costs one fetch in flight and at most
 * one after it, not one per event); changes of published comments are folded in as they come.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ModerationPage } from '../../../../signaling/comments/api.js';
import type { StaffComment } from '../../../../signaling/comments/model.js';
import { fetchModeration } from '../../net/commentsApi.js';
import { useRoomClient } from '../context.js';

/**
 * The moderation page, the last failure, and ways to bring it up to date: fetch it all again,
 * fetch the queue alone, or put in a comment as the server answered a moderation of it.
 */
export type Moderation = { page: ModerationPage | null; error: unknown; reload: () => void; reloadQueue: () => void; patch: (comment: StaffComment) => void };

/** What a fetch brings: every list, or only the queue (what the server's news of it changed). */
type Scope = 'all' | 'queue';

/** The page with its queue replaced by `queue`'s (the other lists stay as they were). */
function withQueue(current: ModerationPage, queue: ModerationPage): ModerationPage {
  const pending = queue.comments.filter((c) => c.status === 'pending');
  return { ...queue, comments: [...pending, ...current.comments.filter((c) => c.status !== 'pending')] };
}

/**
 * Loads the moderation page of `roomId` with `invite`, while `enabled`. The server's news of
 * the queue fetches the queue alone: in a flood of comments it comes twice a second, and the
 * whole page holds up to 500 comments of each status. A moderation of the staff's own puts the
 * comment in from the server's answer (patch) and fetches the queue again; the whole page is
 * fetched after a merge (two comments change) and with 刷新. A comment another moderator
 * rejected or merged leaves the queue at once and joins its list at the next whole fetch.
 */
export function useModeration(roomId: string, invite: string | null, enabled: boolean): Moderation {
  const client = useRoomClient();
  const [page, setPage] = useState<ModerationPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const inFlight = useRef(false);
  // What to fetch once the fetch in flight is done: the widest asked for meanwhile.
  const again = useRef<Scope | null>(null);
  const alive = useRef(true);
  const loaded = useRef(false);

  const fetchScope = useCallback(
    (asked: Scope) => {
      if (invite === null || !enabled) return;
      if (inFlight.current) {
        if (again.current !== 'all') again.current = asked;
        return;
      }
      // Only the queue is fetched into a page already there.
      const scope: Scope = loaded.current ? asked : 'all';
      inFlight.current = true;
      fetchModeration(roomId, invite, scope === 'queue' ? 'pending' : undefined)
        .then(
          (answer) => {
            if (!alive.current) return;
            loaded.current = true;
            setPage((current) => (scope === 'queue' && current !== null ? withQueue(current, answer) : answer));
            setError(null);
          },
          (failure: unknown) => {
            console.warn('loading the moderation queue failed', failure);
            if (alive.current) setError(failure);
          },
        )
        .finally(() => {
          inFlight.current = false;
          const next = again.current;
          again.current = null;
          if (next !== null && alive.current) fetchScope(next);
        });
    },
    [roomId, invite, enabled],
  );
  const reload = useCallback(() => fetchScope('all'), [fetchScope]);
  const reloadQueue = useCallback(() => fetchScope('queue'), [fetchScope]);
  const patch = useCallback((comment: StaffComment) => {
    setPage((current) => {
      if (current === null) return current;
      const known = current.comments.some((c) => c.id === comment.id);
      return { ...current, comments: known ? current.comments.map((c) => (c.id === comment.id ? comment : c)) : [...current.comments, comment] };
    });
  }, []);

  useEffect(() => {
    alive.current = true;
    loaded.current = false;
    reload();
    const off = client.onComments({
      pending: (news) => news.roomId === roomId && fetchScope('queue'),
      // Upvotes and answers come as often as twice a second in a busy consultation: they are
      // folded into the list here instead of fetching it all again (the staff's fields stay).
      changed: (news) => {
        if (news.roomId !== roomId) return;
        const byId = new Map(news.comments.map((c) => [c.id, c]));
        setPage((current) => current && { ...current, comments: current.comments.map((c) => ({ ...c, ...byId.get(c.id) })) });
      },
      // Back after a dropped connection: what was moderated or sent meanwhile came as no news.
      resumed: reload,
    });
    return () => {
      alive.current = false;
      off();
    };
  }, [client, roomId, reload, fetchScope]);

  return { page, error, reload, reloadQueue, patch };
}

/**
 * How many comments await review, for the tab's badge: fetched once and then taken from each
 * `comments:pending` the server sends the staff.
 */
export function usePendingCount(roomId: string, invite: string | null, enabled: boolean): number {
  const client = useRoomClient();
  const [pending, setPending] = useState(0);
  useEffect(() => {
    if (!enabled || invite === null) return;
    let alive = true;
    // News that arrives before an answer is newer than it.
    let heard = false;
    const count = (): void => {
      heard = false;
      fetchModeration(roomId, invite, 'pending').then(
        (loaded) => alive && !heard && setPending(loaded.counts.pending),
        (failure: unknown) => console.warn('counting the comments awaiting review failed', failure),
      );
    };
    count();
    const off = client.onComments({
      pending: (news) => {
        if (news.roomId !== roomId) return;
        heard = true;
        setPending(news.pending);
      },
      // Back after a dropped connection: the news of the count meanwhile did not come.
      resumed: count,
    });
    return () => {
      alive = false;
      off();
    };
  }, [client, roomId, invite, enabled]);
  return enabled ? pending : 0;
}
