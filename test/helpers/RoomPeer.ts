/**
 * A participant with real WebRTC media (@roamhq/wrtc under mediasoup-client's Chrome111
 * handler, as TestPeer) that talks to a MediaRoom directly, without a server or sockets: for
 * tests of the media layer itself, e.g. two processes' rooms joined by pipes in one test.
 * Its notifications (what a socket would carry) are recorded per event, in order.
 * Its WebRTC side lives in a process of its own (peerHost/): a native crash there fails the
 * test that was using it, not the whole file.
 */
import type { ConsumerInfo, ServerToClientEvents } from '../../signaling/protocol.js';
import { RtpCapabilitiesSchema } from '../../signaling/schemas.js';
import type { MediaRoom } from '../../server/media/MediaRoom.js';
import type { Peer, PeerSink } from '../../server/media/Peer.js';
import { peerHost } from './peerHost/PeerHost.js';
import { DeviceCapabilities, InboundStreams, ProducedTracks, TransportOptionsSchema } from './peerHost/protocol.js';


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
  /** The ids of the consumers set up on the WebRTC side, while open. */
  readonly consumers = new Set<string>();
  readonly consumeErrors: unknown[] = [];
  /** The consumers `startConsuming` answered at the join. */
  readonly #answered: ConsumerInfo[] = [];
  #consuming: Promise<void> = Promise.resolve();

  private constructor(room: MediaRoom, peer: Peer, received: Received) {
    this.#received = received;
    this.room = room;
    this.peer = peer;
  }

  /** Joins the room as `peerId`, wires both transports and starts consuming. */
  static async join(room: MediaRoom, peerId: string): Promise<RoomPeer> {
    const rtpCapabilities = DeviceCapabilities.parse(
      await peerHost.request({ t: 'device', peer: peerId, routerRtpCapabilities: RtpCapabilitiesSchema.parse(room.router.rtpCapabilities) }),
    );
    const received: Received = {};
    let self: RoomPeer | null = null;
    const sink: PeerSink = (event, ...args) => {
      record(received, event, args[0]);
      if (self) self.#pump();
    };
    const joined = await room.join(peerId, peerId, rtpCapabilities, sink);
    const peer = joined.peer;
    // No room state here for the media policy to read: the microphone may be heard.
    peer.audioAllowed = true;
    peerHost.serve(peerId, {
      connect: (transportId, dtlsParameters) => room.connectTransport(peer, transportId, dtlsParameters),
      produce: async (request) => (await room.produce(peer, request)).id,
    });
    await peerHost.request({
      t: 'open',
      peer: peerId,
      send: joined.sendTransport && TransportOptionsSchema.parse(joined.sendTransport),
      recv: TransportOptionsSchema.parse(joined.recvTransport),
    });
    const created = new RoomPeer(room, peer, received);
    self = created;
    // The tracks already in the room, as a join's answer hands them over; then the notifications.
    for (const info of await room.startConsuming(peer)) {
      created.#answered.push(info);
      created.#enqueue(info);
    }
    created.#pump();
    return created;
  }

  /** Sends a synthetic microphone and/or camera; answers the server's producer ids. */
  async produce({ audio = true, video = true } = {}): Promise<string[]> {
    return ProducedTracks.parse(await peerHost.request({ t: 'produce', peer: this.peer.id, audio, video })).map((track) => track.id);
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

  /** The open consumers' infos (as the join's answer or `consumer:new` described them). */
  consumerInfos(): ConsumerInfo[] {
    const closed = new Set(this.received('consumer:closed').map((c) => c.consumerId));
    return [...this.#answered, ...this.received('consumer:new')].filter((info) => !closed.has(info.id) && this.consumers.has(info.id));
  }

  /** Waits until this peer has received at least `packets` more packets of `producerId`; answers its counts then. */
  async packetsFlow(producerId: string, packets = 30): Promise<{ packets: number; framesDecoded: number }> {
    const start = (await this.inbound()).get(producerId)?.packets ?? 0;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const now = (await this.inbound()).get(producerId);
      if (now && now.packets >= start + packets) return now;
      if (Date.now() > deadline) throw new Error(`${this.peer.id}: only ${now?.packets ?? 0} packets of ${producerId}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
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
    for (const stat of InboundStreams.parse(await peerHost.request({ t: 'stats', peer: this.peer.id }))) {
      const producerId = producerBySsrc.get(stat.ssrc);
      if (producerId !== undefined) out.set(producerId, { packets: stat.packetsReceived, framesDecoded: stat.framesDecoded });
    }
    return out;
  }

  /** Closes everything and leaves the room for good. */
  leave(): void {
    this.close();
    this.room.leave(this.peer);
  }

  /** Stops the sources and closes both transports (the room keeps the peer). */
  close(): void {
    peerHost.forget(this.peer.id);
    // A host that died meanwhile has nothing left to close.
    peerHost.request({ t: 'close', peer: this.peer.id }).catch(() => undefined);
  }

  /** Acts on notifications not yet seen: consumes new tracks, closes ended ones. */
  #pump(): void {
    const added = this.received('consumer:new');
    for (; this.#seenNew < added.length; this.#seenNew++) {
      const info = added[this.#seenNew];
      if (info) this.#enqueue(info);
    }
    const closed = this.received('consumer:closed');
    for (; this.#seenClosed < closed.length; this.#seenClosed++) {
      const id = closed[this.#seenClosed]?.consumerId ?? '';
      this.consumers.delete(id);
      peerHost.request({ t: 'closeConsumer', peer: this.peer.id, consumerId: id }).catch((error: unknown) => this.consumeErrors.push(error));
    }
  }

  #enqueue(info: ConsumerInfo): void {
    // NOTE: one consume at a time, as TestPeer: the Node WebRTC stack cannot map a batched
    // renegotiation back to its transceivers.
    this.#consuming = this.#consuming
      .then(() => this.#consume(info))
      .catch((error: unknown) => {
        this.consumeErrors.push(error);
      });
  }

  async #consume(info: ConsumerInfo): Promise<void> {
    await peerHost.request({
      t: 'consume',
      peer: this.peer.id,
      consumer: { id: info.id, producerId: info.producerId, kind: info.kind, rtpParameters: info.rtpParameters },
    });
    // Closed while it was being made: the server forgot it already.
    if (this.received('consumer:closed').some((c) => c.consumerId === info.id)) {
      await peerHost.request({ t: 'closeConsumer', peer: this.peer.id, consumerId: info.id });
      return;
    }
    this.consumers.add(info.id);
    await this.room.controlConsumer(this.peer, info.id, 'resume');
  }
}

function record<E extends keyof ServerToClientEvents>(received: Received, event: E, data: Payload<E>): void {
  const list = received[event];
  if (list) list.push(data);
  // TypeScript cannot relate a generic key's value to the mapped type on assignment.
  else Object.assign(received, { [event]: [data] });
}
