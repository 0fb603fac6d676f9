/**
 * The media rooms of this process, created on first join and closed when the last peer
 * leaves. Two joins racing for a new room share one creation.
 */
import { EventEmitter } from 'node:events';
import type { PeerScore } from '../../signaling/protocol.js';
import type { Logger } from '../log.js';
import { MediaRoom } from './MediaRoom.js';
import { QUALITY_INTERVAL_MS, QualityReporter } from './quality.js';
import type { WorkerPool } from './WorkerPool.js';

type MediaRoomsEvents = {
  /** Every ~5 s per room with peers: each sending peer's score (see quality.ts). */
  quality: [roomId: string, peers: PeerScore[]];
  /** A room now has a router on this process (other processes may link to it). */
  roomopen: [room: MediaRoom];
  /** A room's router on this process is gone (its last peer left, or the registry closed). */
  roomclose: [roomId: string];
};

/** Registry of live media rooms by room id. */
export class MediaRooms extends EventEmitter<MediaRoomsEvents> {
  readonly #pool: WorkerPool;
  readonly #logger: Logger;
  readonly #qualityIntervalMs: number;
  readonly #rooms = new Map<string, Promise<MediaRoom>>();
  readonly #reporters = new Map<string, QualityReporter>();

  constructor(pool: WorkerPool, logger: Logger, { qualityIntervalMs = QUALITY_INTERVAL_MS } = {}) {
    super();
    this.#qualityIntervalMs = qualityIntervalMs;
    this.#pool = pool;
    this.#logger = logger;
  }

  /** Number of open rooms. */
  get size(): number {
    return this.#rooms.size;
  }

  /** Is there room on this process for a peer of the room with `transports` transports? */
  async hasCapacity(roomId: string, transports: number): Promise<boolean> {
    const room = await this.#rooms.get(roomId)?.catch(() => undefined);
    return this.#pool.hasCapacity(room?.router, transports);
  }

  /** The room with this id, created if needed. */
  get(roomId: string): Promise<MediaRoom> {
    let room = this.#rooms.get(roomId);
    if (!room) {
      room = MediaRoom.create(roomId, this.#pool, this.#logger.child(roomId));
      this.#rooms.set(roomId, room);
      room.then(
        (created) => {
          const reporter = new QualityReporter(created, (peers) => this.emit('quality', roomId, peers), this.#qualityIntervalMs);
          this.#reporters.set(roomId, reporter);
          created.once('empty', () => {
            this.#rooms.delete(roomId);
            this.#reporters.delete(roomId);
            reporter.close();
            created.close();
          });
          created.once('close', () => this.emit('roomclose', roomId));
          this.emit('roomopen', created);
        },
        () => this.#rooms.delete(roomId),
      );
    }
    return room;
  }

  /** The room if it is open, without creating it. */
  async find(roomId: string): Promise<MediaRoom | undefined> {
    return this.#rooms.get(roomId);
  }

  /** Closes every room. */
  async close(): Promise<void> {
    for (const reporter of this.#reporters.values()) reporter.close();
    this.#reporters.clear();
    const rooms = await Promise.allSettled(this.#rooms.values());
    this.#rooms.clear();
    for (const r of rooms) if (r.status === 'fulfilled') r.value.close();
  }
}
