/**
 * A connection's logger: its lines carry the socket's id and, once it joined, the room and the
 * participant (or public viewer) it speaks for, read when the line is written. Handlers are
 * registered before the join, so the ids cannot be bound when the logger is made.
 */
import type { LogFields, Logger } from '../log.js';
import type { SocketContext } from './context.js';

/** `base` with the connection's ids added to every line. */
export function connectionLogger(base: Logger, ctx: SocketContext): Logger {
  // Made again only when the membership changed: refusals are logged (at debug) on hot paths.
  let made: { for: object | null; fields: LogFields } | undefined;
  const fields = (): LogFields => {
    const current = ctx.membership ?? ctx.viewer;
    if (made?.for === current) return made.fields;
    const ids: LogFields = ctx.membership
      ? { socketId: ctx.socket.id, roomId: ctx.membership.roomId, participantId: ctx.membership.participantId }
      : ctx.viewer
        ? { socketId: ctx.socket.id, roomId: ctx.viewer.roomId, viewerId: ctx.viewer.viewerId }
        : { socketId: ctx.socket.id };
    made = { for: current, fields: ids };
    return ids;
  };
  return {
    debug: (message, ...details) => base.debug(message, fields(), ...details),
    info: (message, ...details) => base.info(message, fields(), ...details),
    warn: (message, ...details) => base.warn(message, fields(), ...details),
    error: (message, ...details) => base.error(message, fields(), ...details),
    child: (name, more) => connectionLogger(base.child(name, more), ctx),
  };
}
