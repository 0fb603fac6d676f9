/**
 * The client's serializable state and the only way to change it. MediaStreamTracks and every
 * mediasoup object live in RoomClient; the state refers to them by id.
 */
import type { AudioOnlyFlag, ConsumerInfo, PeerInfo, PeerScore } from '../../signaling/protocol.js';
import type { RoomState } from '../../signaling/room/state.js';
import type { MediaSource } from '../../signaling/schemas.js';
import type { ClientErrorCode, MediaErrorKind } from './errors.js';
import type { SpatialLayer } from './media/layers.js';
import type { MediaLinkProblem } from './media/TransportLinks.js';
import { afterAnswer, afterLinkReport, NO_WEAK_LINK, type WeakLink } from './media/weakLink.js';
import type { InviteInfo } from './net/inviteApi.js';
import type { NetworkCheck } from './net/networkCheck.js';
import { stillRelevant, type Notice } from './room/notices.js';

/**
 * Where the user is: on the join page (idle/joining/left), waiting in the lobby, or in the
 * room with media.
 */
export type Phase = 'idle' | 'joining' | 'lobby' | 'joined' | 'left';

/** Why the meeting is over for me: a message screen instead of the join page. */
export type ExitReason = 'removed' | 'denied' | 'ended';

/** The invite of this page: loading, known, or refused (with the code to explain). */
export type InviteStatus =
  | { kind: 'none' }
  | { kind: 'loading'; token: string }
  | { kind: 'ready'; token: string; info: InviteInfo }
  | { kind: 'failed'; token: string | null; error: ClientErrorCode };

/** A camera or microphone the browser listed. */
export type DeviceOption = { deviceId: string; label: string };

/** One of my tracks: its id in RoomClient's track map, and what the server knows of it. */
export type LocalMedia = {
  /** MediaStreamTrack.id; a new id means a new track to attach. */
  trackId: string;
  /** Set once the server accepted the producer; null before joining or while re-producing. */
  producerId: string | null;
  /** Microphone muted / camera off. */
  paused: boolean;
};

/** A participant other than me. */
export type RemotePeer = { id: string; displayName: string };

/** A track I receive. Its MediaStreamTrack is in RoomClient, under the same id. */
export type RemoteConsumer = {
  id: string;
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  /** The sender muted the track (camera off, microphone muted). */
  producerPaused: boolean;
  /** The simulcast layer last confirmed by the server; null until a tile asked. */
  spatialLayer: SpatialLayer | null;
};

/** Everything the UI renders. */
export type State = {
  phase: Phase;
  invite: InviteStatus;
  /** The room as folded from its event log (null before the first join answer). */
  room: RoomState | null;
  /** Add to Date.now() to get the server's clock (for countdowns). */
  clockOffsetMs: number;
  /** Set when I was removed or denied, or the meeting ended. */
  exit: ExitReason | null;
  /** The server refused to unmute me (no floor, or muted by the host); cleared when I may speak. */
  micRefused: boolean;
  /** The socket dropped while in the room and we are trying to resume. */
  reconnecting: boolean;
  roomId: string;
  displayName: string;
  /** mediasoup Device loaded with the router's capabilities. */
  deviceLoaded: boolean;
  devices: { audioinput: DeviceOption[]; videoinput: DeviceOption[] };
  selectedDevice: { mic: string | null; camera: string | null };
  local: Record<MediaSource, LocalMedia | null>;
  mediaErrors: Record<MediaSource, MediaErrorKind | null>;
  peerId: string | null;
  peers: Record<string, RemotePeer>;
  consumers: Record<string, RemoteConsumer>;
  activeSpeakerId: string | null;
  /** The last failure worth telling the user about. */
  error: ClientErrorCode | null;
  /** With a RATE_LIMITED error: in how many seconds to try again. */
  errorRetrySeconds: number | null;
  /** The browser refused to start remote audio without a user gesture. */
  audioBlocked: boolean;
  /** My media does not get through, and why as far as known (media/TransportLinks.ts); null: fine. */
  mediaLink: MediaLinkProblem | null;
  /** The join page's check of the connection to the server. */
  network: NetworkCheck;
  /** Hosts only: each sending peer's quality (0–10) from the last `media:quality`. */
  quality: Record<string, number>;
  /** Hosts only: who is audio-only, by peer, from `media:quality` (merged like the scores). */
  audioOnlyPeers: Record<string, boolean>;
  /** I am audio-only: my camera is not sent and I receive no video but the stage's. */
  audioOnly: boolean;
  /** My own link as the server scores it (`media:link`), and whether to propose audio-only. */
  weakLink: WeakLink;
  /**
   * Hosts only: the speaking time (seconds) given with the next floor, one value for every
   * place that grants it; null until chosen, when the room's default applies.
   */
  speechSeconds: number | null;
  /** What I should notice now (newest last): people waiting, hands, a new ballot, my floor. */
  notices: Notice[];
  /** The meeting panel's tab, and whether the phone's sheet is open; a notice can open it. */
  panel: { tab: PanelTab; open: boolean };
};

