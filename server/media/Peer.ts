/**
 * One participant's media in one room: two WebRTC transports and what flows on them.
 * The participant outlives its media: when the connection drops the media is closed and the
 * peer waits, without a sink, for a resume.
 */
import type { types } from 'mediasoup';
import type { MediaSource, RtpCapabilities } from '../../signaling/schemas.js';
import type { ProducerInfo, ServerToClientEvents } from '../../signaling/protocol.js';

/** The arguments of a server→client notification. */
export type NotificationArgs<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;

/** Where a peer's notifications go (its socket), or nowhere while it is away. */
export type PeerSink = <E extends keyof ServerToClientEvents>(event: E, ...args: NotificationArgs<E>) => void;

/** App data kept on producers and consumers. */
export type MediaAppData = { peerId: string; source: MediaSource };

/** Simulcast layers of a consumer, as mediasoup takes them. */
export type ConsumerLayers = { spatialLayer: number; temporalLayer?: number };

/** A participant's live media state. */
export class Peer {
  readonly id: string;
  readonly displayName: string;
  rtpCapabilities: RtpCapabilities;
  sendTransport: types.WebRtcTransport | null = null;
  recvTransport: types.WebRtcTransport | null = null;
  readonly producers = new Map<string, types.Producer<MediaAppData>>();
  readonly consumers = new Map<string, types.Consumer<MediaAppData>>();
  /** Set by the media policy: may this peer's microphone be heard now? */
  audioAllowed = false;
  /** Audio producers the participant muted themselves (kept muted when the floor comes). */
  readonly selfMuted = new Set<string>();
  /** Producers this peer receives (or is about to): one consumer per producer. */
  readonly receiving = new Set<string>();
  /**
   * Consumers the participant's client holds paused (created paused until it resumes them, or
   * paused for an off-screen tile). The server may pause more (audio-only), never fewer.
   */
  readonly clientPaused = new Set<string>();
  /** The simulcast layers the participant's client last asked for, per consumer. */
  readonly layerAsks = new Map<string, ConsumerLayers>();
  /**
   * Audio-only (a weak link): the camera is not forwarded and no video is forwarded to this
   * peer but the stage's. Survives a resume, like a mute.
   */
  audioOnly = false;
  #sink: PeerSink | null;
  #closed = false;

  constructor(id: string, displayName: string, rtpCapabilities: RtpCapabilities, sink: PeerSink) {
    this.id = id;
    this.displayName = displayName;
    this.rtpCapabilities = rtpCapabilities;
    this.#sink = sink;
  }

  /** False while the participant is disconnected (within its grace period). */
  get connected(): boolean {
    return this.#sink !== null;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends a notification if the participant is connected. */
  readonly send: PeerSink = (event, ...args) => {
    this.#sink?.(event, ...args);
  };

  /** Points notifications at a new connection (after a resume). */
  attach(sink: PeerSink, rtpCapabilities: RtpCapabilities): void {
    this.#sink = sink;
    this.rtpCapabilities = rtpCapabilities;
  }

  /** Stops notifications until the next `attach`. */
  detach(): void {
    this.#sink = null;
  }

  /** Finds one of this peer's transports by id. */
  transport(id: string): types.WebRtcTransport | undefined {
    if (this.sendTransport?.id === id) return this.sendTransport;
    if (this.recvTransport?.id === id) return this.recvTransport;
    return undefined;
  }

  /** The tracks this peer publishes, as others see them. */
  producerInfos(): ProducerInfo[] {
    return [...this.producers.values()].map((p) => ({
      id: p.id,
      kind: p.kind,
      source: p.appData.source,
      paused: p.paused,
    }));
  }

  /** Closes both transports and with them every producer and consumer; safe to repeat. */
  closeMedia(): void {
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    this.producers.clear();
    this.consumers.clear();
    this.selfMuted.clear();
    this.receiving.clear();
    this.clientPaused.clear();
    this.layerAsks.clear();
  }

  /** Ends the peer for good; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.closeMedia();
    this.#sink = null;
  }
}
