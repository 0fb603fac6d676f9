/**
 * The media side of one room on this process: its routers (one per worker, see RoomRouters),
 * its peers, and the rule that everybody receives everybody else's tracks, including tracks
 * piped in from the room's routers on other processes (server/cluster/MediaPipes). Knows
 * nothing of sockets: peers are reached through their sink.
 */
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { ForbiddenError, InvalidStateError, NotFoundError } from '../../signaling/errors.js';
import type { ConsumerInfo, PeerInfo, TransportOptions } from '../../signaling/protocol.js';
import type { DtlsParameters, Produce, RtpCapabilities } from '../../signaling/schemas.js';
import type { Logger } from '../log.js';
import { withClientParameters } from './mediaErrors.js';
import { Peer, type ConsumerLayers, type MediaAppData, type NotificationArgs, type PeerSink } from './Peer.js';
import { alignPaused } from './pauseTurns.js';
import { consumerShouldPause, producerShouldPause, STARTING_LAYERS, topLayers } from './stageLayers.js';
import { RemoteMedia, type RemoteProducer } from './RemoteMedia.js';
import { RoomRouters } from './RoomRouters.js';
import { createWebRtcTransport, transportOptions } from './transports.js';
import type { RouterAppData, WorkerPool } from './WorkerPool.js';

export type { RtcListenOptions } from './transports.js';

/** What a joining (or resuming) peer gets back. */
export type JoinResult = {
  peer: Peer;
  resumed: boolean;
  sendTransport: TransportOptions | null;
  recvTransport: TransportOptions;
  peers: PeerInfo[];
};

type MediaRoomEvents = {
  /** The last local peer left: the owner may close the room. */
  empty: [];
  /** A local peer joined (a resume is not a join). */
  peerjoined: [peer: Peer];
  /** A local peer left for good. */
  peerleft: [peerId: string];
  /** A local peer started a producer. Producers piped in from other processes are not reported. */
  producer: [producer: types.Producer<MediaAppData>];
  /** A peer switched audio-only on or off (the chair's console hears it at once). */
  audioonly: [peer: Peer];
  /** A producer piped in from another process is here (the program may carry it). */
  remoteproducer: [producer: RemoteProducer];
  /** The hub router was replaced after its worker died: everything made on the old one is gone. */
  routerchange: [router: types.Router];
  /** The room closed. */
  close: [];
};

/** One room's routers and peers. */
export class MediaRoom extends EventEmitter<MediaRoomEvents> {
  readonly id: string;
  readonly #pool: WorkerPool;
  readonly #logger: Logger;
  readonly #peers = new Map<string, Peer>();
  /** Peers and producers of this room on other processes (see server/cluster/MediaPipes). */
  readonly #remote = new RemoteMedia();
  /** The hub, where every track of the room is (the observer, the pipes, the program read it). */
  #router: types.Router<RouterAppData>;
  /** The hub and the room's routers on the other workers, where peers are spread. */
  #routers: RoomRouters;
  /** The router each local peer's transports are on. */
  readonly #homes = new Map<string, types.Router<RouterAppData>>();
  #speakerObserver: types.ActiveSpeakerObserver;
  /** Who holds the floor now, as the media policy last said: their cameras are the stage. */
  #stage: ReadonlySet<string> = new Set();
  #closed = false;

  private constructor(
    id: string,
    pool: WorkerPool,
    logger: Logger,
    router: types.Router<RouterAppData>,
    speakerObserver: types.ActiveSpeakerObserver,
  ) {
    super();
    this.id = id;
    this.#pool = pool;
    this.#logger = logger;
    this.#router = router;
    this.#routers = this.#newRouters(router);
    this.#speakerObserver = speakerObserver;
    this.#watchRouter();
  }

  /** Creates a room with a router on the least-loaded worker. */
  static async create(id: string, pool: WorkerPool, logger: Logger): Promise<MediaRoom> {
    const { router, observer } = await MediaRoom.#createRouter(pool);
    return new MediaRoom(id, pool, logger, router, observer);
  }

  static async #createRouter(pool: WorkerPool) {
    const router = await pool.createRouter();
    const observer = await router.createActiveSpeakerObserver({ interval: 300 });
    return { router, observer };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The hub router, which has every track of the room (for the pipes, the program, stats and tests). */
  get router(): types.Router {
    return this.#router;
  }

