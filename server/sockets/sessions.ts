/**
 * Presence's bookkeeping (see Presence.ts): which connection speaks for which participant, and
 * the grace period of those whose connection dropped. A participant may come back (same id,
 * queue place and vote) within the grace period; after it they are recorded as having left.
 */
import type { SessionClosedReason } from '../../signaling/protocol.js';

type Key = string;

/** Ends a connection's hold on its participant, telling it why. */
export type Release = (reason: SessionClosedReason) => void;

const key = (roomId: string, participantId: string): Key => `${roomId}\u0000${participantId}`;

/** Live connections and grace timers by participant. */
export class Sessions {
  /** How to drop the connection currently speaking for a participant. */
  readonly #active = new Map<Key, Release>();
  readonly #grace = new Map<Key, NodeJS.Timeout>();

  /** A connection now speaks for the participant; an older one still holding on is released. */
  claim(roomId: string, participantId: string, release: Release): void {
    const k = key(roomId, participantId);
    this.#stopGrace(k);
    const previous = this.#active.get(k);
    this.#active.set(k, release);
    if (previous && previous !== release) previous('replaced');
  }

  /** Is any connection of this process speaking for the participant? */
  isActive(roomId: string, participantId: string): boolean {
    return this.#active.has(key(roomId, participantId));
  }

  /** Does a newer connection of this process speak for the participant than `release`'s? */
  takenOver(roomId: string, participantId: string, release: Release): boolean {
    const active = this.#active.get(key(roomId, participantId));
    return active !== undefined && active !== release;
  }

  /** The connection dropped: `expire` runs after `ms` unless the participant comes back. */
  startGrace(roomId: string, participantId: string, release: Release, ms: number, expire: () => void): void {
    const k = key(roomId, participantId);
    if (this.#active.get(k) === release) this.#active.delete(k);
    if (this.#active.has(k)) return; // a newer connection already took over
    this.#stopGrace(k);
    const timer = setTimeout(() => {
      this.#grace.delete(k);
      expire();
    }, ms);
    timer.unref();
    this.#grace.set(k, timer);
  }

  /** The participant left: forget them. */
  end(roomId: string, participantId: string): void {
    const k = key(roomId, participantId);
    this.#stopGrace(k);
    this.#active.delete(k);
  }

  /** Stops every timer (server shutdown). */
  clear(): void {
    for (const timer of this.#grace.values()) clearTimeout(timer);
    this.#grace.clear();
    this.#active.clear();
  }

  #stopGrace(k: Key): void {
    const timer = this.#grace.get(k);
    if (timer) clearTimeout(timer);
    this.#grace.delete(k);
  }
}
