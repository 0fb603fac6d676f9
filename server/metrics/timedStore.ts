/**
 * An EventStore whose appends (single or batched, one store write each) are timed into a
 * histogram; everything else goes straight to the store. Only RoomService gets it: the store itself (its health, its closing) stays as it is.
 */
import type { RoomEvent } from '../../signaling/room/events.js';
import type { AppendOptions, AppendResult, BatchAppendResult, BatchEntry, EventStore, Snapshot } from '../store/EventStore.js';

/** Where the time of one append goes. */
export type AppendObserver = { observe(seconds: number): void };

/** `store`, telling `observer` how long each append took (succeeded, refused or failed). */
export function timedAppends(store: EventStore, observer: AppendObserver): EventStore {
  return new TimedEventStore(store, observer);
}

class TimedEventStore implements EventStore {
  readonly #store: EventStore;
  readonly #observer: AppendObserver;

  constructor(store: EventStore, observer: AppendObserver) {
    this.#store = store;
    this.#observer = observer;
  }

  async append(roomId: string, expectedSeq: number, events: readonly RoomEvent[], options?: AppendOptions): Promise<AppendResult> {
    const start = performance.now();
    try {
      return await this.#store.append(roomId, expectedSeq, events, options);
    } finally {
      this.#observer.observe((performance.now() - start) / 1000);
    }
  }

  async appendBatch(roomId: string, expectedSeq: number, entries: readonly BatchEntry[]): Promise<BatchAppendResult> {
    const start = performance.now();
    try {
      return await this.#store.appendBatch(roomId, expectedSeq, entries);
    } finally {
      this.#observer.observe((performance.now() - start) / 1000);
    }
  }

  read(roomId: string, afterSeq?: number, limit?: number): Promise<RoomEvent[]> {
    return this.#store.read(roomId, afterSeq, limit);
  }

  lastSeq(roomId: string): Promise<number> {
    return this.#store.lastSeq(roomId);
  }

  commandResult(roomId: string, actor: string, commandId: string): Promise<number[] | undefined> {
    return this.#store.commandResult(roomId, actor, commandId);
  }

  ballots(roomId: string, pollId: string): Promise<string[]> {
    return this.#store.ballots(roomId, pollId);
  }

  compact(): Promise<void> {
    return this.#store.compact();
  }

  saveSnapshot(roomId: string, snapshot: Snapshot): Promise<void> {
    return this.#store.saveSnapshot(roomId, snapshot);
  }

  loadSnapshot(roomId: string): Promise<Snapshot | undefined> {
    return this.#store.loadSnapshot(roomId);
  }

  available(): boolean {
    return this.#store.available();
  }

  rooms(): Promise<string[]> {
    return this.#store.rooms();
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}
