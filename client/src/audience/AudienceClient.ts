/**
 * The browser end of a public viewer: `audience:join` with the public link, the public view as
 * it changes, and the meeting's program on one receive-only transport. A viewer never publishes
 * and is in nobody's list; it only watches. After a dropped connection it joins again by itself
 * (a new connection is a new viewer to the server).
 */
import { Device, type types as ms } from 'mediasoup-client';
import { io } from 'socket.io-client';
import type { CommentsChanged, PublicView } from '../../../signaling/audience.js';
import { PROTOCOL_VERSION, type AudienceJoined, type AudienceWatched } from '../../../signaling/protocol.js';
import { ClientError, type ClientErrorCode } from '../errors.js';
import { TransportLinks, type MediaLinkProblem } from '../media/TransportLinks.js';
import { toClientTransportOptions, toDeviceRtpParameters, toWireCapabilities } from '../media/wire.js';
import { request, type AckRequest } from '../net/ack.js';
import type { ProtocolSocket } from '../net/protocolSocket.js';
import { storedWatchMode, storeWatchMode, type RealtimeStatus, type WatchMode } from './watchMode.js';

/** A refused join that may work later (the crowd's budget per second, a lost answer) is tried again after this long at least. */
const RETRY_MS = 2_000;
const RETRYABLE: ReadonlySet<ClientErrorCode> = new Set(['RATE_LIMITED', 'TIMEOUT', 'INTERNAL', 'UNAVAILABLE', 'DISCONNECTED']);

/** What the page shows. */
export type AudienceState = {
  status: 'connecting' | 'watching' | 'failed';
  /** Why the page cannot show the meeting (a revoked link, say), or null. */
  error: ClientErrorCode | null;
  view: PublicView | null;
  /** Server clock minus ours (ms), for the speaker's countdown. */
  clockOffset: number;
  /** The program's tracks once they arrive (null: no program, or not yet). */
  stream: MediaStream | null;
  /** The program's consumers (they stay the same while the floor moves). */
  consumerIds: string[];
  /** The program's media does not get through, and why as far as known; null: fine. */
  mediaLink: MediaLinkProblem | null;
  /** How the viewer chose to watch (remembered in this browser). */
  preference: WatchMode;
  /** Where the WebRTC program stands (watchMode.ts decides what plays). */
  realtime: RealtimeStatus;
};

/** What the public page uses of a viewer's client (a stand-in in component tests). */
export type AudienceSource = Pick<AudienceClient, 'start' | 'close' | 'choose' | 'subscribe' | 'getState' | 'onComments'>;

