/**
 * The speaking-time countdown as the stage draws it: mm:ss and a colour phase, from the
 * shared floorClock and the server-corrected clock. Pure, so a fake clock can drive it.
 */
import { floorClock, type FloorPhase } from '../../../signaling/room/floorClock.js';
import type { Floor, RoomSettings } from '../../../signaling/room/state.js';

/** What the countdown shows. */
export type Countdown = {
  /** `mm:ss` left, or `+mm:ss` over the limit. */
  text: string;
  phase: FloorPhase;
  paused: boolean;
  /** Past the limit (grace, then over). */
  overtime: boolean;
};

/** The server's clock as this browser estimates it. */
export function serverNow(localNow: number, offsetMs: number): number {
  return localNow + offsetMs;
}

/**
 * The offset to add to the local clock, from a request sent at `sentAt`, answered at
 * `receivedAt` (both local) with the server's `serverTime`: the answer was made about half
 * way through the round trip.
 */
export function clockOffset(sentAt: number, receivedAt: number, serverTime: number): number {
  return Math.round(serverTime - (sentAt + receivedAt) / 2);
}

/** `m:ss` with two-digit minutes: whole seconds, rounded so the display never runs ahead. */
export function formatMmSs(ms: number, round: 'up' | 'down'): string {
  const seconds = Math.max(0, round === 'up' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000));
  const mm = Math.floor(seconds / 60);
  const ss = seconds % 60;
  return `${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

/** The countdown of `floor` at server time `now`. */
export function countdown(
  floor: Floor,
  settings: Pick<RoomSettings, 'warningSeconds' | 'graceSeconds'>,
  now: number,
): Countdown {
  const clock = floorClock(floor, settings, now);
  // NOTE: time left rounds up (a speaker at 0.4 s still sees 00:01, and 00:00 means over);
  // overtime counts up from +00:00 like a stopwatch.
  const overtime = clock.remainingMs <= 0;
  const text = overtime ? `+${formatMmSs(-clock.remainingMs, 'down')}` : formatMmSs(clock.remainingMs, 'up');
  return { text, phase: clock.phase, paused: clock.paused, overtime };
}

/** Seconds until a poll closes by itself at server time `now`, or null without a deadline. */
export function secondsUntil(deadline: number | null, now: number): number | null {
  return deadline === null ? null : Math.max(0, Math.ceil((deadline - now) / 1000));
}
