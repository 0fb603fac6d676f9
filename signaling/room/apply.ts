/**
 * apply(state, event) → state: the pure fold of the log, the same on server and clients.
 * It trusts its input (events were checked by `decide` before they were recorded) and never
 * mutates the state it is given.
 */
import type { RoomEvent, RoomEventData } from './events.js';
import { foldMinutes } from './minutes.js';
import { foldStage } from './stage.js';
import { assertNever } from './util.js';
import type { Participant, Poll, RoomState, Speech } from './state.js';
import { FORMER_CHAIR_ROLE } from './roles.js';
import { holderVenue } from './selectors.js';

/** Folds one event into the state. */
export function apply(state: RoomState, event: RoomEvent): RoomState {
  const next = applyData(state, event, event.at);
  return { ...next, seq: event.seq, hash: event.hash };
}

/** Folds a list of events. */
export function applyAll(state: RoomState, events: readonly RoomEvent[]): RoomState {
  return events.reduce(apply, state);
}

function applyData(s: RoomState, e: RoomEvent, at: number): RoomState {
  switch (e.type) {
    case 'room.created':
      return { ...s, info: e.data.info, settings: e.data.settings, createdAt: at };
    case 'room.settingsChanged':
      return { ...s, settings: { ...s.settings, ...e.data.settings } };
    case 'room.ended': {
      const participants = mapParticipants(s, (p) => closePresence(p, at));
      // The stage comes down with the meeting; the counts the store held then go on the record.
      const comments = { ...s.comments, countsAtEnd: e.data.comments ?? null };
      return { ...endFloor(s, 'revoked', at), participants, ended: true, queue: { ...s.queue, entries: [] }, stage: null, comments };
    }

    case 'room.chairHandedOver': {
      const { from, to } = e.data;
      // The new chair's hand comes down and a speech of theirs ends: the chair does not queue.
      const cleared = dropFromMeeting(s, to, at);
      const participants = mapOne(mapOne(cleared.participants, to, (p) => ({ ...p, role: 'host' as const })), from, (p) => ({
        ...p,
        role: FORMER_CHAIR_ROLE,
      }));
      return { ...cleared, participants };
    }

    case 'participant.arrived': {
      const { participantId, inviteId, name, role, venue, sector, admitted } = e.data;
      // Someone who left and comes back keeps their attendance and speech count.
      const before = s.participants[participantId];
      const p: Participant = {
        id: participantId,
        inviteId,
        name,
        role,
        venue,
        sector,
        status: admitted ? 'admitted' : 'lobby',
        online: true,
        presences: [...(before?.presences ?? []), ...(admitted ? [{ joinedAt: at, leftAt: null }] : [])],
        forceMuted: false,
        speeches: before?.speeches ?? 0,
      };
      return { ...s, participants: { ...s.participants, [participantId]: p } };
    }
    case 'participant.arrivedForReview': {
      const { participantId, inviteId, name, role, venue, sector } = e.data;
      const before = s.participants[participantId];
      // 'left' with no new stay: a reviewer may answer for the minutes (decide allows those who
      // have left once the meeting is over) but never counts as present; `online` is about
      // presence in the meeting, which a review visit is not.
      const p: Participant = {
        id: participantId,
        inviteId,
        name,
        role,
        venue,
        sector,
        status: 'left',
        online: false,
        presences: before?.presences ?? [],
        forceMuted: false,
        speeches: before?.speeches ?? 0,
      };
      return { ...s, participants: { ...s.participants, [participantId]: p } };
    }
    case 'participant.reconnected':
      return updateParticipant(s, e.data.participantId, (p) => ({
        ...p,
        online: true,
        presences: p.status === 'admitted' ? [...p.presences, { joinedAt: at, leftAt: null }] : p.presences,
      }));
    case 'participant.disconnected':
      return updateParticipant(s, e.data.participantId, (p) => ({ ...closePresence(p, at), online: false }));
    case 'participant.left':
    case 'participant.removed': {
      const id = e.data.participantId;
      const status = e.type === 'participant.left' ? 'left' : 'removed';
      const without = dropFromMeeting(s, id, at);
      return updateParticipant(without, id, (p) => ({ ...closePresence(p, at), online: false, status }));
    }
    case 'participant.admitted': {
      let next = s;
      for (const id of e.data.participantIds) {
        next = updateParticipant(next, id, (p) => ({
          ...p,
          status: 'admitted',
          presences: p.online ? [...p.presences, { joinedAt: at, leftAt: null }] : p.presences,
        }));
      }
      return next;
    }
    case 'participant.denied':
      return updateParticipant(s, e.data.participantId, (p) => ({ ...p, status: 'denied', online: false }));

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

    case 'poll.created': {
      const d = e.data;
      const poll: Poll = {
        id: d.pollId,
        question: d.question,
        kind: d.kind,
        options: d.options,
        minChoices: d.minChoices,
        maxChoices: d.maxChoices,
        secret: d.secret,
        allowChange: d.allowChange,
        quorumPercent: d.quorumPercent,
        threshold: d.threshold,
        basis: d.basis ?? 'cast',
        durationMs: d.durationMs,
        status: 'draft',
        createdAt: at,
        openedAt: null,
        closesAt: null,
        closedAt: null,
        eligible: [],
        voted: [],
        choices: {},
        reasons: {},
        result: null,
      };
      return { ...s, polls: { ...s.polls, [d.pollId]: poll }, pollOrder: [...s.pollOrder, d.pollId] };
    }
    case 'poll.opened':
      return updatePoll(s, e.data.pollId, (p) => ({
        ...p,
        status: 'open',
        openedAt: at,
        closesAt: e.data.closesAt,
        eligible: e.data.eligible,
      }));
    case 'poll.voted':
      return updatePoll(s, e.data.pollId, (p) => votedPoll(p, e.data));
    case 'poll.closed':
      return updatePoll(s, e.data.pollId, (p) => ({ ...p, status: 'closed', closedAt: at, result: e.data.result ?? null }));
    case 'poll.published':
      return updatePoll(s, e.data.pollId, (p) => ({ ...p, status: 'published', result: e.data.result }));

    case 'rollCall.started':
      return { ...s, rollCall: { startedAt: at, endedAt: null, expected: e.data.expected, confirmed: {} } };
    case 'rollCall.confirmed':
      if (!s.rollCall) return s;
      {
        // A seat that arrived while the roll call ran answers it too (attendance.ts).
        const id = e.data.participantId;
        const expected = s.rollCall.expected.includes(id) ? s.rollCall.expected : [...s.rollCall.expected, id];
        return { ...s, rollCall: { ...s.rollCall, expected, confirmed: { ...s.rollCall.confirmed, [id]: at } } };
      }
    case 'rollCall.ended':
      return s.rollCall ? { ...s, rollCall: { ...s.rollCall, endedAt: at } } : s;

    case 'media.forceMuted':
      return updateParticipant(s, e.data.participantId, (p) => ({ ...p, forceMuted: true }));
    case 'media.allMuted':
      return { ...s, allMuted: true };
    case 'media.unmuteAllowed': {
      const ids = new Set(e.data.participantIds);
      const everybody = ids.size === 0;
      return {
        ...s,
        allMuted: everybody ? false : s.allMuted,
        participants: mapParticipants(s, (p) => (everybody || ids.has(p.id) ? { ...p, forceMuted: false } : p)),
      };
    }
    case 'minutes.edited':
    case 'minutes.actionAdded':
    case 'minutes.actionRemoved':
    case 'minutes.statementSubmitted':
    case 'minutes.confirmationRequested':
    case 'minutes.confirmed':
    case 'minutes.correctionProposed':
    case 'minutes.correctionAccepted':
    case 'minutes.correctionRejected':
    case 'minutes.locked':
    case 'minutes.unlocked':
    case 'minutes.published':
      return { ...s, minutes: foldMinutes(s.minutes, e, at) };
    case 'comment.staged':
    case 'comment.unstaged':
    case 'comment.withdrawn':
      return foldStage(s, e);
    default:
      return assertNever(e);
  }
}

