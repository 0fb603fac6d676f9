/**
 * The audience's media on this process: per room, one Program and one audience router on every
 * worker, each with the program's producers (ProgramOutlet); each viewer's transport goes on
 * the audience router whose worker carries the fewest transports, so the audience grows with
 * the cores instead of stopping at the room's one worker.
 *
 * NOTE: the program reaches the audience routers from this process (ProgramTrack sends each
 * packet into every outlet), not by piping the room router's producers with pipeToRouter. The
 * relay passes through here anyway (the switch rewrites every packet), one more send per worker
 * is a few hundred small messages a second, and so the viewers' consumers hang on nothing of
 * the room's router: they survive its worker dying and the room's media closing and opening
 * again (the last participant here left and came back).
 */
import { AppError } from '../../signaling/errors.js';
import type { RoomState } from '../../signaling/room/state.js';
import type { Logger } from '../log.js';
import type { MediaRoom } from './MediaRoom.js';
import { Program } from './Program.js';
import { ProgramOutlet } from './ProgramOutlet.js';
import { Viewer, type ViewerMedia } from './Viewer.js';
import type { RouterAppData, WorkerPool } from './WorkerPool.js';
import type { types } from 'mediasoup';

export { PROGRAM_PEER_ID, type ViewerMedia } from './Viewer.js';

/** Transports every worker keeps free of viewers, for participants (two each). */
const PARTICIPANT_RESERVE = 40;

/** What the audience needs of the media rooms (MediaRooms). */
export type AudienceRooms = {
  /** The room's media, opened if needed, kept open until `release` even without participants. */
  hold(roomId: string): Promise<{ room: Promise<MediaRoom>; release: () => void }>;
  on(event: 'roomopen', listener: (room: MediaRoom) => void): unknown;
};

/** One room's audience on this process. */
type Audience = {
  program: Program;
  outlets: Map<types.Worker, Promise<ProgramOutlet>>;
  /** Viewers being placed on each outlet, not yet counted in their worker's transports. */
  placing: Map<ProgramOutlet, number>;
  viewers: Set<Viewer>;
  /** Other holders of the program (the live stream's taps): the audience stays while one is left. */
  taps: number;
  release: () => void;
  closed: boolean;
  /** Its entry in the registry, to remove exactly this one. */
  entry?: Promise<Audience>;
};

/** The program on one audience router, held open for a consumer other than a viewer. */
export type ProgramTap = { outlet: ProgramOutlet; program: Program; release: () => void };

/** Every room's audience on this process. */
export class AudienceMedia {
  readonly #pool: WorkerPool;
  readonly #rooms: AudienceRooms;
  readonly #logger: Logger;
  readonly #roomState: (roomId: string) => Promise<RoomState | undefined>;
  readonly #audiences = new Map<string, Promise<Audience>>();
  #closed = false;

