/**
 * Socket.IO events of the meeting: join with an invite (or resume: join.ts), catch up, leave,
 * and every room command. Each handler parses (through `handle`), then dispatches: to the join,
 * the RoomService, Presence.
 */
import { z } from 'zod';
import {
  CLIENT_COMMANDS,
  CLIENT_COMMAND_TYPES,
  CommandEnvelope,
  type ClientCommand,
  type ClientCommandType,
} from '../../signaling/room/commands.js';
import * as S from '../../signaling/schemas.js';
import { allChannels } from './channels.js';
import type { SignalingDeps, SocketContext } from './context.js';
import { joinRoom } from './join.js';
import { disconnectMedia, leaveMedia } from './mediaHandlers.js';
import { requireState, syncFor } from './roomSync.js';
import { handle } from './withAck.js';

/** Registers the room events on one connection. */
export function registerRoomHandlers(ctx: SocketContext, deps: SignalingDeps): void {
  const { socket } = ctx;
  const { logger } = deps;

  handle(socket, 'room:join', S.JoinRoom, (req) => joinRoom(ctx, deps, req), logger);

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
      logger.info('left', { roomId: m.roomId, participantId: m.participantId });
      deps.presence.forget(m.roomId, m.participantId);
      for (const channel of allChannels(m.roomId, m.participantId)) await socket.leave(channel);
      await leaveMedia(deps, m);
      await deps.presence.left(m.roomId, m.participantId);
      return null;
    },
    logger,
  );

  for (const type of CLIENT_COMMAND_TYPES) registerCommand(ctx, deps, type);

  socket.on('disconnect', () => {
    const m = ctx.membership;
    if (!m) return;
    ctx.membership = null;
    logger.info('connection lost', { roomId: m.roomId, participantId: m.participantId });
    disconnectMedia(deps, m);
    deps.presence.connectionLost(m, () => leaveMedia(deps, m)).catch((error: unknown) => {
      logger.warn('could not record the disconnect', { roomId: m.roomId, participantId: m.participantId }, error);
    });
  });
}

/** Each command's wire schema (its envelope and its fields), built once for every connection. */
const COMMAND_SCHEMAS = new Map(CLIENT_COMMAND_TYPES.map((type) => [type, z.intersection(CommandEnvelope, CLIENT_COMMANDS[type])] as const));

function registerCommand(ctx: SocketContext, deps: SignalingDeps, type: ClientCommandType): void {
  const schema = COMMAND_SCHEMAS.get(type);
  if (!schema) throw new TypeError(`no schema for ${type}`);
  handle(
    ctx.socket,
    type,
    schema,
    async (payload) => {
      const m = ctx.member();
      await deps.limits.command(m.roomId, m.participantId);
      const { commandId, ...fields } = payload;
      // The fields were parsed by the schema of `type` itself, so together they are that command.
      const command = { ...fields, type } as ClientCommand;
      const done = await deps.rooms.execute(m.roomId, command, { kind: 'participant', id: m.participantId }, commandId);
      return { seq: done.seq };
    },
    deps.logger,
  );
}