function votedPoll(p: Poll, d: RoomEventData['poll.voted']): Poll {
  const voted = p.voted.includes(d.voterId) ? p.voted : [...p.voted, d.voterId];
  const choices = d.choices ? { ...p.choices, [d.voterId]: d.choices } : p.choices;
  const { [d.voterId]: _previous, ...otherReasons } = p.reasons;
  const reasons = d.reason === undefined ? otherReasons : { ...otherReasons, [d.voterId]: d.reason };
  return { ...p, voted, choices, reasons };
}

/** Inserts a hand: points of order first, then first-time speakers, then the rest. */
function insertHand(s: RoomState, d: RoomEventData['queue.handRaised'], at: number) {
  const entry = { participantId: d.participantId, type: d.type, note: d.note, raisedAt: at };
  const entries = s.queue.entries.filter((q) => q.participantId !== d.participantId);
  const rank = (q: { participantId: string; type: string }): number => {
    if (q.type === 'order') return 0;
    return (s.participants[q.participantId]?.speeches ?? 0) === 0 ? 1 : 2;
  };
  const mine = rank(entry);
  const at_ = entries.findIndex((q) => rank(q) > mine);
  if (at_ === -1) return [...entries, entry];
  return [...entries.slice(0, at_), entry, ...entries.slice(at_)];
}

function endFloor(s: RoomState, end: Speech['end'], at: number): RoomState {
  const floor = s.floor;
  if (!floor) return s;
  const until = floor.pausedAt ?? at;
  const speech: Speech = {
    holder: floor.holder,
    venue: holderVenue(s, floor.holder),
    type: floor.type,
    note: floor.note,
    startedAt: floor.grantedAt,
    endedAt: at,
    spokenMs: Math.max(0, until - floor.grantedAt - floor.pausedMs),
    end,
  };
  return { ...s, floor: null, speeches: [...s.speeches, speech] };
}

/** Someone who leaves loses their hand and, if they speak, the floor. */
function dropFromMeeting(s: RoomState, id: string, at: number): RoomState {
  const queue = { ...s.queue, entries: s.queue.entries.filter((q) => q.participantId !== id) };
  const speaking = s.floor?.holder.kind === 'participant' && s.floor.holder.participantId === id;
  const next = { ...s, queue };
  return speaking ? endFloor(next, 'revoked', at) : next;
}

function closePresence(p: Participant, at: number): Participant {
  const last = p.presences[p.presences.length - 1];
  if (!last || last.leftAt !== null) return p;
  return { ...p, presences: [...p.presences.slice(0, -1), { ...last, leftAt: at }] };
}

function updateParticipant(s: RoomState, id: string, f: (p: Participant) => Participant): RoomState {
  return { ...s, participants: mapOne(s.participants, id, f) };
}

function mapOne<T>(record: Record<string, T>, id: string, f: (value: T) => T): Record<string, T> {
  const value = record[id];
  return value === undefined ? record : { ...record, [id]: f(value) };
}

function mapParticipants(s: RoomState, f: (p: Participant) => Participant): Record<string, Participant> {
  const out: Record<string, Participant> = {};
  for (const [id, p] of Object.entries(s.participants)) out[id] = f(p);
  return out;
}

function updatePoll(s: RoomState, id: string, f: (p: Poll) => Poll): RoomState {
  return { ...s, polls: mapOne(s.polls, id, f) };
}
