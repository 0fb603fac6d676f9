/**
 * The recording's listing (`GET /api/rooms/:roomId/recording`): its parts, each with a URL that
 * opens the file. The invite is the credential, sent as a bearer token as for the minutes'
 * exports; the server answers the host and the secretary always, everybody else with an invite
 * of the room once the recording is published (signaling/http/recording.ts).
 */
import { RECORDING_ROUTE, RecordingListing } from '../../../signaling/http/recording.js';
import { requestJson } from './http.js';

export { type RecordingListing };

/** Fetches the room's recording listing with `invite`. */
export function fetchRecordingListing(roomId: string, invite: string): Promise<RecordingListing> {
  return requestJson(RECORDING_ROUTE.path({ roomId }), RecordingListing, { bearer: invite });
}
