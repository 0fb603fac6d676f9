/**
 * The registry with its revocations answered from memory: every join asks `isRevoked`, and a
 * crowd arriving by one public link asked the backend (a SQLite read, a Redis round trip) once
 * per viewer for the same answer.
 *
 * The rule kept: a revocation acknowledged by this process is refused at once by this process
 * (it goes through `revoke` here and is remembered for good: a revocation is never undone).
 * One made by another process (Redis), or written behind this process's back, is seen within
 * `maxStaleMs`: a "not revoked" answer is kept that long, counted from when its read began.
 * A short-lived cache rather than an invalidation over the cluster bus: the bus is addressed
 * process to process (`bus:<id>`) and a message lost while a subscriber reconnects would leave a
 * revoked invite valid without bound; a cache's bound holds whatever the network did.
 */
import type { InviteRecord, InviteRegistry, RegisteredRoom } from './InviteRegistry.js';

/** How long another process's revocation may go unseen here. */
export const REVOCATION_STALE_MS = 1000;
/** "Not revoked" answers kept at most; the oldest goes first. */
const MAX_ENTRIES = 10_000;

/** Options of CachedRevocations. */
export type CachedRevocationsOptions = { maxStaleMs?: number; now?: () => number };

/** An InviteRegistry whose `isRevoked` costs one backend read per invite per `maxStaleMs`. */
export class CachedRevocations implements InviteRegistry {
  readonly #registry: InviteRegistry;
  readonly #maxStaleMs: number;
  readonly #now: () => number;
  /** Revoked ids seen or made here; revocations are few (an organiser's hand makes each). */
  readonly #revoked = new Set<string>();
  /** Invite id → until when "not revoked" holds. */
  readonly #valid = new Map<string, number>();
  /** Reads under way, shared by the joins that ask meanwhile. */
  readonly #reading = new Map<string, Promise<boolean>>();

  constructor(registry: InviteRegistry, { maxStaleMs = REVOCATION_STALE_MS, now = Date.now }: CachedRevocationsOptions = {}) {
    this.#registry = registry;
    this.#maxStaleMs = maxStaleMs;
    this.#now = now;
  }

  async isRevoked(inviteId: string): Promise<boolean> {
    if (this.#revoked.has(inviteId)) return true;
    const until = this.#valid.get(inviteId);
    if (until !== undefined) {
      if (until > this.#now()) return false;
      this.#valid.delete(inviteId);
    }
    const reading = this.#reading.get(inviteId);
    if (reading !== undefined) return reading;
    const read = this.#read(inviteId);
    this.#reading.set(inviteId, read);
    try {
      return await read;
    } finally {
      this.#reading.delete(inviteId);
    }
  }

  async revoke(roomId: string, inviteId: string, at: number): Promise<InviteRecord | undefined> {
    const revoked = await this.#registry.revoke(roomId, inviteId, at);
    if (revoked?.revokedAt != null) {
      this.#revoked.add(inviteId);
      this.#valid.delete(inviteId);
    }
    return revoked;
  }

  add(invite: InviteRecord): Promise<boolean> {
    return this.#registry.add(invite);
  }

  byCode(code: string): Promise<InviteRecord | undefined> {
    return this.#registry.byCode(code);
  }

  byId(inviteId: string): Promise<InviteRecord | undefined> {
    return this.#registry.byId(inviteId);
  }

  list(roomId: string): Promise<InviteRecord[]> {
    return this.#registry.list(roomId);
  }

  addRoom(room: RegisteredRoom): Promise<boolean> {
    return this.#registry.addRoom(room);
  }

  room(roomId: string): Promise<RegisteredRoom | undefined> {
    return this.#registry.room(roomId);
  }

  roomByNumber(meetingNumber: string): Promise<RegisteredRoom | undefined> {
    return this.#registry.roomByNumber(meetingNumber);
  }

  recentRooms(limit: number): Promise<RegisteredRoom[]> {
    return this.#registry.recentRooms(limit);
  }

  close(): Promise<void> {
    return this.#registry.close();
  }

  async #read(inviteId: string): Promise<boolean> {
    // NOTE: the bound counts from before the read: the answer may be that old when it arrives.
    const startedAt = this.#now();
    const revoked = await this.#registry.isRevoked(inviteId);
    if (revoked) {
      this.#revoked.add(inviteId);
    } else if (!this.#revoked.has(inviteId)) {
      if (this.#valid.size >= MAX_ENTRIES) {
        const oldest = this.#valid.keys().next();
        if (!oldest.done) this.#valid.delete(oldest.value);
      }
      this.#valid.set(inviteId, startedAt + this.#maxStaleMs);
    }
    return revoked;
  }
}
