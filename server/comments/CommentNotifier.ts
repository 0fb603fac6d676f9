/**
 * Tells the live pages of every process what changed in a room's comments:
 * - `comments:changed` to the meeting pages that show the comments (channels.ts,
 *   commentsChannel: the staff's and departments', through Socket.IO and its Redis adapter), and
 *   to the public viewers whose page shows them now (AudienceComments; not those watching the
 *   直播 tab): the changed comments the public may see
 *   (approved ones, and ones that were public and no longer are, so pages drop them), with the
 *   room's published and answered counts read as it is sent (a page holds only part of a large
 *   topic's comments, so it cannot count them itself);
 * - `comments:pending` to the staff: how many wait for moderation.
 * Bursts are coalesced per room: at most one of each per THROTTLE_MS, carrying the latest state
 * of every comment that changed since the last one, so 500 upvotes a second are two messages a
 * second, not 500. The first change after a quiet spell goes out at once.
 */
import type { CommentsChanged } from '../../signaling/audience.js';
import type { CommentCounts, PublicComment } from '../../signaling/comments/model.js';
import type { Logger } from '../log.js';
import { commentsChannel, staffChannel, type AppServer } from '../sockets/channels.js';
import { publicOf } from './rules.js';

export const THROTTLE_MS = 500;

/** A room's news not yet sent; `flushing` counts the messages still reading their counts. */
type Pending = { changed: Map<string, PublicComment>; pendingCount: boolean; timer: NodeJS.Timeout | null; lastSent: number; flushing: number };

/** What the notifier needs to send and to read the counts when it sends them. */
export type CommentNotifierDeps = {
  io: Pick<AppServer, 'to'>;
  /** The public viewers that follow the comments, on every process (AudienceComments). */
  viewers: { changed(news: CommentsChanged): void };
  counts: (roomId: string) => Promise<CommentCounts>;
  logger: Logger;
  throttleMs?: number;
  now?: () => number;
};

export class CommentNotifier {
  readonly #deps: CommentNotifierDeps;
  readonly #rooms = new Map<string, Pending>();
  readonly #throttleMs: number;
  readonly #now: () => number;
  #closed = false;

  constructor(deps: CommentNotifierDeps) {
    this.#deps = deps;
    this.#throttleMs = deps.throttleMs ?? THROTTLE_MS;
    this.#now = deps.now ?? Date.now;
  }

  /**
   * Comments changed. Only those the public may see go out: approved ones, and `wasPublic` ones
   * (approved before this change) whatever they are now, so a page removes a comment taken down.
   */
  changed(roomId: string, comments: ReadonlyArray<PublicComment & { wasPublic?: boolean }>): void {
    const visible = comments.filter((c) => c.status === 'approved' || c.wasPublic === true);
    if (visible.length === 0) return;
    const room = this.#room(roomId);
    for (const c of visible) room.changed.set(c.id, publicOf(c));
    this.#schedule(roomId, room);
  }

  /** The number of comments awaiting moderation may have changed. */
  pending(roomId: string): void {
    const room = this.#room(roomId);
    room.pendingCount = true;
    this.#schedule(roomId, room);
  }

  close(): void {
    this.#closed = true;
    for (const room of this.#rooms.values()) if (room.timer) clearTimeout(room.timer);
    this.#rooms.clear();
  }

  #room(roomId: string): Pending {
    let room = this.#rooms.get(roomId);
    if (!room) {
      room = { changed: new Map(), pendingCount: false, timer: null, lastSent: -Infinity, flushing: 0 };
      this.#rooms.set(roomId, room);
    }
    return room;
  }

  #schedule(roomId: string, room: Pending): void {
    if (this.#closed || room.timer) return;
    const wait = Math.max(0, room.lastSent + this.#throttleMs - this.#now());
    room.timer = setTimeout(() => {
      room.timer = null;
      void this.#flush(roomId, room);
    }, wait);
  }

  async #flush(roomId: string, room: Pending): Promise<void> {
    room.lastSent = this.#now();
    const comments = [...room.changed.values()];
    room.changed.clear();
    const pendingCount = room.pendingCount;
    room.pendingCount = false;
    const { io } = this.#deps;
    let counts: CommentCounts | undefined;
    room.flushing++;
    try {
      counts = await this.#deps.counts(roomId);
    } catch (error) {
      // The changes still go out: pages keep their last counts until the next ones.
      this.#deps.logger.warn('could not read the counts of comments', { roomId }, error);
    } finally {
      room.flushing--;
    }
    if (comments.length > 0) {
      const published = counts && { approved: counts.approved, answered: counts.answered };
      const news: CommentsChanged = { roomId, comments, ...(published && { counts: published }) };
      io.to(commentsChannel(roomId)).emit('comments:changed', news);
      try {
        this.#deps.viewers.changed(news);
      } catch (error) {
        // The meeting's pages had theirs; a page on 留言 catches up when it next reads the comments.
        this.#deps.logger.warn('could not tell the viewers of the comments', { roomId }, error);
      }
    }
    if (pendingCount && counts) io.to(staffChannel(roomId)).emit('comments:pending', { roomId, pending: counts.pending });
    // A quiet room is forgotten once its next slot has passed with nothing to send. NOTE: not
    // if another message went out meanwhile (it may still be reading its counts, with nothing
    // left to send): a room forgotten then would send the next change at once, not a pause after.
    if (!room.timer && room.changed.size === 0 && !room.pendingCount) {
      const sentAt = room.lastSent;
      setTimeout(() => {
        const quiet = room.lastSent === sentAt && room.flushing === 0 && !room.timer && room.changed.size === 0 && !room.pendingCount;
        if (quiet && this.#rooms.get(roomId) === room) this.#rooms.delete(roomId);
      }, this.#throttleMs).unref();
    }
  }
}
