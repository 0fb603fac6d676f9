/**
 * The recording (录像) over HTTP, shared by server/http/recordingRoutes.ts, the client's staff
 * view and the minutes exports.
 *
 *   GET /api/rooms/:roomId/recording      Authorization: Bearer <invite token>  → RecordingListing
 *   GET /recordings/<roomId>/<part>.mp4[?key=<key>]                             → the file (Range works)
 *
 * Contract:
 * - The listing answers the host and the secretary always (from the first part on, while it is
 *   still being written), and every other invite of the room (the public's too) once the host
 *   has published the recording; otherwise 403. Each part comes with a `url` that opens it for
 *   KEY_HOURS hours (a key signed by the server); a published part's `url` needs no key.
 * - A file answers a valid key for its room and part, or no key once the recording is
 *   published; otherwise 404, as for a file that does not exist. Fragmented MP4 (H.264 1280×720
 *   25 fps + AAC mono), playable while it grows and up to the moment its writer stopped.
 * - `#t=<seconds>` on a file URL starts a browser's player at a speech (SpeechRecord.recordingAt).
 */
import { z } from 'zod';
import { apiRoute } from './route.js';

/** The listing route (under /api). */
export const RECORDING_ROUTE = apiRoute('/rooms/:roomId/recording');

/** Where the files are served (not under /api: a browser's player and a download fetch them directly). */
export const RECORDINGS_PREFIX = '/recordings';

/** The file route's express pattern. */
export const RECORDING_FILE_ROUTE = `${RECORDINGS_PREFIX}/:roomId/:file` as const;

/** How long a signed file URL works. */
export const KEY_HOURS = 12;

/** A part's file name: `<part>.mp4`, the part named as the log names it (signaling/room/recording.ts). */
export const RECORDING_FILE = /^([0-9a-z][0-9a-z-]{0,63})\.mp4$/;

/** A file's URL path; `key` signed by the server (absent for a published recording). */
export function recordingFilePath(roomId: string, part: string, key?: string): string {
  const base = `${RECORDINGS_PREFIX}/${encodeURIComponent(roomId)}/${encodeURIComponent(part)}.mp4`;
  return key === undefined ? base : `${base}?key=${encodeURIComponent(key)}`;
}

/** `#t=` for a player to start at `offsetMs` (whole seconds, as media fragments take them). */
export function atOffset(url: string, offsetMs: number): string {
  return `${url}#t=${Math.floor(offsetMs / 1000)}`;
}

/** One part as listed. */
export const RecordingPartListing = z.object({
  name: z.string(),
  /** The server's time at the part's time 0 (epoch ms). */
  startedAt: z.number().int(),
  /** Known once the minutes are locked (read from the file then); null while only the log knows the part. */
  durationMs: z.number().int().min(0).nullable(),
  bytes: z.number().int().min(0).nullable(),
  sha256: z.string().nullable(),
  /** Opens the file (a path on this server, with a key unless published). */
  url: z.string(),
});
export type RecordingPartListing = z.infer<typeof RecordingPartListing>;

/** The answer of the listing route. */
export const RecordingListing = z.object({
  /** 录制中 now. */
  recording: z.boolean(),
  published: z.boolean(),
  /** In the order they were begun; the minutes' `recordingAt.part` indexes this list. */
  parts: z.array(RecordingPartListing),
});
export type RecordingListing = z.infer<typeof RecordingListing>;
