/**
 * Carries each room's new events out of the RoomService: to the room's sockets (filtered by
 * what each participant may see) and into media (server-side mute, spotlight, closing the
 * media of whoever left). One subscription per room per process. Media quality reports go
 * the other way: from the media rooms to the hosts' sockets.
 */
import type { RoomEvent } from '../../signaling/room/events.js';
import { packEvents, type EventsMessage } from '../../signaling/room/eventsMessage.js';
import type { RoomState } from '../../signaling/room/state.js';
import { accessOf, dependsOnViewer, eventForViewer, eventsForLobby, viewersWithOwnView, type Access, type Viewer } from '../../signaling/room/visibility.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { Logger } from '../log.js';
import { enforceMediaPolicy } from '../media/mediaPolicy.js';
import type { MediaRooms, QualityReport } from '../media/MediaRooms.js';
import type { RoomService } from '../rooms/RoomService.js';
import { allChannels, channelsOf, hostsChannel, lobbyChannel, participantChannel, roomChannel, type AppServer, type AppSocket } from './channels.js';
import type { Presence } from './Presence.js';
import { RoomBatches, tallyIntervalFor, type Batch } from './RoomBatches.js';
import { withJson } from './eventsParser.js';

/** Where a room's new state goes for its public viewers (audience/AudienceHub). */
export type AudienceFanOut = { roomChanged(roomId: string, state: RoomState): void };

/** Told of each batch that goes out: its events, and the room's sockets here (the metrics' counters). */
export type FanOutCounter = (events: number, sockets: number) => void;

/** Fans room events out to sockets and media. */
export class RoomHub {
  readonly #io: AppServer;
  readonly #rooms: RoomService;
  readonly #media: MediaRooms;
  readonly #logger: Logger;
  readonly #presence: Presence;
  readonly #cluster: Cluster;
  readonly #audience: AudienceFanOut | undefined;
  readonly #counted: FanOutCounter | undefined;
  readonly #watched = new Map<string, Promise<() => void>>();
  /** Each room's events waiting to go out (a busy room's batches are throttled). */
  readonly #batches: RoomBatches;

  constructor(
    io: AppServer,
    deps: {
      rooms: RoomService;
      media: MediaRooms;
      presence: Presence;
      cluster: Cluster;
      logger: Logger;
      audience?: AudienceFanOut;
      fanOut?: FanOutCounter;
      /** The batches' monotonic clock in ms (performance.now). */
      now?: () => number;
    },
  ) {
    this.#counted = deps.fanOut;
    this.#audience = deps.audience;
    this.#cluster = deps.cluster;
    this.#io = io;
    this.#rooms = deps.rooms;
    this.#media = deps.media;
    this.#presence = deps.presence;
    this.#logger = deps.logger;
    this.#batches = new RoomBatches(
      (roomId, batch) => this.#flush(roomId, batch),
      deps.now,
      (roomId) => tallyIntervalFor(this.#io.sockets.adapter.rooms.get(roomChannel(roomId))?.size ?? 0),
    );
    this.#media.on('quality', this.#onQuality);
    this.#cluster.on('processGone', this.#onProcessGone);
  }

