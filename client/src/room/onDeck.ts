/**
 * 请准备发言: the next speaker is on deck when the current speech reaches its warning (time
 * left ≤ RoomSettings.warningSeconds). Derived from what every client already has (the floor,
 * the list's order, the settings and the server-corrected clock), so no event is sent and the
 * log stays the record of what the meeting did, not of who was told what. Pure, so a fake
 * clock can drive it.
 */
import { floorClock } from '../../../signaling/room/floorClock.js';
import { holdsFloor } from '../../../signaling/room/selectors.js';
import type { RoomState } from '../../../signaling/room/state.js';

/** Am I first in the list of speakers, as the room orders it, and not on the floor already? */
export function nextInLine(room: RoomState, me: string): boolean {
  return !room.ended && room.queue.entries[0]?.participantId === me && !holdsFloor(room, me);
}

/**
 * The speech during which I am on deck, by its `grantedAt` (one alert per speech), or null:
 * I am next in line and the current speech has at most its warning time left (a paused clock
 * stays where it stopped; a speech in grace or over keeps me on deck).
 */
export function onDeckDuring(room: RoomState, me: string, now: number): number | null {
  const floor = room.floor;
  // A point of order that interrupted a speech hands the floor back to that speech, not to the list.
  if (floor === null || floor.interrupted !== undefined || !nextInLine(room, me)) return null;
  const { remainingMs } = floorClock(floor, room.settings, now);
  return remainingMs <= room.settings.warningSeconds * 1000 ? floor.grantedAt : null;
}
