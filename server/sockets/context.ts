/**
 * Per-connection state shared by the room and media handlers: which room and participant the
 * socket speaks for. Handlers ask `member()` and get NOT_JOINED before a join.
 */
import type { Server, Socket } from 'socket.io';
import { AppError } from '../../signaling/errors.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../signaling/protocol.js';
import type { Viewer } from '../../signaling/room/visibility.js';
import type { Cluster } from '../cluster/Cluster.js';
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
};

/** The room a socket has joined. */
export type Membership = {
  roomId: string;
  participantId: string;
  viewer: Viewer;
  /** Drops this connection's hold on the participant (a newer connection took over). */
  release: () => void;
};

/** The Socket.IO room every participant socket of a consultation is in. */
export function roomChannel(roomId: string): string {
  return `room:${roomId}`;
}

/** The Socket.IO room of the host sockets of a consultation (they see every vote). */
export function hostsChannel(roomId: string): string {
  return `room:${roomId}:hosts`;
}

/** The Socket.IO room of one participant's sockets. */
export function participantChannel(roomId: string, participantId: string): string {
  return `room:${roomId}:p:${participantId}`;
}

/** Every channel a viewer's socket belongs to. */
export function channelsOf(roomId: string, viewer: Viewer): string[] {
  const channels = [roomChannel(roomId), participantChannel(roomId, viewer.participantId)];
  if (viewer.role === 'host') channels.push(hostsChannel(roomId));
  return channels;
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
