import type { Ack } from '../../../signaling/protocol.js';
import { ClientError } from '../errors.js';
import type { ProtocolSocket } from './protocolSocket.js';

/**
 * Turns what a `socket.timeout(ms).emit(…, cb)` callback receives into the data or a
 * ClientError: Socket.IO reports a missing answer as an Error in the first argument.
 */
export function unwrapAck<T>(timeoutError: Error | null, ack: Ack<T> | undefined): T {
  if (timeoutError !== null) throw new ClientError('TIMEOUT', timeoutError.message);
  if (ack === undefined) throw new ClientError('INTERNAL', 'empty ack');
  if (ack.ok) return ack.data;
  throw new ClientError(ack.error, ack.detail, ack.retryAfterMs);
}

/** How long a request waits for its ack before it fails with TIMEOUT. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** What a request hands the socket: emit with this timeout-bound socket and this reply callback. */
export type AckRequest<T> = (socket: ReturnType<ProtocolSocket['timeout']>, reply: (timeoutError: Error | null, ack: Ack<T>) => void) => void;

/**
 * One request over the socket: the ack's data, or a ClientError (its code, TIMEOUT, or
 * DISCONNECTED at once). NOTE: Socket.IO buffers emits while disconnected and sends them after
 * reconnecting, when they would reach a socket that has not joined yet; failing now lets the
 * rejoin resync the state instead.
 */
export function request<T>(socket: ProtocolSocket, send: AckRequest<T>): Promise<T> {
  if (!socket.connected) return Promise.reject(new ClientError('DISCONNECTED'));
  return new Promise<T>((resolve, reject) => {
    send(socket.timeout(REQUEST_TIMEOUT_MS), (timeoutError, ack) => {
      try {
        resolve(unwrapAck(timeoutError, ack));
      } catch (error) {
        reject(error);
      }
    });
  });
}
