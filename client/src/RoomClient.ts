/**
 * The one owner of the client's side effects: the Socket.IO connection, the mediasoup Device,
 * its transports, producers and consumers, and every MediaStreamTrack. It reports what happens
 * to the store as serializable actions; components read the store and call these methods.
 */
import { Device, type types as ms } from 'mediasoup-client';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION, type ConsumerInfo, type Joined } from '../../signaling/protocol.js';
import type { MediaSource } from '../../signaling/schemas.js';
import { ClientError, classifyMediaError, errorCodeOf, type ClientErrorCode } from './errors.js';
import { listDevices, openCamera, openMic, openMicAndCamera, openScreen, watchDevices, type Capture } from './media/capture.js';
import {
  CAMERA_CODEC_OPTIONS,
  CAMERA_ENCODINGS,
  MIC_CODEC_OPTIONS,
  SCREEN_ENCODINGS,
} from './media/encodings.js';
import type { SpatialLayer } from './media/layers.js';
import {
  parseCapabilitiesResponse,
  readProducerAppData,
  toClientTransportOptions,
  toWireCapabilities,
  toWireRtpParameters,
  type ProducerAppData,
} from './media/wire.js';
import { Signaling, type ProtocolSocket } from './net/Signaling.js';
import type { Store, Action, State } from './store.js';

/** Errors after which trying the same rejoin again a little later can succeed. */
const RETRYABLE: ReadonlySet<ClientErrorCode> = new Set([
  'TIMEOUT',
  'INTERNAL',
  'DISCONNECTED',
  'MEDIA',
  'CONFLICT',
  'UNAVAILABLE',
]);
const REJOIN_RETRY_MS = 2_000;
const CONNECT_TIMEOUT_MS = 10_000;
const SOURCES: readonly MediaSource[] = ['mic', 'camera', 'screen'];

/** Options for tests and unusual deployments. */
export type RoomClientOptions = {
  /** Defaults to a same-origin Socket.IO connection that is opened by `prepare()`. */
  socket?: ProtocolSocket;
  /** Where `GET /api/rtp-capabilities` lives; defaults to the page's origin. */
  capabilitiesUrl?: string;
};

/** The browser end of a room. */
export class RoomClient {
  readonly #store: Store;
  readonly #socket: ProtocolSocket;
  readonly #signaling: Signaling;
  readonly #capabilitiesUrl: string;

  #device: Promise<Device> | null = null;
  #sendTransport: ms.Transport | null = null;
  #recvTransport: ms.Transport | null = null;
  readonly #producers = new Map<MediaSource, ms.Producer>();
  readonly #localTracks = new Map<MediaSource, MediaStreamTrack>();
  /** Consumers by consumer id; their tracks are what remote tiles render. */
  readonly #consumers = new Map<string, ms.Consumer>();
  /** consumer:new that arrived while transports were being (re)made. */
  #pendingConsumers: ConsumerInfo[] = [];
  /** Ids between recvTransport.consume() and its result, and those closed meanwhile. */
  readonly #consuming = new Set<string>();
  readonly #closedWhileConsuming = new Set<string>();
  readonly #iceRestarting = new Set<string>();
  readonly #layerRequests = new Map<string, SpatialLayer>();

  #resumeToken: string | null = null;
  #entering = false;
  #previewStarted = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #unwatchDevices: (() => void) | null = null;

  constructor(store: Store, options: RoomClientOptions = {}) {
    this.#store = store;
    this.#socket =
      options.socket ??
      io({
        autoConnect: false,
        // WebSocket first saves the polling round trips before the first request; polling
        // stays as the fallback for networks that block WebSockets.
        transports: ['websocket', 'polling'],
        tryAllTransports: true,
      });
    this.#signaling = new Signaling(this.#socket);
    this.#capabilitiesUrl = options.capabilitiesUrl ?? '/api/rtp-capabilities';
    this.#listen();
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', () => this.#onOffline());
      // Closing the tab is leaving: without this the others would watch a frozen tile for the
      // whole resume grace period. The request may not get an answer before the page is gone.
      window.addEventListener('pagehide', () => {
        if (this.#state().phase === 'joined' && this.#socket.connected) this.#run(this.#signaling.leave());
      });
    }
  }

  /** The store this client reports to. */
  get store(): Store {
    return this.#store;
  }

