/**
 * The tamper-evident chain of a room log (DESIGN.md, "The room is an event log"): each event's
 * hash covers the previous event's hash and the event's seq, time, actor, type and data.
 */
import { createHash } from 'node:crypto';
import { canonicalEvent, type RoomEvent } from '../../signaling/room/events.js';

/** SHA-256 (hex) of the previous event's hash ('' before the first event) followed by the canonical event. */
export function hashEvent(prevHash: string, event: Omit<RoomEvent, 'hash'>): string {
  return createHash('sha256').update(prevHash).update(canonicalEvent(event)).digest('hex');
}

/** Where a log stops being the log that was written: the first event that does not follow from the one before. */
export type ChainBreak = { seq: number; reason: string };

/** Checks a log from its first event: seqs 1, 2, 3 … and every hash. Null when it is whole. */
export function findChainBreak(events: readonly RoomEvent[]): ChainBreak | null {
  let prev = '';
  for (const [i, event] of events.entries()) {
    if (event.seq !== i + 1) return { seq: event.seq, reason: `seq ${event.seq} where ${i + 1} should be` };
    const { hash, ...rest } = event;
    if (hashEvent(prev, rest) !== hash) return { seq: event.seq, reason: 'its hash does not match its content and the hash before it' };
    prev = hash;
  }
  return null;
}
