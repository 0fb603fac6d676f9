/**
 * One viewer's media: a receive-only WebRTC transport on an audience router and, once the
 * viewer says what its device can receive, one consumer per program track. The consumers stay
 * for the whole visit: the program switches its sources behind them.
 */
import type { types } from 'mediasoup';
import { InvalidStateError, NotFoundError } from '../../signaling/errors.js';
import type { ConsumerInfo, RouterRtpCapabilities, TransportOptions } from '../../signaling/protocol.js';
import type { DtlsParameters, RtpCapabilities } from '../../signaling/schemas.js';
import type { Logger } from '../log.js';
import { withClientParameters } from './mediaErrors.js';
import type { ProgramOutlet } from './ProgramOutlet.js';
import { createWebRtcTransport, transportOptions } from './transports.js';

/** The peer id a viewer's program consumers carry (the program is nobody's tile). */
export const PROGRAM_PEER_ID = 'program';

/** One viewer's media: a receive-only transport on an audience router, consuming the program. */
export interface ViewerMedia {
  readonly routerRtpCapabilities: RouterRtpCapabilities;
  /** For the join ack. */
  readonly recvTransport: TransportOptions;
  /** The audience router this viewer is on (for stats and tests). */
  readonly routerId: string;
  /** Consumers of the program's tracks, created paused; asking again answers the same ones. */
  watch(rtpCapabilities: RtpCapabilities): Promise<ConsumerInfo[]>;
  connect(transportId: string, dtlsParameters: DtlsParameters): Promise<void>;
  resume(consumerId: string): Promise<void>;
  /** Called once if the server ends this media by itself (its worker died): the viewer must join again. */
  onClose(listener: () => void): void;
  /** Ends the media; safe to call twice. */
  close(): void;
}

/** A viewer's transport and consumers. */
export class Viewer implements ViewerMedia {
  readonly routerRtpCapabilities: RouterRtpCapabilities;
  readonly recvTransport: TransportOptions;
  readonly routerId: string;
  readonly #transport: types.WebRtcTransport;
  readonly #outlet: ProgramOutlet;
  readonly #consumers = new Map<string, types.Consumer>();
  #watching: Promise<ConsumerInfo[]> | null = null;
  #closeListeners: Array<() => void> = [];
  #closedByUs = false;

  private constructor(outlet: ProgramOutlet, transport: types.WebRtcTransport, gone: () => void) {
    this.#outlet = outlet;
    this.#transport = transport;
    this.routerId = outlet.router.id;
    this.routerRtpCapabilities = outlet.router.rtpCapabilities;
    this.recvTransport = transportOptions(transport);
    transport.observer.once('close', () => {
      gone();
      if (this.#closedByUs) return;
      for (const listener of this.#closeListeners) listener();
      this.#closeListeners = [];
    });
  }

  /** A viewer with its transport on the outlet's router; `gone` is called once when its media ends, for whatever reason. */
  static async create(outlet: ProgramOutlet, viewerId: string, logger: Logger, gone: () => void): Promise<Viewer> {
    return new Viewer(outlet, await createWebRtcTransport(outlet.router, viewerId, 'recv', logger), gone);
  }

  get closed(): boolean {
    return this.#transport.closed;
  }

  /** Consumers with an active (resumed) program consumer: the load this viewer makes. */
  get activeConsumers(): number {
    let n = 0;
    for (const consumer of this.#consumers.values()) if (!consumer.closed && !consumer.paused) n++;
    return n;
  }

  /** The server's consumers of this viewer (for stats and tests). */
  serverConsumers(): types.Consumer[] {
    return [...this.#consumers.values()];
  }

  watch(rtpCapabilities: RtpCapabilities): Promise<ConsumerInfo[]> {
    if (this.closed) return Promise.reject(new InvalidStateError('the viewer left'));
    // NOTE: one set of consumers per visit; a client that asks again (or floods) gets the same.
    this.#watching ??= this.#consumeAll(rtpCapabilities);
    return this.#watching;
  }

  async connect(transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    if (transportId !== this.#transport.id) throw new NotFoundError(`transport ${transportId} not found`);
    await withClientParameters('transport:connect', () => this.#transport.connect({ dtlsParameters }));
  }

  async resume(consumerId: string): Promise<void> {
    const consumer = this.#consumers.get(consumerId);
    if (!consumer || consumer.closed) throw new NotFoundError(`consumer ${consumerId} not found`);
    await consumer.resume();
  }

  onClose(listener: () => void): void {
    if (this.closed) return;
    this.#closeListeners.push(listener);
  }

  close(): void {
    if (this.#closedByUs) return;
    this.#closedByUs = true;
    this.#closeListeners = [];
    this.#transport.close();
  }

  async #consumeAll(rtpCapabilities: RtpCapabilities): Promise<ConsumerInfo[]> {
    const infos: ConsumerInfo[] = [];
    for (const producer of this.#outlet.producers) {
      if (producer.closed || !this.#outlet.router.canConsume({ producerId: producer.id, rtpCapabilities })) continue;
      // NOTE: created paused: the viewer resumes each once its side is ready, and the resume
      // asks for the key frame it needs to show a picture.
      const consumer = await this.#transport.consume({ producerId: producer.id, rtpCapabilities, paused: true, appData: producer.appData });
      this.#consumers.set(consumer.id, consumer);
      infos.push({
        id: consumer.id,
        producerId: producer.id,
        peerId: PROGRAM_PEER_ID,
        kind: consumer.kind,
        source: producer.appData.source,
        rtpParameters: consumer.rtpParameters,
        producerPaused: false,
      });
    }
    if (infos.length === 0) throw new InvalidStateError('this device can receive none of the program', 'UNSUPPORTED_MEDIA');
    return infos;
  }
}
