/**
 * mediasoup reports parameters it rejects as TypeError or UnsupportedError. Calls that pass
 * client-supplied parameters go through `withClientParameters`, so those rejections reach the
 * client as BAD_REQUEST / UNSUPPORTED_MEDIA while real faults stay INTERNAL.
 */
import { AppError, ValidationError } from '../../signaling/errors.js';

/** Runs a mediasoup call whose parameters came from a client, mapping its rejections. */
export async function withClientParameters<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof Error && error.name === 'UnsupportedError') {
      throw new AppError('UNSUPPORTED_MEDIA', `${what}: ${error.message}`);
    }
    if (error instanceof TypeError) {
      throw new ValidationError(`${what}: ${error.message}`);
    }
    throw error;
  }
}
