/**
 * Which way a public viewer watches the program: 实时模式 (WebRTC, a consumer on the media server,
 * under a second behind) or 流畅模式 (the HLS stream any HTTP cache can carry, a few seconds
 * behind). The viewer's choice holds unless WebRTC cannot be had; then the page falls back to
 * the stream and says why.
 */

/** How the program plays. */
export type WatchMode = 'realtime' | 'smooth';

/**
 * Where the WebRTC program stands: `idle` not asked for (流畅模式 chosen, or not yet joined),
 * `connecting` asked for and no media yet, `playing` media arrives, `full` the server refused
 * the viewer (CAPACITY), `failed` ICE/DTLS failed or no media came in time, `absent` the
 * server offers no WebRTC program.
 */
export type RealtimeStatus = 'idle' | 'connecting' | 'playing' | 'full' | 'failed' | 'absent';

/** Why the page plays the stream although the viewer did not choose it. */
export type FallbackReason = 'full' | 'failed' | 'absent';

/** What the page shows and offers. */
export type WatchDecision = {
  mode: WatchMode;
  /** The stream plays in place of WebRTC the viewer wanted, and why; null: as chosen. */
  fallback: FallbackReason | null;
  /**
   * The mode the viewer may switch to now (after a fallback, 实时模式 is a new try: a full
   * audience may have room again, a network may have changed); null: none.
   */
  offer: WatchMode | null;
};

/** The mode to play given the viewer's choice and how WebRTC fares. */
export function decideWatchMode(preference: WatchMode, realtime: RealtimeStatus): WatchDecision {
  // Only a server that offers no WebRTC program leaves nothing to try.
  const realtimeOffer = realtime === 'absent' ? null : 'realtime';
  if (preference === 'smooth') return { mode: 'smooth', fallback: null, offer: realtimeOffer };
  switch (realtime) {
    case 'idle':
    case 'connecting':
    case 'playing':
      return { mode: 'realtime', fallback: null, offer: 'smooth' };
    case 'full':
    case 'failed':
    case 'absent':
      return { mode: 'smooth', fallback: realtime, offer: realtimeOffer };
    default:
      return assertNever(realtime);
  }
}

function assertNever(value: never): never {
  throw new TypeError(`unexpected realtime status ${String(value)}`);
}

const STORAGE_KEY = 'wsl.watchMode';

/** The mode the viewer chose last time in this browser (实时模式 when none or unreadable). */
export function storedWatchMode(storage: Pick<Storage, 'getItem'> | null): WatchMode {
  try {
    return storage?.getItem(STORAGE_KEY) === 'smooth' ? 'smooth' : 'realtime';
  } catch (error) {
    // Storage can be disabled (private mode, policies): the default still works.
    console.warn('watch mode preference unavailable', error);
    return 'realtime';
  }
}

/** Remembers the viewer's choice for their next visit. */
export function storeWatchMode(storage: Pick<Storage, 'setItem'> | null, mode: WatchMode): void {
  try {
    storage?.setItem(STORAGE_KEY, mode);
  } catch (error) {
    console.warn('could not remember the watch mode', error);
  }
}
