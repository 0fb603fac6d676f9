/**
 * Where the server serves a room's live HLS stream of the program: same origin, public, the
 * same access as the public page; 404 while the room has no stream.
 */

/** The playlist of the room's program stream. */
export function programStreamUrl(roomId: string): string {
  return `/stream/${encodeURIComponent(roomId)}/index.m3u8`;
}
