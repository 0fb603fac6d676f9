/**
 * Socket.IO events of the meeting: join with an invite (or resume), catch up, leave, and every
 * room command. Each handler parses (through `handle`), then asks the RoomService.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, InvalidStateError, ValidationError } from '../../signaling/errors.js';
import { PROTOCOL_VERSION, type Joined, type RoomSync } from '../../signaling/protocol.js';
import {
  CLIENT_COMMANDS,
  CLIENT_COMMAND_TYPES,
  CommandEnvelope,
  type ClientCommand,
  type ClientCommandType,
} from '../../signaling/room/commands.js';
import { reviewSeat } from '../../signaling/room/minutes.js';
import type { RoomState } from '../../signaling/room/state.js';
import { eventForViewer, stateForViewer, type Viewer } from '../../signaling/room/visibility.js';
import * as S from '../../signaling/schemas.js';
import { joinMedia, leaveMedia, disconnectMedia } from './mediaHandlers.js';
import { channelsOf, participantChannel, type Membership, type SignalingDeps, type SocketContext } from './context.js';
import { AfterAck, handle } from './withAck.js';

/** A client further behind than this gets the whole state instead of the events. */
const MAX_CATCH_UP_EVENTS = 1000;

/** Registers the room events on one connection. */
export function registerRoomHandlers(ctx: SocketContext, deps: SignalingDeps): void {
  const { socket } = ctx;
  const { rooms, invites, sessions, logger } = deps;

  handle(
    socket,
    'room:join',
    S.JoinRoom,
    async (req) => {
      if (req.protocolVersion !== PROTOCOL_VERSION) {
        throw new AppError('UNSUPPORTED_PROTOCOL', `server speaks protocol ${PROTOCOL_VERSION}; reload the page`);
      }
      const claims = await invites.verify(req.invite);
      const resumedId = req.resumeToken === undefined ? undefined : await invites.verifyResume(req.resumeToken, claims);
      const roomId = claims.room;
      if (ctx.membership && !(ctx.membership.roomId === roomId && ctx.membership.participantId === resumedId)) {
        throw new AppError('ALREADY_JOINED', `already in room ${ctx.membership.roomId}`);
      }
      if (ctx.joining) throw new InvalidStateError('a join is already in progress');
      ctx.joining = true;
      try {
        const before = await rooms.state(roomId);
        // After the meeting an invite stands for whoever came with it (a speaker confirming
        // their passage from another device has no resume token): see reviewSeat.
        const seat = before?.ended ? reviewSeat(before, claims.inviteId) : undefined;
        const participantId = resumedId ?? seat ?? randomUUID();
        await deps.hub.watch(roomId);
        // Someone coming back keeps the name the room knows; a newcomer needs one.
        const known = before?.participants[participantId]?.name;
        const name = claims.name ?? known ?? req.name;
        if (name === undefined) throw new ValidationError('name: this invite needs your name');
        const previous = ctx.membership;
        let release: () => void;
        if (previous?.participantId === participantId) {
          release = previous.release;
        } else {
          release = () => {
            if (ctx.membership?.release === release) ctx.membership = null;
            socket.disconnect(true);
          };
          // NOTE: claimed before the older connection is dropped (here, then on any other
          // process), so its disconnect sees it was taken over and records nothing; and
          // before the arrival, so nothing recorded after it says "disconnected".
          await deps.cluster.claim(roomId, participantId);
          sessions.claim(roomId, participantId, release);
          if (resumedId !== undefined) socket.nsp.in(participantChannel(roomId, participantId)).disconnectSockets(true);
        }
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
        // An ended room is open for the minutes only: no media (see joinMedia).
        const admitted = state.participants[participantId]?.status === 'admitted' && !state.ended;
        const media = admitted ? await joinMedia(ctx, deps, req.rtpCapabilities) : null;
        if (socket.disconnected) throw new InvalidStateError('disconnected during join');
        const room = await syncFor(deps, roomId, state, viewer, req.lastSeq);
        const seqSent = room.kind === 'snapshot' ? room.state.seq : (room.events.at(-1)?.seq ?? req.lastSeq ?? 0);
        const joined: Joined = {
          participantId,
          resumeToken: await invites.signResume(claims, participantId),
          resumed: resumedId !== undefined,
          serverTime: deps.clock(),
          room,
          media: media?.joined ?? null,
        };
        return new AfterAck(joined, async () => {
          // NOTE: the socket enters the room's channel only after the ack, then gets whatever
          // was recorded since the answer; clients ignore seqs they already hold.
          await socket.join(channelsOf(roomId, viewer));
          deps.hub.sendTo(socket.id, await rooms.eventsSince(roomId, seqSent));
          await media?.afterAck();
        });
      } finally {
        ctx.joining = false;
      }
    },
    logger,
  );

  handle(
    socket,
    'room:sync',
    S.SyncRoom,
    async (req) => {
      const m = ctx.member();
      return syncFor(deps, m.roomId, await requireState(deps, m.roomId), m.viewer, req.lastSeq);
    },
    logger,
  );

  handle(
    socket,
    'room:leave',
    S.Empty,
    async () => {
      const m = ctx.member();
      ctx.membership = null;
      sessions.end(m.roomId, m.participantId);
      for (const channel of channelsOf(m.roomId, m.viewer)) await socket.leave(channel);
      await leaveMedia(deps, m);
      await rooms.execute(m.roomId, { type: 'system:leave', participantId: m.participantId }, { kind: 'system' });
      await deps.cluster.release(m.roomId, m.participantId);
      return null;
    },
    logger,
  );

  for (const type of CLIENT_COMMAND_TYPES) registerCommand(ctx, deps, type);

  socket.on('disconnect', () => {
    const m = ctx.membership;
    if (!m) return;
    ctx.membership = null;
    disconnectMedia(deps, m);
    connectionLost(deps, m).catch((error: unknown) => {
      logger.warn(`could not record the disconnect of ${m.participantId}`, error);
    });
  });
}