  /** My own track of a source, for previews and the level meter. */
  getLocalTrack(source: MediaSource): MediaStreamTrack | null {
    return this.#localTracks.get(source) ?? null;
  }

  /** The track of a consumer listed in the state. */
  getRemoteTrack(consumerId: string): MediaStreamTrack | null {
    return this.#consumers.get(consumerId)?.track ?? null;
  }

  /**
   * Everything the join page needs before the user clicks: the socket, the Device loaded with
   * the router's capabilities, and a camera/microphone preview. Safe to call repeatedly.
   */
  prepare(): void {
    if (!this.#socket.active) this.#socket.connect();
    this.#run(this.#loadDevice());
    if (!this.#previewStarted) {
      this.#previewStarted = true;
      this.#run(this.#startPreview());
    }
  }

  /** Enter a room with the tracks of the preview. Failures end up in `state.error`. */
  join(roomId: string, displayName: string): void {
    const { phase } = this.#state();
    if (phase === 'joining' || phase === 'joined') return;
    this.#dispatch({ type: 'joining', roomId, displayName: displayName.trim() });
    this.#run(this.#join());
  }

  async #join(): Promise<void> {
    try {
      if (!this.#socket.active) this.#socket.connect();
      await Promise.all([this.#loadDevice(), this.#connected()]);
      await this.#enter(null);
    } catch (error) {
      console.error('join failed', error);
      this.#closeTransports();
      if (this.#resumeToken !== null) {
        // The server took us in before something on our side failed: let it go of us, so the
        // next attempt on this socket is not ALREADY_JOINED.
        this.#resumeToken = null;
        await this.#signaling.leave().catch((leaveError: unknown) => console.warn('room:leave failed', leaveError));
      }
      this.#dispatch({ type: 'joinFailed', error: errorCodeOf(error) });
    }
  }

  /** Leave the room, stop every track and go back to the join page. */
  leave(): void {
    this.#run(this.#leave());
  }

  async #leave(): Promise<void> {
    const joined = this.#state().phase === 'joined';
    try {
      if (joined && this.#socket.connected) await this.#signaling.leave();
    } catch (error) {
      // Leaving goes on regardless: the server drops a silent participant after its grace period.
      console.warn('room:leave failed', error);
    } finally {
      this.#teardown();
    }
  }

  /** Microphone on the join page and in the room: mute, unmute, or open it if it never was. */
  toggleMic(): void {
    this.#run(this.#toggleMic());
  }

  async #toggleMic(): Promise<void> {
    const mic = this.#state().local.mic;
    if (mic === null) {
      if (await this.#open('mic')) await this.#produceIfJoined('mic');
      return;
    }
    await this.#setPaused('mic', !mic.paused);
  }

  /**
   * Camera: on the join page off means closed (the light goes out, and joining sends no
   * camera); in the room off pauses the producer, and a camera that was never opened is opened.
   */
  toggleCamera(): void {
    this.#run(this.#toggleCamera());
  }

  async #toggleCamera(): Promise<void> {
    const { phase, local } = this.#state();
    const camera = local.camera;
    if (camera === null) {
      if (await this.#open('camera')) await this.#produceIfJoined('camera');
      return;
    }
    if (phase !== 'joined') {
      this.#closeLocal('camera');
      return;
    }
    await this.#setPaused('camera', !camera.paused);
  }

  /** Start or stop sharing the screen. */
  toggleScreen(): void {
    this.#run(this.#toggleScreen());
  }

  async #toggleScreen(): Promise<void> {
    if (this.#localTracks.has('screen')) {
      await this.#stopScreen();
      return;
    }
    let track: MediaStreamTrack;
    try {
      track = await openScreen();
    } catch (error) {
      this.#mediaFailed('screen', error);
      return;
    }
    // The browser's own "stop sharing" button ends the track without asking us.
    track.addEventListener('ended', () => this.#run(this.#stopScreen()), { once: true });
    this.#install('screen', track, false);
    await this.#produceIfJoined('screen');
  }

  /** Switch the microphone or camera to another device. */
  selectDevice(kind: 'mic' | 'camera', deviceId: string): void {
    this.#dispatch({ type: 'deviceSelected', kind, deviceId });
    this.#run(this.#switchDevice(kind));
  }

  async #switchDevice(kind: 'mic' | 'camera'): Promise<void> {
    if (this.#state().local[kind] === null) return;
    // NOTE: the old track is stopped first: many cameras cannot be opened twice at once.
    this.#localTracks.get(kind)?.stop();
    const opened = await this.#open(kind);
    const producer = this.#producers.get(kind);
    const track = this.#localTracks.get(kind);
    if (opened && producer !== undefined && track !== undefined) await producer.replaceTrack({ track });
  }

  /** A tile's size changed: ask the server for the simulcast layer it needs. */
  setPreferredLayer(consumerId: string, spatialLayer: SpatialLayer): void {
    const consumer = this.#consumers.get(consumerId);
    if (consumer === undefined || consumer.kind !== 'video') return;
    if (this.#layerRequests.get(consumerId) === spatialLayer) return;
    this.#layerRequests.set(consumerId, spatialLayer);
    this.#run(
      this.#signaling.setConsumerLayers({ consumerId, spatialLayer }).then(
        () => this.#dispatch({ type: 'consumerLayer', consumerId, spatialLayer }),
        (error: unknown) => {
          // Forget the request so the next resize asks again.
          this.#layerRequests.delete(consumerId);
          if (!this.#isStale(consumerId, error)) throw error;
          console.warn(`layers of consumer ${consumerId} not set`, error);
        },
      ),
    );
  }

  /** An <audio> element could not start without a user gesture. */
  reportAudioBlocked(): void {
    this.#dispatch({ type: 'audioBlocked', blocked: true });
  }

  /** The user clicked to allow sound; audio elements retry playing. */
  unblockAudio(): void {
    this.#dispatch({ type: 'audioBlocked', blocked: false });
  }

  /** Hide the current error message. */
  dismissError(): void {
    this.#dispatch({ type: 'errorDismissed' });
  }

  /** Hide the explanation of why a camera, microphone or screen could not be opened. */
  dismissMediaError(source: MediaSource): void {
    this.#dispatch({ type: 'mediaError', source, error: null });
  }

  // ── connection ─────────────────────────────────────────────────────────────────────────

  #listen(): void {
    const s = this.#socket;
    s.on('connect', () => {
      if (this.#state().phase === 'joined' && this.#resumeToken !== null) this.#run(this.#rejoin());
    });
    s.on('disconnect', (reason) => {
      if (this.#state().phase !== 'joined' || reason === 'io client disconnect') return;
      if (reason === 'io server disconnect') {
        // The server closed us on purpose and Socket.IO will not reconnect by itself.
        this.#teardown('SERVER_CLOSED');
        return;
      }
      this.#dispatch({ type: 'connectionLost' });
    });
    s.on('peer:joined', (peer) => {
      if (peer.id !== this.#state().peerId) this.#dispatch({ type: 'peerJoined', peer });
    });
    s.on('peer:left', ({ peerId }) => {
      for (const c of Object.values(this.#state().consumers)) if (c.peerId === peerId) this.#closeConsumer(c.id);
      this.#dispatch({ type: 'peerLeft', peerId });
    });
    s.on('consumer:new', (info) => this.#onConsumerNew(info));
    s.on('consumer:closed', ({ consumerId }) => this.#closeConsumer(consumerId));
    s.on('consumer:producerPaused', ({ consumerId, paused }) =>
      this.#dispatch({ type: 'consumerProducerPaused', consumerId, paused }),
    );
    s.on('speaker:active', ({ peerId }) => this.#dispatch({ type: 'activeSpeaker', peerId }));
    s.on('media:reconnect', ({ reason }) => {
      console.warn('media:reconnect', reason);
      this.#closeTransports();
      this.#dispatch({ type: 'transportsReset' });
      this.#run(this.#rejoin());
    });
  }

  #onOffline(): void {
    if (this.#state().phase !== 'joined') return;
    // Socket.IO would notice only at its ping timeout (up to ~45 s); the browser knows now.
    // Cycling the socket shows the banner at once and resumes as soon as the network is back.
    this.#dispatch({ type: 'connectionLost' });
    this.#socket.disconnect().connect();
  }

  #connected(): Promise<void> {
    if (this.#socket.connected) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#socket.off('connect', onConnect);
        reject(new ClientError('TIMEOUT', 'socket did not connect'));
      }, CONNECT_TIMEOUT_MS);
      const onConnect = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.#socket.once('connect', onConnect);
    });
  }

  /**
   * room:join, then bring media in line with the answer. Used for the first join, after the
   * socket came back (resumeToken set) and after the server's media restarted.
   */
  async #enter(resumeToken: string | null): Promise<void> {
    const device = await this.#loadDevice();
    const { roomId, displayName } = this.#state();
    this.#entering = true;
    try {
      const joined = await this.#signaling.join({
        protocolVersion: PROTOCOL_VERSION,
        roomId,
        displayName,
        rtpCapabilities: toWireCapabilities(device.recvRtpCapabilities),
        ...(resumeToken === null ? {} : { resumeToken }),
      });
      this.#resumeToken = joined.resumeToken;
      // NOTE: the ack repeats routerRtpCapabilities; the Device was loaded from the same
      // capabilities (GET /api/rtp-capabilities is identical for every room) and cannot be
      // loaded twice.
      const keep = this.#hasTransports(joined);
      if (!keep) {
        this.#closeTransports();
        this.#dispatch({ type: 'transportsReset' });
        this.#createTransports(device, joined);
      }
      this.#dispatch({ type: 'joined', peerId: joined.peerId, peers: joined.peers.filter((p) => p.id !== joined.peerId) });
      this.#dropOrphanConsumers();
      this.#entering = false;
      this.#flushPendingConsumers();
      if (keep) await this.#resyncResumed();
      // Also after a resume: a track opened while the join was in flight still needs sending.
      await this.#produceAll();
    } finally {
      this.#entering = false;
    }
  }

  async #rejoin(): Promise<void> {
    if (this.#entering || this.#state().phase !== 'joined') return;
    this.#clearRetry();
    try {
      await this.#enter(this.#resumeToken);
    } catch (error) {
      const code = errorCodeOf(error);
      console.error('rejoin failed', error);
      if (code === 'ALREADY_JOINED') {
        // This server only resumes on a fresh connection: cycle the socket, 'connect' rejoins.
        this.#dispatch({ type: 'connectionLost' });
        this.#socket.disconnect().connect();
      } else if (RETRYABLE.has(code)) {
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = null;
          if (this.#socket.connected) this.#run(this.#rejoin());
        }, REJOIN_RETRY_MS);
      } else {
        this.#teardown(code);
      }
    }
  }

  #clearRetry(): void {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  /** Stop everything and show the join page again (with an error if one ended the session). */
  #teardown(error?: ClientErrorCode): void {
    this.#clearRetry();
    this.#resumeToken = null;
    this.#closeTransports();
    for (const track of this.#localTracks.values()) track.stop();
    this.#localTracks.clear();
    this.#previewStarted = false;
    this.#unwatchDevices?.();
    this.#unwatchDevices = null;
    this.#dispatch(error === undefined ? { type: 'left' } : { type: 'left', error });
    // A fresh connection for the next join; prepare() opens it.
    this.#socket.disconnect();
  }

  // ── device and transports ──────────────────────────────────────────────────────────────

  #loadDevice(): Promise<Device> {
    this.#device ??= this.#createDevice().catch((error: unknown) => {
      // Let the next attempt (the join button) try again.
      this.#device = null;
      throw error;
    });
    return this.#device;
  }

  async #createDevice(): Promise<Device> {
    let device: Device;
    try {
      device = await Device.factory();
    } catch (error) {
      if (error instanceof Error && error.name === 'UnsupportedError') {
        throw new ClientError('UNSUPPORTED_BROWSER', error.message);
      }
      throw error;
    }
    await device.load({ routerRtpCapabilities: parseCapabilitiesResponse(await this.#fetchCapabilities()) });
    this.#dispatch({ type: 'deviceLoaded' });
    return device;
  }

  async #fetchCapabilities(): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.#capabilitiesUrl, { cache: 'no-store' });
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

  #hasTransports(joined: Joined): boolean {
    const send = this.#sendTransport;
    const recv = this.#recvTransport;
    return (
      send !== null &&
      recv !== null &&
      !send.closed &&
      !recv.closed &&
      send.id === joined.sendTransport.id &&
      recv.id === joined.recvTransport.id
    );
  }

  #createTransports(device: Device, joined: Joined): void {
    const send = device.createSendTransport(toClientTransportOptions(joined.sendTransport));
    const recv = device.createRecvTransport(toClientTransportOptions(joined.recvTransport));
    for (const transport of [send, recv]) {
      transport.on('connect', ({ dtlsParameters }, callback) => {
        // NOTE: connect is pipelined with the first produce/consume: Socket.IO delivers in order,
        // so the server has our DTLS parameters before it sees the media request, and the
        // browser starts ICE one round trip earlier. A failure is reported, not retried: ICE
        // restart or rejoin recovers the transport.
        callback();
        this.#run(this.#signaling.connectTransport({ transportId: transport.id, dtlsParameters }));
      });
      transport.on('connectionstatechange', (state) => {
        if (state === 'failed' || state === 'disconnected') this.#run(this.#restartIce(transport));
      });
    }
    send.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      this.#requestProducer(send.id, kind, rtpParameters, appData).then(callback, errback);
    });
    this.#sendTransport = send;
    this.#recvTransport = recv;
  }

  async #requestProducer(
    transportId: string,
    kind: ms.MediaKind,
    rtpParameters: ms.RtpParameters,
    appData: ms.AppData,
  ): Promise<{ id: string }> {
    const { source, paused } = readProducerAppData(appData);
    const { producerId } = await this.#signaling.produce({
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
    if (!this.#socket.connected || this.#state().reconnecting || this.#entering) return;
    this.#iceRestarting.add(transport.id);
    try {
      const { iceParameters } = await this.#signaling.restartIce({ transportId: transport.id });
      if (!transport.closed) await transport.restartIce({ iceParameters });
    } finally {
      this.#iceRestarting.delete(transport.id);
    }
  }

  #closeTransports(): void {
    // Closing a transport closes its producers and consumers; our tracks survive because
    // producers are made with stopTracks: false.
    this.#sendTransport?.close();
    this.#recvTransport?.close();
    this.#sendTransport = null;
    this.#recvTransport = null;
    this.#producers.clear();
    this.#consumers.clear();
    this.#consuming.clear();
    this.#closedWhileConsuming.clear();
    this.#layerRequests.clear();
    this.#iceRestarting.clear();
    this.#pendingConsumers = [];
  }

  /** After resuming on the same transports: tell the server what changed while we were away. */
  async #resyncResumed(): Promise<void> {
    for (const source of SOURCES) {
      const producer = this.#producers.get(source);
      const media = this.#state().local[source];
      if (producer === undefined || media === null) continue;
      if (media.paused) await this.#signaling.pauseProducer({ producerId: producer.id });
      else await this.#signaling.resumeProducer({ producerId: producer.id });
    }
    for (const transport of [this.#sendTransport, this.#recvTransport]) {
      const state = transport?.connectionState;
      if (transport !== null && (state === 'failed' || state === 'disconnected')) await this.#restartIce(transport);
    }
  }

  // ── local media ───────────────────────────────────────────────────────────────────────

  async #startPreview(): Promise<void> {
    this.#unwatchDevices ??= watchDevices(() => this.#run(this.#listDevices()));
    const { selectedDevice } = this.#state();
    const { mic, camera } = await openMicAndCamera(selectedDevice.mic, selectedDevice.camera);
    // The user may have left the join page (or toggled) while the browser was asking.
    if (!this.#previewStarted) {
      stopCapture(mic);
      stopCapture(camera);
      return;
    }
    this.#installCapture('mic', mic);
    this.#installCapture('camera', camera);
    await this.#listDevices();
  }

  #installCapture(source: 'mic' | 'camera', capture: Capture): void {
    if ('track' in capture) {
      if (this.#localTracks.has(source)) capture.track.stop();
      else this.#install(source, capture.track, false);
    } else {
      this.#mediaFailed(source, capture.error);
    }
  }

  async #listDevices(): Promise<void> {
    const devices = await listDevices();
    this.#dispatch({ type: 'devicesListed', ...devices });
  }

  /** Opens the selected device of a source; false (and an explanation in the state) on failure. */
  async #open(source: 'mic' | 'camera'): Promise<boolean> {
    const deviceId = this.#state().selectedDevice[source];
    let track: MediaStreamTrack;
    try {
      track = source === 'mic' ? await openMic(deviceId) : await openCamera(deviceId);
    } catch (error) {
      this.#mediaFailed(source, error);
      return false;
    }
    const previous = this.#localTracks.get(source);
    if (previous !== undefined && previous !== track) previous.stop();
    this.#install(source, track, this.#state().local[source]?.paused ?? false);
    // Labels only appear once a permission is granted.
    this.#run(this.#listDevices());
    return true;
  }

  #install(source: MediaSource, track: MediaStreamTrack, paused: boolean): void {
    this.#localTracks.set(source, track);
    // A paused producer disables its track; a replacement must match.
    track.enabled = !paused;
    this.#dispatch({ type: 'mediaError', source, error: null });
    this.#dispatch({
      type: 'localSet',
      source,
      media: { trackId: track.id, producerId: this.#producers.get(source)?.id ?? null, paused },
    });
  }

  #closeLocal(source: MediaSource): void {
    this.#localTracks.get(source)?.stop();
    this.#localTracks.delete(source);
    this.#dispatch({ type: 'localSet', source, media: null });
  }

  #mediaFailed(source: MediaSource, error: unknown): void {
    console.warn(`could not open ${source}`, error);
    this.#dispatch({ type: 'mediaError', source, error: classifyMediaError(error) });
  }

  async #setPaused(source: 'mic' | 'camera', paused: boolean): Promise<void> {
    this.#dispatch({ type: 'localPatched', source, patch: { paused } });
    const producer = this.#producers.get(source);
    if (producer === undefined) {
      // Not producing yet: the preview track follows the flag and #produce reads it.
      const track = this.#localTracks.get(source);
      if (track !== undefined) track.enabled = !paused;
      return;
    }
    if (paused) {
      // NOTE: pause locally first so nothing more is sent even if the request fails.
      producer.pause();
      await this.#signaling.pauseProducer({ producerId: producer.id });
      return;
    }
    producer.resume();
    try {
      await this.#signaling.resumeProducer({ producerId: producer.id });
    } catch (error) {
      // The server still has it paused: show the truth rather than a live-looking button.
      producer.pause();
      this.#dispatch({ type: 'localPatched', source, patch: { paused: true } });
      throw error;
    }
  }

  async #stopScreen(): Promise<void> {
    const track = this.#localTracks.get('screen');
    if (track === undefined) return;
    this.#closeLocal('screen');
    const producer = this.#producers.get('screen');
    if (producer === undefined) return;
    this.#producers.delete('screen');
    producer.close();
    await this.#signaling.closeProducer({ producerId: producer.id });
  }

  async #produceIfJoined(source: MediaSource): Promise<void> {
    if (this.#state().phase === 'joined' && !this.#entering) await this.#produce(source);
  }

  async #produceAll(): Promise<void> {
    // The send transport serializes produce() calls anyway; the microphone goes first so that
    // people are heard as early as possible.
    for (const source of SOURCES) {
      try {
        await this.#produce(source);
      } catch (error) {
        this.#report(error);
      }
    }
  }

  async #produce(source: MediaSource): Promise<void> {
    const transport = this.#sendTransport;
    const track = this.#localTracks.get(source);
    const media = this.#state().local[source];
    if (transport === null || transport.closed || track === undefined || media === null) return;
    if (this.#producers.has(source)) return;
    const paused = media.paused;
    const appData: ProducerAppData = { source, paused };
    const producer = await transport.produce({ track, stopTracks: false, appData, ...producerOptions(source) });
    if (transport !== this.#sendTransport || this.#localTracks.get(source) !== track) {
      // Transports were replaced or the track was dropped while the server answered.
      producer.close();
      if (!transport.closed) await this.#signaling.closeProducer({ producerId: producer.id });
      return;
    }
    // The server made it paused already (media:produce `paused`); this only disables the track.
    if (paused) producer.pause();
    this.#producers.set(source, producer);
    if (source !== 'screen') {
      producer.on('trackended', () => {
        this.#dispatch({ type: 'mediaError', source, error: 'notFound' });
        this.#run(this.#setPaused(source, true));
      });
    }
    this.#dispatch({ type: 'localPatched', source, patch: { producerId: producer.id } });
    // The user may have toggled while the server answered.
    const now = this.#state().local[source];
    if (source !== 'screen' && now !== null && now.paused !== paused) await this.#setPaused(source, now.paused);
  }

  // ── remote media ──────────────────────────────────────────────────────────────────────

  #onConsumerNew(info: ConsumerInfo): void {
    // NOTE: consumer:new follows the join ack at once, possibly in the same polling batch,
    // before transports exist; hold them until #enter has settled the transports.
    if (this.#entering || this.#recvTransport === null) {
      this.#pendingConsumers.push(info);
      return;
    }
    this.#run(this.#consume(this.#recvTransport, info));
  }

  #flushPendingConsumers(): void {
    const pending = this.#pendingConsumers;
    this.#pendingConsumers = [];
    const transport = this.#recvTransport;
    if (transport === null) return;
    for (const info of pending) this.#run(this.#consume(transport, info));
  }

  async #consume(transport: ms.Transport, info: ConsumerInfo): Promise<void> {
    if (this.#consumers.has(info.id) || this.#consuming.has(info.id)) return;
    // A producer announced again (after a resume) replaces the consumer we had of it.
    for (const [id, existing] of this.#consumers) if (existing.producerId === info.producerId) this.#closeConsumer(id);
    this.#consuming.add(info.id);
    let consumer: ms.Consumer;
    try {
      consumer = await transport.consume({
        id: info.id,
        producerId: info.producerId,
        kind: info.kind,
        rtpParameters: info.rtpParameters,
        streamId: `${info.peerId}-${info.source}`,
        appData: { peerId: info.peerId, source: info.source },
      });
    } finally {
      this.#consuming.delete(info.id);
    }
    if (this.#closedWhileConsuming.delete(info.id) || transport.closed || transport !== this.#recvTransport) {
      consumer.close();
      return;
    }
    this.#consumers.set(info.id, consumer);
    this.#dispatch({ type: 'consumerAdded', consumer: info });
    // NOTE: the server created the consumer paused so no packet (and no keyframe) is lost
    // before the browser is ready to decode; resuming now makes it send a fresh keyframe.
    try {
      await this.#signaling.resumeConsumer({ consumerId: info.id });
    } catch (error) {
      if (!this.#isStale(info.id, error)) throw error;
      console.warn(`consumer ${info.id} closed before it was resumed`, error);
    }
  }

  /** A failure about a consumer that has since gone away is old news, not worth an alert. */
  #isStale(consumerId: string, error: unknown): boolean {
    return !this.#consumers.has(consumerId) || errorCodeOf(error) === 'NOT_FOUND';
  }

  #closeConsumer(consumerId: string): void {
    this.#pendingConsumers = this.#pendingConsumers.filter((c) => c.id !== consumerId);
    if (this.#consuming.has(consumerId)) this.#closedWhileConsuming.add(consumerId);
    const consumer = this.#consumers.get(consumerId);
    if (consumer !== undefined) {
      consumer.close();
      this.#consumers.delete(consumerId);
    }
    this.#layerRequests.delete(consumerId);
    this.#dispatch({ type: 'consumerClosed', consumerId });
  }

  /** Consumers whose peer is gone from the state (they left while we were disconnected). */
  #dropOrphanConsumers(): void {
    const known = this.#state().consumers;
    for (const id of [...this.#consumers.keys()]) if (!(id in known)) this.#closeConsumer(id);
  }

  // ── plumbing ──────────────────────────────────────────────────────────────────────────

  #state(): State {
    return this.#store.getState();
  }

  #dispatch(action: Action): void {
    this.#store.dispatch(action);
  }

  /** Runs a task nobody awaits; its failure is shown to the user, never dropped. */
  #run(task: Promise<unknown>): void {
    task.catch((error: unknown) => this.#report(error));
  }

  #report(error: unknown): void {
    const code = errorCodeOf(error);
    if (code === 'DISCONNECTED' && this.#state().reconnecting) {
      // The banner already says so, and the rejoin will resync.
      console.warn('request while disconnected', error);
      return;
    }
    console.error(error);
    this.#dispatch({ type: 'failed', error: code });
  }
}

function producerOptions(source: MediaSource): Pick<ms.ProducerOptions, 'encodings' | 'codecOptions'> {
  switch (source) {
    case 'mic':
      return { codecOptions: MIC_CODEC_OPTIONS };
    case 'camera':
      return { encodings: CAMERA_ENCODINGS, codecOptions: CAMERA_CODEC_OPTIONS };
    case 'screen':
      return { encodings: SCREEN_ENCODINGS };
  }
}

function stopCapture(capture: Capture): void {
  if ('track' in capture) capture.track.stop();
}
