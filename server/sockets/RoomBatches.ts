/**
 * Holds each room's new events until they go out to its sockets (RoomHub), with a leading-edge
 * throttle per room: a quiet room's events go out at the end of the turn they were recorded in;
 * while a room keeps recording, its events wait and go out together, in one message per view,
 * at most every BURST_INTERVAL_MS, or every TALLY_INTERVAL_MS while all that waits is votes
 * (longer in a large room: tallyIntervalFor).
 */
import type { RoomEvent } from '../../signaling/room/events.js';
import type { RoomState } from '../../signaling/room/state.js';

/**
 * The shortest time between two batches of a busy room while any event waiting is not a vote:
 * the floor, the queue, a poll opened, closed or published go out at most 20 ms after the batch
 * before them, so a crowd joining at once still costs one message per socket per 20 ms.
 */
export const BURST_INTERVAL_MS = 20;

/**
 * The shortest time between two batches of a room while every event waiting is a vote.
 * NOTE: the trade. Each batch costs a frame per socket (about 13 µs of the server's thread on
 * ws, so 13 ms for 1,000 members) and a message to parse at every client, and a vote storm
 * records a batch every few ms; at 100 ms those costs are paid ten times a second whatever
 * the storm's rate. What waits is the tally people watch (and a voter's own 已投票), for at
 * most 100 ms: a count live at 10 Hz is plenty. A voter's ack does not wait (it answers when
 * the write is durable), and any other event ends the wait (BURST_INTERVAL_MS).
 */
export const TALLY_INTERVAL_MS = 100;

/** The longest a large room's tally waits (see tallyIntervalFor). */
export const LARGEST_TALLY_INTERVAL_MS = 250;

/**
 * The tally's interval for a room with `sockets` connections here: TALLY_INTERVAL_MS, longer
 * in a large room so that a storm's batches cost the server's thread at most ~5 % of its time
 * (a frame per socket is ~13 µs: 0.26 ms per socket per second at 5 %), up to
 * LARGEST_TALLY_INTERVAL_MS. A room of 1,000 members sees its count move four times a second
 * instead of ten; the phones in it parse a batch that much less often too.
 */
export function tallyIntervalFor(sockets: number): number {
  return Math.min(LARGEST_TALLY_INTERVAL_MS, Math.max(TALLY_INTERVAL_MS, Math.round(sockets * 0.26)));
}

/** Events that may wait for the tally's interval: a vote (or a changed vote). */
const mayWait = (e: RoomEvent): boolean => e.type === 'poll.voted';

/** A room's events going out together, with the state after the last of them. */
export type Batch = { events: RoomEvent[]; state: RoomState };

type Waiting = Batch & { onlyVotes: boolean; due: number; cancel: () => void };

/** Per room: the events recorded since its last batch went out, and when the next one goes. */
export class RoomBatches {
  readonly #send: (roomId: string, batch: Batch) => void;
  readonly #now: () => number;
  readonly #waiting = new Map<string, Waiting>();
  /** When each room's last batch went out (`now()`). */
  readonly #lastSent = new Map<string, number>();

  readonly #tallyInterval: (roomId: string) => number;

  /**
   * `send` gets each batch; `now`: a monotonic clock in ms (performance.now, or a test's);
   * `tallyInterval`: a room's tally interval (tallyIntervalFor its sockets), TALLY_INTERVAL_MS if not given.
   */
  constructor(send: (roomId: string, batch: Batch) => void, now: () => number = () => performance.now(), tallyInterval: (roomId: string) => number = () => TALLY_INTERVAL_MS) {
    this.#send = send;
    this.#now = now;
    this.#tallyInterval = tallyInterval;
  }

  /** Events recorded in a room (in seq order, after those added before), with the state after them. */
  add(roomId: string, events: readonly RoomEvent[], state: RoomState): void {
    let waiting = this.#waiting.get(roomId);
    if (!waiting) {
      waiting = { events: [], state, onlyVotes: true, due: Infinity, cancel: () => undefined };
      this.#waiting.set(roomId, waiting);
    }
    waiting.events.push(...events);
    waiting.state = state;
    waiting.onlyVotes &&= events.every(mayWait);
    const now = this.#now();
    const due = (this.#lastSent.get(roomId) ?? -Infinity) + (waiting.onlyVotes ? this.#tallyInterval(roomId) : BURST_INTERVAL_MS);
    // Sooner than planned (a first event, or one that is not a vote), unless it already goes at once.
    if (due < waiting.due && waiting.due > now) {
      waiting.cancel();
      waiting.due = due;
      waiting.cancel = this.#schedule(roomId, due - now);
    }
  }

  /** Drops whatever waits (the server is closing). */
  close(): void {
    for (const waiting of this.#waiting.values()) waiting.cancel();
    this.#waiting.clear();
  }

  #schedule(roomId: string, wait: number): () => void {
    // NOTE: at once means at the end of this turn (setImmediate), so that the events of every
    // command finished in this turn go out together.
    if (wait <= 0) {
      const immediate = setImmediate(() => this.#flush(roomId));
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(() => this.#flush(roomId), wait);
    return () => clearTimeout(timer);
  }

  #flush(roomId: string): void {
    const waiting = this.#waiting.get(roomId);
    if (!waiting) return;
    this.#waiting.delete(roomId);
    this.#lastSent.set(roomId, this.#now());
    this.#send(roomId, { events: waiting.events, state: waiting.state });
  }
}
