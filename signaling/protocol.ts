/**
 * The wire protocol between browser and server, one readable file.
 *
 * Every client→server event carries one payload (checked by its schema in ./schemas.ts) and
 * an ack callback that always receives an `Ack`. Server→client events are notifications.
 */
import type { ErrorCode } from './errors.js';
import type {
  ConnectTransport,
  ConsumerRef,
  DtlsParameters,
  Empty,
  JoinRoom,
  MediaSource,
  Produce,
  ProducerRef,
  RestartIce,
  RtpCapabilities,
  RtpParameters,
  SetConsumerLayers,
} from './schemas.js';

/** Bumped on every incompatible change; checked at `room:join`. */
export const PROTOCOL_VERSION = 1;

/** The result of every request: clients branch on `error`, never parse text. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorCode; detail?: string };

/** An ack callback as Socket.IO hands it to a handler. */
export type AckCallback<T> = (ack: Ack<T>) => void;

/** ICE candidate of a server transport, as mediasoup-client wants it. */
export type IceCandidate = {
  foundation: string;
  priority: number;
  address: string;
  ip: string;
  protocol: 'udp' | 'tcp';
  port: number;
  type: 'host' | 'srflx' | 'prflx' | 'relay';
  tcpType?: 'active' | 'passive' | 'so';
};

/** ICE credentials of a server transport. */
export type IceParameters = { usernameFragment: string; password: string; iceLite?: boolean };

/** Everything a client needs to create its end of one WebRTC transport. */
export type TransportOptions = {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
};

/** One track a peer publishes. */
export type ProducerInfo = { id: string; kind: 'audio' | 'video'; source: MediaSource; paused: boolean };

/** Another participant as a newcomer sees them. */
export type PeerInfo = { id: string; displayName: string; producers: ProducerInfo[] };

/** Router capabilities: what the client's device must be loaded with. */
export type RouterRtpCapabilities = RtpCapabilities & {
  codecs?: Array<NonNullable<RtpCapabilities['codecs']>[number] & { preferredPayloadType?: number }>;
};

/** The answer to `room:join`. */
export type Joined = {
  peerId: string;
  /** Present this in a later `room:join` to come back as the same participant. */
  resumeToken: string;
  /** True when an earlier session of the same participant was taken back. */
  resumed: boolean;
  routerRtpCapabilities: RouterRtpCapabilities;
  sendTransport: TransportOptions;
  recvTransport: TransportOptions;
  /** The others already in the room; their tracks arrive as `consumer:new`. */
  peers: PeerInfo[];
};

/** A consumer the server made for me, created paused: resume it once set up. */
export type ConsumerInfo = {
  id: string;
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  rtpParameters: RtpParameters;
  /** The sender has paused the track (camera off, muted). */
  producerPaused: boolean;
};

/** Client → server requests. */
export interface ClientToServerEvents {
  /** Enter a room (or resume): the ack carries capabilities, both transports and the peers. */
  'room:join': (payload: JoinRoom, ack: AckCallback<Joined>) => void;
  /** Leave the room now, closing everything of mine. */
  'room:leave': (payload: Empty, ack: AckCallback<null>) => void;
  /** Finish DTLS on one of my transports. */
  'transport:connect': (payload: ConnectTransport, ack: AckCallback<null>) => void;
  /** New ICE credentials for one of my transports. */
  'transport:restartIce': (payload: RestartIce, ack: AckCallback<{ iceParameters: IceParameters }>) => void;
  /** Start sending a track. */
  'media:produce': (payload: Produce, ack: AckCallback<{ producerId: string }>) => void;
  /** Mute my track (camera off, microphone muted). */
  'producer:pause': (payload: ProducerRef, ack: AckCallback<null>) => void;
  /** Unmute my track. */
  'producer:resume': (payload: ProducerRef, ack: AckCallback<null>) => void;
  /** Stop sending a track (screen share ended). */
  'producer:close': (payload: ProducerRef, ack: AckCallback<null>) => void;
  /** My consumer is set up (or back on screen): start forwarding. */
  'consumer:resume': (payload: ConsumerRef, ack: AckCallback<null>) => void;
  /** Stop forwarding to a consumer nobody sees (off-screen tile). */
  'consumer:pause': (payload: ConsumerRef, ack: AckCallback<null>) => void;
  /** Ask for the simulcast layer that fits the tile. */
  'consumer:setLayers': (payload: SetConsumerLayers, ack: AckCallback<null>) => void;
}

/** Server → client notifications. */
export interface ServerToClientEvents {
  /** Someone entered the room. */
  'peer:joined': (peer: PeerInfo) => void;
  /** Someone left (or their grace period ran out). */
  'peer:left': (data: { peerId: string }) => void;
  /** A new track to receive, created paused. */
  'consumer:new': (consumer: ConsumerInfo) => void;
  /** A consumer ended (its producer closed or its sender left). */
  'consumer:closed': (data: { consumerId: string }) => void;
  /** The sender paused or resumed the track behind a consumer. */
  'consumer:producerPaused': (data: { consumerId: string; paused: boolean }) => void;
  /** The loudest speaker changed (null: silence). */
  'speaker:active': (data: { peerId: string | null }) => void;
  /** The media server of this room restarted: rejoin to get new transports. */
  'media:reconnect': (data: { reason: 'worker-died' }) => void;
}

/** Convenience for building acks. */
export const ack = {
  ok<T>(data: T): Ack<T> {
    return { ok: true, data };
  },
  fail(error: ErrorCode, detail?: string): Ack<never> {
    return detail === undefined ? { ok: false, error } : { ok: false, error, detail };
  },
};
