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
};

export class AudienceClient {
  readonly #socket: ProtocolSocket;
  readonly #invite: string;
  readonly #listeners = new Set<() => void>();
  readonly #commentListeners = new Set<(data: CommentsChanged) => void>();
  #state: AudienceState = { status: 'connecting', error: null, view: null, clockOffset: 0, stream: null, consumerIds: [], mediaLink: null };
  readonly #links = new TransportLinks((mediaLink) => this.#set({ mediaLink }));
  #device: Device | null = null;
  #transport: ms.Transport | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(invite: string, socket?: ProtocolSocket) {
    this.#invite = invite;
    this.#socket = socket ?? io({ autoConnect: false, transports: ['websocket', 'polling'], tryAllTransports: true });
    this.#socket.on('connect', () => this.#join());
    this.#socket.on('disconnect', () => {
      this.#closeMedia();
      if (this.#state.status !== 'failed') this.#set({ status: 'connecting' });
    });
    this.#socket.on('audience:view', (view) => this.#onView(view));
    // The program's media server restarted: a new connection is a new viewer with a new program.
    this.#socket.on('media:reconnect', () => {
      this.#socket.disconnect();
      this.#socket.connect();
    });
    this.#socket.on('comments:changed', (data) => {
      for (const listener of this.#commentListeners) listener(data);
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
    this.#closeMedia();
    this.#socket.disconnect();
  }

  /** For useSyncExternalStore. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getState = (): AudienceState => this.#state;

  /** Approved comments as they change (the comments board listens while it is shown). */
  readonly onComments = (listener: (data: CommentsChanged) => void): (() => void) => {
    this.#commentListeners.add(listener);
    return () => this.#commentListeners.delete(listener);
  };

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
    if (joined.media) {
      this.#watch(joined.media).catch((error: unknown) => {
        // The view still works without the program (an old browser, a blocked network).
        console.warn('could not watch the program', error);
      });
    }
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
      // NOTE: created paused so that no key frame is lost before the browser can decode; the
      // program keeps these consumers when the floor moves (the server switches what they carry).
      await this.#request<null>((s, cb) => s.emit('consumer:resume', { consumerId: info.id }, cb));
    }
    if (this.#transport === transport) this.#set({ stream, consumerIds: watched.consumers.map((c) => c.id) });
  }

  #onView(view: PublicView): void {
    this.#set({ view });
    if (view.phase === 'ended') this.#closeMedia();
  }

  #closeTransport(): void {
    this.#transport?.close();
    this.#transport = null;
    this.#links.clear();
  }

  #closeMedia(): void {
    this.#closeTransport();
    for (const track of this.#state.stream?.getTracks() ?? []) track.stop();
    if (this.#state.stream) this.#set({ stream: null, consumerIds: [] });
  }

  #request<T>(send: AckRequest<T>): Promise<T> {
    return request(this.#socket, send);
  }

  #set(patch: Partial<AudienceState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener();
  }
}
