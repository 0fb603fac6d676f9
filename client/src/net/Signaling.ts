/**
 * The typed request side of the protocol: one method per client→server event, each resolving
 * with the ack's data or rejecting with a ClientError carrying the ack's code.
 */
import type { IceRestarted, Joined, MediaJoined, RoomSync } from '../../../signaling/protocol.js';
import type { ClientCommandPayload, ClientCommandType } from '../../../signaling/room/commands.js';
import type {
  ConnectTransport,
  ConsumerRef,
  JoinMedia,
  JoinRoom,
  SyncRoom,
  Produce,
  ProducerRef,
  RestartIce,
  SetAudioOnly,
  SetConsumerLayers,
} from '../../../signaling/schemas.js';
import { request, type AckRequest } from './ack.js';
import { EMIT_COMMAND } from './commandEmitters.js';
import type { ProtocolSocket } from './protocolSocket.js';

export type { ProtocolSocket } from './protocolSocket.js';

// How long any request may take before the UI says the server is not answering: net/ack.ts.
export { REQUEST_TIMEOUT_MS } from './ack.js';

/** Requests over one socket. */
export class Signaling {
  readonly #socket: ProtocolSocket;

  constructor(socket: ProtocolSocket) {
    this.#socket = socket;
  }

  /** `room:join`: enter or resume. */
  join(payload: JoinRoom): Promise<Joined> {
    return this.#call<Joined>((s, cb) => s.emit('room:join', payload, cb));
  }

  /** `room:sync`: the events after `lastSeq`, or a snapshot. */
  sync(payload: SyncRoom): Promise<RoomSync> {
    return this.#call<RoomSync>((s, cb) => s.emit('room:sync', payload, cb));
  }

  /** `media:join`: transports once admitted, or again after `media:reconnect`. */
  joinMedia(payload: JoinMedia): Promise<MediaJoined> {
    return this.#call<MediaJoined>((s, cb) => s.emit('media:join', payload, cb));
  }

  /** A room command (its event name is its type); the ack carries the last seq it wrote. */
  command<T extends ClientCommandType>(type: T, payload: ClientCommandPayload<T>): Promise<{ seq: number }> {
    return this.#call<{ seq: number }>((s, cb) => EMIT_COMMAND[type](s, payload, cb));
  }

  /** `room:leave`. */
  leave(): Promise<null> {
    return this.#call<null>((s, cb) => s.emit('room:leave', {}, cb));
  }

  /** `transport:connect`. */
  connectTransport(payload: ConnectTransport): Promise<null> {
    return this.#call<null>((s, cb) => s.emit('transport:connect', payload, cb));
  }

  /** `transport:restartIce`: new ICE credentials, and fresh relay credentials when relays are offered. */
  restartIce(payload: RestartIce): Promise<IceRestarted> {
    return this.#call<IceRestarted>((s, cb) => s.emit('transport:restartIce', payload, cb));
  }

  /** `media:produce`. */
  produce(payload: Produce): Promise<{ producerId: string }> {
    return this.#call<{ producerId: string }>((s, cb) => s.emit('media:produce', payload, cb));
  }

  /** `producer:pause`. */
  pauseProducer(payload: ProducerRef): Promise<null> {
    return this.#call<null>((s, cb) => s.emit('producer:pause', payload, cb));
  }

  /** `producer:resume`. */
  resumeProducer(payload: ProducerRef): Promise<null> {
    return this.#call<null>((s, cb) => s.emit('producer:resume', payload, cb));
  }

  /** `producer:close`. */
  closeProducer(payload: ProducerRef): Promise<null> {
    return this.#call<null>((s, cb) => s.emit('producer:close', payload, cb));
  }

  /** `consumer:resume`. */
  resumeConsumer(payload: ConsumerRef): Promise<null> {
    return this.#call<null>((s, cb) => s.emit('consumer:resume', payload, cb));
  }

  /** `consumer:pause`. */
  pauseConsumer(payload: ConsumerRef): Promise<null> {
    return this.#call<null>((s, cb) => s.emit('consumer:pause', payload, cb));
  }

  /** `consumer:setLayers`. */
  setConsumerLayers(payload: SetConsumerLayers): Promise<null> {
    return this.#call<null>((s, cb) => s.emit('consumer:setLayers', payload, cb));
  }

  /** `media:audioOnly`. */
  setAudioOnly(payload: SetAudioOnly): Promise<null> {
    return this.#call<null>((s, cb) => s.emit('media:audioOnly', payload, cb));
  }

  #call<T>(send: AckRequest<T>): Promise<T> {
    return request(this.#socket, send);
  }
}
