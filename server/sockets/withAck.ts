/**
 * Socket.IO handlers parse and dispatch, nothing more. `handle` parses the payload with its
 * schema, runs the handler, and always answers the ack: data, or a stable error code.
 * Socket.IO does not catch errors of async handlers (socketio/socket.io#4491); this does.
 */
import { z } from 'zod';
import { AppError, RateLimitedError } from '../../signaling/errors.js';
import { ack, type Ack, type AckCallback, type ClientToServerEvents } from '../../signaling/protocol.js';
import type { Logger } from '../log.js';

/** The data type an event's ack carries. */
export type AckData<E extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer T> ? T : never;

/** Something to do once the ack has been sent (e.g. push follow-up notifications). */
export class AfterAck<T> {
  constructor(
    readonly data: T,
    readonly afterAck: () => Promise<void> | void,
  ) {}
}

/** The part of a Socket.IO socket `handle` needs: raw listeners see unparsed wire data. */
export type ListeningSocket = {
  id: string;
  on(event: string, listener: (payload: unknown, callback: unknown) => void): unknown;
};

type Handler<S extends z.ZodType, E extends keyof ClientToServerEvents> = (
  payload: z.infer<S>,
) => Promise<AckData<E> | AfterAck<AckData<E>>> | AckData<E> | AfterAck<AckData<E>>;

/** Registers `handler` for `event`, guarded by `schema`. */
export function handle<E extends keyof ClientToServerEvents, S extends z.ZodType>(
  socket: ListeningSocket,
  event: E,
  schema: S,
  handler: Handler<S, E>,
  logger: Logger,
): void {
  socket.on(event, (payload: unknown, callback: unknown) => {
    if (typeof callback !== 'function') {
      // Without a callback there is nobody to answer; a well-behaved client always sends one.
      logger.debug(`${event} without ack: ignored`);
      return;
    }
    const reply = (answer: Ack<AckData<E>>): void => {
      callback(answer);
    };
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      reply(ack.fail('BAD_REQUEST', z.prettifyError(parsed.error).slice(0, 500)));
      return;
    }
    Promise.resolve()
      .then(() => handler(parsed.data))
      .then(
        (result) => {
          if (result instanceof AfterAck) {
            reply(ack.ok(result.data));
            Promise.resolve()
              .then(result.afterAck)
              .catch((error: unknown) => logger.error(`${event}: after-ack step failed`, error));
          } else {
            reply(ack.ok(result));
          }
        },
        (error: unknown) => reply(toFailure(event, error, logger)),
      );
  });
}

/** The ack of a failed request: a stable code (and, when limited, when to try again). */
export function toFailure(event: string, error: unknown, logger: Logger): Ack<never> {
  if (error instanceof AppError) {
    // The code only: a refusal's text may quote what was sent.
    logger.debug(`${event} refused`, { code: error.code });
    return error instanceof RateLimitedError ? ack.fail(error.code, error.message, error.retryAfterMs) : ack.fail(error.code, error.message);
  }
  // Never send the text of an unexpected error to a client.
  logger.error(`${event} failed`, error);
  return ack.fail('INTERNAL');
}
