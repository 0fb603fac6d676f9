/**
 * The minutes as files (`GET /api/rooms/:id/minutes.md|html|docx`), for the host and the
 * secretary: the invite token they joined with is their credential, sent as a bearer token
 * rather than in the URL so it does not end up in logs or the browser history.
 */
import { ApiErrorBody } from '../../../signaling/http/errors.js';
import { MINUTES_FORMATS, MINUTES_ROUTE, type MinutesFormat } from '../../../signaling/http/minutes.js';
import { ClientError } from '../errors.js';

export { MINUTES_FORMATS, type MinutesFormat };

/** A downloaded export: its bytes and the file name to save it under. */
export type MinutesFile = { blob: Blob; fileName: string };

/** Fetches one export of the room's minutes. */
export async function fetchMinutesFile(roomId: string, format: MinutesFormat, invite: string): Promise<MinutesFile> {
  let response: Response;
  try {
    response = await fetch(MINUTES_ROUTE.path({ roomId, format }), {
      headers: { Authorization: `Bearer ${invite}` },
      cache: 'no-store',
    });
  } catch (error) {
    throw new ClientError('DISCONNECTED', error instanceof Error ? error.message : 'fetch failed');
  }
  if (!response.ok) {
    const parsed = ApiErrorBody.safeParse(await errorBody(response));
    throw new ClientError(parsed.success ? parsed.data.error : 'INTERNAL', `HTTP ${response.status}`);
  }
  return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('content-disposition'), `minutes-${roomId}.${format}`) };
}

/** The file name a Content-Disposition header gives (plain or RFC 5987 form), else `fallback`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (disposition === null) return fallback;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (extended !== undefined) {
    try {
      return decodeURIComponent(extended);
    } catch (error) {
      console.warn('unreadable file name in Content-Disposition', error);
      return fallback;
    }
  }
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? fallback;
}

/** The JSON error body of a failed answer, or null when it has none (a proxy's HTML page). */
async function errorBody(response: Response): Promise<unknown> {
  try {
    const body: unknown = await response.json();
    return body;
  } catch (error) {
    console.warn(`minutes export answered HTTP ${response.status} without a JSON body`, error);
    return null;
  }
}
