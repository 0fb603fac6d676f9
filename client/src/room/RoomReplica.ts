/**
 * Keeps the client's copy of the room up to date: folds join answers, sync answers and
 * `room:events` batches (see replica.ts), holds events that came before the first join answer,
 * and asks `room:sync` when a gap shows.
 */
import type { RoomSync } from '../../../signaling/protocol.js';
import type { RoomEvent } from '../../../signaling/room/events.js';
import type { RoomState } from '../../../signaling/room/state.js';
import { foldEvents, foldSync, lastSeqOf, type Replica } from './replica.js';

/** What RoomReplica needs from its owner. */
export type RoomReplicaDeps = {
  /** `room:sync` with the seq held (none: the whole room as I may see it). */
  sync(lastSeq: number | undefined): Promise<RoomSync>;
  /** Whether a sync request can go out now. */
  online(): boolean;
  /** The room id, for a replica built from the first event on. */
  roomId(): string;
  /** The state changed (never called with the same state twice in a row). */
  changed(previous: RoomState | null, next: RoomState): void;
  /** Runs a task nobody awaits; failures are reported. */
  run(task: Promise<unknown>): void;
};

/** The room as this client knows it. */
export class RoomReplica {
  readonly #deps: RoomReplicaDeps;
  #replica: Replica | null = null;
  /** room:events that came before the join answer. */
  #early: RoomEvent[] = [];
  #syncing = false;

  constructor(deps: RoomReplicaDeps) {
    this.#deps = deps;
  }

  /** The folded state, or null before the first join answer. */
  get state(): RoomState | null {
    return this.#replica?.state ?? null;
  }

  /** What to send as `lastSeq`: only with the state it refers to. */
  get lastSeq(): number | undefined {
    return lastSeqOf(this.#replica);
  }

  /** A `room:events` batch. */
  receive(events: RoomEvent[]): void {
    if (this.#replica === null) {
      this.#early.push(...events);
      return;
    }
    const { replica, gap } = foldEvents(this.#replica, events);
    this.#set(replica);
    if (gap) this.#deps.run(this.#sync());
  }

  /** A join or sync answer; a gap left after a join answer asks for a sync. */
  apply(sync: RoomSync, fromSync = false): void {
    let { replica, gap } = foldSync(this.#replica, sync, this.#deps.roomId());
    if (this.#early.length > 0) {
      ({ replica, gap } = foldEvents(replica, this.#early));
      this.#early = [];
    }
    this.#set(replica);
    if (!gap) return;
    if (fromSync) console.warn(`room:sync left a gap after seq ${replica.state.seq}; the next events will ask again`);
    else this.#deps.run(this.#sync());
  }

  /**
   * Asks for the whole room again, as I may see it now (my role changed: the chair came to me
   * with what only the chair sees, or went from me).
   */
  refresh(): void {
    if (this.#replica === null) return;
    this.#deps.run(this.#sync(true));
  }

  /** Forgets the room (leaving). */
  reset(): void {
    this.#replica = null;
    this.#early = [];
  }

  async #sync(whole = false): Promise<void> {
    const replica = this.#replica;
    if (this.#syncing || replica === null || !this.#deps.online()) return;
    this.#syncing = true;
    try {
      let answer: RoomSync;
      try {
        answer = await this.#deps.sync(whole ? undefined : lastSeqOf(replica));
      } catch (error) {
        // Left meanwhile (the chair hands over and leaves at once): the answer is not needed.
        if (this.#replica === null) {
          console.warn('room:sync ended with the room', error);
          return;
        }
        throw error;
      }
      if (this.#replica === null) return;
      this.apply(answer, true);
    } finally {
      this.#syncing = false;
    }
  }

  #set(replica: Replica): void {
    const previous = this.#replica?.state ?? null;
    this.#replica = replica;
    if (previous !== replica.state) this.#deps.changed(previous, replica.state);
  }
}
