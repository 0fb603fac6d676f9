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

/** Saves a downloaded file through an `<a download>` click. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; the URL may go once it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
