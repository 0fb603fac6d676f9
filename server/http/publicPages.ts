/**
 * The public page of a topic's comments, kept between readers. A QR poster or a broadcast sends
 * thousands of phones to the same page within minutes, and the page's comments are the same for
 * all of them: the 100 approved comments of one order and offset, and the counts. Each reader
 * used to cost four store reads, the JSON of the comments and its compression (about 4 ms of
 * CPU for 100 comments in bench/public-visits.ts), on the machine that runs the meeting.
 *
 * What is kept is labelled with the room's comment chain head (CommentStore.head): every change
 * of a room's comments (submitted, moderated, upvoted, answered) appends to the chain, so a
 * reader who finds the head unchanged may have what was read at it. The head is read BEFORE the
 * comments, so what is kept is at least as new as its label, never older.
 *
 * A first visit (a browser with nothing of its own: no pending comment, no upvote) gets exactly
 * the same answer as every other first visit while the room's frame (topic, settings, whether
 * comments are open) stays the same, so that answer is kept whole, compressed once per
 * encoding. A browser with comments or upvotes of its own gets its own answer around the kept
 * comments; nothing of one browser is ever kept for another.
 */
import type { CommentSort } from '../../signaling/comments/api.js';
import type { CommentCounts, PublicComment } from '../../signaling/comments/model.js';
import type { PreparedJson } from './sendJson.js';

/** The part of a public page every reader shares at one chain head. */
export type SharedPage = { comments: PublicComment[]; counts: Pick<CommentCounts, 'approved' | 'answered'> };

/**
 * Pages kept, across rooms, orders and offsets; the least recently read go first. At most about
 * 100 KB each (the comments, their JSON and two compressed forms).
 */
export const MAX_KEPT_PAGES = 200;
/** First-visit answers kept per page: the frame changes rarely (a setting, the meeting's end). */
const MAX_FRAMES_PER_PAGE = 4;

/** One page at one chain head. */
export class KeptPage {
  readonly seq: number;
  readonly shared: Promise<SharedPage>;
  readonly #firstVisits = new Map<string, PreparedJson>();

  constructor(seq: number, shared: Promise<SharedPage>) {
    this.seq = seq;
    this.shared = shared;
  }

  /**
   * The answer to a first visit with this `frame` (the JSON of everything in the page but the
   * comments and counts), made by `make` once.
   */
  firstVisit(frame: string, make: () => PreparedJson): PreparedJson {
    const known = this.#firstVisits.get(frame);
    if (known !== undefined) return known;
    if (this.#firstVisits.size >= MAX_FRAMES_PER_PAGE) this.#firstVisits.clear();
    const made = make();
    this.#firstVisits.set(frame, made);
    return made;
  }
}

export class PublicPages {
  readonly #pages = new Map<string, KeptPage>();
  readonly #max: number;

  constructor(max = MAX_KEPT_PAGES) {
    this.#max = max;
  }

  /**
   * The page of `roomId` in `sort` from `offset` at chain head `seq` (read just before): the one
   * kept if it is of that head, else one made with `read` (readers arriving meanwhile share its
   * read). A failed read is not kept.
   */
  page(roomId: string, sort: CommentSort, offset: number, seq: number, read: () => Promise<SharedPage>): KeptPage {
    const key = `${roomId}\n${sort}\n${offset}`;
    const kept = this.#pages.get(key);
    if (kept !== undefined) this.#pages.delete(key);
    // A kept page of a later head is as good: it is newer than what this reader asked for.
    if (kept !== undefined && kept.seq >= seq) {
      this.#pages.set(key, kept);
      return kept;
    }
    const made = new KeptPage(seq, read());
    made.shared.catch(() => {
      if (this.#pages.get(key) === made) this.#pages.delete(key);
    });
    this.#pages.set(key, made);
    if (this.#pages.size > this.#max) {
      const oldest = this.#pages.keys().next();
      if (!oldest.done) this.#pages.delete(oldest.value);
    }
    return made;
  }

  /** How many pages are kept (for tests). */
  get size(): number {
    return this.#pages.size;
  }
}
