/**
 * The media rooms of this process, created on first join and closed when the last peer
 * leaves. Two joins racing for a new room share one creation.
 */
import { EventEmitter } from 'node:events';
import type { AudioOnlyFlag, PeerScore } from '../../signaling/protocol.js';
import type { RoomState } from '../../signaling/room/state.js';
import type { Logger } from '../log.js';
import { AudienceMedia } from './AudienceMedia.js';
import { MediaRoom } from './MediaRoom.js';
import { linkScore, QUALITY_INTERVAL_MS, QualityReporter } from './quality.js';
import type { WorkerPool } from './WorkerPool.js';

/** What the chair's console hears of a room's media on this process. */
export type QualityReport = { peers: PeerScore[]; audioOnly: AudioOnlyFlag[] };

/** Every connected peer's audio-only flag (an absent peer says nothing). */
function audioOnlyFlags(room: MediaRoom): AudioOnlyFlag[] {
  return room.peers().filter((p) => p.connected).map((p) => ({ peerId: p.id, on: p.audioOnly }));
}

type MediaRoomsEvents = {
  /**
   * Every ~5 s per room with peers: each sending peer's score (see quality.ts) and who is
   * audio-only; also at once, scores empty, when someone switches audio-only.
   */
  quality: [roomId: string, report: QualityReport];
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
  /** Rooms kept open for their audience, with how many holds each. */
  readonly #holds = new Map<string, number>();

  /** The public's media: the program, watched by viewers spread over every worker. */
  readonly audience: AudienceMedia;

  constructor(
    pool: WorkerPool,
    logger: Logger,
    {
      qualityIntervalMs = QUALITY_INTERVAL_MS,
      roomState = async () => undefined,
    }: { qualityIntervalMs?: number; roomState?: (roomId: string) => Promise<RoomState | undefined> } = {},
  ) {
    super();
    this.#qualityIntervalMs = qualityIntervalMs;
    this.#pool = pool;
    this.#logger = logger;
    this.audience = new AudienceMedia({ pool, rooms: this, logger: logger.child('audience'), roomState });
  }

  /** Number of open rooms. */
  get size(): number {
    return this.#rooms.size;
  }

  /**
   * Is there room on this process for a peer with `transports` transports? A room's peers go
   * on the least-loaded worker (RoomRouters.place), so any room can use any worker's room.
   */
  hasCapacity(transports: number): boolean {
    return this.#pool.hasCapacity(undefined, transports);
  }

  /** The room with this id, created if needed. */
  get(roomId: string): Promise<MediaRoom> {
    let room = this.#rooms.get(roomId);
    if (!room) {
      room = MediaRoom.create(roomId, this.#pool, this.#logger.child('room', { roomId }));
      this.#rooms.set(roomId, room);
      room.then(
        (created) => {
          const reporter = new QualityReporter(
            created,
            (peers) => {
              this.emit('quality', roomId, { peers, audioOnly: audioOnlyFlags(created) });
              // Each peer hears its own link, so its page can propose audio-only when it is weak.
              for (const peer of created.peers()) peer.send('media:link', { score: linkScore(peer) });
            },
            this.#qualityIntervalMs,
          );
          created.on('audioonly', (peer) => this.emit('quality', roomId, { peers: [], audioOnly: [{ peerId: peer.id, on: peer.audioOnly }] }));
          this.#reporters.set(roomId, reporter);
          // NOTE: a room watched by an audience here stays open without participants, so the
          // program keeps its sources piped in from the other processes (released in `hold`).
          created.on('empty', () => {
            if (!this.#holds.has(roomId)) this.#closeRoom(roomId, created);
          });
          created.once('close', () => this.emit('roomclose', roomId));
          this.emit('roomopen', created);
        },
        () => this.#rooms.delete(roomId),
      );
    }
    return room;
  }

  /**
   * The room's media, opened if needed and kept open, with or without participants, until
   * `release` (called once per hold). The audience holds the rooms it watches.
   */
  async hold(roomId: string): Promise<{ room: Promise<MediaRoom>; release: () => void }> {
    this.#holds.set(roomId, (this.#holds.get(roomId) ?? 0) + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const left = (this.#holds.get(roomId) ?? 1) - 1;
      if (left > 0) {
        this.#holds.set(roomId, left);
        return;
      }
      this.#holds.delete(roomId);
      const room = this.#rooms.get(roomId);
      room?.then((r) => {
        if (!this.#holds.has(roomId) && r.size === 0 && this.#rooms.get(roomId) === room) this.#closeRoom(roomId, r);
      }, () => undefined);
    };
    return { room: this.get(roomId), release };
  }

  /** The room if it is open, without creating it. */
  async find(roomId: string): Promise<MediaRoom | undefined> {
    return this.#rooms.get(roomId);
  }

  #closeRoom(roomId: string, room: MediaRoom): void {
    this.#rooms.delete(roomId);
    this.#reporters.get(roomId)?.close();
    this.#reporters.delete(roomId);
    room.close();
  }

  /** Closes every room and audience. */
  async close(): Promise<void> {
    await this.audience.close();
    for (const reporter of this.#reporters.values()) reporter.close();
    this.#reporters.clear();
    const rooms = await Promise.allSettled(this.#rooms.values());
    this.#rooms.clear();
    for (const r of rooms) if (r.status === 'fulfilled') r.value.close();
  }
}