/** The tabs of the meeting panel. */
export const PANEL_TABS = ['queue', 'polls', 'people', 'minutes', 'comments'] as const;
export type PanelTab = (typeof PANEL_TABS)[number];

/** Notices kept at most; older ones give way (each can also be found in its tab). */
const MAX_NOTICES = 6;

/** Every change the client can make to its state. */
export type Action =
  | { type: 'deviceLoaded' }
  | { type: 'devicesListed'; audioinput: DeviceOption[]; videoinput: DeviceOption[] }
  | { type: 'deviceSelected'; kind: 'mic' | 'camera'; deviceId: string | null }
  | { type: 'localSet'; source: MediaSource; media: LocalMedia | null }
  | { type: 'localPatched'; source: MediaSource; patch: Partial<LocalMedia> }
  | { type: 'mediaError'; source: MediaSource; error: MediaErrorKind | null }
  | { type: 'invite'; invite: InviteStatus }
  | { type: 'joining'; roomId: string; displayName: string }
  | { type: 'joinFailed'; error: ClientErrorCode }
  /** Joined the room but not its media: waiting in the lobby. */
  | { type: 'lobby'; peerId: string }
  | { type: 'joined'; peerId: string; peers: PeerInfo[] }
  | { type: 'room'; room: RoomState }
  | { type: 'clock'; offsetMs: number }
  | { type: 'micRefused'; refused: boolean }
  /** The meeting is over for me; tracks are stopped. */
  | { type: 'exited'; reason: ExitReason }
  /** New transports: every consumer and server-side producer of the old ones is gone. */
  | { type: 'transportsReset' }
  | { type: 'connectionLost' }
  | { type: 'peerJoined'; peer: PeerInfo }
  | { type: 'peerLeft'; peerId: string }
  | { type: 'consumerAdded'; consumer: ConsumerInfo }
  | { type: 'consumerClosed'; consumerId: string }
  | { type: 'consumerProducerPaused'; consumerId: string; paused: boolean }
  | { type: 'consumerLayer'; consumerId: string; spatialLayer: SpatialLayer }
  | { type: 'activeSpeaker'; peerId: string | null }
  | { type: 'failed'; error: ClientErrorCode; retryAfterMs?: number }
  | { type: 'errorDismissed' }
  | { type: 'audioBlocked'; blocked: boolean }
  | { type: 'mediaLink'; problem: MediaLinkProblem | null }
  | { type: 'network'; network: NetworkCheck }
  | { type: 'quality'; peers: PeerScore[]; audioOnly: AudioOnlyFlag[] }
  | { type: 'audioOnly'; on: boolean }
  | { type: 'linkScore'; score: number | null }
  /** The participant answered the audio-only proposal ("not now", or switched). */
  | { type: 'weakLinkAnswered'; declined: boolean }
  | { type: 'speechSeconds'; seconds: number }
  | { type: 'notices'; notices: Notice[] }
  | { type: 'noticeDismissed'; id: string }
  | { type: 'panel'; tab: PanelTab; open: boolean }
  | { type: 'left'; error?: ClientErrorCode };

const NO_SOURCES = { mic: null, camera: null, screen: null } as const;

