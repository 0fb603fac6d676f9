/**
 * The tamper-evident chain of a room log (DESIGN.md, "The room is an event log").
 */
import { createHash } from 'node:crypto';
import { canonicalEvent, type RoomEvent } from '../../signaling/room/events.js';

/** SHA-256 (hex) of the previous event's hash ('' before the first event) followed by the canonical event. */
export function hashEvent(prevHash: string, event: Omit<RoomEvent, 'hash'>): string {
  return createHash('sha256').update(prevHash).update(canonicalEvent(event)).digest('hex');
}
