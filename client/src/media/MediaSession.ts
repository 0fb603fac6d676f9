/**
 * The mediasoup side of a participant: the Device, both transports, my producers and the
 * consumers of everybody else. Owned by RoomClient, which decides when media starts and stops;
 * this class only knows how.
 */
import { Device, type types as ms } from 'mediasoup-client';
import type { MediaJoined } from '../../../signaling/protocol.js';
import { ClientError } from '../errors.js';
import type { ProtocolSocket, Signaling } from '../net/Signaling.js';
import { RECORDING_FAILING_NOTICE, STREAM_FAILING_NOTICE } from '../room/notices.js';
import type { Action, State } from '../store.js';
import { openScreen } from './capture.js';
import { Consumers } from './Consumers.js';
import { LocalTracks } from './LocalTracks.js';
import { Producers } from './Producers.js';
import { TransportLinks } from './TransportLinks.js';
import { parseCapabilitiesResponse, readProducerAppData, toClientTransportOptions, toRtcIceServers, toWireRtpParameters } from './wire.js';

/** What MediaSession needs from its owner. */
export type MediaSessionDeps = {
  signaling: Signaling;
  dispatch(action: Action): void;
  state(): State;
  run(task: Promise<unknown>): void;
  report(error: unknown): void;
  /** Whether a request can be sent now (ICE restarts wait for a rejoin otherwise). */
  online(): boolean;
  capabilitiesUrl: string;
};

/** Device, transports, producers and consumers of one participant. */
export class MediaSession {
  readonly local: LocalTracks;
  readonly consumers: Consumers;
  readonly producers: Producers;
  readonly #deps: MediaSessionDeps;
  #device: Promise<Device> | null = null;
  #send: ms.Transport | null = null;
  #recv: ms.Transport | null = null;
  readonly #iceRestarting = new Set<string>();
  /** Whether my transports' media gets through, and why not (the page says it). */
  readonly #links: TransportLinks;
  #starting = false;