  /** Starts fanning out a room's events (once per process). */
  watch(roomId: string): Promise<void> {
    let watching = this.#watched.get(roomId);
    if (!watching) {
      watching = this.#rooms
        .subscribe(roomId, (events, state) => this.#onEvents(roomId, events, state))
        .then(async (stop) => {
          // Participants listed online whom no live process speaks for get their grace period.
          await this.#presence.reconcile(roomId);
          return stop;
        });
      watching.catch(() => this.#watched.delete(roomId));
      this.#watched.set(roomId, watching);
    }
    return watching.then(() => undefined);
  }

  /** Another process is gone: its participants in the rooms served here are taken over. */
  readonly #onProcessGone = (processId: string): void => {
    for (const roomId of this.#watched.keys()) {
      this.#presence.reconcile(roomId).catch((error: unknown) => {
        this.#logger.warn(`could not take over the participants of process ${processId}`, { roomId }, error);
      });
    }
  };

  /**
   * Puts a joined socket in the channels its participant's status allows now, and sends it what
   * was recorded after `sinceSeq` as far as it may see it (catching up a joiner).
   */
  async place(socket: AppSocket, roomId: string, sinceSeq: number): Promise<void> {
    const viewer = socket.data.viewer;
    const state = await this.#rooms.state(roomId);
    if (!viewer || !state) return;
    // NOTE: no await between reading the state and setting the channels: a batch flushed in
    // between could move this participant (admitted, removed) before the socket is in the
    // channel that tells it.
    const access = accessOf(state, viewer.participantId);
    this.#setChannels(socket, roomId, viewer, access);
    if (access === 'none') return;
    const missed = await this.#rooms.eventsSince(roomId, sinceSeq);
    const events = access === 'lobby' ? eventsForLobby(missed) : missed.map((e) => eventForViewer(e, viewer));
    if (events.length > 0) socket.emit('room:events', { events });
  }

  /** Stops every subscription. */
  async close(): Promise<void> {
    this.#media.off('quality', this.#onQuality);
    this.#cluster.off('processGone', this.#onProcessGone);
    for (const watching of this.#watched.values()) {
      const stop = await watching.catch(() => undefined);
      stop?.();
    }
    this.#watched.clear();
    this.#batches.close();
  }

  /** Connection quality is for the chair's console: hosts only. */
  readonly #onQuality = (roomId: string, report: QualityReport): void => {
    this.#io.to(hostsChannel(roomId)).emit('media:quality', report);
  };

  #onEvents(roomId: string, events: RoomEvent[], state: RoomState): void {
    // NOTE: events go out in batches (RoomBatches): a quiet room's at the end of the turn, a
    // busy room's at most every 20 ms, a vote storm's every 100 ms. In a vote storm on SQLite
    // hundreds of commands finish in one turn; on Redis each command waits for its round trips,
    // so each would end up in a turn (and a message per socket) of its own. A few batches per
    // second instead of a message per vote per socket is what keeps the fan-out linear.
    this.#batches.add(roomId, events, state);
  }

  #flush(roomId: string, { events, state }: Batch): void {
    this.#followStatus(roomId, events, state);
    this.#broadcast(roomId, events, state);
    this.#counted?.(events.length, this.#io.sockets.adapter.rooms.get(roomChannel(roomId))?.size ?? 0);
    const forLobby = eventsForLobby(events);
    if (forLobby.length > 0) this.#io.local.to(lobbyChannel(roomId)).emit('room:events', { events: forLobby });
    this.#audience?.roomChanged(roomId, state);
    this.#applyToMedia(roomId, events, state).catch((error: unknown) => {
      this.#logger.error('media policy failed', { roomId }, error);
    });
  }

  /**
   * Every socket follows its participant's status before the batch goes out: someone admitted
   * leaves the lobby's channel for the meeting's (and, holding only the lobby view, asks for the
   * room); someone denied or removed is told so and disconnected, and receives nothing more;
   * the chair handed over moves the hosts' channel from one to the other.
   */
  #followStatus(roomId: string, events: RoomEvent[], state: RoomState): void {
    for (const e of events) {
      switch (e.type) {
        case 'participant.admitted':
          for (const id of e.data.participantIds) {
            for (const socket of this.#localSockets(roomId, id)) {
              const viewer = socket.data.viewer;
              if (viewer) this.#setChannels(socket, roomId, viewer, accessOf(state, id));
            }
          }
          break;
        case 'room.chairHandedOver':
          // The chair's view (every vote, the lobby, quality) goes with the chair: both sockets
          // change channels now, before the batch goes out, and each client then asks for the
          // room again as its new role sees it.
          for (const id of [e.data.from, e.data.to]) {
            const role = state.participants[id]?.role;
            if (role === undefined) continue;
            for (const socket of this.#localSockets(roomId, id)) {
              const viewer = socket.data.viewer;
              if (!viewer) continue;
              // NOTE: the same object is the connection's membership viewer (roomHandlers), which
              // answers its room:sync: changed in place, both see the new role.
              viewer.role = role;
              this.#setChannels(socket, roomId, viewer, accessOf(state, id));
            }
          }
          break;
        case 'participant.denied':
        case 'participant.removed': {
          const reason = e.type === 'participant.denied' ? 'denied' : 'removed';
          for (const socket of this.#localSockets(roomId, e.data.participantId)) {
            this.#setChannels(socket, roomId, { participantId: e.data.participantId, role: 'public' }, 'none');
            socket.emit('session:closed', { reason });
            socket.disconnect(true);
          }
          break;
        }
        default:
          break;
      }
    }
  }

  /** This process's sockets that speak for a participant. */
  #localSockets(roomId: string, participantId: string): AppSocket[] {
    const ids = this.#io.sockets.adapter.rooms.get(participantChannel(roomId, participantId)) ?? new Set<string>();
    return [...ids].flatMap((id) => {
      const socket = this.#io.sockets.sockets.get(id);
      return socket ? [socket] : [];
    });
  }

  /** Makes a socket's channels of this room exactly those of `access`. */
  #setChannels(socket: AppSocket, roomId: string, viewer: Viewer, access: Access): void {
    const wanted = new Set(channelsOf(roomId, viewer, access));
    for (const channel of allChannels(roomId, viewer.participantId)) {
      if (!wanted.has(channel) && socket.rooms.has(channel)) void socket.leave(channel);
    }
    for (const channel of wanted) if (!socket.rooms.has(channel)) void socket.join(channel);
  }

  /**
   * Sends a batch to the room: as it is when nobody's view differs; otherwise one encoding per
   * kind of viewer (hosts; each participant with a view of their own, such as a voter who sees
   * their own vote or the secretary who sees the minutes; everybody else).
   */
  #broadcast(roomId: string, events: RoomEvent[], state: RoomState): void {
    // NOTE: local only. Every process serving the room follows its log and tells its own
    // sockets, in seq order; sending through the adapter too would deliver every batch once per
    // process (and the adapter's pub/sub loses what is sent while Redis is away; the log does not).
    const io = this.#io.local;
    const all = roomChannel(roomId);
    if (!events.some(dependsOnViewer)) {
      io.to(all).emit('room:events', { events });
      return;
    }
    const hosts = hostsChannel(roomId);
    io.to(hosts).emit('room:events', { events });
    // NOTE: each event is redacted and stringified once per view, not once per recipient:
    // everybody gets the anonymous view of the batch (its runs of votes made compact,
    // eventsMessage.ts), and whoever has a view of their own of some events (a voter's own
    // ballot, the secretary's minutes) gets those beside it as `own`, joined from texts made
    // once (eventsParser). A batch of B votes costs B redactions, one packed text and B small
    // joins, not B × B.
    const anyone: Viewer = { participantId: '', role: 'public' };
    const forAnyone = packEvents(events.map((e) => eventForViewer(e, anyone)));
    const anyoneJson = JSON.stringify(forAnyone);
    const ownEvents = new Map<string, RoomEvent[]>();
    for (const e of events) {
      for (const id of viewersWithOwnView(e, state)) {
        const own = ownEvents.get(id);
        if (own) own.push(e);
        else ownEvents.set(id, [e]);
      }
    }
    const ownChannels: string[] = [];
    for (const [id, own] of ownEvents) {
      const role = state.participants[id]?.role;
      if (role === undefined || role === 'host') continue;
      const channel = participantChannel(roomId, id);
      ownChannels.push(channel);
      const view: Viewer = { participantId: id, role };
      const theirs = own.map((e) => eventForViewer(e, view));
      const message: EventsMessage = { events: forAnyone, own: theirs };
      io.to(channel).except(hosts).emit('room:events', withJson(message, `{"events":${anyoneJson},"own":${JSON.stringify(theirs)}}`));
    }
    const message: EventsMessage = { events: forAnyone };
    io.to(all)
      .except([hosts, ...ownChannels])
      .emit('room:events', withJson(message, `{"events":${anyoneJson}}`));
  }

  async #applyToMedia(roomId: string, events: RoomEvent[], state: RoomState): Promise<void> {
    this.#media.audience.follow(roomId, state);
    const media = await this.#media.find(roomId);
    if (!media) return;
    for (const e of events) {
      const gone =
        e.type === 'participant.left' || e.type === 'participant.removed' || e.type === 'participant.denied'
          ? [e.data.participantId]
          : e.type === 'room.ended'
            ? media.peers().map((p) => p.id)
            : [];
      for (const id of gone) {
        const peer = media.peer(id);
        if (peer) media.leave(peer);
      }
    }
    if (!media.closed) await enforceMediaPolicy(media, state, this.#logger);
  }
}
