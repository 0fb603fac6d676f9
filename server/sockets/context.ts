/**
 * Per-connection state shared by the room and media handlers: which room and participant the
 * socket speaks for. Handlers ask `member()` and get NOT_JOINED before a join.
 */
import { AppError } from '../../signaling/errors.js';
import type { Viewer } from '../../signaling/room/visibility.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { Limits } from '../limits/Limits.js';
import type { Logger } from '../log.js';
import type { MediaRooms } from '../media/MediaRooms.js';
import type { Relays } from '../media/turnCredentials.js';
import type { InviteTokens } from '../identity/InviteTokens.js';
import type { RoomService } from '../rooms/RoomService.js';
import type { AppSocket } from './channels.js';
import type { Presence, Release } from './Presence.js';
import type { RoomHub } from './RoomHub.js';
import type { AudienceHub, LocalViewer } from './audience/AudienceHub.js';
import type { Program } from './audience/viewerMedia.js';

/** Everything the socket handlers use. */
export type SignalingDeps = {
  rooms: RoomService;
  media: MediaRooms;
  hub: RoomHub;
  /** The public viewers: their counts and view (server/sockets/audience/). */
  audience: AudienceHub;
  /** The program viewers watch; absent: viewers get the view without media. */
  program?: Program;
  invites: InviteTokens;
  /** TURN relays with fresh credentials for a participant or viewer (config.turn); none when unset. */
  relays: Relays;
  presence: Presence;
  cluster: Cluster;
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
  release: Release;
};

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
  /** Set once the connection joined as a public viewer (it is then no participant). */
  viewer: LocalViewer | null = null;
  joining = false;

  constructor(readonly socket: AppSocket) {}

  /** The membership, or NOT_JOINED. */
  member(): Membership {
    if (!this.membership) throw new AppError('NOT_JOINED', 'join a room first');
    return this.membership;
  }
}
