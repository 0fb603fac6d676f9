/**
 * Speaking rules: the list of speakers and the floor (in the spirit of OpenSlides' list of
 * speakers), with speaking time kept by server timestamps. `decideSpeaking` checks the queue:
 * and floor: commands, `foldSpeaking` folds the queue. and floor. events; the order of the
 * list (points of order, then first-time speakers, then the rest) and a speech's length are
 * decided here and nowhere else.
 */
import type { Cmd } from './commands.js';
import type { NewRoomEvent, RoomEventData } from './events.js';
import { floorClock } from './floorClock.js';
import { dropInterrupted, foldInterrupted, grantBlocked, interruptFloor, resumed, revokeInterrupted, waitsForFloor } from './interruption.js';
import { accept, refuse, type DecideResult } from './result.js';
import { speechOf } from './speechRecord.js';
import { isSpeaker } from './roles.js';
import { holderVenue, holdsFloor, quotaUsedUp, venueSpeeches } from './selectors.js';
import type { FloorHolder, QueueEntry, RoomState, Speech, SpeechType } from './state.js';
import { assertNever, mapOne } from './util.js';
import { commandsOf, eventsOf, type CommandsOf, type EventsOf } from './parts.js';

/** The commands of this part: the list of speakers and the floor. */
export type SpeakingCommand = CommandsOf<'queue:' | 'floor:'>;
export const isSpeakingCommand = commandsOf('queue:', 'floor:');

/** The events of this part. */
export type SpeakingEvent = EventsOf<'queue.' | 'floor.'>;
export const isSpeakingEvent = eventsOf('queue.', 'floor.');

/** Checks a speaking command (its issuer's role was checked already) and returns its events. */
export function decideSpeaking(s: RoomState, c: SpeakingCommand, actorId: string): DecideResult {
  switch (c.type) {
    case 'queue:raise':
      return raiseHand(s, c, actorId);
    case 'queue:withdraw':
      return withdrawHand(s, actorId);
    case 'queue:remove':
      return removeHand(s, c.participantId);
    case 'queue:move':
      return moveHand(s, c);
    case 'queue:setOpen':
      if (s.queue.open === c.open) return refuse('INVALID_STATE', `the list is already ${c.open ? 'open' : 'closed'}`);
      return accept({ type: 'queue.openChanged', data: { open: c.open } });
    case 'queue:lowerAll':
      return lowerAllHands(s);
    case 'floor:grant':
      return grantBlocked(s) ?? grantFloor(s, c);
    case 'floor:interrupt':
      return interruptFloor(s, c);
    case 'floor:revoke':
      if (c.interrupted === true) return revokeInterrupted(s);
      return controlFloor(s, c);
    case 'floor:extend':
    case 'floor:pause':
    case 'floor:resume':
      return controlFloor(s, c);
    case 'floor:yield':
      return yieldFloor(s, actorId);
    default:
      return assertNever(c);
  }
}

/** Folds a speaking event. */
export function foldSpeaking(s: RoomState, e: SpeakingEvent, at: number): RoomState {
  switch (e.type) {
    case 'queue.handRaised':
      return { ...s, queue: { ...s.queue, entries: insertHand(s, e.data, at) } };
    case 'queue.handLowered': {
      const gone = new Set(e.data.participantIds);
      return { ...s, queue: { ...s.queue, entries: s.queue.entries.filter((q) => !gone.has(q.participantId)) } };
    }
    case 'queue.reordered': {
      const byId = new Map(s.queue.entries.map((q) => [q.participantId, q]));
      const entries = e.data.order.flatMap((id) => {
        const entry = byId.get(id);
        return entry ? [entry] : [];
      });
      return { ...s, queue: { ...s.queue, entries } };
    }
    case 'queue.openChanged':
      return { ...s, queue: { ...s.queue, open: e.data.open } };
    case 'floor.granted': {
      const { holder, type, note, limitMs } = e.data;
      const queued = holder.kind === 'participant' ? holder.participantId : null;
      const entries = s.queue.entries.filter((q) => q.participantId !== queued);
      const participants =
        holder.kind === 'participant'
          ? mapOne(s.participants, holder.participantId, (p) => ({ ...p, speeches: p.speeches + 1 }))
          : s.participants;
      return {
        ...s,
        participants,
        queue: { ...s.queue, entries },
        floor: { holder, type, note, grantedAt: at, limitMs, pausedAt: null, pausedMs: 0 },
      };
    }
    case 'floor.extended':
      return s.floor ? { ...s, floor: { ...s.floor, limitMs: s.floor.limitMs + e.data.byMs } } : s;
    case 'floor.paused':
      return s.floor ? { ...s, floor: { ...s.floor, pausedAt: at } } : s;
    case 'floor.resumed':
      return s.floor && s.floor.pausedAt !== null
        ? { ...s, floor: { ...s.floor, pausedMs: s.floor.pausedMs + (at - s.floor.pausedAt), pausedAt: null } }
        : s;
    case 'floor.ended':
      return endFloor(s, e.data.end, at);
    case 'floor.interrupted':
      return foldInterrupted(s, e.data, at);
    case 'floor.interruptedRevoked':
      return dropInterrupted(s, at);
    default:
      return assertNever(e);
  }
}

