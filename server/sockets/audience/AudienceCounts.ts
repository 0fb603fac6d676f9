/**
 * 在线观众 and 累计访问 of every room this process has viewers in. Each process counts its own
 * viewers and, every few seconds, tells the other live processes (the cluster's bus); the
 * online figure is its own count plus the latest each other process told. What a process that
 * went away told is dropped (it stops telling; its viewers reconnect elsewhere and are counted
 * there). Visits are added to the VisitStore in the same rhythm, in one write per room.
 */
import { z } from 'zod';
import { tellOthers, type Cluster } from '../../cluster/Cluster.js';
import type { Logger } from '../../log.js';
import type { VisitStore } from './visitStore.js';

const TOPIC = 'audience:online';
const Shared = z.object({ rooms: z.record(z.string().max(64), z.number().int().min(0)) });

/** The counts of a room. */
export type Counts = { online: number; visits: number };

export class AudienceCounts {
  readonly #cluster: Cluster;
  readonly #visits: VisitStore;
  readonly #logger: Logger;
  readonly #shareMs: number;
  /** Viewers connected to this process, per room. */
  readonly #local = new Map<string, number>();
  /** What each other process told last, and when (performance.now()). */
  readonly #remote = new Map<string, { rooms: Record<string, number>; at: number }>();
  /** Visits not yet added to the store, and the store's last answer, per room. */
  readonly #pendingVisits = new Map<string, number>();
  readonly #storedVisits = new Map<string, number>();
  /** Told the others something last time (so that an emptied process tells them once more). */
  #sharedAny = false;
  readonly #stopListening: () => void;

  constructor(deps: { cluster: Cluster; visits: VisitStore; logger: Logger; shareMs: number }) {
    this.#cluster = deps.cluster;
    this.#visits = deps.visits;
    this.#logger = deps.logger;
    this.#shareMs = deps.shareMs;
    this.#stopListening = this.#cluster.onMessage(TOPIC, (from, message) => {
      const parsed = Shared.safeParse(message);
      if (parsed.success) this.#remote.set(from, { rooms: parsed.data.rooms, at: performance.now() });
    });
    this.#cluster.on('processGone', this.#onGone);
  }

  /** A viewer arrived here: one more online, one more visit. */
  arrive(roomId: string): void {
    this.#local.set(roomId, (this.#local.get(roomId) ?? 0) + 1);
    this.#pendingVisits.set(roomId, (this.#pendingVisits.get(roomId) ?? 0) + 1);
  }

  /** A viewer here left. */
  depart(roomId: string): void {
    const left = (this.#local.get(roomId) ?? 1) - 1;
    if (left <= 0) this.#local.delete(roomId);
    else this.#local.set(roomId, left);
  }

  /** Viewers of the room connected to this process. */
  localOnline(roomId: string): number {
    return this.#local.get(roomId) ?? 0;
  }

  /** The room's counts as known now (other processes as of their last message). */
  counts(roomId: string): Counts {
    let online = this.localOnline(roomId);
    // A process silent for three rounds is not counted: it went away or lost Redis.
    const freshAfter = performance.now() - 3 * this.#shareMs;
    for (const told of this.#remote.values()) if (told.at >= freshAfter) online += told.rooms[roomId] ?? 0;
    return { online, visits: (this.#storedVisits.get(roomId) ?? 0) + (this.#pendingVisits.get(roomId) ?? 0) };
  }

  /** Reads the room's stored visits once (a process's first viewer of a room). */
  async load(roomId: string): Promise<void> {
    if (this.#storedVisits.has(roomId)) return;
    this.#storedVisits.set(roomId, await this.#visits.add(roomId, 0));
  }

  /** Rooms with viewers here or told of by another process. */
  rooms(): Set<string> {
    const rooms = new Set(this.#local.keys());
    for (const told of this.#remote.values()) for (const id of Object.keys(told.rooms)) rooms.add(id);
    return rooms;
  }

  /** One round: tell the others our viewers, add the visits, refresh the totals. */
  async round(): Promise<void> {
    this.#share();
    const rooms = new Set([...this.#local.keys(), ...this.#pendingVisits.keys()]);
    await Promise.all(
      [...rooms].map(async (roomId) => {
        const pending = this.#pendingVisits.get(roomId) ?? 0;
        this.#pendingVisits.delete(roomId);
        try {
          this.#storedVisits.set(roomId, await this.#visits.add(roomId, pending));
        } catch (error) {
          // Kept for the next round: a visit is never lost to a store that was away a moment.
          this.#pendingVisits.set(roomId, (this.#pendingVisits.get(roomId) ?? 0) + pending);
          this.#logger.debug(`could not add ${pending} visits`, { roomId }, error);
        }
      }),
    );
  }

  close(): void {
    this.#stopListening();
    this.#cluster.off('processGone', this.#onGone);
  }

  #share(): void {
    if (this.#cluster.health().mode !== 'redis') return;
    const rooms = Object.fromEntries(this.#local);
    const any = this.#local.size > 0;
    if (!any && !this.#sharedAny) return;
    this.#sharedAny = any;
    tellOthers(this.#cluster, TOPIC, { rooms });
  }

  readonly #onGone = (processId: string): void => {
    this.#remote.delete(processId);
  };
}
