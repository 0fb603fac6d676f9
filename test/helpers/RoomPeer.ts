/**
 * A participant with real WebRTC media (@roamhq/wrtc under mediasoup-client's Chrome111
 * handler, as TestPeer) that talks to a MediaRoom directly, without a server or sockets: for
 * tests of the media layer itself, e.g. two processes' rooms joined by pipes in one test.
 * Its notifications (what a socket would carry) are recorded per event, in order.
 */
import { Device } from 'mediasoup-client';
import { Chrome111 } from 'mediasoup-client/handlers/Chrome111';
import type { types as msc } from 'mediasoup-client';
import type { ConsumerInfo, ServerToClientEvents } from '../../signaling/protocol.js';
import { RtpCapabilitiesSchema, RtpParametersSchema } from '../../signaling/schemas.js';
import type { MediaRoom } from '../../server/media/MediaRoom.js';
import type { Peer, PeerSink } from '../../server/media/Peer.js';
import { parseCapabilitiesResponse, toDeviceRtpParameters } from '../../client/src/media/wire.js';
import { syntheticAudio, syntheticVideo, type SyntheticSource } from './wrtcMedia.js';


/** The payload of a server→client notification. */
export type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

type Received = { [E in keyof ServerToClientEvents]?: Array<Payload<E>> };

/** A peer of one MediaRoom with real media. */
export class RoomPeer {
  readonly room: MediaRoom;
  readonly peer: Peer;
  readonly #received: Received;
  /** How many `consumer:new` / `consumer:closed` have been acted on. */
  #seenNew = 0;
  #seenClosed = 0;
  /** Consumers by their server id, while open. */
  readonly consumers = new Map<string, msc.Consumer>();
  readonly producers = new Map<string, msc.Producer>();
  readonly consumeErrors: unknown[] = [];
  readonly #send: msc.Transport | null;
  readonly #recv: msc.Transport;
  readonly #sources: SyntheticSource[] = [];
  #consuming: Promise<void> = Promise.resolve();

  private constructor(room: MediaRoom, peer: Peer, send: msc.Transport | null, recv: msc.Transport, received: Received) {
    this.#received = received;
    this.room = room;
    this.peer = peer;
    this.#send = send;
    this.#recv = recv;
  }