/** The state before anything happened. */
export function initialState(roomId = '', displayName = ''): State {
  return {
    phase: 'idle',
    invite: { kind: 'none' },
    room: null,
    clockOffsetMs: 0,
    exit: null,
    micRefused: false,
    reconnecting: false,
    roomId,
    displayName,
    deviceLoaded: false,
    devices: { audioinput: [], videoinput: [] },
    selectedDevice: { mic: null, camera: null },
    local: { ...NO_SOURCES },
    mediaErrors: { ...NO_SOURCES },
    peerId: null,
    peers: {},
    consumers: {},
    activeSpeakerId: null,
    error: null,
    errorRetrySeconds: null,
    audioBlocked: false,
    mediaLink: null,
    network: { state: 'checking' },
    quality: {},
    audioOnlyPeers: {},
    audioOnly: false,
    weakLink: NO_WEAK_LINK,
    speechSeconds: null,
    notices: [],
    panel: { tab: 'queue', open: false },
  };
}

/** The pure fold of actions into state. */
export function reduce(state: State, action: Action): State {
  switch (action.type) {
    case 'deviceLoaded':
      return { ...state, deviceLoaded: true };
    case 'devicesListed':
      return { ...state, devices: { audioinput: action.audioinput, videoinput: action.videoinput } };
    case 'deviceSelected':
      return { ...state, selectedDevice: { ...state.selectedDevice, [action.kind]: action.deviceId } };
    case 'localSet':
      return { ...state, local: { ...state.local, [action.source]: action.media } };
    case 'localPatched': {
      const current = state.local[action.source];
      if (current === null) return state;
      return { ...state, local: { ...state.local, [action.source]: { ...current, ...action.patch } } };
    }
    case 'mediaError':
      return { ...state, mediaErrors: { ...state.mediaErrors, [action.source]: action.error } };
    case 'invite':
      return { ...state, invite: action.invite };
    case 'joining':
      return { ...state, phase: 'joining', roomId: action.roomId, displayName: action.displayName, error: null, exit: null };
    case 'joinFailed':
      return { ...state, phase: 'idle', error: action.error };
    case 'lobby':
      return { ...state, phase: 'lobby', reconnecting: false, peerId: action.peerId };
    case 'room': {
      // Notices about what was done meanwhile (admitted, hand lowered, poll closed) go away.
      const me = state.peerId;
      const notices = me === null ? state.notices : state.notices.filter((n) => stillRelevant(n, action.room, me));
      return { ...state, room: action.room, notices: notices.length === state.notices.length ? state.notices : notices };
    }
    case 'clock':
      return { ...state, clockOffsetMs: action.offsetMs };
    case 'micRefused':
      return state.micRefused === action.refused ? state : { ...state, micRefused: action.refused };
    case 'exited':
      return { ...left(state), exit: action.reason, room: state.room, peerId: state.peerId };
    case 'joined': {
      const peers: Record<string, RemotePeer> = {};
      for (const p of action.peers) peers[p.id] = { id: p.id, displayName: p.displayName };
      // Consumers of peers who left while we were away will never get their consumer:closed.
      const consumers = filterValues(state.consumers, (c) => c.peerId in peers);
      const activeSpeakerId =
        state.activeSpeakerId !== null && state.activeSpeakerId in peers ? state.activeSpeakerId : null;
      return { ...state, phase: 'joined', reconnecting: false, peerId: action.peerId, peers, consumers, activeSpeakerId };
    }
    case 'transportsReset':
      return {
        ...state,
        consumers: {},
        local: mapSources(state.local, (m) => (m === null ? null : { ...m, producerId: null })),
      };
    case 'connectionLost':
      return state.phase === 'joined' || state.phase === 'lobby' ? { ...state, reconnecting: true } : state;
    case 'peerJoined':
      return {
        ...state,
        peers: { ...state.peers, [action.peer.id]: { id: action.peer.id, displayName: action.peer.displayName } },
      };
    case 'peerLeft': {
      if (!(action.peerId in state.peers)) return state;
      const { [action.peerId]: _gone, ...peers } = state.peers;
      return {
        ...state,
        peers,
        consumers: filterValues(state.consumers, (c) => c.peerId !== action.peerId),
        activeSpeakerId: state.activeSpeakerId === action.peerId ? null : state.activeSpeakerId,
      };
    }
    case 'consumerAdded': {
      const c = action.consumer;
      const consumer: RemoteConsumer = {
        id: c.id,
        producerId: c.producerId,
        peerId: c.peerId,
        kind: c.kind,
        source: c.source,
        producerPaused: c.producerPaused,
        spatialLayer: null,
      };
      // A re-announced producer replaces the consumer we had of it.
      const others = filterValues(state.consumers, (x) => x.producerId !== c.producerId);
      return { ...state, consumers: { ...others, [c.id]: consumer } };
    }
    case 'consumerClosed': {
      if (!(action.consumerId in state.consumers)) return state;
      const { [action.consumerId]: _gone, ...consumers } = state.consumers;
      return { ...state, consumers };
    }
    case 'consumerProducerPaused':
      return patchConsumer(state, action.consumerId, { producerPaused: action.paused });
    case 'consumerLayer':
      return patchConsumer(state, action.consumerId, { spatialLayer: action.spatialLayer });
    case 'activeSpeaker':
      return { ...state, activeSpeakerId: action.peerId };
    case 'failed':
      return { ...state, error: action.error, errorRetrySeconds: action.retryAfterMs === undefined ? null : Math.max(1, Math.ceil(action.retryAfterMs / 1000)) };
    case 'errorDismissed':
      return { ...state, error: null, errorRetrySeconds: null };
    case 'audioBlocked':
      return { ...state, audioBlocked: action.blocked };
    case 'mediaLink':
      return state.mediaLink === action.problem ? state : { ...state, mediaLink: action.problem };
    case 'network':
      return { ...state, network: action.network };
    case 'quality':
      // Merged, not replaced: with several server processes each reports the peers it serves.
      return {
        ...state,
        quality: { ...state.quality, ...Object.fromEntries(action.peers.map((p) => [p.peerId, p.score])) },
        audioOnlyPeers: { ...state.audioOnlyPeers, ...Object.fromEntries(action.audioOnly.map((f) => [f.peerId, f.on])) },
      };
    case 'audioOnly':
      return { ...state, audioOnly: action.on, weakLink: action.on ? afterAnswer(state.weakLink, false) : state.weakLink };
    case 'linkScore':
      return { ...state, weakLink: afterLinkReport(state.weakLink, action.score, state.audioOnly) };
    case 'weakLinkAnswered':
      return { ...state, weakLink: afterAnswer(state.weakLink, action.declined) };
    case 'speechSeconds':
      return state.speechSeconds === action.seconds ? state : { ...state, speechSeconds: action.seconds };
    case 'notices': {
      const known = new Set(state.notices.map((n) => n.id));
      const added = action.notices.filter((n) => !known.has(n.id));
      return added.length === 0 ? state : { ...state, notices: [...state.notices, ...added].slice(-MAX_NOTICES) };
    }
    case 'noticeDismissed':
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
    case 'panel':
      return { ...state, panel: { tab: action.tab, open: action.open } };
    case 'left':
      return { ...left(state), error: action.error ?? null };
    default:
      return assertNever(action);
  }
}

