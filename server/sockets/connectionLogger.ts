/**
 * A connection's logger: its lines carry the socket's id and, once it joined, the room and the
 * participant (or public viewer) it speaks for, read when the line is written. Handlers are
 * registered before the join, so the ids cannot be bound when the logger is made.
 */
import type { LogFields, Logger } from '../log.js';
import type { SocketContext } from './context.js';

/** `base` with the connection's ids added to every line. */
export function connectionLogger(base: Logger, ctx: SocketContext): Logger {
  return new ConnectionLogger(base, ctx);
}

/**
 * NOTE: a class, not closures: every connection has one, a public viewer's among thousands,
 * and its methods are shared by all of them; the ids are made on a line, not per connection.
 */
class ConnectionLogger implements Logger {
  readonly #base: Logger;
  readonly #ctx: SocketContext;
  /** The ids as last made, and for which membership (made again only when it changed: refusals are logged at debug on hot paths). */
  #madeFor: object | null | undefined = undefined;
  #fields: LogFields | undefined;

  constructor(base: Logger, ctx: SocketContext) {
    this.#base = base;
    this.#ctx = ctx;
  }

  debug(message: string, ...details: unknown[]): void {
    this.#base.debug(message, this.#ids(), ...details);
  }

  info(message: string, ...details: unknown[]): void {
    this.#base.info(message, this.#ids(), ...details);
  }

  warn(message: string, ...details: unknown[]): void {
    this.#base.warn(message, this.#ids(), ...details);
  }

  error(message: string, ...details: unknown[]): void {
    this.#base.error(message, this.#ids(), ...details);
  }

  child(name: string, fields?: LogFields): Logger {
    return new ConnectionLogger(this.#base.child(name, fields), this.#ctx);
  }

  #ids(): LogFields {
    const ctx = this.#ctx;
    const current = ctx.membership ?? ctx.viewer;
    if (this.#fields !== undefined && this.#madeFor === current) return this.#fields;
    const ids: LogFields = ctx.membership
      ? { socketId: ctx.socket.id, roomId: ctx.membership.roomId, participantId: ctx.membership.participantId }
      : ctx.viewer
        ? { socketId: ctx.socket.id, roomId: ctx.viewer.roomId, viewerId: ctx.viewer.viewerId }
        : { socketId: ctx.socket.id };
    this.#madeFor = current;
    this.#fields = ids;
    return ids;
  }
}
