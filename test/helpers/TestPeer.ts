/**
 * A participant made of real parts for integration tests: socket.io-client for signaling and
 * a Node WebRTC stack (@roamhq/wrtc) under mediasoup-client's Chrome111 handler for media.
 * Its microphone and camera are synthetic sources fed with generated samples and frames.
 * The WebRTC side lives in a process of its own (peerHost/), as RoomPeer's: a native crash
 * there fails the test that was using it, not the rest of its file.
 */
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import {
  PROTOCOL_VERSION,
  type Ack,
  type AckCallback,
  type ClientToServerEvents,
  type ConsumerInfo,
  type Joined,
  type RoomSync,
  type MediaJoined,
  type ServerToClientEvents,
} from '../../signaling/protocol.js';
import { RtpCapabilitiesSchema, type RtpCapabilities } from '../../signaling/schemas.js';
import { apply } from '../../signaling/room/apply.js';
import type { ClientCommandPayload, ClientCommandType } from '../../signaling/room/commands.js';
import type { RoomEvent } from '../../signaling/room/events.js';
import { unpackEvents } from '../../signaling/room/eventsMessage.js';
import { emptyRoom, type RoomState } from '../../signaling/room/state.js';
import { randomUUID } from 'node:crypto';
import { parseCapabilitiesResponse } from '../../client/src/media/wire.js';
import { peerHost } from './peerHost/PeerHost.js';
import { DeviceCapabilities, InboundStreams, ProducedTracks, TransportOptionsSchema } from './peerHost/protocol.js';

/** A track this peer sends: the server's producer id and its kind. */
export type SentTrack = { id: string; kind: 'audio' | 'video' };

type AckData<E extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer T> ? T : never;

/** A failed request, carrying the server's error code. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    detail?: string,
  ) {
    super(`${code}${detail ? `: ${detail}` : ''}`);
  }
}

/** Connects a raw Socket.IO client (no media). */
export async function connectSocket(url: string): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Sends one request and returns the raw ack. */
export async function rawRequest(
  socket: Socket<ServerToClientEvents, ClientToServerEvents>,
  event: string,
  ...args: unknown[]
): Promise<unknown> {
  // Hostile-input tests send what the typed API forbids, so this goes around the types.
  const untyped: Socket = socket as unknown as Socket;
  return untyped.timeout(10_000).emitWithAck(event, ...args);
}

/** A joined participant with real media. */
export class TestPeer {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  /** What this peer's device can receive (mediasoup-client's, loaded with the server's router). */
  readonly rtpCapabilities: RtpCapabilities;
  /** The tracks set up on the WebRTC side, by consumer id (as `consumer:new` described them). */
  readonly consumers = new Map<string, ConsumerInfo>();
  readonly consumerInfos: ConsumerInfo[] = [];
  /** The tracks this peer sends, by producer id. */
  readonly producers = new Map<string, SentTrack>();
  joined: Joined | null = null;
  /** The room as this participant sees it (folded from what the server sent). */
  room: RoomState = emptyRoom('');
  /** Every room event received, in order. */
  readonly received: RoomEvent[] = [];
  /** Seq gaps noticed while folding (none expected). */
  readonly gaps: Array<{ expected: number; got: number }> = [];
  /** Failed `room:sync` requests made while holding the lobby's view. */
  readonly syncErrors: unknown[] = [];
  /** Holding the lobby's view of the room (topic and own entry), which events do not continue. */
  #partial = false;
  #heldWhilePartial: RoomEvent[] = [];
  #resyncing = false;
  #listening = false;
  #held: RoomEvent[] | null = null;
  /** The transports' ids while media is wired (the WebRTC side is in the host). */
  sendTransportId: string | null = null;
  recvTransportId: string | null = null;
  /** Errors met while consuming, for tests to assert on. */
  readonly consumeErrors: unknown[] = [];
  #consuming: Promise<void> = Promise.resolve();
  #consumerWaiters: Array<() => void> = [];
  /** This peer's name in the WebRTC host. */
  readonly #hosted: string;

  private constructor(socket: Socket<ServerToClientEvents, ClientToServerEvents>, rtpCapabilities: RtpCapabilities, hosted: string) {
    this.socket = socket;
    this.rtpCapabilities = rtpCapabilities;
    this.#hosted = hosted;
  }

  /** Connects to `url` and loads the device with the server's router capabilities. */
  static async connect(url: string): Promise<TestPeer> {
    const response = await fetch(`${url}/api/rtp-capabilities`);
    const routerRtpCapabilities = RtpCapabilitiesSchema.parse(parseCapabilitiesResponse(await response.json()));
    const hosted = `test-peer-${randomUUID()}`;
    const rtpCapabilities = DeviceCapabilities.parse(await peerHost.request({ t: 'device', peer: hosted, routerRtpCapabilities }));
    const socket = await connectSocket(url);
    const peer = new TestPeer(socket, rtpCapabilities, hosted);
    peerHost.serve(hosted, {
      connect: async (transportId, dtlsParameters) => {
        await peer.request('transport:connect', { transportId, dtlsParameters });
      },
      produce: async ({ transportId, kind, rtpParameters, source }) => (await peer.request('media:produce', { transportId, kind, rtpParameters, source })).producerId,
    });
    return peer;
  }

