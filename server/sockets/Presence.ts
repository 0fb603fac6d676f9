/**
 * Who is here, in one place: which connection speaks for each participant (a seat has one, on
 * one process), the grace period after a connection drops, the departure recorded when it
 * runs out, and the participants of a process that went away. The room and media handlers and
 * the hub ask it; it knows nothing of sockets (a connection is its `release`).
 */
import type { Cluster } from '../cluster/Cluster.js';
import type { Logger } from '../log.js';
import type { RoomService } from '../rooms/RoomService.js';
import { Sessions, type Release } from './sessions.js';

export type { Release } from './sessions.js';

/** A connection's hold on a participant. */
export type Hold = { roomId: string; participantId: string; release: Release };

const SYSTEM = { kind: 'system' } as const;

/** Presence of this process's participants. */
export class Presence {
  readonly #sessions = new Sessions();
  readonly #rooms: RoomService;
  readonly #cluster: Cluster;
  readonly #graceMs: number;
  readonly #logger: Logger;

  constructor(deps: { rooms: RoomService; cluster: Cluster; resumeGraceMs: number; logger: Logger }) {
    this.#rooms = deps.rooms;
    this.#cluster = deps.cluster;
    this.#graceMs = deps.resumeGraceMs;
    this.#logger = deps.logger;
  }

  /**
   * This connection now speaks for the participant: claimed across processes, then here, where
   * an older connection of this process is released as replaced. The caller drops those of
   * other processes (it has the sockets).
   */
  async claim(hold: Hold): Promise<void> {
    // NOTE: claimed before any older connection is dropped, so its disconnect sees it was taken
    // over and records nothing; and before the arrival, so nothing recorded after it says
    // "disconnected".
    await this.#cluster.claim(hold.roomId, hold.participantId);
    this.#sessions.claim(hold.roomId, hold.participantId, hold.release);
  }

  /** The participant is leaving on purpose: no grace period, nothing held for them. */
  forget(roomId: string, participantId: string): void {
    this.#sessions.end(roomId, participantId);
  }

  /** Records that the participant left, and lets go of their claim. */
  async left(roomId: string, participantId: string): Promise<void> {
    await this.#rooms.execute(roomId, { type: 'system:leave', participantId }, SYSTEM);
    await this.#cluster.release(roomId, participantId);
  }

  /**
   * A connection dropped: record it and give the participant the grace period to come back,
   * unless a newer connection, here or on another process, already speaks for them.
   * `dropMedia` runs when the participant is gone from here (taken over elsewhere, or the grace
   * period ran out).
   */
  async connectionLost(hold: Hold, dropMedia: () => Promise<void>): Promise<void> {
    const { roomId, participantId } = hold;
    if (this.#sessions.takenOver(roomId, participantId, hold.release)) return;
    if ((await this.#cluster.holder(roomId, participantId)) === 'other') {
      // Their media moves with them; what this process kept of it goes now.
      await dropMedia();
      return;
    }
    await this.#rooms.execute(roomId, { type: 'system:disconnect', participantId }, SYSTEM);
    this.#sessions.startGrace(roomId, participantId, hold.release, this.#graceMs, () => {
      dropMedia().catch((error: unknown) => this.#logger.warn('could not drop the media of a participant gone', { roomId, participantId }, error));
      this.#depart(roomId, participantId);
    });
  }

  /**
   * Participants the room lists as online whom no live process speaks for (their process
   * restarted or died, its connections with it) are recorded as disconnected here, and given
   * the grace period to come back, on this process or any other.
   */
  async reconcile(roomId: string): Promise<void> {
    const state = await this.#rooms.state(roomId);
    for (const p of Object.values(state?.participants ?? {})) {
      if (!p.online || this.#sessions.isActive(roomId, p.id)) continue;
      if ((await this.#cluster.holder(roomId, p.id)) !== 'nobody') continue;
      if (!(await this.#cluster.adopt(roomId, p.id))) continue;
      await this.#rooms.execute(roomId, { type: 'system:disconnect', participantId: p.id }, SYSTEM);
      const noConnection: Release = () => undefined;
      this.#sessions.startGrace(roomId, p.id, noConnection, this.#graceMs, () => this.#depart(roomId, p.id));
    }
  }

  /** Stops every grace timer (server shutdown). */
  clear(): void {
    this.#sessions.clear();
  }

  /**
   * The grace period ended without the participant coming back here. If they came back on
   * another process, that one speaks for them now and nothing is recorded.
   */
  #depart(roomId: string, participantId: string): void {
    const depart = async (): Promise<void> => {
      if ((await this.#cluster.holder(roomId, participantId)) === 'other') return;
      await this.left(roomId, participantId);
    };
    depart().catch((error: unknown) => this.#logger.warn('could not record the departure of a participant', { roomId, participantId }, error));
  }
}