/** The list's order: points of order first, then first-time speakers, then the rest, each in the order raised. */
function insertHand(s: RoomState, d: RoomEventData['queue.handRaised'], at: number): QueueEntry[] {
  const entry = { participantId: d.participantId, type: d.type, note: d.note, raisedAt: at };
  const entries = s.queue.entries.filter((q) => q.participantId !== d.participantId);
  const rank = (q: { participantId: string; type: string }): number => {
    if (q.type === 'order') return 0;
    return (s.participants[q.participantId]?.speeches ?? 0) === 0 ? 1 : 2;
  };
  const mine = rank(entry);
  const before = entries.findIndex((q) => rank(q) > mine);
  if (before === -1) return [...entries, entry];
  return [...entries.slice(0, before), entry, ...entries.slice(before)];
}

/**
 * The floor ends (`end` says how) and its speech goes on the record, as long as the clock ran.
 * A speech that a point of order interrupted takes the floor back (interruption.ts).
 */
export function endFloor(s: RoomState, end: Speech['end'], at: number): RoomState {
  const floor = s.floor;
  if (!floor) return s;
  const back = floor.interrupted ? resumed(floor.interrupted, at) : null;
  return { ...s, floor: back, speeches: [...s.speeches, speechOf(s, floor, end, at)] };
}

/** Every speech ends (the meeting ends): the floor's, and one waiting for a point of order. */
export function endEverySpeech(s: RoomState, at: number): RoomState {
  return endFloor(dropInterrupted(s, at), 'revoked', at);
}

/** Someone who leaves the meeting (or takes the chair) loses their hand and, if they speak, the floor. */
export function withoutSpeaker(s: RoomState, id: string, at: number): RoomState {
  const queue = { ...s.queue, entries: s.queue.entries.filter((q) => q.participantId !== id) };
  const speaking = s.floor?.holder.kind === 'participant' && s.floor.holder.participantId === id;
  // A speaker whose speech waits for a point of order ends it there: it will not come back.
  const next = waitsForFloor(s, id) ? dropInterrupted({ ...s, queue }, at) : { ...s, queue };
  return speaking ? endFloor(next, 'revoked', at) : next;
}


/** Raises the actor's hand. A point of order may be raised even on a closed list. */
function raiseHand(s: RoomState, c: Cmd<'queue:raise'>, actorId: string): DecideResult {
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
function withdrawHand(s: RoomState, actorId: string): DecideResult {
  if (!s.queue.entries.some((q) => q.participantId === actorId)) return refuse('INVALID_STATE', 'hand is not raised');
  return accept({ type: 'queue.handLowered', data: { participantIds: [actorId] } });
}

/** Host takes someone off the list. */
function removeHand(s: RoomState, participantId: string): DecideResult {
  if (!s.queue.entries.some((q) => q.participantId === participantId)) return refuse('NOT_FOUND', 'not on the list');
  return accept({ type: 'queue.handLowered', data: { participantIds: [participantId] } });
}

/** Host moves someone to a new place. */
function moveHand(s: RoomState, c: Cmd<'queue:move'>): DecideResult {
  const order = s.queue.entries.map((q) => q.participantId);
  const from = order.indexOf(c.participantId);
  if (from === -1) return refuse('NOT_FOUND', 'not on the list');
  order.splice(from, 1);
  order.splice(Math.min(c.toIndex, order.length), 0, c.participantId);
  return accept({ type: 'queue.reordered', data: { order } });
}

/** Host lowers every hand. */
function lowerAllHands(s: RoomState): DecideResult {
  const ids = s.queue.entries.map((q) => q.participantId);
  if (ids.length === 0) return accept();
  return accept({ type: 'queue.handLowered', data: { participantIds: ids } });
}

/** Host gives the floor. A current speech ends first (revoked). */
function grantFloor(s: RoomState, c: Cmd<'floor:grant'>): DecideResult {
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
  // The venue's quota binds the chair too, unless the chair says so explicitly: the override
  // goes on the record with where the venue stood. A point of order never counts (selectors.ts).
  const venue = holderVenue(s, holder);
  const usedUp = type === 'order' ? null : quotaUsedUp(s, venue);
  if (usedUp !== null && c.overrideQuota !== true) {
    return refuse('SPEECH_LIMIT', `venue ${venue} has had its ${usedUp.limit} speeches; grant with overrideQuota to give the floor anyway`);
  }
  const granted: RoomEventData['floor.granted'] = { holder, type, note, limitMs };
  if (usedUp !== null) granted.quotaOverride = { venue, ...usedUp };
  const events: NewRoomEvent[] = [];
  if (s.floor) events.push({ type: 'floor.ended', data: { end: 'revoked' } });
  events.push({ type: 'floor.granted', data: granted });
  return accept(...events);
}

/** Host-only clock controls and ending the floor. */
function controlFloor(
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
function yieldFloor(s: RoomState, actorId: string): DecideResult {
  if (!holdsFloor(s, actorId)) return refuse('FORBIDDEN', 'you do not have the floor');
  return accept({ type: 'floor.ended', data: { end: 'yielded' } });
}

/** Ends the floor if its time and grace have run out. */
export function expireFloor(s: RoomState, now: number): NewRoomEvent[] {
  if (!s.floor) return [];
  return floorClock(s.floor, s.settings, now).phase === 'over' ? [{ type: 'floor.ended', data: { end: 'expired' } }] : [];
}
