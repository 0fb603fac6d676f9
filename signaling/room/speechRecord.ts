/**
 * A speech as the speech log records it when it ends: shared by the floor's end (speaking.ts)
 * and the end of a speech a point of order interrupted (interruption.ts).
 */
import { floorClock } from './floorClock.js';
import { holderVenue } from './selectors.js';
import type { Floor, RoomState, Speech } from './state.js';

/** The record of `floor`'s speech ending at `at` as `end` says, as long as its clock ran. */
export function speechOf(s: RoomState, floor: Floor, end: Speech['end'], at: number): Speech {
  const speech: Speech = {
    holder: floor.holder,
    venue: holderVenue(s, floor.holder),
    type: floor.type,
    note: floor.note,
    startedAt: floor.grantedAt,
    endedAt: at,
    spokenMs: floorClock(floor, s.settings, at).elapsedMs,
    end,
  };
  if (floor.interruptions !== undefined) speech.interruptions = floor.interruptions;
  return speech;
}
