/**
 * The media rooms of this process, created on first join and closed when the last peer
 * leaves. Two joins racing for a new room share one creation.
 */
import type { Logger } from '../log.js';
import { MediaRoom, type RtcListenOptions } from './MediaRoom.js';
import type { WorkerPool } from './WorkerPool.js';

/** Registry of live media rooms by room id. */
export class MediaRooms {
  readonly #pool: WorkerPool;
  readonly #listen: RtcListenOptions;
  readonly #logger: Logger;
  readonly #rooms = new Map<string, Promise<MediaRoom>>();

  constructor(pool: WorkerPool, listen: RtcListenOptions, logger: Logger) {
    this.#pool = pool;
    this.#listen = listen;
    this.#logger = logger;
  }

  /** Number of open rooms. */
  get size(): number {
    return this.#rooms.size;
  }

  /** The room with this id, created if needed. */
  get(roomId: string): Promise<MediaRoom> {
    let room = this.#rooms.get(roomId);
    if (!room) {
      room = MediaRoom.create(roomId, this.#pool, this.#listen, this.#logger.child(roomId));
      this.#rooms.set(roomId, room);
      room.then(
        (created) =>
          created.once('empty', () => {
            this.#rooms.delete(roomId);
            created.close();
          }),
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
    const rooms = await Promise.allSettled(this.#rooms.values());
    this.#rooms.clear();
    for (const r of rooms) if (r.status === 'fulfilled') r.value.close();
  }
}