export class AudienceClient {
  readonly #socket: ProtocolSocket;
  readonly #invite: string;
  readonly #listeners = new Set<() => void>();
  /** The comments board's listeners while it is shown, each with what to do once the server sends it the changes. */
  readonly #commentListeners = new Map<(data: CommentsChanged) => void, (() => void) | undefined>();
  /** The server was last asked to send the comments' changes (true) or not (false) on this connection. */
  #following = false;
  #state: AudienceState;
  readonly #links = new TransportLinks((mediaLink) => this.#onMediaLink(mediaLink));
  readonly #storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  #device: Device | null = null;
  #transport: ms.Transport | null = null;
  /** What the join answered for the program (null: none offered), to watch it again on request. */
  #media: AudienceJoined['media'] = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(invite: string, socket?: ProtocolSocket, storage: Pick<Storage, 'getItem' | 'setItem'> | null = localStorageOrNull()) {
    this.#invite = invite;
    this.#storage = storage;
    const preference = storedWatchMode(storage);
    this.#state = { status: 'connecting', error: null, view: null, clockOffset: 0, stream: null, consumerIds: [], mediaLink: null, preference, realtime: 'idle' };
    this.#socket = socket ?? io({ autoConnect: false, transports: ['websocket', 'polling'], tryAllTransports: true });
    this.#socket.on('connect', () => this.#join());
    this.#socket.on('disconnect', () => {
      // A refusal or failure stands across a reconnect (no flapping between the modes); the
      // viewer tries 实时模式 again when they ask for it.
      this.#closeMedia(this.#state.realtime === 'full' || this.#state.realtime === 'failed' ? this.#state.realtime : 'idle');
      // A new connection is a new viewer, which follows the comments only once it asks again.
      this.#following = false;
      if (this.#state.status !== 'failed') this.#set({ status: 'connecting' });
    });
    this.#socket.on('audience:view', (view) => this.#onView(view));
    // The program's media server restarted: a new connection is a new viewer with a new program.
    this.#socket.on('media:reconnect', () => {
      this.#socket.disconnect();
      this.#socket.connect();
    });
    this.#socket.on('comments:changed', (data) => {
      for (const listener of this.#commentListeners.keys()) listener(data);
    });
  }

  /** Connects and joins (again after any drop, until closed). */
  start(): void {
    // Started again after close() (React's development double effect): a live client again.
    this.#closed = false;
    if (!this.#socket.active) this.#socket.connect();
  }

  close(): void {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#closeMedia('idle');
    this.#socket.disconnect();
  }

  /**
   * The viewer picks how to watch: 流畅模式 gives the WebRTC program back to the server (the
   * page plays the HLS stream); 实时模式 asks for it again (also after a refusal or a failure).
   */
  choose(mode: WatchMode): void {
    storeWatchMode(this.#storage, mode);
    this.#set({ preference: mode });
    if (mode === 'smooth') {
      this.#closeMedia('idle');
      return;
    }
    if (this.#state.realtime === 'connecting' || this.#state.realtime === 'playing') return;
    this.#startWatching();
  }

  /** For useSyncExternalStore. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getState = (): AudienceState => this.#state;

  /**
   * Approved comments as they change, while someone listens (the comments board, while it is
   * shown): the server sends them only then. `onFollowing` is called each time the server
   * starts sending them (again after a dropped connection): what changed before may not have
   * come, so the listener reads the comments afresh then.
   */
  readonly onComments = (listener: (data: CommentsChanged) => void, onFollowing?: () => void): (() => void) => {
    this.#commentListeners.set(listener, onFollowing);
    this.#followComments();
    return () => {
      this.#commentListeners.delete(listener);
      this.#followComments();
    };
  };

  /** Asks the server to send the comments' changes while someone listens, and no longer after. */
  #followComments(): void {
    const follow = this.#commentListeners.size > 0;
    // Not joined (yet): the join asks, if anyone listens by then.
    if (follow === this.#following || this.#state.status !== 'watching' || !this.#socket.connected) return;
    this.#following = follow;
    this.#request<null>((s, cb) => s.emit('audience:comments', { follow }, cb)).then(
      () => {
        if (follow && this.#following) for (const onFollowing of this.#commentListeners.values()) onFollowing?.();
      },
      (error: unknown) => {
        // The board still reads the comments over HTTP; it misses only the live changes.
        console.warn('could not follow the comments', error);
        if (this.#following === follow) this.#following = !follow;
      },
    );
  }

  async #join(): Promise<void> {
    let joined: AudienceJoined;
    try {
      joined = await this.#request<AudienceJoined>((s, cb) => s.emit('audience:join', { protocolVersion: PROTOCOL_VERSION, invite: this.#invite }, cb));
    } catch (error) {
      const code = error instanceof ClientError ? error.code : 'INTERNAL';
      if (RETRYABLE.has(code) && !this.#closed) {
        const wait = Math.max(RETRY_MS, error instanceof ClientError ? (error.retryAfterMs ?? 0) : 0);
        this.#retry = setTimeout(() => {
          if (this.#socket.connected) void this.#join();
        }, wait);
        return;
      }
      this.#set({ status: 'failed', error: code });
      this.#socket.disconnect();
      return;
    }
    this.#set({ status: 'watching', error: null, view: joined.view, clockOffset: joined.serverTime - Date.now() });
    this.#followComments();
    this.#media = joined.media;
    if (!joined.media) {
      this.#set({ realtime: joined.view.phase === 'ended' ? 'idle' : 'absent' });
      return;
    }
    if (this.#state.preference === 'realtime' && this.#state.realtime !== 'full' && this.#state.realtime !== 'failed') this.#startWatching();
  }

  #startWatching(): void {
    const media = this.#media;
    if (!media || !this.#socket.connected || this.#state.view?.phase === 'ended') return;
    this.#set({ realtime: 'connecting' });
    this.#watch(media).catch((error: unknown) => {
      // The view still works without the WebRTC program (an old browser, a blocked network, a
      // full audience): the page plays the HLS stream instead.
      const code = error instanceof ClientError ? error.code : 'MEDIA';
      if (code !== 'CAPACITY') console.warn('could not watch the program', error);
      // A dropped connection is no verdict: the join that follows tries again.
      if (code === 'DISCONNECTED' || this.#state.preference !== 'realtime') return;
      this.#closeMedia(code === 'CAPACITY' ? 'full' : 'failed');
    });
  }

  async #watch(media: NonNullable<AudienceJoined['media']>): Promise<void> {
    if (!this.#device) {
      const device = await Device.factory();
      await device.load({ routerRtpCapabilities: media.routerRtpCapabilities as ms.RtpCapabilities });
      this.#device = device;
    }
    const device = this.#device;
    const watched = await this.#request<AudienceWatched>((s, cb) => s.emit('audience:watch', { rtpCapabilities: toWireCapabilities(device.rtpCapabilities) }, cb));
    this.#closeTransport();
    const options = toClientTransportOptions(watched.recvTransport);
    const transport = device.createRecvTransport(options);
    this.#transport = transport;
    this.#links.watch(transport, options.iceServers ?? []);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#request<null>((s, cb) => s.emit('transport:connect', { transportId: transport.id, dtlsParameters }, cb)).then(() => callback(), errback);
    });
    const stream = new MediaStream();
    for (const info of watched.consumers) {
      const consumer = await transport.consume({ id: info.id, producerId: info.producerId, kind: info.kind, rtpParameters: toDeviceRtpParameters(info.rtpParameters) });
      if (transport.closed) return;
      stream.addTrack(consumer.track);
      this.#onFirstPacket(transport, consumer.track);
      // NOTE: created paused so that no key frame is lost before the browser can decode; the
      // program keeps these consumers when the floor moves (the server switches what they carry).
      await this.#request<null>((s, cb) => s.emit('consumer:resume', { consumerId: info.id }, cb));
    }
    if (this.#transport === transport) this.#set({ stream, consumerIds: watched.consumers.map((c) => c.id) });
  }

  /** A remote track is muted until its first packet arrives (W3C WebRTC, "receiving" tracks). */
  #onFirstPacket(transport: ms.Transport, track: MediaStreamTrack): void {
    const playing = (): void => {
      if (this.#transport === transport && this.#state.realtime === 'connecting') this.#set({ realtime: 'playing' });
    };
    if (!track.muted) playing();
    else track.addEventListener('unmute', playing, { once: true });
  }

  /**
   * ICE or DTLS failed, or the transport is still not connected STALL_MS after it began
   * (TransportLinks): no media within a reasonable time, so the page plays the stream.
   * NOTE: a connected transport with no packets is not taken for a failure: DTLS went over
   * the same path the media takes, so it means the program itself is dark and silent (no
   * camera, nobody heard), which the stream would show alike. A viewer's transport is not
   * restarted, so a failure while playing is as final.
   */
  #onMediaLink(mediaLink: MediaLinkProblem | null): void {
    this.#set({ mediaLink });
    if (mediaLink !== null && this.#transport !== null) this.#closeMedia('failed');
  }

  #onView(view: PublicView): void {
    this.#set({ view });
    if (view.phase === 'ended') this.#closeMedia('idle');
  }

  #closeTransport(): void {
    this.#transport?.close();
    this.#transport = null;
    this.#links.clear();
  }

  #closeMedia(realtime: RealtimeStatus): void {
    this.#closeTransport();
    for (const track of this.#state.stream?.getTracks() ?? []) track.stop();
    if (this.#state.stream) this.#set({ stream: null, consumerIds: [] });
    if (this.#state.realtime !== realtime) this.#set({ realtime });
  }

  #request<T>(send: AckRequest<T>): Promise<T> {
    return request(this.#socket, send);
  }

  #set(patch: Partial<AudienceState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener();
  }
}

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch (error) {
    // Storage can be disabled (private mode, policies): the choice is then not remembered.
    console.warn('local storage unavailable', error);
    return null;
  }
}