  /** Sends a request and unwraps the ack, throwing RequestError on failure. */
  async request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<AckData<E>> {
    const answer = (await rawRequest(this.socket, event, payload)) as Ack<AckData<E>>;
    if (!answer.ok) throw new RequestError(answer.error, answer.detail);
    return answer.data;
  }

  /**
   * Joins with an invite; when admitted, wires both transports and consumes every track
   * pushed to it. Room events are folded into `room` as a client does.
   */
  async join(invite: string, name?: string, options: { resumeToken?: string; lastSeq?: number } = {}): Promise<Joined> {
    if (!this.#listening) {
      this.#listening = true;
      // Events can be handled before the join answer's continuation runs: hold them until then.
      this.socket.on('room:events', (message) => {
        const events = unpackEvents(message);
        if (this.#held) this.#held.push(...events);
        else this.#fold(events);
      });
      this.socket.on('consumer:new', (info) => {
        // NOTE: one consume at a time. mediasoup-client batches consumes made in one tick into
        // one renegotiation, which the Node WebRTC stack cannot map back to transceivers.
        this.#consuming = this.#consuming
          .then(() => this.#consume(info))
          .catch((error: unknown) => {
            this.consumeErrors.push(error);
          });
      });
    }
    const ready = this.#holdConsumers();
    this.#held = [];
    let joined: Joined;
    try {
      joined = await this.request('room:join', {
        protocolVersion: PROTOCOL_VERSION,
        invite,
        ...(name ? { name } : {}),
        // mediasoup-client's types admit more than the wire does: parse, never cast.
        rtpCapabilities: this.rtpCapabilities,
        ...options,
      });
    } catch (error) {
      this.#held = null;
      throw error;
    }
    this.joined = joined;
    this.#applySync(joined.room);
    const held = this.#held;
    this.#held = null;
    this.#fold(held);
    if (joined.media) await this.#wireMedia(joined.media);
    ready(joined.media?.consumers ?? []);
    return joined;
  }

  /** Asks for media after the lobby (or after a media restart). */
  async joinMedia(): Promise<MediaJoined> {
    const ready = this.#holdConsumers();
    const media = await this.request('media:join', { rtpCapabilities: this.rtpCapabilities });
    await this.#wireMedia(media);
    ready(media.consumers);
    return media;
  }

  /** Sends a room command with a fresh (or given) command id; answers the ack's seq. */
  async command<T extends ClientCommandType>(
    type: T,
    fields: Omit<ClientCommandPayload<T>, 'commandId'>,
    commandId: string = randomUUID(),
  ): Promise<number> {
    const payload = { ...fields, commandId };
    const answer = (await rawRequest(this.socket, type, payload)) as Ack<{ seq: number }>;
    if (!answer.ok) throw new RequestError(answer.error, answer.detail);
    return answer.data.seq;
  }

  /** Waits until the folded room state satisfies `ok`. */
  async waitForRoom(ok: (state: RoomState) => boolean, timeoutMs = 10_000): Promise<RoomState> {
    const deadline = Date.now() + timeoutMs;
    while (!ok(this.room)) {
      if (Date.now() > deadline) throw new Error(`room state not reached; seq ${this.room.seq}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.room;
  }

  /** Folds events as a client would: skip what it holds, notice gaps. */
  /** A join or sync answer, as a client takes it: the lobby's view is replaced, never continued. */
  #applySync(sync: RoomSync): void {
    this.#partial = sync.kind === 'lobby';
    if (sync.kind === 'events') this.#fold(sync.events);
    else this.room = sync.state;
    // Events that came while only the lobby's view was held, and are newer than the answer.
    const early = this.#heldWhilePartial;
    this.#heldWhilePartial = [];
    if (!this.#partial) this.#fold(early);
    // Still the lobby's view, yet events came meanwhile: ask again (the answer follows the status).
    else if (early.length > 0) setTimeout(() => this.#resync(), 0);
  }

  /** Holding the lobby's view, any event means: ask for the room again (as the client does). */
  #resync(): void {
    if (this.#resyncing) return;
    this.#resyncing = true;
    this.request('room:sync', {})
      .then((sync) => this.#applySync(sync))
      .catch((error: unknown) => this.syncErrors.push(error))
      .finally(() => {
        this.#resyncing = false;
      });
  }

  #fold(events: RoomEvent[]): void {
    if (this.#partial) {
      this.#heldWhilePartial.push(...events);
      if (events.length > 0) this.#resync();
      return;
    }
    for (const event of events) {
      if (event.seq <= this.room.seq) continue;
      if (event.seq !== this.room.seq + 1) this.gaps.push({ expected: this.room.seq + 1, got: event.seq });
      this.room = apply(this.room, event);
      this.received.push(event);
    }
  }

  /**
   * Holds `consumer:new` handling until the answer's transports exist: the ack and the next
   * packets can arrive in one read, before the code after the ack has run. Answers the release,
   * which takes the consumers the answer carries: they are consumed first.
   */
  #holdConsumers(): (answered: ConsumerInfo[]) => void {
    let release: (answered: ConsumerInfo[]) => void = () => undefined;
    const gate = new Promise<ConsumerInfo[]>((resolve) => {
      release = resolve;
    });
    this.#consuming = this.#consuming.then(async () => {
      for (const info of await gate) {
        await this.#consume(info).catch((error: unknown) => {
          this.consumeErrors.push(error);
        });
      }
    });
    return release;
  }

  /** Sets up both transports on the WebRTC side (the old ones, after a media restart, go). */
  async #wireMedia(media: MediaJoined): Promise<void> {
    this.sendTransportId = media.sendTransport?.id ?? null;
    this.recvTransportId = media.recvTransport.id;
    await peerHost.request({
      t: 'open',
      peer: this.#hosted,
      send: media.sendTransport ? TransportOptionsSchema.parse(media.sendTransport) : null,
      recv: TransportOptionsSchema.parse(media.recvTransport),
    });
  }

  /**
   * Sends a synthetic microphone (a 440 Hz tone; `amplitude` 0 is silence, sent with Opus DTX
   * as the web client sends it when `dtx`) and/or camera (painted `luma`, see syntheticVideo;
   * three simulcast layers when `simulcast`). Answers what it sends.
   */
  async produce({
    audio = true,
    video = true,
    simulcast = false,
    luma,
    amplitude = 8000,
    dtx = false,
  }: { audio?: boolean; video?: boolean; simulcast?: boolean; luma?: number; amplitude?: number; dtx?: boolean } = {}): Promise<SentTrack[]> {
    if (this.sendTransportId === null) throw new Error('join first');
    const sent = ProducedTracks.parse(
      await peerHost.request({ t: 'produce', peer: this.#hosted, audio, video, simulcast, amplitude, dtx, ...(luma === undefined ? {} : { luma }) }),
    );
    for (const track of sent) this.producers.set(track.id, track);
    return sent;
  }

  /** Stops sending one of this peer's tracks (the server's producer stays, receiving nothing). */
  async closeProducer(producerId: string): Promise<void> {
    await peerHost.request({ t: 'closeProducer', peer: this.#hosted, producerId });
    this.producers.delete(producerId);
  }

  /** Paints this peer's camera `luma` (see syntheticVideo); resolves with when (Date.now()) the first such frame went to the encoder. */
  async paint(luma: number): Promise<number> {
    return z.number().parse(await peerHost.request({ t: 'paint', peer: this.#hosted, luma }));
  }

  /** Resolves once this peer has at least `count` consumers. */
  async waitForConsumers(count: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.consumers.size < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.consumers.size} of ${count} consumers`);
      await new Promise<void>((resolve) => {
        this.#consumerWaiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  async #consume(info: ConsumerInfo): Promise<void> {
    if (this.recvTransportId === null) return;
    await peerHost.request({
      t: 'consume',
      peer: this.#hosted,
      consumer: { id: info.id, producerId: info.producerId, kind: info.kind, rtpParameters: info.rtpParameters },
    });
    this.consumers.set(info.id, info);
    this.consumerInfos.push(info);
    await this.request('consumer:resume', { consumerId: info.id });
    for (const wake of this.#consumerWaiters.splice(0)) wake();
  }

  /** Packets, bytes and decoded frames received so far on all inbound RTP streams of the receiving transport. */
  async inboundStats(): Promise<{ packets: number; bytes: number; framesDecoded: number }> {
    const totals = { packets: 0, bytes: 0, framesDecoded: 0 };
    if (this.recvTransportId === null) return totals;
    for (const stream of InboundStreams.parse(await peerHost.request({ t: 'stats', peer: this.#hosted }))) {
      totals.packets += stream.packetsReceived;
      totals.bytes += stream.bytesReceived;
      totals.framesDecoded += stream.framesDecoded;
    }
    return totals;
  }

  /** Stops the sources and closes everything. */
  close(): void {
    peerHost.forget(this.#hosted);
    // A host that died meanwhile has nothing left to close.
    peerHost.request({ t: 'close', peer: this.#hosted }).catch(() => undefined);
    this.socket.disconnect();
  }
}
