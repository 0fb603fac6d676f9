/**
 * Joins a room's routers across server processes, so that everybody sees everybody wherever
 * their socket landed. Discovery is not done here: the cluster layer calls `link` when this
 * process and another both have media for a room, `unlink` when one of them no longer does,
 * and `processGone` when a process disappears. Everything after `link` is done here, through
 * messages on a PipeBus: the pipe transports' offer and answer, every local peer and producer
 * (existing and future) both ways, pause, resume and close, and the teardown.
 *
 * A room's router changing under it (its worker died, MediaRoom moved to another) is handled
 * here too: every link of that room is dropped (the other processes drop our producers and
 * peers) and offered again once the new router is up; the local clients reconnect their
 * media as after any worker death and are piped out again as they produce.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { MediaRoom } from '../media/MediaRoom.js';
import type { MediaRooms } from '../media/MediaRooms.js';
import type { MediaAppData, Peer } from '../media/Peer.js';
import type { RtcListenOptions } from '../media/transports.js';
import type { PipeBus } from './pipeBus.js';
import { PipeLink, type LinkPayload, type PipeLinkState } from './PipeLink.js';
import { PIPE_PROTOCOL_VERSION, PipeMessageSchema, type PipeMessageOf } from './pipeMessages.js';

/** How MediaPipes is made. */
export type MediaPipesOptions = {
  bus: PipeBus;
  rooms: MediaRooms;
  /** The same as the WebRTC transports' (config.rtc): the other processes must reach it. */
  listen: RtcListenOptions;
  logger: Logger;
  /** How long an offer waits for its answer before the link is given up. */
  answerTimeoutMs?: number;
};

type MediaPipesEvents = {
  /** Media flows both ways between this process and `processId` for the room. */
  linkopen: [roomId: string, processId: string];
  /** The link is gone (unlinked, failed, the room closed on either side, the process gone). */
  linkclose: [roomId: string, processId: string];
};

/** A link as seen from outside, for health reports and tests. */
export type LinkInfo = { roomId: string; processId: string; state: PipeLinkState };

const DEFAULT_ANSWER_TIMEOUT_MS = 10_000;

/** The pipes between this process's media rooms and the other processes' ones. */
export class MediaPipes extends EventEmitter<MediaPipesEvents> {
  readonly #bus: PipeBus;
  readonly #rooms: MediaRooms;
  readonly #listen: RtcListenOptions;
  readonly #logger: Logger;
  readonly #answerTimeoutMs: number;
  /** By `key(roomId, processId)`: at most one link per room and other process. */
  readonly #links = new Map<string, PipeLink>();
  /** Rooms whose router died, and the processes to offer a link to once it is back. */
  readonly #relink = new Map<string, Set<string>>();
  /** Rooms watched for local peers and producers, and how to stop watching. */
  readonly #watched = new Map<MediaRoom, () => void>();
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor({ bus, rooms, listen, logger, answerTimeoutMs = DEFAULT_ANSWER_TIMEOUT_MS }: MediaPipesOptions) {
    super();
    this.#bus = bus;
    this.#rooms = rooms;
    this.#listen = listen;
    this.#logger = logger;
    this.#answerTimeoutMs = answerTimeoutMs;
    this.#unsubscribe = bus.onMessage((from, message) => this.#onMessage(from, message));
  }

