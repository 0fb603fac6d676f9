/**
 * What every route of the API answers when it fails: a 4xx or 5xx with
 * `{ error: ErrorCode, detail?, retryAfterMs? }`. Callers branch on `error`, never on `detail`
 * (English words for logs and people reading the network tab).
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';

/** The body of a failed answer. */
export const ApiErrorBody = z.object({
  error: z.enum(ERROR_CODES),
  /** Absent on INTERNAL: an unexpected error's message never leaves the server. */
  detail: z.string().optional(),
  /** With RATE_LIMITED: when to try again (also in the Retry-After header). */
  retryAfterMs: z.number().nonnegative().optional(),
});
/** The body of a failed answer. */
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
