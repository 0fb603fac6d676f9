/**
 * The typed Socket.IO server and socket, and the channels (Socket.IO rooms) a socket is put in
 * by its participant's status: the hub fans events out through them, the handlers join and
 * leave them.
 */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../signaling/protocol.js';
import { followsComments, isStaff } from '../../signaling/room/roles.js';
import type { Access, Viewer } from '../../signaling/room/visibility.js';

/** Data Socket.IO keeps on each socket (readable by the hub when it fans events out). */
export type SocketData = { viewer?: Viewer };

/** The typed server and socket. */
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

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

/** The Socket.IO room of the staff sockets (host and secretary): they moderate public comments. */
export function staffChannel(roomId: string): string {
  return `room:${roomId}:staff`;
}

/**
 * The Socket.IO room of the meeting pages that follow the public comments live (roles.ts:
 * followsComments). Public viewers get the same news from their process (AudienceComments).
 */
export function commentsChannel(roomId: string): string {
  return `room:${roomId}:comments`;
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
    case 'full': {
      const channels = [roomChannel(roomId), own];
      if (viewer.role === 'host') channels.push(hostsChannel(roomId));
      if (isStaff(viewer.role)) channels.push(staffChannel(roomId));
      if (followsComments(viewer.role)) channels.push(commentsChannel(roomId));
      return channels;
    }
  }
}

/** Every channel of a room a socket may be in (to leave them all). */
export function allChannels(roomId: string, participantId: string): string[] {
  return [roomChannel(roomId), participantChannel(roomId, participantId), hostsChannel(roomId), staffChannel(roomId), commentsChannel(roomId), lobbyChannel(roomId)];
}
