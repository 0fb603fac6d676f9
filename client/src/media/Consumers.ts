/**
 * The tracks I receive: one mediasoup Consumer per remote track, its MediaStreamTrack kept
 * here for the tiles, the simulcast layer each tile asked for, and whether its tile is on
 * screen (video nobody sees is paused on the server; see visibility.ts).
 */
import type { types as ms } from 'mediasoup-client';
import type { ConsumerInfo } from '../../../signaling/protocol.js';
import { errorCodeOf } from '../errors.js';
import type { Signaling } from '../net/Signaling.js';
import type { Action, State } from '../store.js';
import { layerForViews, type LayerView, type SpatialLayer } from './layers.js';
import { consumersToPause, pauseChanges, stageConsumers } from './visibility.js';
import { toDeviceRtpParameters } from './wire.js';

/** What Consumers needs from MediaSession. */
export type ConsumersDeps = {
  signaling: Signaling;
  dispatch(action: Action): void;
  state(): State;
  run(task: Promise<unknown>): void;
  /** The receive transport once it is settled, or null while transports are being made. */
  ready(): ms.Transport | null;
};

/** Consumers by id. */
export class Consumers {
  readonly #deps: ConsumersDeps;
  readonly #consumers = new Map<string, ms.Consumer>();
  /** consumer:new that arrived while transports were being (re)made. */
  #pending: ConsumerInfo[] = [];
  /** consumer:closed of consumers not known yet, while transports were being (re)made. */
  readonly #closedUnseen = new Set<string>();
  /** Ids between recvTransport.consume() and its result, and those closed meanwhile. */
  readonly #consuming = new Set<string>();
  readonly #closedWhileConsuming = new Set<string>();
  /** The layer last asked of the server per consumer, and what each view of it wants. */
  readonly #layerRequests = new Map<string, SpatialLayer>();
  readonly #layerAsks = new Map<string, Map<LayerView, SpatialLayer>>();
  /** Consumers whose tile reported itself out of view. */
  readonly #offscreen = new Set<string>();
  /** Consumers I asked the server to pause because nobody sees them. */
  readonly #pausedUnseen = new Set<string>();

  constructor(deps: ConsumersDeps) {
    this.#deps = deps;
  }

  /** The track of a consumer listed in the state. */
  track(consumerId: string): MediaStreamTrack | null {
    return this.#consumers.get(consumerId)?.track ?? null;
  }

  /** A new track to receive. */
  add(info: ConsumerInfo): void {
    const transport = this.#deps.ready();
    // NOTE: consumer:new follows the join ack at once, possibly in the same polling batch,
    // before transports exist; hold them until the transports are settled.
    if (transport === null) {
      this.#pending.push(info);
      return;
    }
    this.#deps.run(this.#consume(transport, info));
  }

  /**
   * The tracks handed over with new transports (the join's answer): consumed first, with
   * whatever `consumer:new` is pending, at the next `flushPending`.
   */
  addJoined(infos: ConsumerInfo[]): void {
    // NOTE: the server sends what happens to them after the answer, but a polling transport
    // can hand the answer and the next notifications over in one go, before this runs.
    this.#pending = [...infos.filter((info) => !this.#closedUnseen.has(info.id)), ...this.#pending];
  }

  /**
   * Consumes what arrived while the transports were being made; answers when each is set up
   * in the browser (or failed), without waiting for the resumes.
   * NOTE: all in the same tick: mediasoup-client sets up the consumes made in one tick in one
   * offer/answer round, where one each would queue a round per track before the video's.
   */
  flushPending(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    const transport = this.#deps.ready();
    if (transport === null) return Promise.resolve();
    this.#closedUnseen.clear();
    const setUp = pending.map((info) => {
      let done: () => void = () => undefined;
      const settled = new Promise<void>((resolve) => {
        done = resolve;
      });
      this.#deps.run(this.#consume(transport, info, done).finally(done));
      return settled;
    });
    // A transport closed meanwhile may leave its consumes unsettled: nothing to wait for then.
    return new Promise<void>((resolve) => {
      transport.observer.once('close', resolve);
      void Promise.all(setUp).then(() => {
        transport.observer.off('close', resolve);
        resolve();
      });
    });
  }

