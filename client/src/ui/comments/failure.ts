/** What a failed comment request says: RATE_LIMITED tells when to try again, anything else its code's sentence. */
import type { TFunction } from 'i18next';
import { ClientError } from '../../errors.js';
import { retrySeconds } from '../../net/commentsApi.js';

/** The sentence for a failure of a comment request. */
export function failureText(t: TFunction, error: unknown): string {
  const seconds = retrySeconds(error);
  if (seconds !== null) return t('comments.rateLimited', { seconds });
  // Not a refusal with a code: a bug of ours, not the user's doing.
  return t(`errors.${error instanceof ClientError ? error.code : 'INTERNAL'}`);
}
