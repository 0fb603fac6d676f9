/**
 * `room:join`: someone opens an invite (or comes back with their resume token). In order: the
 * protocol and the limits, the invite, which participant it stands for, room for their media,
 * the seat (one connection per participant, across processes), the arrival in the log, then
 * the answer (the room as they may see it, media if admitted) and, after it, their channels.
 */
import { createHash, randomUUID } from 'node:crypto';
import { AppError, InvalidStateError, ValidationError } from '../../signaling/errors.js';
import type { InviteClaims } from '../../signaling/invite.js';
import { PROTOCOL_VERSION, type Joined } from '../../signaling/protocol.js';
import { isPersonal, seatOf } from '../../signaling/room/seats.js';
import { admittedOnArrival } from '../../signaling/room/selectors.js';
import type { Participant, Role, RoomState } from '../../signaling/room/state.js';
import type { Viewer } from '../../signaling/room/visibility.js';
import type * as S from '../../signaling/schemas.js';
import { participantChannel } from './channels.js';
import { clientAddress, type Membership, type SignalingDeps, type SocketContext } from './context.js';
import { joinMedia, requireMediaCapacity } from './mediaHandlers.js';
import { requireState, syncFor } from './roomSync.js';
import { AfterAck } from './withAck.js';

/** Joins the connection of `ctx` to the room its invite is for; answers once it is in. */
export async function joinRoom(ctx: SocketContext, deps: SignalingDeps, req: S.JoinRoom): Promise<AfterAck<Joined>> {
  const { socket } = ctx;
  const { rooms, invites, logger } = deps;

  if (req.protocolVersion !== PROTOCOL_VERSION) {
    throw new AppError('UNSUPPORTED_PROTOCOL', `server speaks protocol ${PROTOCOL_VERSION}; reload the page`);
  }
  const address = clientAddress(socket, deps.trustProxy);
  await deps.limits.join(address);
  const { claims, resumedId } = await deps.limits.verifying(address, () => verifyJoin(deps, req, address));
  // The public is an audience, not participants (DESIGN.md): its link is watched with
  // audience:join. Old logs may still hold public participants; no new one is made.
  if (claims.role === 'public') throw new AppError('AUDIENCE_ONLY', 'a public link is watched with audience:join');
  await deps.limits.joinWithInvite(claims.inviteId, isPersonal(claims.role));
  const roomId = claims.room;
  if (ctx.membership && !(ctx.membership.roomId === roomId && ctx.membership.participantId === resumedId)) {
    throw new AppError('ALREADY_JOINED', `already in room ${ctx.membership.roomId}`);
  }
  if (ctx.joining) throw new InvalidStateError('a join is already in progress');
  ctx.joining = true;
  try {
    const before = await rooms.state(roomId);
    // One invite, one seat: a personal invite opened again (another tab, another device,
    // after the meeting for the minutes) is the participant it already stands for.
    const participantId =
      resumedId ?? (before && seatOf(before, claims.inviteId, claims.role)) ?? newParticipantId(roomId, claims.inviteId, claims.role);
    await deps.hub.watch(roomId);
    // Someone coming back keeps the name the room knows; a newcomer needs one.
    const known = before?.participants[participantId];
    const name = claims.name ?? known?.name ?? req.name;
    if (name === undefined) throw new ValidationError('name: this invite needs your name');
    // Whoever goes straight into the meeting needs media now: without room for it, the join
    // is refused before anything is recorded.
    if (before && entersWithMedia(before, known, claims.role)) requireMediaCapacity(deps, claims.role);
    const release = await takeSeat(ctx, deps, roomId, participantId, known !== undefined);
    await rooms.execute(
      roomId,
      { type: 'system:arrive', participantId, inviteId: claims.inviteId, name, role: claims.role, venue: claims.venue, sector: claims.sector },
      { kind: 'system' },
    );
    const state = await requireState(deps, roomId);
    // A resumed participant keeps the role the room knows them by.
    const viewer: Viewer = { participantId, role: state.participants[participantId]?.role ?? claims.role };
    const m: Membership = { roomId, participantId, viewer, release };
    ctx.membership = m;
    socket.data.viewer = viewer;
    logger.info(resumedId === undefined ? 'joined' : 'came back', { role: viewer.role, venue: claims.venue });
    // An ended room is open for the minutes only: no media (see joinMedia).
    const admitted = state.participants[participantId]?.status === 'admitted' && !state.ended;
    // The media (transports, consumers) and the room as this participant may see it are
    // independent: made at the same time, not one after the other.
    const [mediaResult, roomResult, tokenResult] = await Promise.allSettled([
      admitted ? joinMedia(ctx, deps, req.rtpCapabilities) : null,
      syncFor(deps, roomId, state, viewer, req.lastSeq),
      invites.signResume(claims, participantId),
    ]);
    const media = mediaResult.status === 'fulfilled' ? mediaResult.value : null;
    if (mediaResult.status === 'rejected') throw mediaResult.reason;
    if (roomResult.status === 'rejected' || tokenResult.status === 'rejected' || socket.disconnected) {
      media?.afterAck();
      if (roomResult.status === 'rejected') throw roomResult.reason;
      if (tokenResult.status === 'rejected') throw tokenResult.reason;
      throw new InvalidStateError('disconnected during join');
    }
    const room = roomResult.value;
    const seqSent = room.kind === 'events' ? (room.events.at(-1)?.seq ?? req.lastSeq ?? 0) : room.state.seq;
    const joined: Joined = {
      participantId,
      resumeToken: tokenResult.value,
      resumed: resumedId !== undefined,
      serverTime: deps.clock(),
      room,
      media: media?.joined ?? null,
    };
    return new AfterAck(joined, async () => {
      // The media notifications held during the join (see joinMedia) go right after the answer.
      media?.afterAck();
      // NOTE: the socket enters the channels its status allows only after the ack, then
      // gets whatever was recorded since the answer; clients ignore seqs they already hold.
      await deps.hub.place(socket, roomId, seqSent);
    });
  } finally {
    ctx.joining = false;
  }
}

