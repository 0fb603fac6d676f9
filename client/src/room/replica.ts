/**
 * The client's copy of the room: the same `apply` fold the server runs, fed by the join
 * answer, `room:sync` answers and `room:events` batches. Pure, so gap handling is testable
 * without a socket.
 */
import type { RoomSync } from '../../../signaling/protocol.js';
import { applyAll } from '../../../signaling/room/apply.js';
import type { RoomEvent } from '../../../signaling/room/events.js';
import { emptyRoom, type RoomState } from '../../../signaling/room/state.js';

/**
 * The folded state, and events that arrived after a gap (held until the gap is filled).
 * `partial`: the lobby's view of the room (topic and my own entry), which events cannot
 * continue; any event means "ask for the room again".
 */
export type Replica = { state: RoomState; ahead: RoomEvent[]; partial?: true };

/** The replica after folding, and whether a gap remains (then ask `room:sync`). */
export type Folded = { replica: Replica; gap: boolean };

/**
 * Folds events in seq order: those already folded are skipped (a resend or an overlap with a
 * sync answer), those after a missing seq are held back until it arrives.
 */
export function foldEvents(replica: Replica, events: readonly RoomEvent[]): Folded {
  // NOTE: kept, not folded: the snapshot the client asks for may be older than some of them.
  if (replica.partial) return { replica: { ...replica, ahead: [...replica.ahead, ...events] }, gap: events.length > 0 };
  const waiting = new Map<number, RoomEvent>();
  for (const e of [...replica.ahead, ...events]) if (e.seq > replica.state.seq) waiting.set(e.seq, e);
  const run: RoomEvent[] = [];
  for (let next = waiting.get(replica.state.seq + 1); next !== undefined; next = waiting.get(next.seq + 1)) {
    waiting.delete(next.seq);
    run.push(next);
  }
  // NOTE: the run in one fold, not event by event: a batch of votes then copies a poll's record
  // of ballots once, not once per vote (a chair, who sees every choice, receives a storm's
  // thousand votes in a few batches; bench/replica-fold.ts).
  const state = applyAll(replica.state, run);
  const ahead = [...waiting.values()].sort((a, b) => a.seq - b.seq);
  return { replica: { state, ahead }, gap: ahead.length > 0 };
}

/**
 * Folds a join or sync answer. A snapshot replaces the state (the server's word wins) and
 * held-back events continue it; events continue the kept state, or a fresh room if none is
 * kept (a log from seq 1 rebuilds it, anything later is a gap).
 */
export function foldSync(replica: Replica | null, sync: RoomSync, roomId: string): Folded {
  if (sync.kind === 'lobby') return { replica: { state: sync.state, ahead: [], partial: true }, gap: false };
  if (sync.kind === 'snapshot') return foldEvents({ state: sync.state, ahead: [] }, replica?.ahead ?? []);
  if (replica?.partial) return foldEvents({ state: emptyRoom(roomId), ahead: [] }, sync.events);
  return foldEvents(replica ?? { state: emptyRoom(roomId), ahead: [] }, sync.events);
}

/** The seq to send as `lastSeq`: the last event folded in, or none for an empty or lobby replica. */
export function lastSeqOf(replica: Replica | null): number | undefined {
  return replica === null || replica.partial || replica.state.seq === 0 ? undefined : replica.state.seq;
}