  /**
   * Joins this process's router for the room with `processId`'s. Call it on one of the two
   * processes (either works; both at once also works) once both have media for the room.
   * Idempotent: a link that exists or is being made is left as it is.
   */
  link(roomId: string, processId: string): void {
    if (this.#closed || processId === this.#bus.self || this.#links.has(key(roomId, processId))) return;
    const link = this.#create(roomId, processId, randomUUID(), 'offering');
    link.offer();
    const timer = setTimeout(() => {
      if (this.#links.get(key(roomId, processId)) !== link || link.state !== 'offering') return;
      this.#logger.warn(`pipe: no answer in ${this.#answerTimeoutMs} ms; given up`, { roomId, remote: processId });
      this.#drop(link, true);
    }, this.#answerTimeoutMs);
    // A pending offer is no reason to keep the process alive.
    timer.unref();
  }

  /** Ends the room's link with `processId` on both sides (no-op without one). */
  unlink(roomId: string, processId: string): void {
    this.#relink.get(roomId)?.delete(processId);
    const link = this.#links.get(key(roomId, processId));
    if (link) this.#drop(link, true);
  }

  /** `processId` is gone: drop everything it piped here, without telling it. */
  processGone(processId: string): void {
    for (const remotes of this.#relink.values()) remotes.delete(processId);
    for (const link of [...this.#links.values()]) {
      if (link.remote === processId) this.#drop(link, false);
    }
  }

  /** Every link of this process (or of one room). */
  links(roomId?: string): LinkInfo[] {
    return [...this.#links.values()]
      .filter((link) => roomId === undefined || link.roomId === roomId)
      .map((link) => ({ roomId: link.roomId, processId: link.remote, state: link.state }));
  }

  /** The state of one link, or null without one. */
  linkState(roomId: string, processId: string): PipeLinkState | null {
    return this.#links.get(key(roomId, processId))?.state ?? null;
  }

  /** Drops every link (telling the other processes) and stops listening; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    for (const link of [...this.#links.values()]) this.#drop(link, true);
    for (const unwatch of this.#watched.values()) unwatch();
    this.#watched.clear();
    this.#relink.clear();
    this.removeAllListeners();
  }

  #create(roomId: string, processId: string, linkId: string, state: 'offering' | 'answering'): PipeLink {
    const link: PipeLink = new PipeLink(roomId, processId, linkId, state, {
      rooms: this.#rooms,
      listen: this.#listen,
      logger: this.#logger,
      send: (payload: LinkPayload) => this.#bus.send(processId, { ...payload, roomId, linkId }),
      onRoom: (room) => this.#watch(room),
      onOpen: () => {
        this.#logger.info('pipe: open', { roomId, remote: processId });
        this.emit('linkopen', roomId, processId);
      },
      onFailed: (reason) => this.#failed(link, reason),
    });
    this.#links.set(key(roomId, processId), link);
    return link;
  }

  #onMessage(from: string, raw: unknown): void {
    if (this.#closed || from === this.#bus.self) return;
    const parsed = PipeMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.#logger.warn(`dropped a malformed pipe message from ${from}: ${z.prettifyError(parsed.error)}`);
      return;
    }
    const message = parsed.data;
    const link = this.#links.get(key(message.roomId, from));
    if (message.type === 'pipe:offer') {
      this.#onOffer(from, message, link);
      return;
    }
    if (!link || link.id !== message.linkId) {
      // A message of a link that has ended (or of one the other side ended first): stale.
      this.#logger.debug(`pipe: ${message.type} of an unknown link dropped`, { roomId: message.roomId, remote: from });
      return;
    }
    if (message.type === 'pipe:reject') {
      this.#logger.warn(`pipe: offer rejected (${message.reason})`, { roomId: message.roomId, remote: from });
      this.#drop(link, false);
      return;
    }
    if (message.type === 'pipe:close') {
      this.#drop(link, false);
      return;
    }
    link.handle(message);
  }

  #onOffer(from: string, offer: PipeMessageOf<'pipe:offer'>, existing: PipeLink | undefined): void {
    if (offer.version !== PIPE_PROTOCOL_VERSION) {
      this.#logger.warn(`pipe: offer of protocol ${offer.version}, ours is ${PIPE_PROTOCOL_VERSION}`, { roomId: offer.roomId, remote: from });
      this.#bus.send(from, { type: 'pipe:reject', roomId: offer.roomId, linkId: offer.linkId, reason: 'version' });
      return;
    }
    if (existing) {
      if (existing.id === offer.linkId) return;
      // NOTE: both sides offered at once. The offer of the process with the smaller id wins on
      // both sides: the larger one answers it and forgets its own, which the smaller one ignores.
      if (existing.state === 'offering' && this.#bus.self < from) return;
      // Otherwise the other side has started over (its link ended without our hearing of it):
      // ours mirrors nothing any more.
      this.#drop(existing, false);
    }
    this.#create(offer.roomId, from, offer.linkId, 'answering').answer(offer);
  }

  #failed(link: PipeLink, reason: string): void {
    if (this.#links.get(key(link.roomId, link.remote)) !== link) return;
    if (reason === 'no-room') {
      this.#logger.debug('pipe: no media room here', { roomId: link.roomId, remote: link.remote });
      // Nothing here to join: tell an offerer, so it does not wait for an answer.
      if (link.state === 'answering') {
        this.#bus.send(link.remote, { type: 'pipe:reject', roomId: link.roomId, linkId: link.id, reason: 'no-room' });
      }
      this.#drop(link, false);
      return;
    }
    if (link.room?.closed) {
      // The room closed here (its last participant left): its router took the pipe transport
      // with it. An ordinary end, not a failure; the other side still hears of it.
      this.#logger.debug('pipe: the room closed here', { roomId: link.roomId, remote: link.remote });
      this.#drop(link, true);
      return;
    }
    this.#logger.warn(`pipe: ${reason}; dropped`, { roomId: link.roomId, remote: link.remote });
    this.#drop(link, true);
    const room = link.room;
    if (room && !room.closed && room.router.closed) {
      // NOTE: the worker under the room's router died. MediaRoom moves to a new router and
      // emits 'routerchange'; the link is offered again then (the other side dropped ours when
      // told above, so it takes the new offer whichever side offered first).
      let remotes = this.#relink.get(link.roomId);
      if (!remotes) {
        remotes = new Set();
        this.#relink.set(link.roomId, remotes);
      }
      remotes.add(link.remote);
    }
  }

  #drop(link: PipeLink, notify: boolean): void {
    const k = key(link.roomId, link.remote);
    if (this.#links.get(k) !== link) return;
    this.#links.delete(k);
    link.close(notify);
    this.emit('linkclose', link.roomId, link.remote);
  }

  /** Follows a room's local peers and producers into its links, once per room. */
  #watch(room: MediaRoom): void {
    if (this.#watched.has(room) || room.closed) return;
    const linksOf = (): PipeLink[] => [...this.#links.values()].filter((link) => link.room === room);
    const onProducer = (producer: types.Producer<MediaAppData>): void => {
      for (const link of linksOf()) link.pipeOut(producer);
    };
    const onPeerJoined = (peer: Peer): void => {
      for (const link of linksOf()) link.announcePeer(peer);
    };
    const onPeerLeft = (peerId: string): void => {
      for (const link of linksOf()) link.announceLeft(peerId);
    };
    const onRouterChange = (): void => {
      const remotes = this.#relink.get(room.id);
      this.#relink.delete(room.id);
      for (const remote of remotes ?? []) this.link(room.id, remote);
    };
    const onClose = (): void => {
      unwatch();
      this.#relink.delete(room.id);
      for (const link of linksOf()) this.#drop(link, true);
    };
    const unwatch = (): void => {
      this.#watched.delete(room);
      room.off('producer', onProducer);
      room.off('peerjoined', onPeerJoined);
      room.off('peerleft', onPeerLeft);
      room.off('routerchange', onRouterChange);
      room.off('close', onClose);
    };
    room.on('producer', onProducer);
    room.on('peerjoined', onPeerJoined);
    room.on('peerleft', onPeerLeft);
    room.on('routerchange', onRouterChange);
    room.on('close', onClose);
    this.#watched.set(room, unwatch);
  }
}

function key(roomId: string, processId: string): string {
  return `${roomId}\n${processId}`;
}