  constructor(deps: { pool: WorkerPool; rooms: AudienceRooms; logger: Logger; roomState: (roomId: string) => Promise<RoomState | undefined> }) {
    this.#pool = deps.pool;
    this.#rooms = deps.rooms;
    this.#logger = deps.logger;
    this.#roomState = deps.roomState;
    this.#rooms.on('roomopen', (room) => {
      this.#audiences.get(room.id)?.then((audience) => audience.program.attach(room), () => undefined);
    });
  }

  /**
   * A viewer's media for the room's program, on the least-loaded worker. Refuses with CAPACITY
   * when every worker is full.
   */
  async openViewer(roomId: string, viewerId: string): Promise<ViewerMedia> {
    // An audience that closed while this viewer was on its way (its last viewer left) is made again.
    for (let attempt = 0; ; attempt++) {
      if (this.#closed) throw new AppError('CAPACITY', 'the media server is closing');
      const audience = await this.#audience(roomId);
      if (audience.closed && attempt < 2) continue;
      const viewer = await this.#place(roomId, audience, viewerId);
      if (!audience.closed || attempt >= 2) return viewer;
      viewer.close();
    }
  }

  async #place(roomId: string, audience: Audience, viewerId: string): Promise<Viewer> {
    const outlets = await this.#outlets(audience);
    // NOTE: choose and count the placement in one step (no await between): viewers arriving
    // together must see each other's placements, or they all go to the same worker.
    const load = (o: ProgramOutlet): number => this.#pool.transportsOn(o.router) + (audience.placing.get(o) ?? 0);
    let outlet: ProgramOutlet | undefined;
    for (const candidate of outlets) if (!outlet || load(candidate) < load(outlet)) outlet = candidate;
    if (!outlet) throw new AppError('CAPACITY', 'no media worker is available');
    // NOTE: viewers leave room on every worker for the meeting's own people (their joins ask
    // the same pool): an audience must never lock a participant out of the meeting.
    if (!this.#pool.hasCapacity(outlet.router, 1 + (audience.placing.get(outlet) ?? 0) + PARTICIPANT_RESERVE)) {
      throw new AppError('CAPACITY', 'the audience is full on this server; try again later');
    }
    audience.placing.set(outlet, (audience.placing.get(outlet) ?? 0) + 1);
    let viewer: Viewer;
    try {
      viewer = await Viewer.create(outlet, viewerId, this.#logger, () => {
        audience.viewers.delete(viewer);
        if (audience.viewers.size === 0 && audience.taps === 0) this.#closeAudience(roomId, audience);
      });
    } finally {
      audience.placing.set(outlet, (audience.placing.get(outlet) ?? 1) - 1);
    }
    audience.viewers.add(viewer);
    return viewer;
  }

  /**
   * The room's program on the least-loaded audience router, held like a viewer until `release`
   * (the live stream consumes it there; it follows the floor with every viewer's).
   */
  async openTap(roomId: string): Promise<ProgramTap> {
    for (let attempt = 0; ; attempt++) {
      if (this.#closed) throw new AppError('UNAVAILABLE', 'the media server is closing');
      const audience = await this.#audience(roomId);
      if (audience.closed && attempt < 2) continue;
      audience.taps++;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        audience.taps--;
        if (audience.viewers.size === 0 && audience.taps === 0) this.#closeAudience(roomId, audience);
      };
      let outlet: ProgramOutlet | undefined;
      try {
        for (const o of await this.#outlets(audience)) if (!outlet || this.#pool.transportsOn(o.router) < this.#pool.transportsOn(outlet.router)) outlet = o;
      } catch (error) {
        release();
        throw error;
      }
      // The audience closed while its routers were made (its last holder left meanwhile): again, on a new one.
      if (audience.closed && attempt < 2) {
        release();
        continue;
      }
      if (!outlet || audience.closed) {
        release();
        throw new AppError('UNAVAILABLE', 'no audience router for the program');
      }
      return { outlet, program: audience.program, release };
    }
  }

  /** The room state changed (called for every batch of room events): the program follows the floor. */
  follow(roomId: string, state: RoomState): void {
    this.#audiences.get(roomId)?.then((audience) => audience.program.follow(state), () => undefined);
  }

  /** The room's program (for tests and stats), if it has viewers here. */
  async program(roomId: string): Promise<Program | undefined> {
    return this.#audiences.get(roomId)?.then((a) => a.program);
  }

  /** The room's audience routers with their program producers (for stats and benches). */
  async outlets(roomId: string): Promise<ProgramOutlet[]> {
    const audience = await this.#audiences.get(roomId);
    return audience ? this.#outlets(audience) : [];
  }

  /** Viewers by audience router id (for tests and stats). */
  async viewersByRouter(roomId: string): Promise<Map<string, Viewer[]>> {
    const out = new Map<string, Viewer[]>();
    const audience = await this.#audiences.get(roomId);
    for (const viewer of audience?.viewers ?? []) out.set(viewer.routerId, [...(out.get(viewer.routerId) ?? []), viewer]);
    return out;
  }

  /** Closes every audience; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const audiences = await Promise.allSettled(this.#audiences.values());
    for (const [roomId] of this.#audiences) this.#audiences.delete(roomId);
    for (const a of audiences) if (a.status === 'fulfilled') this.#teardown(a.value);
  }

  #audience(roomId: string): Promise<Audience> {
    let audience = this.#audiences.get(roomId);
    if (!audience) {
      const entry = this.#openAudience(roomId);
      audience = entry;
      entry.then((a) => (a.entry = entry), () => undefined);
      this.#audiences.set(roomId, entry);
      audience.catch(() => this.#audiences.delete(roomId));
    }
    return audience;
  }

  async #openAudience(roomId: string): Promise<Audience> {
    const { room, release } = await this.#rooms.hold(roomId);
    try {
      const media = await room;
      const program = new Program(media.router.rtpCapabilities, this.#logger.child('program', { roomId }));
      const audience: Audience = { program, outlets: new Map(), placing: new Map(), viewers: new Set(), taps: 0, release, closed: false };
      program.attach(media);
      const state = await this.#roomState(roomId);
      if (state) program.follow(state);
      return audience;
    } catch (error) {
      release();
      throw error;
    }
  }

  /** The audience's outlets, one on every live worker (made on first need). */
  async #outlets(audience: Audience): Promise<ProgramOutlet[]> {
    for (const worker of this.#pool.liveWorkers) {
      if (audience.outlets.has(worker)) continue;
      const outlet = this.#pool.createRouter(worker).then((router: types.Router<RouterAppData>) =>
        ProgramOutlet.create(router, audience.program.tracks).catch((error: unknown) => {
          router.close();
          throw error;
        }),
      );
      audience.outlets.set(worker, outlet);
      outlet.then(
        (o) => o.router.observer.once('close', () => audience.outlets.delete(worker)),
        () => audience.outlets.delete(worker),
      );
    }
    return (await Promise.allSettled(audience.outlets.values())).flatMap((r) => (r.status === 'fulfilled' && !r.value.closed ? [r.value] : []));
  }

  #closeAudience(roomId: string, audience: Audience): void {
    if (audience.closed) return;
    if (audience.entry !== undefined && this.#audiences.get(roomId) === audience.entry) this.#audiences.delete(roomId);
    this.#teardown(audience);
  }

  #teardown(audience: Audience): void {
    if (audience.closed) return;
    audience.closed = true;
    audience.program.close();
    for (const outlet of audience.outlets.values()) outlet.then((o) => o.router.close(), () => undefined);
    audience.outlets.clear();
    for (const viewer of audience.viewers) viewer.close();
    audience.release();
  }
}