/**
 * A participant's connection dropped: record it and give them the grace period to come back —
 * unless a newer connection, here or on another process, already speaks for them.
 */
async function connectionLost(deps: SignalingDeps, m: Membership): Promise<void> {
  const { rooms, sessions, cluster, logger } = deps;
  if (sessions.takenOver(m.roomId, m.participantId, m.release)) return;
  if ((await cluster.holder(m.roomId, m.participantId)) === 'other') {
    // Their media moves with them; what this process kept of it goes now.
    await leaveMedia(deps, m);
    return;
  }
  const system = { kind: 'system' } as const;
  await rooms.execute(m.roomId, { type: 'system:disconnect', participantId: m.participantId }, system);
  sessions.startGrace(m.roomId, m.participantId, m.release, deps.resumeGraceMs, () => {
    void leaveMedia(deps, m);
    recordDeparture(deps, m.roomId, m.participantId).catch((error: unknown) => {
      logger.warn(`could not record the departure of ${m.participantId}`, error);
    });
  });
}

/**
 * The grace period ended without the participant coming back here. If they came back on
 * another process, that one speaks for them now and nothing is recorded.
 */
export async function recordDeparture(deps: Pick<SignalingDeps, 'rooms' | 'cluster'>, roomId: string, participantId: string): Promise<void> {
  if ((await deps.cluster.holder(roomId, participantId)) === 'other') return;
  await deps.rooms.execute(roomId, { type: 'system:leave', participantId }, { kind: 'system' });
  await deps.cluster.release(roomId, participantId);
}

function registerCommand(ctx: SocketContext, deps: SignalingDeps, type: ClientCommandType): void {
  const schema = z.intersection(CommandEnvelope, CLIENT_COMMANDS[type]);
  handle(
    ctx.socket,
    type,
    schema,
    async (payload) => {
      const m = ctx.member();
      const { commandId, ...fields } = payload;
      // The fields were parsed by the schema of `type` itself, so together they are that command.
      const command = { ...fields, type } as ClientCommand;
      const done = await deps.rooms.execute(m.roomId, command, { kind: 'participant', id: m.participantId }, commandId);
      return { seq: done.seq };
    },
    deps.logger,
  );
}

async function requireState(deps: SignalingDeps, roomId: string): Promise<RoomState> {
  const state = await deps.rooms.state(roomId);
  if (!state) throw new AppError('NOT_FOUND', `no room ${roomId}`);
  return state;
}

/** What a (re)joining client needs: the events it missed, or the whole state it may see. */
async function syncFor(deps: SignalingDeps, roomId: string, state: RoomState, viewer: Viewer, lastSeq?: number): Promise<RoomSync> {
  if (lastSeq !== undefined && lastSeq > 0 && lastSeq <= state.seq && state.seq - lastSeq <= MAX_CATCH_UP_EVENTS) {
    const events = await deps.rooms.eventsSince(roomId, lastSeq);
    return { kind: 'events', events: events.map((e) => eventForViewer(e, viewer)) };
  }
  return { kind: 'snapshot', state: stateForViewer(state, viewer) };
}