  /** Joins the room as `peerId`, wires both transports and starts consuming. */
  static async join(room: MediaRoom, peerId: string): Promise<RoomPeer> {
    const device = new Device({ handlerFactory: Chrome111.createFactory({}) });
    await device.load({ routerRtpCapabilities: parseCapabilitiesResponse({ routerRtpCapabilities: room.router.rtpCapabilities }) });
    const received: Received = {};
    let self: RoomPeer | null = null;
    const sink: PeerSink = (event, ...args) => {
      record(received, event, args[0]);
      if (self) self.#pump();
    };
    const joined = await room.join(peerId, peerId, RtpCapabilitiesSchema.parse(device.rtpCapabilities), sink);
    const peer = joined.peer;
    // No room state here for the media policy to read: the microphone may be heard.
    peer.audioAllowed = true;
    const send = joined.sendTransport && device.createSendTransport({ ...joined.sendTransport, iceServers: [] });
    const recv = device.createRecvTransport({ ...joined.recvTransport, iceServers: [] });
    for (const transport of send ? [send, recv] : [recv]) {
      transport.on('connect', ({ dtlsParameters }, callback, errback) => {
        room.connectTransport(peer, transport.id, dtlsParameters).then(() => callback(), errback);
      });
    }
    send?.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      const source = appData['source'] === 'mic' ? 'mic' : 'camera';
      room
        .produce(peer, { transportId: send.id, kind, rtpParameters: RtpParametersSchema.parse(rtpParameters), source })
        .then((producer) => callback({ id: producer.id }), errback);
    });
    const created = new RoomPeer(room, peer, send, recv, received);
    self = created;
    created.#pump();
    await room.startConsuming(peer);
    return created;
  }

  /** Sends a synthetic microphone and/or camera; answers the server's producer ids. */
  async produce({ audio = true, video = true } = {}): Promise<string[]> {
    if (!this.#send) throw new Error('this peer cannot send');
    const ids: string[] = [];
    const sources: Array<[SyntheticSource, 'mic' | 'camera']> = [];
    if (audio) sources.push([syntheticAudio(12000), 'mic']);
    if (video) sources.push([syntheticVideo(), 'camera']);
    for (const [source, name] of sources) {
      this.#sources.push(source);
      const producer = await this.#send.produce({ track: source.track, appData: { source: name } });
      this.producers.set(producer.id, producer);
      ids.push(producer.id);
    }
    return ids;
  }

  /** Resolves once `ok` holds for this peer, polling. */
  async until(ok: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`${this.peer.id}: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The notifications of one event, in order. */
  received<E extends keyof ServerToClientEvents>(event: E): Array<Payload<E>> {
    return this.#received[event] ?? [];
  }

  /** The open consumers' infos (as `consumer:new` described them). */
  consumerInfos(): ConsumerInfo[] {
    const closed = new Set(this.received('consumer:closed').map((c) => c.consumerId));
    return this.received('consumer:new').filter((info) => !closed.has(info.id) && this.consumers.has(info.id));
  }

  /** Packets and decoded frames on every inbound RTP stream, by producer id. */
  async inbound(): Promise<Map<string, { packets: number; framesDecoded: number }>> {
    // The Node WebRTC stack has no per-receiver stats: read the transport's and match SSRCs.
    const producerBySsrc = new Map<number, string>();
    for (const info of this.consumerInfos()) {
      const ssrc = info.rtpParameters.encodings?.[0]?.ssrc;
      if (ssrc !== undefined) producerBySsrc.set(ssrc, info.producerId);
    }
    const out = new Map<string, { packets: number; framesDecoded: number }>();
    const report = await this.#recv.getStats();
    report.forEach((stat: { type: string; ssrc?: number; packetsReceived?: number; framesDecoded?: number }) => {
      if (stat.type !== 'inbound-rtp' || stat.ssrc === undefined) return;
      const producerId = producerBySsrc.get(stat.ssrc);
      if (producerId === undefined) return;
      out.set(producerId, { packets: stat.packetsReceived ?? 0, framesDecoded: stat.framesDecoded ?? 0 });
    });
    return out;
  }

  /** Closes everything and leaves the room for good. */
  leave(): void {
    this.close();
    this.room.leave(this.peer);
  }

  /** Stops the sources and closes both transports (the room keeps the peer). */
  close(): void {
    for (const source of this.#sources) {
      source.stop();
      source.track.stop();
    }
    this.#send?.close();
    this.#recv.close();
  }

  /** Acts on notifications not yet seen: consumes new tracks, closes ended ones. */
  #pump(): void {
    const added = this.received('consumer:new');
    for (; this.#seenNew < added.length; this.#seenNew++) {
      const info = added[this.#seenNew];
      if (!info) continue;
      // NOTE: one consume at a time, as TestPeer: the Node WebRTC stack cannot map a batched
      // renegotiation back to its transceivers.
      this.#consuming = this.#consuming
        .then(() => this.#consume(info))
        .catch((error: unknown) => {
          this.consumeErrors.push(error);
        });
    }
    const closed = this.received('consumer:closed');
    for (; this.#seenClosed < closed.length; this.#seenClosed++) {
      const id = closed[this.#seenClosed]?.consumerId ?? '';
      this.consumers.get(id)?.close();
      this.consumers.delete(id);
    }
  }

  async #consume(info: ConsumerInfo): Promise<void> {
    const consumer = await this.#recv.consume({
      id: info.id,
      producerId: info.producerId,
      kind: info.kind,
      rtpParameters: toDeviceRtpParameters(info.rtpParameters),
    });
    // Closed while it was being made: the server forgot it already.
    if (this.received('consumer:closed').some((c) => c.consumerId === info.id)) {
      consumer.close();
      return;
    }
    this.consumers.set(info.id, consumer);
    await this.room.controlConsumer(this.peer, info.id, 'resume');
  }
}

function record<E extends keyof ServerToClientEvents>(received: Received, event: E, data: Payload<E>): void {
  const list = received[event];
  if (list) list.push(data);
  // TypeScript cannot relate a generic key's value to the mapped type on assignment.
  else Object.assign(received, { [event]: [data] });
}