  /** A consumer ended (its producer closed, its sender left). */
  close(consumerId: string): void {
    if (this.#deps.ready() === null && !this.#consumers.has(consumerId)) this.#closedUnseen.add(consumerId);
    this.#pending = this.#pending.filter((c) => c.id !== consumerId);
    if (this.#consuming.has(consumerId)) this.#closedWhileConsuming.add(consumerId);
    const consumer = this.#consumers.get(consumerId);
    if (consumer !== undefined) {
      consumer.close();
      this.#consumers.delete(consumerId);
    }
    this.#layerRequests.delete(consumerId);
    this.#layerAsks.delete(consumerId);
    this.#offscreen.delete(consumerId);
    this.#pausedUnseen.delete(consumerId);
    this.#deps.dispatch({ type: 'consumerClosed', consumerId });
  }

  /** Every consumer of a peer who left. */
  closePeer(peerId: string): void {
    for (const c of Object.values(this.#deps.state().consumers)) if (c.peerId === peerId) this.close(c.id);
  }

  /** Consumers whose peer is gone from the state (they left while we were disconnected). */
  dropOrphans(): void {
    const known = this.#deps.state().consumers;
    for (const id of [...this.#consumers.keys()]) if (!(id in known)) this.close(id);
  }

  /**
   * New transports were asked for: what arrives from now on is about them. Held until
   * `flushPending`; what was held before is about transports that are gone.
   */
  hold(): void {
    this.#pending = [];
    this.#closedUnseen.clear();
  }

  /**
   * Forgets everything (the transports closed, and their consumers with them); what is held
   * for transports being made stays.
   */
  clear(): void {
    this.#consumers.clear();
    this.#consuming.clear();
    this.#closedWhileConsuming.clear();
    this.#layerRequests.clear();
    this.#layerAsks.clear();
    this.#offscreen.clear();
    this.#pausedUnseen.clear();
  }

  /** A tile scrolled into or out of view (null: its tile is gone, so nothing says it is hidden). */
  setVisible(consumerId: string, visible: boolean | null): void {
    if (visible === false) this.#offscreen.add(consumerId);
    else this.#offscreen.delete(consumerId);
    this.reconcileVisibility();
  }

  /** Pauses video nobody sees and resumes what came back into view or onto the stage. */
  reconcileVisibility(): void {
    const kinds = [...this.#consumers.entries()].map(([id, c]) => ({ id, kind: c.kind }));
    const wanted = consumersToPause(kinds, this.#offscreen, stageConsumers(this.#deps.state()));
    const { pause, resume } = pauseChanges(this.#pausedUnseen, wanted);
    const { signaling } = this.#deps;
    for (const consumerId of pause) {
      this.#pausedUnseen.add(consumerId);
      this.#request(consumerId, signaling.pauseConsumer({ consumerId }), () => this.#pausedUnseen.delete(consumerId));
    }
    for (const consumerId of resume) {
      this.#pausedUnseen.delete(consumerId);
      this.#request(consumerId, signaling.resumeConsumer({ consumerId }), () => this.#pausedUnseen.add(consumerId));
    }
  }

  /**
   * A tile or the stage showing this video changed size: ask the server for the layer the
   * largest of them needs.
   */
  setPreferredLayer(consumerId: string, spatialLayer: SpatialLayer, view: LayerView = 'tile'): void {
    const consumer = this.#consumers.get(consumerId);
    if (consumer === undefined || consumer.kind !== 'video') return;
    let asks = this.#layerAsks.get(consumerId);
    if (asks === undefined) {
      asks = new Map();
      this.#layerAsks.set(consumerId, asks);
    }
    asks.set(view, spatialLayer);
    this.#askLayer(consumerId);
  }

  /** A view of this video is gone (the floor moved on): the views left decide. */
  dropLayerView(consumerId: string, view: LayerView): void {
    this.#layerAsks.get(consumerId)?.delete(view);
    this.#askLayer(consumerId);
  }

  #askLayer(consumerId: string): void {
    const spatialLayer = layerForViews(this.#layerAsks.get(consumerId) ?? new Map());
    if (spatialLayer === null || !this.#consumers.has(consumerId)) return;
    if (this.#layerRequests.get(consumerId) === spatialLayer) return;
    this.#layerRequests.set(consumerId, spatialLayer);
    this.#deps.run(
      this.#deps.signaling.setConsumerLayers({ consumerId, spatialLayer }).then(
        () => this.#deps.dispatch({ type: 'consumerLayer', consumerId, spatialLayer }),
        (error: unknown) => {
          // Forget the request so the next resize asks again.
          this.#layerRequests.delete(consumerId);
          if (!this.#isStale(consumerId, error)) throw error;
          console.warn(`layers of consumer ${consumerId} not set`, error);
        },
      ),
    );
  }

  /** A pause or resume of a consumer; on failure `undo` restores what we believe, so a later reconcile retries. */
  #request(consumerId: string, request: Promise<null>, undo: () => void): void {
    this.#deps.run(
      request.catch((error: unknown) => {
        if (this.#isStale(consumerId, error)) {
          console.warn(`consumer ${consumerId} went away before its pause or resume`, error);
          return;
        }
        undo();
        throw error;
      }),
    );
  }

  async #consume(transport: ms.Transport, info: ConsumerInfo, setUp: () => void = () => undefined): Promise<void> {
    if (this.#consumers.has(info.id) || this.#consuming.has(info.id)) return;
    // A producer announced again (after a resume) replaces the consumer we had of it.
    for (const [id, existing] of this.#consumers) if (existing.producerId === info.producerId) this.close(id);
    this.#consuming.add(info.id);
    let consumer: ms.Consumer;
    try {
      consumer = await transport.consume({
        id: info.id,
        producerId: info.producerId,
        kind: info.kind,
        rtpParameters: toDeviceRtpParameters(info.rtpParameters),
        streamId: `${info.peerId}-${info.source}`,
        appData: { peerId: info.peerId, source: info.source },
      });
    } finally {
      this.#consuming.delete(info.id);
    }
    if (this.#closedWhileConsuming.delete(info.id) || transport.closed || transport !== this.#deps.ready()) {
      consumer.close();
      return;
    }
    this.#consumers.set(info.id, consumer);
    setUp();
    // NOTE: the server created the consumer paused so no packet (and no keyframe) is lost
    // before the browser is ready to decode; resuming now makes it send a fresh keyframe. The
    // resume is asked before the consumer is added to the state: the page renders after each
    // change (tens of ms for a whole room), and the first picture waits for this answer.
    const resumed = this.#deps.signaling.resumeConsumer({ consumerId: info.id });
    this.#deps.dispatch({ type: 'consumerAdded', consumer: info });
    try {
      await resumed;
    } catch (error) {
      if (!this.#isStale(info.id, error)) throw error;
      console.warn(`consumer ${info.id} closed before it was resumed`, error);
    }
  }

  /** A failure about a consumer that has since gone away is old news, not worth an alert. */
  #isStale(consumerId: string, error: unknown): boolean {
    return !this.#consumers.has(consumerId) || errorCodeOf(error) === 'NOT_FOUND';
  }
}
