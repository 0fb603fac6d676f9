/**
 * The wire protocol between browser and server, one readable file.
 *
 * Every client→server event carries one payload (checked by its schema in ./schemas.ts) and
 * an ack callback that always receives an `Ack`. Server→client events are notifications.
 */
import type { ErrorCode } from './errors.js';
import type {
  AudienceWatch,
  ConnectTransport,
  ConsumerRef,
  DtlsParameters,
  Empty,
  JoinMedia,
  JoinRoom,
  MediaSource,
  Produce,
  ProducerRef,
  RestartIce,
  RtpCapabilities,
  RtpParameters,
  SetAudioOnly,
  SetConsumerLayers,
  SyncRoom,
} from './schemas.js';
import type { AudienceFollowComments, AudienceJoin, CommentsChanged, PublicView } from './audience.js';
import type { ClientCommandPayload, ClientCommandType } from './room/commands.js';
import type { RoomEvent } from './room/events.js';
import type { EventsMessage } from './room/eventsMessage.js';
import type { RoomState } from './room/state.js';

/**
 * Bumped on every incompatible change; checked at `room:join`. 5: `room:events` carries runs of
 * votes (`poll.voteRun`) and a viewer's own events apart (signaling/room/eventsMessage.ts), which
 * a page of version 4 would fold as unknown events.
 */
export const PROTOCOL_VERSION = 5;

/**
 * The result of every request: clients branch on `error`, never parse text. A RATE_LIMITED
 * refusal says how long to wait before trying again.
 */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorCode; detail?: string; retryAfterMs?: number };

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

/**
 * A relay (TURN) a client may reach the server's media through when the direct path is
 * blocked. The credential is short-lived (coturn's shared-secret scheme): use it, not keep it.
 */
export type IceServer = { urls: string[]; username: string; credential: string };

/** Everything a client needs to create its end of one WebRTC transport. */
export type TransportOptions = {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
  /** Relays to try when the candidates above cannot be reached; absent: no relay offered. */
  iceServers?: IceServer[];
};

/** The answer to `transport:restartIce`: the transport's new ICE credentials, and the relays to use from now on (absent: none offered). */
export type IceRestarted = { iceParameters: IceParameters; iceServers?: IceServer[] };

/** One track a peer publishes. */
export type ProducerInfo = { id: string; kind: 'audio' | 'video'; source: MediaSource; paused: boolean };

/** Another participant as a newcomer sees them. */
export type PeerInfo = { id: string; displayName: string; producers: ProducerInfo[] };

/** Router capabilities: what the client's device must be loaded with. */
export type RouterRtpCapabilities = RtpCapabilities & {
  codecs?: Array<NonNullable<RtpCapabilities['codecs']>[number] & { preferredPayloadType?: number }>;
};

/** Transports and peers of an admitted participant. */
export type MediaJoined = {
  routerRtpCapabilities: RouterRtpCapabilities;
  /** Null for participants who only watch (the public): they get no sending transport. */
  sendTransport: TransportOptions | null;
  recvTransport: TransportOptions;
  /** The others already in the room. */
  peers: PeerInfo[];
  /**
   * Their tracks, created paused: set them up together (one offer/answer round in the
   * browser), then resume each. Tracks started after this answer arrive as `consumer:new`.
   */
  consumers: ConsumerInfo[];
};

/**
 * How a client catches up with the room: the events it missed after its `lastSeq`, or the
 * whole state (as far as it may see it) when it had none or fell too far behind. Someone
 * waiting in the lobby sees nothing of the meeting: `lobby` carries the topic and their own
 * entry only, and the client asks again (without `lastSeq`) once anything happens.
 */
export type RoomSync =
  | { kind: 'events'; events: RoomEvent[] }
  | { kind: 'snapshot'; state: RoomState }
  | { kind: 'lobby'; state: RoomState };

/** Why the server stopped speaking with a connection for good (it disconnects right after). */
export type SessionClosedReason =
  /** The same invite was opened elsewhere (another tab or device) and took the seat over. */
  | 'replaced'
  /** The host removed this participant from the meeting. */
  | 'removed'
  /** The host did not admit this participant. */
  | 'denied';

/** The answer to `room:join`. */
export type Joined = {
  participantId: string;
  /** Present this in a later `room:join` to come back as the same participant. */
  resumeToken: string;
  /** True when an earlier session of the same participant was taken back. */
  resumed: boolean;
  /** Server clock (epoch ms) when answering, so countdowns can correct for a skewed clock. */
  serverTime: number;
  room: RoomSync;
  /** Null while waiting in the lobby: ask with `media:join` once admitted. */
  media: MediaJoined | null;
};

/** How well the server receives one peer's tracks: mediasoup's score, 0 (unusable) to 10 (perfect). */
export type PeerScore = { peerId: string; score: number };

/** Whether a peer is audio-only (sends no video, receives only the stage's), for the chair's console. */
export type AudioOnlyFlag = { peerId: string; on: boolean };

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

/**
 * The answer to `audience:join`: the public view and, while the meeting runs, what the device
 * needs to watch its program (null: the meeting is over, or this server offers no program).
 */
export type AudienceJoined = {
  view: PublicView;
  serverTime: number;
  media: { routerRtpCapabilities: RouterRtpCapabilities } | null;
};

/**
 * The answer to `audience:watch`: a receive-only transport and the program's consumers on it,
 * created paused. Made only when asked, so a viewer that never plays the program (a page that
 * cannot, a crawler, a script) costs the media server nothing.
 */
