/**
 * The audience's side of the fan-out: each room's public view goes to its viewers when it
 * changed, batched (at most every VIEW_INTERVAL_MS per room), sent by each process to its own
 * viewers through `io.local`, a slice at a time (every process follows the room's log). The
 * counts move in rounds of `countsMs`: a crowd arriving changes the view once a round, not once
 * a viewer. The comments' news for viewers on 留言 is AudienceComments'.
 */
import { publicView } from '../../../signaling/audienceView.js';
import type { PublicView } from '../../../signaling/audience.js';
import type { RoomState } from '../../../signaling/room/state.js';
import type { Cluster } from '../../cluster/Cluster.js';
import type { Logger } from '../../log.js';
import type { RoomService } from '../../rooms/RoomService.js';
import type { AppServer } from '../channels.js';
import { AudienceComments } from './AudienceComments.js';
import { AudienceCounts, type Counts } from './AudienceCounts.js';
import { TurnQueue } from '../TurnQueue.js';
import type { ViewerMedia } from './viewerMedia.js';
import type { VisitStore } from './visitStore.js';

/** The shortest time between two views of one room while the meeting keeps changing. */
const VIEW_INTERVAL_MS = 250;

/**
 * Viewers sent a view in one turn of the event loop. NOTE: a send is a write to each socket
 * (~10 µs); to thousands at once it held the room's commands up for tens of ms. Between two
 * slices the event loop yields, so a host's command waits for one slice at most.
 */
export const VIEW_SLICE = 256;

/** Viewers' joins that go on in one turn of the event loop (TurnQueue). */
const JOINS_PER_TURN = 8;

const NO_COUNTS: Counts = { online: 0, visits: 0 };

/**
 * A viewer connected to this process: its socket's id, whether it is sent views yet (once its
 * join was answered) and the comments' news (while its page shows them), its program media once
 * it asked to watch.
 */
export type LocalViewer = {
  roomId: string;
  viewerId: string;
  socketId: string;
  listening: boolean;
  followsComments: boolean;
  media: ViewerMedia | null;
  opening: Promise<ViewerMedia> | null;
};

export class AudienceHub {
  readonly #io: AppServer;
  readonly #rooms: Pick<RoomService, 'state'>;
  readonly #logger: Logger;
  readonly counts: AudienceCounts;
  /** The comments' news for the viewers that follow them. */
  readonly comments: AudienceComments;
  /** The viewers' joins, taking turns so that a crowd arriving leaves the room's commands room. */
  readonly joins = new TurnQueue(JOINS_PER_TURN);
  /** This process's viewers, per room (their media is closed when the meeting ends). */
  readonly #viewers = new Map<string, Set<LocalViewer>>();
  /** The latest state of each room with viewers here, and the counts shown with it. */
  readonly #states = new Map<string, RoomState>();
  readonly #shownCounts = new Map<string, Counts>();
  /** The view each room's viewers were sent last (its JSON), to send only a changed one. */
  readonly #sent = new Map<string, string>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #lastSent = new Map<string, number>();
  /** Rooms whose view is being sent (slice by slice), and those changed again meanwhile. */
  readonly #sending = new Set<string>();
  readonly #again = new Set<string>();
  readonly #slice: number;
  readonly #round: NodeJS.Timeout;
  readonly #meetingJsons = new WeakMap<RoomState, string>();

