/**
 * The staff's view of the room's comments, kept fresh: fetched once, then again whenever the
 * server says the queue changed (a burst of news costs one fetch in flight and at most one
 * after it, not one per event); changes of published comments are folded in as they come.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ModerationPage } from '../../../../signaling/comments/api.js';
import { fetchModeration } from '../../net/commentsApi.js';
import { useRoomClient } from '../context.js';

/** The moderation page, the last failure, and a way to fetch again now. */
export type Moderation = { page: ModerationPage | null; error: unknown; reload: () => void };

/** Loads the moderation page of `roomId` with `invite`, while `enabled`. */
export function useModeration(roomId: string, invite: string | null, enabled: boolean): Moderation {
  const client = useRoomClient();
  const [page, setPage] = useState<ModerationPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const inFlight = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);

  const reload = useCallback(() => {
    if (invite === null || !enabled) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    fetchModeration(roomId, invite)
      .then(
        (loaded) => {
          if (!alive.current) return;
          setPage(loaded);
          setError(null);
        },
        (failure: unknown) => {
          console.warn('loading the moderation queue failed', failure);
          if (alive.current) setError(failure);
        },
      )
      .finally(() => {
        inFlight.current = false;
        if (again.current && alive.current) {
          again.current = false;
          reload();
        }
      });
  }, [roomId, invite, enabled]);

  useEffect(() => {
    alive.current = true;
    reload();
    const off = client.onComments({
      pending: (news) => news.roomId === roomId && reload(),
      // Upvotes and answers come as often as twice a second in a busy consultation: they are
      // folded into the list here instead of fetching it all again (the staff's fields stay).
      changed: (news) => {
        if (news.roomId !== roomId) return;
        const byId = new Map(news.comments.map((c) => [c.id, c]));
        setPage((current) => current && { ...current, comments: current.comments.map((c) => ({ ...c, ...byId.get(c.id) })) });
      },
    });
    return () => {
      alive.current = false;
      off();
    };
  }, [client, roomId, reload]);

  return { page, error, reload };
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
    // News that arrives before the first answer is newer than it.
    let heard = false;
    fetchModeration(roomId, invite, 'pending').then(
      (loaded) => alive && !heard && setPending(loaded.counts.pending),
      (failure: unknown) => console.warn('counting the comments awaiting review failed', failure),
    );
    const off = client.onComments({
      pending: (news) => {
        if (news.roomId !== roomId) return;
        heard = true;
        setPending(news.pending);
      },
    });
    return () => {
      alive = false;
      off();
    };
  }, [client, roomId, invite, enabled]);
  return enabled ? pending : 0;
}
