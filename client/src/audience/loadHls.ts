/**
 * hls.js, fetched only when the stream is played: a viewer who watches over WebRTC never
 * downloads it. The light build leaves out what the program never uses (alternate audio,
 * subtitles, DRM, content steering).
 */
import type Hls from 'hls.js';

/** The hls.js class. */
export type HlsClass = typeof Hls;

/** Loads hls.js (once; the browser caches the chunk). */
export async function loadHls(): Promise<HlsClass> {
  const module = await import('hls.js/light');
  return module.default;
}