  constructor(io: AppServer, deps: { rooms: Pick<RoomService, 'state'>; cluster: Cluster; visits: VisitStore; logger: Logger; countsMs: number; slice?: number }) {
    this.#io = io;
    this.#slice = deps.slice ?? VIEW_SLICE;
    this.#rooms = deps.rooms;
    this.#logger = deps.logger;
    this.counts = new AudienceCounts({ cluster: deps.cluster, visits: deps.visits, logger: deps.logger, shareMs: deps.countsMs });
    this.comments = new AudienceComments({ io, cluster: deps.cluster, viewers: (roomId) => this.#viewers.get(roomId), logger: deps.logger, slice: this.#slice });
    this.#round = setInterval(() => this.#countsRound(), deps.countsMs);
    this.#round.unref();
  }

  /** A viewer is in: counted, and remembered until `leave`. */
  async enter(viewer: LocalViewer): Promise<void> {
    await this.counts.load(viewer.roomId);
    let set = this.#viewers.get(viewer.roomId);
    if (!set) {
      set = new Set();
      this.#viewers.set(viewer.roomId, set);
    }
    set.add(viewer);
    this.counts.arrive(viewer.roomId);
  }

  /** A viewer is gone: its media closed, one fewer online. */
  leave(viewer: LocalViewer): void {
    const set = this.#viewers.get(viewer.roomId);
    if (!set?.delete(viewer)) return;
    viewer.media?.close();
    this.counts.depart(viewer.roomId);
    if (set.size === 0) {
      this.#viewers.delete(viewer.roomId);
      this.#forget(viewer.roomId);
    }
  }

  /**
   * The view as a viewer joining now sees it (its own arrival counted), and the state it shows
   * (for `changedSince`). The state is kept from the first viewer on: a crowd's joins read no store.
   */
  async view(roomId: string): Promise<{ view: PublicView; state: RoomState } | null> {
    let state = this.#states.get(roomId);
    if (!state) {
      state = await this.#rooms.state(roomId);
      if (!state) return null;
      // NOTE: kept only while the room has viewers here (roomChanged keeps it current from then
      // on; a newer state set meanwhile is not replaced by this older read).
      if (this.#viewers.has(roomId) && !this.#states.has(roomId)) this.#states.set(roomId, state);
    }
    return { view: publicView(state, this.counts.counts(roomId)), state };
  }

  /**
   * The room's view now if what the public sees of the meeting changed since `state`, else null
   * (counts alone wait for their round, as everybody's do).
   */
  changedSince(roomId: string, state: RoomState): PublicView | null {
    const now = this.#states.get(roomId);
    if (!now || now === state || this.#meetingJson(now) === this.#meetingJson(state)) return null;
    return publicView(now, this.#shownCounts.get(roomId) ?? this.counts.counts(roomId));
  }

  /** What the public sees of a state without the counts, as JSON: made once per state, however many join. */
  #meetingJson(state: RoomState): string {
    let json = this.#meetingJsons.get(state);
    if (json === undefined) {
      json = JSON.stringify(publicView(state, NO_COUNTS));
      this.#meetingJsons.set(state, json);
    }
    return json;
  }

  /** The room changed (RoomHub's flush, once per batch): its viewers here get the new view soon. */
  roomChanged(roomId: string, state: RoomState): void {
    if (!this.#viewers.has(roomId)) return;
    this.#states.set(roomId, state);
    if (state.ended) {
      // The final view still goes out (below); the program it showed is over.
      for (const viewer of this.#viewers.get(roomId) ?? []) {
        viewer.media?.close();
        viewer.media = null;
        viewer.opening = null;
      }
    }
    this.#schedule(roomId);
  }

  close(): void {
    clearInterval(this.#round);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const set of this.#viewers.values()) for (const viewer of set) viewer.media?.close();
    this.#viewers.clear();
    this.counts.close();
    this.comments.close();
  }

  #schedule(roomId: string): void {
    if (this.#timers.has(roomId)) return;
    const wait = Math.max(0, (this.#lastSent.get(roomId) ?? -Infinity) + VIEW_INTERVAL_MS - performance.now());
    const timer = setTimeout(() => {
      this.#timers.delete(roomId);
      // One send at a time per room, so that every viewer gets the views in order.
      if (this.#sending.has(roomId)) {
        this.#again.add(roomId);
        return;
      }
      this.#sending.add(roomId);
      this.#send(roomId)
        .catch((error: unknown) => this.#logger.warn('could not send the public view', { roomId }, error))
        .finally(() => {
          this.#sending.delete(roomId);
          if (this.#again.delete(roomId)) this.#schedule(roomId);
        });
    }, wait);
    this.#timers.set(roomId, timer);
  }

  async #send(roomId: string): Promise<void> {
    if (!this.#viewers.has(roomId)) return;
    let state = this.#states.get(roomId);
    if (!state) {
      state = await this.#rooms.state(roomId);
      if (!state || !this.#viewers.has(roomId)) return;
      this.#states.set(roomId, state);
    }
    const counts = this.#shownCounts.get(roomId) ?? this.counts.counts(roomId);
    const view = publicView(state, counts);
    const json = JSON.stringify(view);
    if (this.#sent.get(roomId) === json) return;
    this.#sent.set(roomId, json);
    this.#lastSent.set(roomId, performance.now());
    // NOTE: to the viewers' own sockets, a slice at a time (VIEW_SLICE); each emit encodes the
    // view once for its slice. Viewers arriving meanwhile are reached if the send gets to them.
    let slice: string[] = [];
    for (const viewer of this.#viewers.get(roomId) ?? []) {
      if (!viewer.listening) continue;
      slice.push(viewer.socketId);
      if (slice.length < this.#slice) continue;
      this.#io.local.to(slice).emit('audience:view', view);
      slice = [];
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (slice.length > 0) this.#io.local.to(slice).emit('audience:view', view);
  }

  /** A round of counts: shared with the other processes, stored, and shown if they moved. */
  #countsRound(): void {
    this.counts
      .round()
      .then(() => {
        for (const roomId of this.#viewers.keys()) {
          const now = this.counts.counts(roomId);
          const shown = this.#shownCounts.get(roomId);
          if (shown?.online === now.online && shown.visits === now.visits) continue;
          this.#shownCounts.set(roomId, now);
          this.#schedule(roomId);
        }
      })
      .catch((error: unknown) => this.#logger.warn('audience counts round failed', error));
  }

  #forget(roomId: string): void {
    const timer = this.#timers.get(roomId);
    if (timer) clearTimeout(timer);
    for (const map of [this.#timers, this.#states, this.#shownCounts, this.#sent, this.#lastSent]) map.delete(roomId);
  }
}
