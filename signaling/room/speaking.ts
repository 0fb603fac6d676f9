/**
 * Speaking rules: the list of speakers and the floor (in the spirit of OpenSlides' list of
 * speakers), with speaking time kept by server timestamps.
 */
import type { Cmd } from './commands.js';
import type { NewRoomEvent } from './events.js';
import { floorClock } from './floorClock.js';
import { accept, refuse, type DecideResult } from './result.js';
import { isSpeaker } from './roles.js';
import { holdsFloor, venueSpeeches } from './selectors.js';
import type { FloorHolder, RoomState, SpeechType } from './state.js';


/** Raises the actor's hand. A point of order may be raised even on a closed list. */
export function raiseHand(s: RoomState, c: Cmd<'queue:raise'>, actorId: string): DecideResult {
  const me = s.participants[actorId];
  if (!me) return refuse('NOT_FOUND', 'unknown participant');
  const order = c.speechType === 'order';
  if (!s.queue.open && !order) return refuse('QUEUE_CLOSED', 'the list of speakers is closed');
  if (s.queue.entries.some((q) => q.participantId === actorId)) return refuse('INVALID_STATE', 'hand is already raised');
  if (holdsFloor(s, actorId)) return refuse('INVALID_STATE', 'you have the floor');
  const limit = s.settings.speechesPerVenue;
  if (limit !== null && !order && venueSpeeches(s, me.venue) >= limit) {
    return refuse('SPEECH_LIMIT', `venue ${me.venue} has had its ${limit} speeches`);
  }
  return accept({ type: 'queue.handRaised', data: { participantId: actorId, type: c.speechType, note: c.note } });
}

/** Lowers the actor's own hand. */
export function withdrawHand(s: RoomState, actorId: string): DecideResult {
  if (!s.queue.entries.some((q) => q.participantId === actorId)) return refuse('INVALID_STATE', 'hand is not raised');
  return accept({ type: 'queue.handLowered', data: { participantIds: [actorId] } });
}

/** Host takes someone off the list. */
export function removeHand(s: RoomState, participantId: string): DecideResult {
  if (!s.queue.entries.some((q) => q.participantId === participantId)) return refuse('NOT_FOUND', 'not on the list');
  return accept({ type: 'queue.handLowered', data: { participantIds: [participantId] } });
}

/** Host moves someone to a new place. */
export function moveHand(s: RoomState, c: Cmd<'queue:move'>): DecideResult {
  const order = s.queue.entries.map((q) => q.participantId);
  const from = order.indexOf(c.participantId);
  if (from === -1) return refuse('NOT_FOUND', 'not on the list');
  order.splice(from, 1);
  order.splice(Math.min(c.toIndex, order.length), 0, c.participantId);
  return accept({ type: 'queue.reordered', data: { order } });
}

/** Host lowers every hand. */
export function lowerAllHands(s: RoomState): DecideResult {
  const ids = s.queue.entries.map((q) => q.participantId);
  if (ids.length === 0) return accept();
  return accept({ type: 'queue.handLowered', data: { participantIds: ids } });
}

/** Host gives the floor. A current speech ends first (revoked). */
export function grantFloor(s: RoomState, c: Cmd<'floor:grant'>): DecideResult {
  const limitMs = (c.seconds ?? s.settings.defaultSpeechSeconds) * 1000;
  let holder: FloorHolder;
  let type: SpeechType = 'statement';
  let note = '';
  const target = c.target;
  if (target.kind === 'next' || target.kind === 'participant') {
    const entry =
      target.kind === 'next' ? s.queue.entries[0] : s.queue.entries.find((q) => q.participantId === target.participantId);
    if (target.kind === 'next' && !entry) return refuse('INVALID_STATE', 'nobody is waiting to speak');
    const id = entry?.participantId ?? (target.kind === 'participant' ? target.participantId : '');
    const p = s.participants[id];
    if (!p || p.status !== 'admitted') return refuse('NOT_FOUND', 'no such participant in the meeting');
    if (!isSpeaker(p.role)) return refuse('INVALID_STATE', `a ${p.role} does not take the floor`);
    holder = { kind: 'participant', participantId: id };
    if (entry) {
      type = entry.type;
      note = entry.note;
    }
  } else {
    const venue = target.venue;
    if (!s.info.venues.some((v) => v.id === venue)) return refuse('NOT_FOUND', `no venue ${venue}`);
    holder = { kind: 'venue', venue };
  }
  const events: NewRoomEvent[] = [];
  if (s.floor) events.push({ type: 'floor.ended', data: { end: 'revoked' } });
  events.push({ type: 'floor.granted', data: { holder, type, note, limitMs } });
  return accept(...events);
}

/** Host-only clock controls and ending the floor. */
export function controlFloor(
  s: RoomState,
  c: Cmd<'floor:extend' | 'floor:pause' | 'floor:resume' | 'floor:revoke'>,
): DecideResult {
  const floor = s.floor;
  if (!floor) return refuse('INVALID_STATE', 'nobody has the floor');
  switch (c.type) {
    case 'floor:extend':
      return accept({ type: 'floor.extended', data: { byMs: c.seconds * 1000 } });
    case 'floor:pause':
      if (floor.pausedAt !== null) return refuse('INVALID_STATE', 'the clock is already stopped');
      return accept({ type: 'floor.paused', data: {} });
    case 'floor:resume':
      if (floor.pausedAt === null) return refuse('INVALID_STATE', 'the clock is running');
      return accept({ type: 'floor.resumed', data: {} });
    case 'floor:revoke':
      return accept({ type: 'floor.ended', data: { end: 'revoked' } });
  }
}

/** The speaker ends their own speech. */
export function yieldFloor(s: RoomState, actorId: string): DecideResult {
  if (!holdsFloor(s, actorId)) return refuse('FORBIDDEN', 'you do not have the floor');
  return accept({ type: 'floor.ended', data: { end: 'yielded' } });
}

/** Ends the floor if its time and grace have run out. */
export function expireFloor(s: RoomState, now: number): NewRoomEvent[] {
  if (!s.floor) return [];
  return floorClock(s.floor, s.settings, now).phase === 'over' ? [{ type: 'floor.ended', data: { end: 'expired' } }] : [];
}
