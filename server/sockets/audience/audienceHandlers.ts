/**
 * Socket.IO events of a public viewer: `audience:join` with the public link, `audience:watch`
 * for the program, `audience:comments` while its page shows the comments. A viewer is no
 * participant: nothing is recorded in the room's log, it enters no channel of the meeting, and
 * its connection may send nothing but its own few events (VIEWER_EVENTS; connection.ts answers
 * anything else FORBIDDEN).
 */
import { randomUUID } from 'node:crypto';
import { AudienceFollowComments, AudienceJoin } from '../../../signaling/audience.js';
import { AppError, ForbiddenError, InvalidStateError, NotFoundError } from '../../../signaling/errors.js';
import type { InviteClaims } from '../../../signaling/invite.js';
import { PROTOCOL_VERSION, type AudienceJoined } from '../../../signaling/protocol.js';
import * as S from '../../../signaling/schemas.js';
import type { Logger } from '../../log.js';
import { withRelays } from '../../media/turnCredentials.js';
import { clientAddress, type SignalingDeps, type SocketContext } from '../context.js';
import { AfterAck, handle } from '../withAck.js';
import type { LocalViewer } from './AudienceHub.js';
import type { ViewerMedia } from './viewerMedia.js';

/** Everything a viewer's connection may send; transport:connect and consumer:resume reach its program media. */
export const VIEWER_EVENTS: ReadonlySet<string> = new Set(['audience:join', 'audience:watch', 'audience:comments', 'transport:connect', 'consumer:resume']);

/** Registers the audience events on one connection; `logger` is the connection's. */
export function registerAudienceHandlers(ctx: SocketContext, deps: SignalingDeps, logger: Logger): void {
  const { socket } = ctx;

  handle(
    socket,
    'audience:join',
    AudienceJoin,
    async (req) => {
      if (req.protocolVersion !== PROTOCOL_VERSION) {
        throw new AppError('UNSUPPORTED_PROTOCOL', `server speaks protocol ${PROTOCOL_VERSION}; reload the page`);
      }
      if (ctx.membership || ctx.viewer) throw new AppError('ALREADY_JOINED', 'this connection has joined already');
      if (ctx.joining) throw new InvalidStateError('a join is already in progress');
      ctx.joining = true;
      try {
        await deps.audience.joins.turn();
        if (socket.disconnected) throw new InvalidStateError('disconnected during join');
        const address = clientAddress(socket, deps.trustProxy);
        await deps.limits.join(address);
        const claims = await deps.limits.verifying(address, () => verifyPublicInvite(deps, req.invite, address));
        await deps.limits.joinWithInvite(claims.inviteId, false);
        const roomId = claims.room;
        const state = await deps.rooms.state(roomId);
        if (!state) throw new NotFoundError(`no room ${roomId}`);
        // This process follows the room's log from now on: the view changes with it.
        await deps.hub.watch(roomId);
        if (socket.disconnected) throw new InvalidStateError('disconnected during join');
        const viewer: LocalViewer = { roomId, viewerId: randomUUID(), socketId: socket.id, listening: false, followsComments: false, media: null, opening: null };
        await deps.audience.enter(viewer);
        if (socket.disconnected) {
          // Gone while being counted: the disconnect handler found no viewer to count out.
          deps.audience.leave(viewer);
          throw new InvalidStateError('disconnected during join');
        }
        ctx.viewer = viewer;
        const shown = await deps.audience.view(roomId);
        if (!shown) throw new NotFoundError(`no room ${roomId}`);
        const joined: AudienceJoined = {
          view: shown.view,
          serverTime: deps.clock(),
          media: state.ended || !deps.program ? null : { routerRtpCapabilities: deps.program.rtpCapabilities },
        };
        return new AfterAck(joined, () => {
          // NOTE: sent views only after the answer; a meeting that changed in between is sent
          // at once (views are whole: the newest one is all a viewer needs). Counts alone wait
          // for the next round, as everybody's do. Each process sends its own viewers their
          // views (AudienceHub); no channel of the room's is needed for them.
          viewer.listening = true;
          const now = deps.audience.changedSince(roomId, shown.state);
          if (now) socket.emit('audience:view', now);
        });
      } finally {
        ctx.joining = false;
      }
    },
    logger,
  );

  handle(
    socket,
    'audience:watch',
    S.AudienceWatch,
    async (req) => {
      const { viewer, media } = await openProgram(ctx, deps);
      return { recvTransport: withRelays(media.recvTransport, deps.relays, viewer.viewerId), consumers: await media.watch(req.rtpCapabilities) };
    },
    logger,
  );

  handle(
    socket,
    'audience:comments',
    AudienceFollowComments,
    (req) => {
      if (!ctx.viewer) throw new AppError('NOT_JOINED', 'join with audience:join first');
      // Each process sends its own following viewers the news (AudienceComments).
      ctx.viewer.followsComments = req.follow;
      return null;
    },
    logger,
  );

  socket.on('disconnect', () => {
    const viewer = ctx.viewer;
    if (!viewer) return;
    ctx.viewer = null;
    deps.audience.leave(viewer);
  });
}

/** The program media of a viewer's connection once it watches, or NOT_JOINED / NOT_FOUND. */
export function viewerMedia(ctx: SocketContext): ViewerMedia {
  if (!ctx.viewer) throw new AppError('NOT_JOINED', 'join with audience:join first');
  const media = ctx.viewer.media;
  if (!media) throw new NotFoundError('no program: call audience:watch');
  return media;
}

/**
 * The viewer's program media, opened on its first `audience:watch` (asked again: the same).
 * Opened only then, so a viewer who never plays it costs the media server nothing.
 */
async function openProgram(ctx: SocketContext, deps: SignalingDeps): Promise<{ viewer: LocalViewer; media: ViewerMedia }> {
  const viewer = ctx.viewer;
  if (!viewer) throw new AppError('NOT_JOINED', 'join with audience:join first');
  if (viewer.media) return { viewer, media: viewer.media };
  const program = deps.program;
  if (!program) throw new NotFoundError('this server offers no program');
  viewer.opening ??= (async () => {
    const state = await deps.rooms.state(viewer.roomId);
    if (!state || state.ended) throw new InvalidStateError('the meeting has ended', 'MEETING_ENDED');
    const media = await program.open(viewer.roomId, viewer.viewerId);
    if (ctx.viewer !== viewer) {
      // Gone while it was being opened.
      media.close();
      throw new InvalidStateError('disconnected');
    }
    viewer.media = media;
    // A program the server ends by itself (its worker died): the page joins again for a new one.
    media.onClose(() => {
      if (viewer.media !== media) return;
      viewer.media = null;
      viewer.opening = null;
      if (ctx.viewer === viewer) ctx.socket.emit('media:reconnect', { reason: 'worker-died' });
    });
    return media;
  })();
  try {
    return { viewer, media: await viewer.opening };
  } catch (error) {
    viewer.opening = null;
    throw error;
  }
}

/**
 * The public link of a viewer. A failed check (forged, expired, foreign) counts against the
 * address as for room:join; a personal invite is refused: it stands for a seat in the meeting.
 */
async function verifyPublicInvite(deps: SignalingDeps, token: string, address: string): Promise<InviteClaims> {
  let claims: InviteClaims;
  try {
    claims = await deps.invites.verify(token);
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHORIZED') await deps.limits.failedJoin(address);
    throw error;
  }
  if (claims.role !== 'public') throw new ForbiddenError('this invite is for a seat in the meeting: join with room:join');
  return claims;
}
