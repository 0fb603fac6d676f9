/**
 * Where the server serves a room's live HLS stream of the program (signaling/http/stream.ts):
 * same origin, public, the same access as the public page; 404 while the room has no stream.
 */
import { streamPlaylistPath } from '../../../signaling/http/stream.js';

/** The playlist of the room's program stream. */
export function programStreamUrl(roomId: string): string {
  return streamPlaylistPath(roomId);
}
