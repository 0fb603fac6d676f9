/**
 * Per-connection state shared by the room and media handlers: which room and participant the
 * socket speaks for. Handlers ask `member()` and get NOT_JOINED before a join.
 */
import type { Server, Socket } from 'socket.io';
import { AppError } from '../../signaling/errors.js';
import type { ClientToServerEvents, ServerToClientEvents, SessionClosedReason } from '../../signaling/protocol.js';
import type { Access, Viewer } from '../../signaling/room/visibility.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { Limits } from '../limits/Limits.js';
import type { Logger } from '../log.js';
import type { MediaRooms } from '../media/MediaRooms.js';
import type { InviteTokens } from '../identity/InviteTokens.js';
import type { RoomService } from '../rooms/RoomService.js';
import type { RoomHub } from './RoomHub.js';
import type { Sessions } from './sessions.js';

/** Data Socket.IO keeps on each socket (readable by the hub when it fans events out). */
export type SocketData = { viewer?: Viewer };

/** The typed server and socket. */
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Everything the socket handlers use. */
export type SignalingDeps = {
  rooms: RoomService;
  media: MediaRooms;
  hub: RoomHub;
  invites: InviteTokens;
  sessions: Sessions;
  cluster: Cluster;
  resumeGraceMs: number;
  clock: () => number;
  logger: Logger;
  limits: Limits;
  /** Proxies in front whose X-Forwarded-For names the client (config.trustProxy). */
  trustProxy: number;
  /** A connection that has not joined a room by then is closed. */
  joinTimeoutMs: number;
};

/** The room a socket has joined. */
export type Membership = {
  roomId: string;
  participantId: string;
  viewer: Viewer;
  /** Ends this connection's hold on the participant, telling it why (a newer connection took over). */
  release: (reason: SessionClosedReason) => void;
};

/** The Socket.IO room of every socket that sees the meeting (admitted participants). */
export function roomChannel(roomId: string): string {
  return `room:${roomId}`;
}

/** The Socket.IO room of the sockets of those waiting in the lobby (they learn only that the meeting ended). */
export function lobbyChannel(roomId: string): string {
  return `room:${roomId}:lobby`;
}

/** The Socket.IO room of the host sockets of a consultation (they see every vote). */
export function hostsChannel(roomId: string): string {
  return `room:${roomId}:hosts`;
}

/** The Socket.IO room of one participant's sockets. */
export function participantChannel(roomId: string, participantId: string): string {
  return `room:${roomId}:p:${participantId}`;
}

/** Every channel a viewer's socket belongs to with this access (none: no channel at all). */
export function channelsOf(roomId: string, viewer: Viewer, access: Access): string[] {
  const own = participantChannel(roomId, viewer.participantId);
  switch (access) {
    case 'none':
      return [];
    case 'lobby':
      return [own, lobbyChannel(roomId)];
    case 'full':
      return viewer.role === 'host' ? [roomChannel(roomId), own, hostsChannel(roomId)] : [roomChannel(roomId), own];
  }
}

/** Every channel of a room a socket may be in (to leave them all). */
export function allChannels(roomId: string, participantId: string): string[] {
  return [roomChannel(roomId), participantChannel(roomId, participantId), hostsChannel(roomId), lobbyChannel(roomId)];
}

/**
 * The address a connection comes from: the socket's peer, or, behind `trustProxy` proxies, the
 * address the nearest of them says it forwarded for (never further than the proxies we run).
 */
export function clientAddress(socket: Pick<AppSocket, 'handshake'>, trustProxy: number): string {
  return addressOf(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], trustProxy);
}

/** The client's address from the peer's address and, behind `trustProxy` proxies, their X-Forwarded-For. */
export function addressOf(direct: string, forwardedFor: string | string[] | undefined, trustProxy: number): string {
  if (trustProxy === 0) return direct;
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '')).split(',').map((a) => a.trim()).filter((a) => a !== '');
  // The last entry was added by the proxy next to us; with N trusted proxies, the client is N from the end.
  return forwarded[forwarded.length - trustProxy] ?? forwarded[0] ?? direct;
}

/** One connection's membership. */
export class SocketContext {
  membership: Membership | null = null;
  joining = false;

  constructor(readonly socket: AppSocket) {}

  /** The membership, or NOT_JOINED. */
  member(): Membership {
    if (!this.membership) throw new AppError('NOT_JOINED', 'join a room first');
    return this.membership;
  }
}
