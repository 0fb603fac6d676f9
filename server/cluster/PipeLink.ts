/**
 * One room's routers on two processes, joined by a pair of mediasoup PipeTransports (this
 * process's end lives here). Each side pipes its own local producers to the other: a pipe
 * consumer of the local producer here, a producer with the same id on the other router there,
 * which that room's peers then consume like their own. Producers piped in are never piped on:
 * every pair of processes sharing a room has its own link (a full mesh), so a producer crosses
 * exactly one pipe.
 */
import type { types } from 'mediasoup';
import { assertNever } from '../../signaling/room/util.js';
import type { Logger } from '../log.js';
import type { MediaRoom } from '../media/MediaRoom.js';
import type { MediaRooms } from '../media/MediaRooms.js';
import type { MediaAppData, Peer } from '../media/Peer.js';
import { listenInfo, type RtcListenOptions } from '../media/transports.js';
import { PIPE_PROTOCOL_VERSION, type PipeMessage, type PipeMessageOf } from './pipeMessages.js';

/** Where a link is: waiting for its answer, making its answer, or carrying media. */
export type PipeLinkState = 'offering' | 'answering' | 'open' | 'closed';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A message of this link, before its room and link ids are added. */
export type LinkPayload = DistributiveOmit<PipeMessage, 'roomId' | 'linkId'>;

/** What a link needs from the process around it. */
export type PipeLinkContext = {
  rooms: MediaRooms;
  listen: RtcListenOptions;
  logger: Logger;
  /** Sends one message of this link to the other process. */
  send: (payload: LinkPayload) => void;
  /** The link found its room (to watch it for new producers and peers). */
  onRoom: (room: MediaRoom) => void;
  /** The link is open: media flows both ways. */
  onOpen: () => void;
  /** The link cannot go on (no room here, its transport died, a step failed). */
  onFailed: (reason: string) => void;
};

/** A local producer being piped out, and how to stop following it. */
type Outgoing = { consumer: types.Consumer | null; detach: () => void };

/**
 * Pipe transport options. SRTP: the processes may be on different machines ("several nodes
 * behind one Redis"), and a consultation's voices would otherwise cross the network in clear
 * RTP while every browser's leg is DTLS-SRTP; the keys travel over the bus (Redis), which
 * already holds the meeting's record and must be protected anyway. RTX/NACK: mediasoup's own
 * pipeToRouter leaves it off because its routers share one host; ours may not, and without it
 * a packet lost between the routers is lost for every receiver on the far side (a video frozen
 * until the next key frame), since the far router cannot retransmit what it never got. With
 * it, the receiving end asks the sending end's buffer again. It applies to video only (our
 * Opus has no NACK) and costs nothing on a loss-free path.
 */
const PIPE_OPTIONS = { enableSrtp: true, enableRtx: true, enableSctp: false } as const;

/** This process's end of one room's pipe to one other process. */
export class PipeLink {
  readonly roomId: string;
  /** The other process's id. */
  readonly remote: string;
  /** Chosen by the offerer; every message of the link carries it. */
  readonly id: string;
  readonly #context: PipeLinkContext;
  readonly #outgoing = new Map<string, Outgoing>();
  readonly #incoming = new Map<string, types.Producer<MediaAppData>>();
  #state: PipeLinkState;
  #room: MediaRoom | null = null;
  #transport: types.PipeTransport | null = null;
  /** Steps run one after the other: messages of a link are handled in the order they came. */
  #queue: Promise<void> = Promise.resolve();

  constructor(roomId: string, remote: string, id: string, state: 'offering' | 'answering', context: PipeLinkContext) {
    this.roomId = roomId;
    this.remote = remote;
    this.id = id;
    this.#state = state;
    this.#context = context;
  }

  get state(): PipeLinkState {
    return this.#state;
  }

  /** The room this link serves, once found. */
  get room(): MediaRoom | null {
    return this.#room;
  }