/** A subscribable holder of State for useSyncExternalStore. */
export type Store = {
  getState(): State;
  dispatch(action: Action): void;
  subscribe(listener: () => void): () => void;
};

/** A store whose state only changes through `reduce`. */
export function createStore(initial: State = initialState()): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reduce(state, action);
      if (next === state) return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** Back on the join page: what the page knew before joining stays. */
function left(state: State): State {
  return {
    ...initialState(state.roomId, state.displayName),
    phase: 'left',
    invite: state.invite,
    deviceLoaded: state.deviceLoaded,
    devices: state.devices,
    selectedDevice: state.selectedDevice,
    network: state.network,
  };
}

function patchConsumer(state: State, id: string, patch: Partial<RemoteConsumer>): State {
  const current = state.consumers[id];
  if (current === undefined) return state;
  return { ...state, consumers: { ...state.consumers, [id]: { ...current, ...patch } } };
}

function filterValues<T>(record: Record<string, T>, keep: (value: T) => boolean): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) if (keep(value)) out[key] = value;
  return out;
}

function mapSources<T>(local: Record<MediaSource, T>, f: (value: T) => T): Record<MediaSource, T> {
  return { mic: f(local.mic), camera: f(local.camera), screen: f(local.screen) };
}

function assertNever(value: never): never {
  throw new TypeError(`unhandled action ${JSON.stringify(value)}`);
}
