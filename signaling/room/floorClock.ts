/**
 * Speaking time is derived from server timestamps; no ticking events. Clients call this with
 * the server-corrected clock to draw the countdown; the server calls it to end the floor.
 */
import type { Floor, RoomSettings } from './state.js';

/** normal → warning (near the limit) → grace (over the limit, may finish) → over. */
export type FloorPhase = 'normal' | 'warning' | 'grace' | 'over';

/** Where the floor's clock stands at `now`. */
export type FloorClock = {
  elapsedMs: number;
  /** Until the limit; negative in grace. */
  remainingMs: number;
  phase: FloorPhase;
  paused: boolean;
  /** When the floor ends by itself (epoch ms), or null while paused. */
  endsAt: number | null;
};

/** The clock of `floor` at `now`. */
export function floorClock(
  floor: Floor,
  settings: Pick<RoomSettings, 'warningSeconds' | 'graceSeconds'>,
  now: number,
): FloorClock {
  const until = floor.pausedAt ?? now;
  const elapsedMs = Math.max(0, until - floor.grantedAt - floor.pausedMs);
  const remainingMs = floor.limitMs - elapsedMs;
  const graceMs = settings.graceSeconds * 1000;
  const phase: FloorPhase =
    remainingMs > settings.warningSeconds * 1000
      ? 'normal'
      : remainingMs > 0
        ? 'warning'
        : remainingMs > -graceMs
          ? 'grace'
          : 'over';
  const paused = floor.pausedAt !== null;
  return { elapsedMs, remainingMs, phase, paused, endsAt: paused ? null : now + remainingMs + graceMs };
}

/**
 * The clock of a speech waiting for a point of order (Floor.interrupted): stopped where the
 * interruption (or an earlier pause by the chair) stopped it, whatever the time now.
 */
export function waitingClock(
  interrupted: NonNullable<Floor['interrupted']>,
  settings: Pick<RoomSettings, 'warningSeconds' | 'graceSeconds'>,
): FloorClock {
  const f = interrupted.floor;
  return floorClock({ ...f, pausedAt: f.pausedAt ?? interrupted.at }, settings, interrupted.at);
}