  /** The worker a local peer's transports are on (for stats and tests). */
  workerOf(peer: Peer): types.Worker | undefined {
    const home = this.#homes.get(peer.id);
    return home && this.#pool.workerOf(home);
  }

  /** Looks up a peer; undefined if it has left. */
  peer(peerId: string): Peer | undefined {
    return this.#peers.get(peerId);
  }

  /** Every local peer, connected or within its grace period. */
  peers(): Peer[] {
    return [...this.#peers.values()];
  }

  /** Every local peer's producers (what other processes receive through pipes). */
  localProducers(): Array<types.Producer<MediaAppData>> {
    return [...this.#peers.values()].flatMap((peer) => [...peer.producers.values()]);
  }

  /** Producers piped in from other processes. */
  remoteProducers(): RemoteProducer[] {
    return this.#remote.producers();
  }

  /** Number of local peers, connected or within their grace period. */
  get size(): number {
    return this.#peers.size;
  }

  /**
   * Adds a peer, or takes back an existing one (resume): either way the peer gets two new
   * transports. Then `startConsuming` makes the consumers of the tracks already in the room.
   */
  async join(
    peerId: string,
    displayName: string,
    rtpCapabilities: RtpCapabilities,
    sink: PeerSink,
    { canSend = true }: { canSend?: boolean } = {},
  ): Promise<JoinResult> {
    if (this.#closed) throw new InvalidStateError('room is closed');
    let peer = this.#peers.get(peerId);
    const resumed = peer !== undefined;
    if (peer) {
      // A resumed peer starts over with fresh transports; the old ones died with the
      // connection (or with the worker). Others learn of its closed producers through their
      // consumers' 'producerclose'.
      peer.closeMedia();
      peer.attach(sink, rtpCapabilities);
    } else {
      peer = new Peer(peerId, displayName, rtpCapabilities, sink);
      this.#peers.set(peerId, peer);
      this.#broadcast(peer, 'peer:joined', { id: peer.id, displayName, producers: [] });
      this.emit('peerjoined', peer);
      // NOTE: a participant sends from one connection at a time. Tracks of theirs still piped
      // in from another process are from before they moved here; that process, if it died,
      // would not close them until it is noticed gone (seconds of a frozen tile for everyone).
      for (const stale of this.#remote.producers()) if (stale.appData.peerId === peerId) stale.close();
    }
    const home = await this.#routers.place();
    this.#homes.set(peer.id, home);
    const [send, recv] = await Promise.all([
      canSend ? createWebRtcTransport(home, peer.id, 'send', this.#logger) : null,
      createWebRtcTransport(home, peer.id, 'recv', this.#logger),
    ]);
    peer.sendTransport = send;
    peer.recvTransport = recv;
    const peers: PeerInfo[] = [];
    for (const other of this.#peers.values()) {
      if (other === peer) continue;
      peers.push({ id: other.id, displayName: other.displayName, producers: other.producerInfos() });
    }
    // A participant who moved here from another process may still be listed there for a moment.
    for (const info of this.#remote.peerInfos()) {
      if (info.id !== peer.id && !this.#peers.has(info.id)) peers.push(info);
    }
    return { peer, resumed, sendTransport: send && transportOptions(send), recvTransport: transportOptions(recv), peers };
  }

  /**
   * Creates consumers (paused) for every track already in the room, here or on other processes,
   * and answers them instead of sending each as `consumer:new`: the caller hands them to the
   * client all at once (the join's answer), so its browser sets them up in one offer/answer
   * round. Tracks that arrive meanwhile come through the fan-out as `consumer:new`.
   */
  async startConsuming(peer: Peer): Promise<ConsumerInfo[]> {
    const producers = [
      ...[...this.#peers.values()].filter((other) => other !== peer).flatMap((other) => [...other.producers.values()]),
      ...this.#remote.producers().filter((producer) => producer.appData.peerId !== peer.id),
    ];
    const infos = await Promise.all(producers.map((producer) => this.#consume(peer, producer)));
    return infos.filter((info): info is ConsumerInfo => info !== null);
  }

  /** Completes DTLS on one of the peer's transports. */
  async connectTransport(peer: Peer, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    const transport = this.#transport(peer, transportId);
    await withClientParameters('transport:connect', () => transport.connect({ dtlsParameters }));
  }

  /** New ICE credentials for one of the peer's transports. */
  async restartIce(peer: Peer, transportId: string): Promise<types.IceParameters> {
    return this.#transport(peer, transportId).restartIce();
  }

  /** Starts receiving a track from the peer and hands it to everybody else. */
  async produce(peer: Peer, request: Produce): Promise<types.Producer<MediaAppData>> {
    const transport = this.#transport(peer, request.transportId);
    if (transport !== peer.sendTransport) throw new InvalidStateError('not a sending transport');
    const selfMuted = request.paused ?? false;
    // NOTE: a microphone the policy silences starts paused on the server, before any packet
    // of it can be forwarded; so does a camera of a peer who is audio-only.
    const paused =
      selfMuted || (request.kind === 'audio' && !peer.audioAllowed) || (request.source === 'camera' && peer.audioOnly);
    const producer = await withClientParameters('media:produce', () =>
      transport.produce<MediaAppData>({
        kind: request.kind,
        rtpParameters: request.rtpParameters,
        paused,
        appData: { peerId: peer.id, source: request.source },
      }),
    );
    peer.producers.set(producer.id, producer);
    if (selfMuted) peer.selfMuted.add(producer.id);
    producer.observer.once('close', () => peer.producers.delete(producer.id));
    // Every track is on the hub too, before anybody hears of it: the observer, the pipes to
    // other processes and the program find it there.
    const home = this.#homes.get(peer.id) ?? this.#router;
    if (home !== this.#router) {
      this.#routers.madeOn(producer, home);
      try {
        await this.#routers.toHub(producer.id);
      } catch (error) {
        producer.close();
        throw error;
      }
    }
    if (producer.kind === 'audio') {
      await this.#speakerObserver.addProducer({ producerId: producer.id });
    }
    // NOTE: the sender gets its answer now; the consumers for everybody else are created
    // concurrently afterwards (one worker request each), not one after the other before it.
    this.#fanOut(producer);
    this.emit('producer', producer);
    return producer;
  }

  /** A peer on another process is in this room too. */
  addRemotePeer(origin: string, peerId: string, displayName: string): void {
    if (this.#closed) return;
    if (this.#remote.addPeer(origin, peerId, displayName) && !this.#peers.has(peerId)) {
      this.#broadcast(null, 'peer:joined', { id: peerId, displayName, producers: [] });
    }
  }

  /** A peer on another process left (or that process is no longer linked). */
  removeRemotePeer(origin: string, peerId: string): void {
    if (this.#closed) return;
    if (this.#remote.removePeer(origin, peerId) && !this.#peers.has(peerId)) {
      this.#broadcast(null, 'peer:left', { peerId });
    }
  }

  /**
   * A producer piped in from another process (made on this room's router): local peers
   * receive it like a local one until it closes.
   */
  async addRemoteProducer(origin: string, producer: RemoteProducer): Promise<void> {
    if (this.#closed) throw new InvalidStateError('room is closed');
    this.#remote.addProducer(origin, producer);
    if (producer.kind === 'audio') {
      await this.#speakerObserver.addProducer({ producerId: producer.id });
    }
    this.#fanOut(producer);
    this.emit('remoteproducer', producer);
  }

  /** Forgets everything one process brought; its producers close (their consumers with them). */
  dropRemote(origin: string): void {
    for (const producer of this.#remote.producersOf(origin)) producer.close();
    for (const peerId of this.#remote.peersOf(origin)) this.removeRemotePeer(origin, peerId);
  }

  /** Pauses, resumes or closes one of the peer's own producers. */
  async controlProducer(peer: Peer, producerId: string, action: 'pause' | 'resume' | 'close'): Promise<void> {
    const producer = peer.producers.get(producerId);
    if (!producer) throw new NotFoundError(`producer ${producerId} not found`);
    if (action === 'close') {
      producer.close();
      return;
    }
    if (action === 'pause') {
      peer.selfMuted.add(producer.id);
      await alignPaused(producer, () => producerShouldPause(peer, producer));
      return;
    }
    // The participant wants to be heard; if the room does not allow it yet, the media policy
    // resumes the microphone by itself when it does (floor granted, unmute allowed). An
    // audio-only peer's camera stays paused; it comes back when audio-only ends.
    peer.selfMuted.delete(producer.id);
    if (producer.kind === 'audio' && !peer.audioAllowed) {
      throw new ForbiddenError('you cannot be heard now: wait for the floor or for the host');
    }
    await alignPaused(producer, () => producerShouldPause(peer, producer));
  }

  /**
   * Resumes or pauses forwarding to one of the peer's consumers, as its client wishes; an
   * audio-only peer's video off the stage stays paused whatever the wish.
   */
  async controlConsumer(peer: Peer, consumerId: string, action: 'pause' | 'resume'): Promise<void> {
    const consumer = this.#consumer(peer, consumerId);
    if (action === 'pause') peer.clientPaused.add(consumer.id);
    else peer.clientPaused.delete(consumer.id);
    await this.#alignConsumer(peer, consumer);
  }

  /**
   * Chooses the simulcast layers forwarded to one of the peer's consumers. The ask is kept: the
   * floor raises its speaker's camera to the top layer and gives this back when the floor moves.
   */
  async setConsumerLayers(peer: Peer, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    const consumer = this.#consumer(peer, consumerId);
    if (consumer.kind !== 'video') throw new InvalidStateError('layers apply to video only');
    const layers: ConsumerLayers = temporalLayer === undefined ? { spatialLayer } : { spatialLayer, temporalLayer };
    peer.layerAsks.set(consumer.id, layers);
    await consumer.setPreferredLayers(layers);
  }

  /**
   * The floor holders now (from the media policy). A camera that comes onto the stage is raised
   * to its top simulcast layer for everybody, whatever their page asked for its small tile, so
   * a page that never asks still shows the speaker sharp; one that leaves the stage gets back
   * what each page last asked (or the lowest layer every camera consumer starts at, if it never
   * asked: STARTING_LAYERS).
   * An audio-only peer's video follows the stage: the floor holder's camera is forwarded.
   */
  async setStage(holders: ReadonlySet<string>): Promise<void> {
    const before = this.#stage;
    this.#stage = new Set(holders);
    const tasks: Array<Promise<void>> = [];
    for (const peer of this.#peers.values()) {
      for (const consumer of peer.consumers.values()) {
        if (consumer.kind !== 'video' || consumer.appData.source !== 'camera' || consumer.closed) continue;
        const owner = consumer.appData.peerId;
        const layers = holders.has(owner) && !before.has(owner)
          ? topLayers(consumer)
          : before.has(owner) && !holders.has(owner)
            ? (peer.layerAsks.get(consumer.id) ?? (topLayers(consumer) === null ? null : STARTING_LAYERS))
            : null;
        if (layers !== null) tasks.push(ignoreIfClosed(consumer, consumer.setPreferredLayers(layers)));
      }
      tasks.push(this.#alignConsumers(peer));
    }
    await Promise.all(tasks);
  }

  /**
   * Audio-only on or off for a peer: its camera is paused on the server (nobody receives it,
   * even from a client that keeps sending) and its video consumers off the stage are paused.
   */
  async setAudioOnly(peer: Peer, on: boolean): Promise<void> {
    if (peer.audioOnly === on) return;
    peer.audioOnly = on;
    const tasks: Array<Promise<void>> = [this.#alignConsumers(peer)];
    for (const producer of peer.producers.values()) {
      if (producer.appData.source !== 'camera' || producer.closed) continue;
      tasks.push(ignoreIfClosed(producer, alignPaused(producer, () => producerShouldPause(peer, producer))));
    }
    await Promise.all(tasks);
    this.emit('audioonly', peer);
  }

  /** Pauses or resumes each of the peer's consumers as its client and audio-only want. */
  async #alignConsumers(peer: Peer): Promise<void> {
    await Promise.all([...peer.consumers.values()].map((consumer) => this.#alignConsumer(peer, consumer)));
  }

  async #alignConsumer(peer: Peer, consumer: types.Consumer<MediaAppData>): Promise<void> {
    await ignoreIfClosed(consumer, alignPaused(consumer, () => consumerShouldPause(peer, consumer, this.#stage)));
  }

  /** The connection dropped: close the media, keep the participant for a resume. */
  disconnect(peer: Peer): void {
    peer.closeMedia();
    peer.detach();
  }

  /** The peer leaves for good. */
  leave(peer: Peer): void {
    if (this.#peers.get(peer.id) !== peer) return;
    peer.closeMedia();
    peer.close();
    this.#peers.delete(peer.id);
    this.#homes.delete(peer.id);
    if (!this.#remote.hasPeer(peer.id)) this.#broadcast(peer, 'peer:left', { peerId: peer.id });
    this.emit('peerleft', peer.id);
    if (this.#peers.size === 0) this.emit('empty');
  }

  /** Closes the router and every peer; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
    this.#remote.clear();
    this.#homes.clear();
    this.#routers.closeOthers();
    this.#router.close();
    this.emit('close');
    this.removeAllListeners();
  }

  /** Creates consumers of a new producer for every connected local peer but its owner. */
  #fanOut(producer: types.Producer<MediaAppData>): void {
    const others = [...this.#peers.values()].filter((other) => other.id !== producer.appData.peerId && other.connected);
    const announce = async (other: Peer): Promise<void> => {
      const info = await this.#consume(other, producer);
      if (info !== null) other.send('consumer:new', info);
    };
    Promise.all(others.map(announce)).catch((error: unknown) => {
      this.#logger.warn(`consumers of ${producer.id} could not all be created`, error);
    });
  }

  /**
   * A consumer of `producer` for `peer`, paused; answers what its client needs to set it up
   * (null: none made). Its later notifications (closed, paused) go to the peer from here on: the
   * caller must hand the answer to the client before anything the peer is sent after it.
   */
  async #consume(peer: Peer, producer: types.Producer<MediaAppData>): Promise<ConsumerInfo | null> {
    const transport = peer.recvTransport;
    if (!transport || transport.closed || producer.closed) return null;
    // A newcomer's startConsuming and a producer's fan-out can both reach the same pair.
    if (peer.receiving.has(producer.id)) return null;
    peer.receiving.add(producer.id);
    // The track onto the peer's router first, if it was sent on another one (a pipe, made once).
    const home = this.#homes.get(peer.id) ?? this.#router;
    try {
      await this.#routers.reach(producer.id, home);
    } catch (error) {
      peer.receiving.delete(producer.id);
      // The track or the peer's router closed meanwhile: nothing to receive any more.
      if (producer.closed || transport.closed) return null;
      throw error;
    }
    if (!home.canConsume({ producerId: producer.id, rtpCapabilities: peer.rtpCapabilities })) {
      peer.receiving.delete(producer.id);
      if (producer.closed || transport.closed) return null;
      this.#logger.warn(`cannot receive ${producer.kind} of ${producer.appData.peerId}`, { participantId: peer.id });
      return null;
    }
    // NOTE: consumers start paused; the client resumes them once its side is set up, so
    // the first packets (and the key frame the resume requests) are not lost.
    let consumer: types.Consumer<MediaAppData>;
    try {
      consumer = await transport.consume<MediaAppData>({
        producerId: producer.id,
        rtpCapabilities: peer.rtpCapabilities,
        paused: true,
        // Ignored by a consumer without layers (a microphone, a single-encoding screen share).
        ...(producer.appData.source === 'camera' ? { preferredLayers: STARTING_LAYERS } : {}),
        appData: producer.appData,
      });
    } catch (error) {
      peer.receiving.delete(producer.id);
      // The producer or the transport closed meanwhile: nothing to receive any more.
      if (producer.closed || transport.closed) return null;
      throw error;
    }
    peer.consumers.set(consumer.id, consumer);
    // Created paused: paused as far as the client is concerned until it resumes it.
    peer.clientPaused.add(consumer.id);
    consumer.observer.once('close', () => {
      peer.consumers.delete(consumer.id);
      peer.receiving.delete(producer.id);
      peer.clientPaused.delete(consumer.id);
      peer.layerAsks.delete(consumer.id);
    });
    // A camera that holds the floor already is on everybody's stage: its top layer, as setStage gives.
    const top = this.#stage.has(producer.appData.peerId) && producer.appData.source === 'camera' ? topLayers(consumer) : null;
    if (top !== null) await ignoreIfClosed(consumer, consumer.setPreferredLayers(top));
    // Closed meanwhile (its producer went): the client never needs to hear of it.
    if (consumer.closed) return null;
    consumer.on('producerclose', () => peer.send('consumer:closed', { consumerId: consumer.id }));
    consumer.on('producerpause', () => peer.send('consumer:producerPaused', { consumerId: consumer.id, paused: true }));
    consumer.on('producerresume', () =>
      peer.send('consumer:producerPaused', { consumerId: consumer.id, paused: false }),
    );
    return {
      id: consumer.id,
      producerId: producer.id,
      peerId: producer.appData.peerId,
      kind: consumer.kind,
      source: producer.appData.source,
      rtpParameters: consumer.rtpParameters,
      producerPaused: consumer.producerPaused,
    };
  }

  #transport(peer: Peer, transportId: string): types.WebRtcTransport {
    const transport = peer.transport(transportId);
    if (!transport) throw new NotFoundError(`transport ${transportId} not found`);
    return transport;
  }

  #consumer(peer: Peer, consumerId: string): types.Consumer<MediaAppData> {
    const consumer = peer.consumers.get(consumerId);
    if (!consumer) throw new NotFoundError(`consumer ${consumerId} not found`);
    return consumer;
  }

  #broadcast<E extends 'peer:joined' | 'peer:left'>(
    except: Peer | null,
    event: E,
    ...args: NotificationArgs<E>
  ): void {
    for (const peer of this.#peers.values()) {
      if (peer !== except) peer.send(event, ...args);
    }
  }

  #watchRouter(): void {
    this.#speakerObserver.on('dominantspeaker', ({ producer }) => {
      const peerId = this.#producerOwner(producer.id);
      for (const peer of this.#peers.values()) peer.send('speaker:active', { peerId });
    });
    this.#router.once('workerclose', () => {
      this.#logger.warn('the mediasoup worker of the room died; moving to another');
      for (const peer of this.#peers.values()) peer.closeMedia();
      void this.#recoverRouter();
    });
  }

  async #recoverRouter(): Promise<void> {
    for (let attempt = 1; !this.#closed; attempt++) {
      try {
        const { router, observer } = await MediaRoom.#createRouter(this.#pool);
        if (this.#closed) {
          router.close();
          return;
        }
        this.#routers.closeOthers();
        this.#router = router;
        this.#routers = this.#newRouters(router);
        this.#homes.clear();
        this.#speakerObserver = observer;
        this.#watchRouter();
        this.emit('routerchange', router);
        for (const peer of this.#peers.values()) peer.send('media:reconnect', { reason: 'worker-died' });
        return;
      } catch (error) {
        this.#logger.warn(`no router yet (attempt ${attempt})`, error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * attempt)));
      }
    }
  }

  /** The room's routers over `hub`; a peer whose router loses its worker is told to reconnect. */
  #newRouters(hub: types.Router<RouterAppData>): RoomRouters {
    return new RoomRouters(this.#pool, hub, (lost) => {
      if (this.#closed) return;
      const stranded = [...this.#peers.values()].filter((peer) => this.#homes.get(peer.id) === lost);
      this.#logger.warn(`a mediasoup worker of the room died; ${stranded.length} participant(s) move to another`);
      for (const peer of stranded) {
        this.#homes.delete(peer.id);
        peer.closeMedia();
        peer.send('media:reconnect', { reason: 'worker-died' });
      }
    });
  }

  #producerOwner(producerId: string): string | null {
    for (const peer of this.#peers.values()) {
      if (peer.producers.has(producerId)) return peer.id;
    }
    return this.#remote.producer(producerId)?.appData.peerId ?? null;
  }
}

/**
 * A request about a producer or consumer that closed meanwhile (its peer left, its track
 * ended) has nothing left to do; anything else is still an error.
 */
async function ignoreIfClosed(target: { readonly closed: boolean }, request: Promise<void>): Promise<void> {
  try {
    await request;
  } catch (error) {
    if (!target.closed) throw error;
  }
}
