import type { Ack } from '../../../signaling/protocol.js';
import { ClientError } from '../errors.js';

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
