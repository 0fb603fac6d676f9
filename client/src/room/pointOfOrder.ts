/**
 * The point of order the chair may interrupt the current speech for (signaling/room/interruption.ts):
 * the first waiting in the list, while someone speaks who is not a point of order already.
 * Pure, so the stage's alert, the notice's button and their tests agree.
 */
import type { QueueEntry, RoomState } from '../../../signaling/room/state.js';

/** The queued point of order an interruption would give the floor to, or null. */
export function pointOfOrderToTake(room: RoomState): QueueEntry | null {
  const floor = room.floor;
  if (floor === null || floor.type === 'order') return null;
  return room.queue.entries.find((q) => q.type === 'order') ?? null;
}
