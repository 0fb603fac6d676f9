/**
 * A connection's logger: its lines carry the socket's id and, once it joined, the room and the
 * participant (or public viewer) it speaks for, read when the line is written. Handlers are
 * registered before the join, so the ids cannot be bound when the logger is made.
 */
import type { LogFields, Logger } from '../log.js';
import type { SocketContext } from './context.js';

/** `base` with the connection's ids added to every line. */
export function connectionLogger(base: Logger, ctx: SocketContext): Logger {
  const fields = (): LogFields => {
    if (ctx.membership) return { socketId: ctx.socket.id, roomId: ctx.membership.roomId, participantId: ctx.membership.participantId };
    if (ctx.viewer) return { socketId: ctx.socket.id, roomId: ctx.viewer.roomId, viewerId: ctx.viewer.viewerId };
    return { socketId: ctx.socket.id };
  };
  return {
    debug: (message, ...details) => base.debug(message, fields(), ...details),
    info: (message, ...details) => base.info(message, fields(), ...details),
    warn: (message, ...details) => base.warn(message, fields(), ...details),
    error: (message, ...details) => base.error(message, fields(), ...details),
    child: (name, more) => connectionLogger(base.child(name, more), ctx),
  };
}
