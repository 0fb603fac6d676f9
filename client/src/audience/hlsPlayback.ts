/**
 * The small decisions of playing the program's HLS stream, kept apart from the player so they
 * are tested without a browser: which engine plays it, how long to wait before asking again
 * for a stream that is not there, and the delay as the page states it.
 */

/** What plays the stream: hls.js over Media Source Extensions, the browser itself, or nothing. */
export type HlsEngine = 'hls.js' | 'native' | 'none';

/**
 * hls.js wherever it runs (it follows the live edge and reports its delay); the browser's own
 * HLS only where hls.js cannot (an iPhone without Media Source); else nothing.
 */
export function chooseHlsEngine(support: { hlsJs: boolean; nativeHls: boolean }): HlsEngine {
  if (support.hlsJs) return 'hls.js';
  if (support.nativeHls) return 'native';
  return 'none';
}

/** The first wait before asking again for a stream that answered 404, in ms. */
export const FIRST_RETRY_MS = 1_000;
/** The longest wait between two asks, in ms. */
export const MAX_RETRY_MS = 15_000;

/** How long to wait after the `attempt`-th (0-based) refused ask: doubling, capped. */
export function retryDelayMs(attempt: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(attempt, 16)));
}

/**
 * The live delay in whole seconds as the page shows it (延迟约 N 秒), at least 1; null while
 * there is no estimate yet.
 */
export function delaySeconds(latency: number | null | undefined): number | null {
  if (latency === null || latency === undefined || !Number.isFinite(latency) || latency <= 0) return null;
  return Math.max(1, Math.round(latency));
}

/**
 * hls.js settings for a live meeting: start near the live edge, and catch up by playing a
 * little faster rather than by jumping when the viewer falls behind.
 */
export const LIVE_HLS_CONFIG = {
  lowLatencyMode: true,
  // Two target durations behind the live edge: the least that does not stall on a late segment.
  liveSyncDurationCount: 2,
  liveMaxLatencyDurationCount: 6,
  maxLiveSyncPlaybackRate: 1.25,
  backBufferLength: 10,
  // NOTE: the page's Content-Security-Policy allows no blob: workers; hls.js would try one and
  // fall back with a console error. Remuxing one 360p stream on the main thread is cheap.
  enableWorker: false,
  // A missing playlist (404, 503) is the player's to retry with backoff (直播准备中 / 直播暂不可用),
  // not hls.js's. The first request may wait a few seconds while the server starts its encoder.
  manifestLoadPolicy: { default: { maxTimeToFirstByteMs: Infinity, maxLoadTimeMs: 20_000, timeoutRetry: null, errorRetry: null } },
};
