/**
 * The live HLS stream of a meeting's program (the floor holder's video, the speaker's and the
 * chair's audio mixed), shared by server/http/streamRoutes.ts and the public page's player.
 *
 *   GET /stream/<roomId>/index.m3u8   the live playlist (sliding window of ~1 s segments)
 *   GET /stream/<roomId>/<segment>    a segment the playlist names (seg-<run>-<n>.ts, MPEG-TS: H.264 + AAC)
 *
 * Contract for players and caches:
 * - The playlist URL is exactly `/stream/<roomId>/index.m3u8` (streamPlaylistPath); segment URLs
 *   in it are relative, so the stream works under any prefix a proxy adds.
 * - Access is the public page's: no credentials; a room answers only while it has a valid public
 *   invite (the link or meeting number the public joins by). Otherwise 404, as for an unknown room.
 * - The first request for a room's playlist starts its encoder: the answer waits for the first
 *   segments (a few seconds, through one restart of the encoder); if they are not there in
 *   time, or the encoder keeps failing, 503 with `Retry-After: 2`.
 * - Segments: MPEG-TS, H.264 main 1280×720 25 fps (a key frame at each segment's start) and
 *   AAC mono 48 kHz, both from the first segment on; a black picture while the program has none.
 * - Headers: playlist `application/vnd.apple.mpegurl`, `Cache-Control: public, max-age=1`;
 *   segments `video/mp2t`, `Cache-Control: public, max-age=86400, immutable` (a name is never
 *   reused for other bytes, even across restarts of the encoder). Errors are JSON ApiErrorBody, `no-store`.
 * - A stream nobody asks for during STREAM_IDLE_SECONDS (60 s) stops; the next request starts it.
 */
import { z } from 'zod';

/** Where the stream routes live (not under /api: caches and CDNs are pointed at it). */
export const STREAM_PREFIX = '/stream';
/** The playlist's file name. */
export const PLAYLIST_NAME = 'index.m3u8';

/** Express patterns. */
export const STREAM_ROUTES = {
  playlist: `${STREAM_PREFIX}/:roomId/${PLAYLIST_NAME}`,
  segment: `${STREAM_PREFIX}/:roomId/:segment`,
} as const;

/** A segment's file name as the encoder writes them: seg-<run>-<number>.ts, nothing else. */
export const SEGMENT_NAME = /^seg-[0-9a-z]{1,12}-\d{1,10}\.ts$/;

/** A segment name in a path, strictly (no dots, slashes or other files of the directory). */
export const SegmentName = z.string().regex(SEGMENT_NAME, 'not a segment of this stream');

/** A room id in a path (the server's ids are URL-safe; anything else names no room). */
export const StreamRoomId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a room id');

/** The playlist of a room's stream, the URL a player loads. */
export function streamPlaylistPath(roomId: string): string {
  return `${STREAM_PREFIX}/${encodeURIComponent(roomId)}/${PLAYLIST_NAME}`;
}