  /** Makes this end and offers it. */
  offer(): void {
    this.#run('offer', true, async () => {
      const transport = await this.#createTransport();
      if (!transport) return;
      this.#context.send({ type: 'pipe:offer', version: PIPE_PROTOCOL_VERSION, ...endpoint(transport) });
    });
  }

  /** Makes this end, connects it to the offerer's and answers. */
  answer(offer: PipeMessageOf<'pipe:offer'>): void {
    this.#run('answer', true, async () => {
      const transport = await this.#createTransport();
      if (!transport) return;
      await transport.connect({ ip: offer.ip, port: offer.port, srtpParameters: offer.srtp });
      if (this.#isClosed()) return;
      this.#context.send({ type: 'pipe:answer', ...endpoint(transport) });
      this.#open();
    });
  }

  /** Handles a message of this link (the caller checked the link id). */
  handle(message: PipeMessage): void {
    // Without its answer a link carries nothing; one producer that could not be made is
    // logged, and the rest of the link goes on.
    this.#run(message.type, message.type === 'pipe:answer', async () => {
      switch (message.type) {
        case 'pipe:answer':
          return this.#onAnswer(message);
        case 'peer:joined':
          this.#room?.addRemotePeer(this.remote, message.peerId, message.displayName);
          return;
        case 'peer:left':
          this.#room?.removeRemotePeer(this.remote, message.peerId);
          return;
        case 'producer:open':
          return this.#pipeIn(message);
        case 'producer:paused': {
          const producer = this.#incoming.get(message.producerId);
          // Unknown: it could not be made here, or closed meanwhile; its state no longer matters.
          if (!producer || producer.closed) return;
          if (message.paused) await producer.pause();
          else await producer.resume();
          return;
        }
        case 'producer:close':
          this.#incoming.get(message.producerId)?.close();
          return;
        case 'pipe:offer':
        case 'pipe:reject':
        case 'pipe:close':
          // The link's owner handles these: they make or end links.
          this.#context.logger.warn(`pipe: ${message.type} is not for a link`, { roomId: this.roomId, remote: this.remote });
          return;
        default:
          return assertNever(message);
      }
    });
  }

  /** Starts piping a local producer to the other process (once per producer). */
  pipeOut(producer: types.Producer<MediaAppData>): void {
    const transport = this.#transport;
    if (this.#state !== 'open' || !transport || this.#outgoing.has(producer.id) || producer.closed) return;
    const outgoing: Outgoing = { consumer: null, detach: () => undefined };
    this.#outgoing.set(producer.id, outgoing);
    transport.consume({ producerId: producer.id }).then(
      (consumer) => {
        // The producer or the link may have closed while the worker made the pipe consumer.
        if (producer.closed || this.#outgoing.get(producer.id) !== outgoing || this.#state !== 'open') {
          consumer.close();
          if (this.#outgoing.get(producer.id) === outgoing) this.#outgoing.delete(producer.id);
          return;
        }
        outgoing.consumer = consumer;
        // NOTE: `paused` is read now, not from when the pipe consumer was requested, and every
        // later pause or resume follows as its own message on the same ordered channel, so the
        // far side ends in the source's state. RTP that reaches the far router before its twin
        // producer exists is dropped there; that is harmless, because far consumers start
        // paused and ask for a key frame (through the pipe, back to the source) when resumed.
        this.#context.send({
          type: 'producer:open',
          producerId: producer.id,
          kind: producer.kind,
          rtpParameters: consumer.rtpParameters,
          paused: producer.paused,
          peerId: producer.appData.peerId,
          source: producer.appData.source,
        });
        outgoing.detach = this.#follow(producer, consumer);
      },
      (error: unknown) => {
        if (this.#outgoing.get(producer.id) === outgoing) this.#outgoing.delete(producer.id);
        // A producer that closed meanwhile is no loss; anything else is worth a line.
        if (!producer.closed && this.#state === 'open') {
          this.#context.logger.warn(`pipe: could not pipe ${producer.id}`, { roomId: this.roomId, remote: this.remote }, error);
        }
      },
    );
  }

  /** Tells the other process about a local peer. */
  announcePeer(peer: Peer): void {
    if (this.#state !== 'open') return;
    this.#context.send({ type: 'peer:joined', peerId: peer.id, displayName: peer.displayName });
  }

  /** Tells the other process a local peer left. */
  announceLeft(peerId: string): void {
    if (this.#state !== 'open') return;
    this.#context.send({ type: 'peer:left', peerId });
  }

  /**
   * Ends this end: closes the pipe transport (so the producers piped in close, and with them
   * their local consumers: clients get `consumer:closed`) and forgets the other side's peers.
   * Tells the other process when `notify`. Safe to call twice.
   */
  close(notify: boolean): void {
    if (this.#isClosed()) return;
    this.#state = 'closed';
    if (notify) this.#context.send({ type: 'pipe:close' });
    for (const outgoing of this.#outgoing.values()) outgoing.detach();
    this.#outgoing.clear();
    this.#transport?.close();
    this.#transport = null;
    this.#incoming.clear();
    this.#room?.dropRemote(this.remote);
  }

  async #createTransport(): Promise<types.PipeTransport | null> {
    const room = await this.#context.rooms.find(this.roomId);
    if (this.#isClosed()) return null;
    if (!room || room.closed) {
      this.#context.onFailed('no-room');
      return null;
    }
    this.#room = room;
    this.#context.onRoom(room);
    const transport = await room.router.createPipeTransport({
      listenInfo: listenInfo(this.#context.listen, 'udp'),
      ...PIPE_OPTIONS,
      appData: { roomId: this.roomId, remote: this.remote },
    });
    if (this.#isClosed()) {
      transport.close();
      return null;
    }
    this.#transport = transport;
    // Only this link closes its transport, except a worker that dies under the router.
    transport.observer.once('close', () => {
      if (this.#state !== 'closed') this.#context.onFailed('transport closed');
    });
    return transport;
  }

  async #onAnswer(answer: PipeMessageOf<'pipe:answer'>): Promise<void> {
    const transport = this.#transport;
    if (this.#state !== 'offering' || !transport) {
      this.#context.logger.warn(`pipe: an answer in state ${this.#state}`, { roomId: this.roomId, remote: this.remote });
      return;
    }
    await transport.connect({ ip: answer.ip, port: answer.port, srtpParameters: answer.srtp });
    if (this.#isClosed()) return;
    this.#open();
  }

  #open(): void {
    const room = this.#room;
    if (!room) return;
    this.#state = 'open';
    for (const peer of room.peers()) this.announcePeer(peer);
    for (const producer of room.localProducers()) this.pipeOut(producer);
    this.#context.onOpen();
  }

  async #pipeIn(message: PipeMessageOf<'producer:open'>): Promise<void> {
    const transport = this.#transport;
    const room = this.#room;
    if (this.#state !== 'open' || !transport || !room) return;
    if (this.#incoming.has(message.producerId)) return;
    const producer = await transport.produce<MediaAppData>({
      id: message.producerId,
      kind: message.kind,
      rtpParameters: message.rtpParameters,
      paused: message.paused,
      appData: { peerId: message.peerId, source: message.source },
    });
    if (this.#isClosed()) {
      producer.close();
      return;
    }
    this.#incoming.set(producer.id, producer);
    producer.observer.once('close', () => {
      if (this.#incoming.get(producer.id) === producer) this.#incoming.delete(producer.id);
    });
    await room.addRemoteProducer(this.remote, producer);
  }

  /** Forwards a local producer's pause, resume and close; answers how to stop. */
  #follow(producer: types.Producer<MediaAppData>, consumer: types.Consumer): () => void {
    const onPause = (): void => this.#context.send({ type: 'producer:paused', producerId: producer.id, paused: true });
    const onResume = (): void => this.#context.send({ type: 'producer:paused', producerId: producer.id, paused: false });
    const onClose = (): void => {
      this.#outgoing.delete(producer.id);
      detach();
      if (this.#state === 'open') this.#context.send({ type: 'producer:close', producerId: producer.id });
    };
    const detach = (): void => {
      producer.observer.off('pause', onPause);
      producer.observer.off('resume', onResume);
      producer.observer.off('close', onClose);
    };
    producer.observer.on('pause', onPause);
    producer.observer.on('resume', onResume);
    producer.observer.on('close', onClose);
    // The pipe consumer goes with the transport (link closed, worker died).
    consumer.observer.once('close', () => {
      if (!producer.closed) detach();
    });
    return detach;
  }

  /** Read through a call: the state changes while steps await, which narrowing cannot see. */
  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  #run(what: string, fatal: boolean, step: () => Promise<void>): void {
    this.#queue = this.#queue.then(step).catch((error: unknown) => {
      // A link closed under a step makes the step fail (its transport is gone): expected.
      if (this.#isClosed()) {
        this.#context.logger.debug(`pipe: ${what} ended with the link`, { roomId: this.roomId, remote: this.remote }, error);
        return;
      }
      this.#context.logger.warn(`pipe: ${what} failed`, { roomId: this.roomId, remote: this.remote }, error);
      if (fatal) this.#context.onFailed(`${what} failed`);
    });
  }
}

function endpoint(transport: types.PipeTransport) {
  const srtp = transport.srtpParameters;
  if (!srtp) throw new TypeError('pipe transport made without SRTP');
  return { ip: transport.tuple.localAddress, port: transport.tuple.localPort, srtp };
}