  constructor(deps: MediaSessionDeps) {
    this.#deps = deps;
    this.#links = new TransportLinks((problem) => deps.dispatch({ type: 'mediaLink', problem }));
    this.local = new LocalTracks(deps);
    this.consumers = new Consumers({ ...deps, ready: () => (this.#starting ? null : this.#recv) });
    this.producers = new Producers({ ...deps, local: this.local, transport: () => this.#send });
  }

  /** Transports are being (re)made: requests about media wait. */
  get starting(): boolean {
    return this.#starting;
  }

  /** Whether transports exist (I am in the room with media). */
  get active(): boolean {
    return this.#send !== null || this.#recv !== null;
  }

  /** Media notifications from the server; `me` tells my own peer id apart. */
  listen(socket: ProtocolSocket, me: () => string | null): void {
    const { dispatch } = this.#deps;
    socket.on('peer:joined', (peer) => {
      if (peer.id !== me()) dispatch({ type: 'peerJoined', peer });
    });
    socket.on('peer:left', ({ peerId }) => {
      this.consumers.closePeer(peerId);
      dispatch({ type: 'peerLeft', peerId });
    });
    socket.on('consumer:new', (info) => this.consumers.add(info));
    socket.on('consumer:closed', ({ consumerId }) => this.consumers.close(consumerId));
    socket.on('consumer:producerPaused', ({ consumerId, paused }) => dispatch({ type: 'consumerProducerPaused', consumerId, paused }));
    socket.on('speaker:active', ({ peerId }) => dispatch({ type: 'activeSpeaker', peerId }));
    socket.on('media:quality', ({ peers, audioOnly }) => dispatch({ type: 'quality', peers, audioOnly }));
    socket.on('media:link', ({ score }) => dispatch({ type: 'linkScore', score }));
    socket.on('stream:status', ({ state }) =>
      dispatch(state === 'failing' ? { type: 'notices', notices: [{ kind: 'streamFailing', id: STREAM_FAILING_NOTICE }] } : { type: 'noticeDismissed', id: STREAM_FAILING_NOTICE }),
    );
    socket.on('recording:status', ({ state }) =>
      dispatch(
        state === 'failing'
          ? { type: 'notices', notices: [{ kind: 'recordingFailing', id: RECORDING_FAILING_NOTICE }] }
          : { type: 'noticeDismissed', id: RECORDING_FAILING_NOTICE },
      ),
    );
  }

  /**
   * A request that answers with MediaJoined is in flight: hold consumer:new until start().
   * NOTE: the server sends consumer:new right after the ack, possibly in the same packet, so
   * holding must begin before the request, not when the answer is handled.
   */
  hold(): void {
    this.#starting = true;
    this.consumers.hold();
  }

  /** The request failed or brought no media: stop holding. */
  release(): void {
    if (!this.#starting) return;
    this.#starting = false;
    void this.consumers.flushPending();
  }

  /** The Device, loaded once with the router's capabilities. */
  loadDevice(): Promise<Device> {
    this.#device ??= this.#createDevice().catch((error: unknown) => {
      // Let the next attempt (the join button) try again.
      this.#device = null;
      throw error;
    });
    return this.#device;
  }

  /**
   * Brings media in line with a `MediaJoined`: keeps transports the server kept (a resume),
   * else makes new ones; then publishes my tracks unless `publish` is false (public).
   */
  async start(media: MediaJoined, me: string, publish: boolean): Promise<void> {
    const device = await this.loadDevice();
    this.#starting = true;
    let keep = false;
    try {
      // NOTE: MediaJoined repeats routerRtpCapabilities; the Device was loaded from the same
      // capabilities (GET /api/rtp-capabilities is identical for every room) and cannot be
      // loaded twice.
      keep = this.#hasTransports(media);
      if (!keep) {
        this.closeTransports();
        this.#createTransports(device, media);
      }
      this.consumers.addJoined(media.consumers);
    } finally {
      this.#starting = false;
    }
    // NOTE: the tracks I receive are set going before anything is dispatched: the page renders
    // the room (a long task) in the microtask after a dispatch, and the browser's offer/answer
    // would only start after it. They are added to the state once set up, after these.
    const received = this.consumers.flushPending();
    // mediasoup-client hands them to the browser in a microtask of its own (Transport.consume):
    // one turn of the microtask queue, and setRemoteDescription has begun before the render of
    // these dispatches. NOTE: the join's own room state (Entry, dispatched before this call) has
    // rendered by then, since start() waits for the Device first. Holding those dispatches back
    // until the consumes were under way brought the connections forward (16 ms after the answer
    // instead of 40, medians of one run each), but 7 alternating pairs of bench/join.ts showed no
    // earlier first frame, so the simpler order stays.
    await Promise.resolve();
    if (!keep) this.#deps.dispatch({ type: 'transportsReset' });
    this.#deps.dispatch({ type: 'joined', peerId: me, peers: media.peers.filter((p) => p.id !== me) });
    this.consumers.dropOrphans();
    if (!publish) return;
    // A new peer on the server (after a grace period ran out, or a new process) starts with
    // video: it must hear again that I am audio-only.
    if (this.#deps.state().audioOnly) await this.#deps.signaling.setAudioOnly({ on: true });
    await this.local.previewSettled();
    if (keep) await this.#resyncResumed();
    // NOTE: my tracks go out once those I receive are set up: the two offer/answer rounds would
    // otherwise share the browser's time, and what I see would wait for what I send.
    await received;
    // Also after a resume: a track opened while the join was in flight still needs sending.
    await this.producers.produceAll();
  }

  /** Closes both transports (and so every producer and consumer); my tracks survive. */
  closeTransports(): void {
    // Producers are made with stopTracks: false, so closing them leaves the tracks running.
    this.#send?.close();
    this.#recv?.close();
    this.#send = null;
    this.#recv = null;
    this.producers.clear();
    this.#iceRestarting.clear();
    this.#links.clear();
    this.consumers.clear();
  }

  /** Everything off: transports closed and every track stopped. */
  stop(): void {
    this.closeTransports();
    this.local.stopAll();
  }

  /** Microphone: mute, unmute, or open it if it never was. */
  async toggleMic(): Promise<void> {
    const mic = this.#deps.state().local.mic;
    if (mic === null) {
      if (await this.local.open('mic', null)) await this.#produceIfActive('mic');
      return;
    }
    await this.producers.setPaused('mic', !mic.paused);
  }

  /**
   * Camera: before joining, off means closed (the light goes out); in the room off pauses
   * the producer, and a camera that was never opened is opened.
   */
  async toggleCamera(): Promise<void> {
    const camera = this.#deps.state().local.camera;
    if (camera === null) {
      if (await this.local.open('camera', null)) await this.#produceIfActive('camera');
      return;
    }
    if (!this.active) {
      this.local.close('camera');
      return;
    }
    await this.producers.setPaused('camera', !camera.paused);
  }

  /**
   * Audio-only on or off: my camera stops sending and the server forwards me no video but the
   * stage's. My camera button keeps its own state, so turning audio-only off brings back what
   * I had. Turning it off by hand counts as "not now" to the weak-link proposal.
   */
  async setAudioOnly(on: boolean): Promise<void> {
    const { dispatch, signaling, state } = this.#deps;
    if (state().audioOnly === on) return;
    dispatch({ type: 'audioOnly', on });
    if (!on) dispatch({ type: 'weakLinkAnswered', declined: true });
    this.producers.setAudioOnly(on);
    if (state().phase === 'joined' && !this.#starting) await signaling.setAudioOnly({ on });
  }

  /** Video back on: audio-only off, and the camera on if I had turned it off myself. */
  async videoBack(): Promise<void> {
    await this.setAudioOnly(false);
    const camera = this.#deps.state().local.camera;
    if (camera === null || camera.paused) await this.toggleCamera();
  }

  /** Start or stop sharing the screen. */
  async toggleScreen(): Promise<void> {
    if (this.local.get('screen') !== null) {
      await this.producers.stopScreen();
      return;
    }
    let track: MediaStreamTrack;
    try {
      track = await openScreen();
    } catch (error) {
      this.local.failed('screen', error);
      return;
    }
    // The browser's own "stop sharing" button ends the track without asking us.
    track.addEventListener('ended', () => this.#deps.run(this.producers.stopScreen()), { once: true });
    this.local.install('screen', track, false, null);
    await this.#produceIfActive('screen');
  }

  /** Switch the microphone or camera to another device. */
  async switchDevice(kind: 'mic' | 'camera'): Promise<void> {
    if (this.#deps.state().local[kind] === null) return;
    // NOTE: the old track is stopped first: many cameras cannot be opened twice at once.
    this.local.stopTrack(kind);
    const opened = await this.local.open(kind, this.producers.get(kind)?.id ?? null);
    const track = this.local.get(kind);
    if (opened && track !== null) await this.producers.replaceTrack(kind, track);
  }

  async #produceIfActive(source: 'mic' | 'camera' | 'screen'): Promise<void> {
    if (this.#deps.state().phase === 'joined' && !this.#starting) await this.producers.produce(source);
  }

  async #createDevice(): Promise<Device> {
    let device: Device;
    try {
      device = await Device.factory();
    } catch (error) {
      if (error instanceof Error && error.name === 'UnsupportedError') throw new ClientError('UNSUPPORTED_BROWSER', error.message);
      throw error;
    }
    await device.load({ routerRtpCapabilities: parseCapabilitiesResponse(await this.#fetchCapabilities()) });
    this.#deps.dispatch({ type: 'deviceLoaded' });
    return device;
  }

  async #fetchCapabilities(): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.#deps.capabilitiesUrl, { cache: 'no-store' });
    } catch (error) {
      throw new ClientError('CAPABILITIES', error instanceof Error ? error.message : 'fetch failed');
    }
    if (!response.ok) throw new ClientError('CAPABILITIES', `HTTP ${response.status}`);
    try {
      const body: unknown = await response.json();
      return body;
    } catch (error) {
      throw new ClientError('CAPABILITIES', error instanceof Error ? error.message : 'not JSON');
    }
  }

  #hasTransports(media: MediaJoined): boolean {
    const send = this.#send;
    const recv = this.#recv;
    const sendKept = media.sendTransport === null ? send === null : send !== null && !send.closed && send.id === media.sendTransport.id;
    return sendKept && recv !== null && !recv.closed && recv.id === media.recvTransport.id;
  }

  #createTransports(device: Device, media: MediaJoined): void {
    // Watchers (the public) get no sending transport.
    const sendOptions = media.sendTransport && toClientTransportOptions(media.sendTransport);
    const recvOptions = toClientTransportOptions(media.recvTransport);
    const send = sendOptions && device.createSendTransport(sendOptions);
    const recv = device.createRecvTransport(recvOptions);
    if (send && sendOptions) this.#links.watch(send, sendOptions.iceServers ?? []);
    this.#links.watch(recv, recvOptions.iceServers ?? []);
    for (const transport of send ? [send, recv] : [recv]) {
      transport.on('connect', ({ dtlsParameters }, callback) => {
        // NOTE: connect is pipelined with the first produce/consume: Socket.IO delivers in order,
        // so the server has our DTLS parameters before it sees the media request, and the
        // browser starts ICE one round trip earlier. A failure is reported, not retried: ICE
        // restart or rejoin recovers the transport.
        callback();
        this.#deps.run(this.#deps.signaling.connectTransport({ transportId: transport.id, dtlsParameters }));
      });
      transport.on('connectionstatechange', (state) => {
        if (state === 'failed' || state === 'disconnected') this.#deps.run(this.#restartIce(transport));
      });
    }
    send?.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      this.#requestProducer(send.id, kind, rtpParameters, appData).then(callback, errback);
    });
    this.#send = send;
    this.#recv = recv;
  }

  async #requestProducer(
    transportId: string,
    kind: ms.MediaKind,
    rtpParameters: ms.RtpParameters,
    appData: ms.AppData,
  ): Promise<{ id: string }> {
    const { source, paused } = readProducerAppData(appData);
    const { producerId } = await this.#deps.signaling.produce({
      transportId,
      kind,
      rtpParameters: toWireRtpParameters(rtpParameters),
      source,
      paused,
    });
    return { id: producerId };
  }

  async #restartIce(transport: ms.Transport): Promise<void> {
    // Without a joined socket there is nobody to ask: the server dropped these transports
    // with the connection, and the rejoin replaces them.
    if (transport.closed || this.#iceRestarting.has(transport.id)) return;
    if (!this.#deps.online() || this.#starting) return;
    this.#iceRestarting.add(transport.id);
    try {
      const { iceParameters, iceServers } = await this.#deps.signaling.restartIce({ transportId: transport.id });
      if (transport.closed) return;
      // NOTE: the relay credentials of the join may have expired (coturn refuses them then):
      // the restart's ICE gathers with the fresh ones the server just minted.
      if (iceServers !== undefined) {
        const relays = toRtcIceServers(iceServers);
        await transport.updateIceServers({ iceServers: relays });
        this.#links.relaysChanged(transport.id, relays);
      }
      await transport.restartIce({ iceParameters });
    } finally {
      this.#iceRestarting.delete(transport.id);
    }
  }

  /** After resuming on the same transports: tell the server what changed while we were away. */
  async #resyncResumed(): Promise<void> {
    await this.producers.resync();
    for (const transport of [this.#send, this.#recv]) {
      const state = transport?.connectionState;
      if (transport !== null && (state === 'failed' || state === 'disconnected')) await this.#restartIce(transport);
    }
  }
}