/** Will this join bring the participant into the meeting with media (not the lobby, not an ended room)? */
function entersWithMedia(before: RoomState, known: Participant | undefined, role: Role): boolean {
  if (before.ended) return false;
  if (known?.status === 'admitted') return true;
  if (known?.status === 'lobby') return false;
  return admittedOnArrival(before, role);
}

/**
 * The invite (and resume token) of a join. A join that fails here (a forged, expired or
 * foreign token) counts against its address: guessing is slowed down, then blocked a while.
 */
async function verifyJoin(deps: SignalingDeps, req: S.JoinRoom, address: string): Promise<{ claims: InviteClaims; resumedId: string | undefined }> {
  try {
    const claims = await deps.invites.verify(req.invite);
    const resumedId = req.resumeToken === undefined ? undefined : await deps.invites.verifyResume(req.resumeToken, claims);
    return { claims, resumedId };
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHORIZED') await deps.limits.failedJoin(address);
    throw error;
  }
}

/**
 * The id of a participant who is new to the room. A personal invite's seat has an id made from
 * the invite itself, so that two tabs opening a fresh invite at the same moment arrive as one
 * participant (the second arrival finds the first); a public link's visitors each get their own.
 */
function newParticipantId(roomId: string, inviteId: string, role: Role): string {
  if (!isPersonal(role)) return randomUUID();
  const bytes = createHash('sha256').update(`seat\u0000${roomId}\u0000${inviteId}`).digest().subarray(0, 16);
  // An RFC 9562 version 8 (custom) UUID: the ids of participants are UUIDs on the wire.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * This connection now speaks for the participant. Any other connection of theirs, here or on
 * another process, is told it was replaced and dropped: a seat has one connection.
 */
async function takeSeat(ctx: SocketContext, deps: SignalingDeps, roomId: string, participantId: string, seatExists: boolean): Promise<Membership['release']> {
  const { socket } = ctx;
  const previous = ctx.membership;
  if (previous?.participantId === participantId) return previous.release;
  const release: Membership['release'] = (reason) => {
    if (ctx.membership?.release === release) ctx.membership = null;
    socket.emit('session:closed', { reason });
    socket.disconnect(true);
  };
  await deps.presence.claim({ roomId, participantId, release });
  if (seatExists) {
    // Connections of this seat on other processes (this one's went with the claim). The
    // new socket is not in the channel yet: it joins after its answer.
    const elsewhere = socket.nsp.in(participantChannel(roomId, participantId));
    elsewhere.emit('session:closed', { reason: 'replaced' });
    elsewhere.disconnectSockets(true);
  }
  return release;
}