export type AudienceWatched = { recvTransport: TransportOptions; consumers: ConsumerInfo[] };

/** A room command as a Socket.IO event: its payload and an ack with the last seq it wrote. */
type CommandEvents = {
  [T in ClientCommandType]: (payload: ClientCommandPayload<T>, ack: AckCallback<{ seq: number }>) => void;
};

/** Client → server requests: joining and media here, room commands in room/commands.ts. */
export interface ClientToServerEvents extends CommandEvents {
  /** Enter a consultation with an invite (or resume): the ack carries the room and, if admitted, media. */
  'room:join': (payload: JoinRoom, ack: AckCallback<Joined>) => void;
  /** Catch up after a gap in the event seqs (or, without `lastSeq`, get the whole room as I may see it). */
  'room:sync': (payload: SyncRoom, ack: AckCallback<RoomSync>) => void;
  /** Leave the room now, closing everything of mine. */
  'room:leave': (payload: Empty, ack: AckCallback<null>) => void;
  /** Transports for an admitted participant: after the lobby, or after `media:reconnect`. */
  'media:join': (payload: JoinMedia, ack: AckCallback<MediaJoined>) => void;
  /** Finish DTLS on one of my transports. */
  'transport:connect': (payload: ConnectTransport, ack: AckCallback<null>) => void;
  /** New ICE credentials for one of my transports, and fresh relay credentials when a relay is offered. */
  'transport:restartIce': (payload: RestartIce, ack: AckCallback<IceRestarted>) => void;
  /** Start sending a track. */
  'media:produce': (payload: Produce, ack: AckCallback<{ producerId: string }>) => void;
  /** Mute my track (camera off, microphone muted). */
  'producer:pause': (payload: ProducerRef, ack: AckCallback<null>) => void;
  /** Unmute my track (refused with FORBIDDEN while the room does not let me be heard). */
  'producer:resume': (payload: ProducerRef, ack: AckCallback<null>) => void;
  /** Stop sending a track (screen share ended). */
  'producer:close': (payload: ProducerRef, ack: AckCallback<null>) => void;
  /** My consumer is set up (or back on screen): start forwarding. */
  'consumer:resume': (payload: ConsumerRef, ack: AckCallback<null>) => void;
  /** Stop forwarding to a consumer nobody sees (off-screen tile). */
  'consumer:pause': (payload: ConsumerRef, ack: AckCallback<null>) => void;
  /** Ask for the simulcast layer that fits the tile. */
  'consumer:setLayers': (payload: SetConsumerLayers, ack: AckCallback<null>) => void;
  /** Audio-only on or off: my camera stops and I receive no video but the stage's. */
  'media:audioOnly': (payload: SetAudioOnly, ack: AckCallback<null>) => void;
  /**
   * Watch a consultation with its public link: counted, not listed (signaling/audience.ts). A
   * viewer's socket may then send only `audience:watch`, `transport:connect` and
   * `consumer:resume` (for its own program media), and `audience:comments`; anything else is
   * FORBIDDEN.
   */
  'audience:join': (payload: AudienceJoin, ack: AckCallback<AudienceJoined>) => void;
  /** A viewer's device capabilities: the ack carries the program's consumers, created paused. */
  'audience:watch': (payload: AudienceWatch, ack: AckCallback<AudienceWatched>) => void;
  /** A viewer's page shows the comments (or no longer does): `comments:changed` comes only while it does. */
  'audience:comments': (payload: AudienceFollowComments, ack: AckCallback<null>) => void;
}

/** Server → client notifications. */
export interface ServerToClientEvents {
  /** New room events, in seq order, as this participant may see them (unpackEvents reads them). */
  'room:events': (data: EventsMessage) => void;
  /** This connection no longer speaks for its participant; the server disconnects it next. */
  'session:closed': (data: { reason: SessionClosedReason }) => void;
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
  /** The media server of this room restarted: ask `media:join` for new transports. */
  'media:reconnect': (data: { reason: 'worker-died' }) => void;
  /**
   * To hosts only, every ~5 s: each sending peer's quality (0–10, its worst producer's mediasoup
   * score) and who is audio-only (this process's peers; also at once when someone switches).
   */
  'media:quality': (data: { peers: PeerScore[]; audioOnly: AudioOnlyFlag[] }) => void;
  /** To each peer, every ~5 s: its own link's score both ways (0–10; null while nothing is scored). */
  'media:link': (data: { score: number | null }) => void;
  /**
   * To hosts only: the room's live HLS stream failed (ffmpeg missing, crashed or stuck; it is
   * restarted by itself, and the meeting is not affected), or is live again after failing.
   */
  'stream:status': (data: { state: 'failing' | 'live' }) => void;
  /** To hosts only: the recorder failed (it is restarted, in a new part), or records again after failing. */
  'recording:status': (data: { state: 'failing' | 'live' }) => void;
  /** To viewers: the public view of the meeting changed (sent whole, batched). */
  'audience:view': (view: PublicView) => void;
  /** Comments were approved, answered or upvoted (public-safe; to viewers and the meeting). */
  'comments:changed': (data: CommentsChanged) => void;
  /** To staff: the moderation queue changed (they fetch it again). */
  'comments:pending': (data: { roomId: string; pending: number }) => void;
}

/** Convenience for building acks. */
export const ack = {
  ok<T>(data: T): Ack<T> {
    return { ok: true, data };
  },
  fail(error: ErrorCode, detail?: string, retryAfterMs?: number): Ack<never> {
    return {
      ok: false,
      error,
      ...(detail === undefined ? {} : { detail }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  },
};
