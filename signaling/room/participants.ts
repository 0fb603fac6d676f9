/**
 * Who is in the room: arrivals (from the server, when an invite is opened), the lobby, the
 * chair removing someone, connections lost and found, departures, and the visits after the
 * meeting for the minutes (核稿). `decideParticipants` checks the lobby: and participant:
 * commands, `decidePresence` the server's arrive/reconnect/disconnect/leave, and
 * `foldParticipants` folds the participant. events.
 */
import type { SystemCommand } from './commands.js';
import { accept, refuse, type DecideResult } from './result.js';
import { isStaff } from './roles.js';
import { seatOf } from './seats.js';
import { admittedOnArrival, lobby } from './selectors.js';
import { withoutSpeaker } from './speaking.js';
import type { Participant, RoomState } from './state.js';
import { assertNever, mapOne } from './util.js';
import { commandsOf, eventsOf, type CommandsOf, type EventsOf } from './parts.js';

/** The chair's commands of this part. */
export type ParticipantsCommand = CommandsOf<'lobby:' | 'participant:'>;
export const isParticipantsCommand = commandsOf('lobby:', 'participant:');

/** The server's commands of this part: someone's connections come, go and come back. */
export type PresenceCommand = Extract<SystemCommand, { type: 'system:arrive' | 'system:reconnect' | 'system:disconnect' | 'system:leave' }>;

/** Is `c` one of the server's presence commands? */
export function isPresenceCommand(c: { type: string }): c is PresenceCommand {
  return c.type === 'system:arrive' || c.type === 'system:reconnect' || c.type === 'system:disconnect' || c.type === 'system:leave';
}

/** The events of this part. */
export type ParticipantEvent = EventsOf<'participant.'>;
export const isParticipantEvent = eventsOf('participant.');

/** Checks a lobby or participant command (its issuer's role was checked already). */
export function decideParticipants(s: RoomState, c: ParticipantsCommand, actorId: string): DecideResult {
  switch (c.type) {
    case 'lobby:admit': {
      const p = s.participants[c.participantId];
      if (!p || p.status !== 'lobby') return refuse('NOT_FOUND', 'nobody by that id in the lobby');
      return accept({ type: 'participant.admitted', data: { participantIds: [p.id] } });
    }
    case 'lobby:admitAll': {
      // The chair confirmed a list: nobody else comes in with it (see LobbyList).
      const listed = c.participantIds === undefined ? null : new Set(c.participantIds);
      const ids = lobby(s)
        .filter((p) => listed === null || listed.has(p.id))
        .map((p) => p.id);
      return ids.length === 0 ? accept() : accept({ type: 'participant.admitted', data: { participantIds: ids } });
    }
    case 'lobby:deny': {
      const p = s.participants[c.participantId];
      if (!p || p.status !== 'lobby') return refuse('NOT_FOUND', 'nobody by that id in the lobby');
      return accept({ type: 'participant.denied', data: { participantId: p.id } });
    }
    case 'participant:remove': {
      const p = s.participants[c.participantId];
      if (!p || (p.status !== 'admitted' && p.status !== 'lobby')) return refuse('NOT_FOUND', 'no such participant');
      if (p.id === actorId) return refuse('INVALID_STATE', 'the host cannot remove themself');
      return accept({ type: 'participant.removed', data: { participantId: p.id } });
    }
    default:
      return assertNever(c);
  }
}

/** Checks one of the server's presence commands. */
export function decidePresence(s: RoomState, c: PresenceCommand): DecideResult {
  switch (c.type) {
    case 'system:arrive':
      return arrive(s, c);
    case 'system:reconnect': {
      const p = s.participants[c.participantId];
      if (!p) return refuse('NOT_FOUND', 'no such participant');
      return p.online ? accept() : accept({ type: 'participant.reconnected', data: { participantId: p.id } });
    }
    case 'system:disconnect': {
      const p = s.participants[c.participantId];
      if (!p || !p.online) return accept();
      return accept({ type: 'participant.disconnected', data: { participantId: p.id } });
    }
    case 'system:leave': {
      const p = s.participants[c.participantId];
      if (!p || p.status === 'left' || p.status === 'removed' || p.status === 'denied') return accept();
      return accept({ type: 'participant.left', data: { participantId: p.id } });
    }
    default:
      return assertNever(c);
  }
}

function arrive(s: RoomState, c: Extract<PresenceCommand, { type: 'system:arrive' }>): DecideResult {
  const existing = s.participants[c.participantId];
  if (existing?.status === 'denied' || existing?.status === 'removed') return refuse('FORBIDDEN', `you were ${existing.status}`);
  // A personal invite of someone turned away stays turned away; a shared public link does not.
  const turnedAway = Object.values(s.participants).some(
    (p) => p.inviteId === c.inviteId && p.role !== 'public' && (p.status === 'denied' || p.status === 'removed'),
  );
  if (turnedAway) return refuse('FORBIDDEN', 'this invite was turned away');
  // One invite, one seat: a personal invite that already stands for someone never makes a
  // second participant (the server joins whoever opens it again as that participant).
  const seat = seatOf(s, c.inviteId, c.role);
  if (!existing && seat !== undefined) return refuse('CONFLICT', 'this invite is already in the room as another participant');
  if (s.ended) return arriveForReview(s, c);
  if (existing && existing.status !== 'left') {
    if (existing.online) return accept();
    return accept({ type: 'participant.reconnected', data: { participantId: existing.id } });
  }
  // Someone coming back keeps the role the room gave them (a chair handed over stays
  // handed over, whatever the invite says).
  const role = existing?.role ?? c.role;
  const staff = isStaff(role);
  if (s.settings.locked && !staff) return refuse('ROOM_LOCKED', 'the room is locked');
  const admitted = admittedOnArrival(s, role);
  const { type: _type, ...who } = c;
  return accept({ type: 'participant.arrived', data: { ...who, role, admitted } });
}

/**
 * An invite opened after the meeting: the room is open for the minutes only (核稿, written
 * statements, finishing and locking). Nothing here counts as attendance: someone who was in
 * the meeting comes back without an event (a reconnect would open a new stay), someone new is
 * recorded as a reviewer. No media either (the join gives none, see roomHandlers).
 */
function arriveForReview(s: RoomState, c: Extract<PresenceCommand, { type: 'system:arrive' }>): DecideResult {
  // The public has no passage to confirm, and a public link is shared by strangers.
  if (c.role === 'public') return refuse('MEETING_ENDED', 'the meeting has ended');
  const existing = s.participants[c.participantId];
  if (existing && (existing.status === 'admitted' || existing.status === 'left')) return accept();
  if (s.settings.locked && !isStaff(c.role)) return refuse('ROOM_LOCKED', 'the room is locked');
  const { type: _type, ...who } = c;
  return accept({ type: 'participant.arrivedForReview', data: who });
}

/** Folds a participant event. */
export function foldParticipants(s: RoomState, e: ParticipantEvent, at: number): RoomState {
  const update = (state: RoomState, id: string, f: (p: Participant) => Participant): RoomState => ({
    ...state,
    participants: mapOne(state.participants, id, f),
  });
  switch (e.type) {
    case 'participant.arrived': {
      const { admitted, ...who } = e.data;
      // Someone who left and comes back keeps their attendance and speech count.
      const before = s.participants[who.participantId];
      const presences = [...(before?.presences ?? []), ...(admitted ? [{ joinedAt: at, leftAt: null }] : [])];
      return withParticipant(s, who, { status: admitted ? 'admitted' : 'lobby', online: true, presences });
    }
    case 'participant.arrivedForReview': {
      // 'left' with no new stay: a reviewer may answer for the minutes (decide allows those who
      // have left once the meeting is over) but never counts as present; `online` is about
      // presence in the meeting, which a review visit is not.
      const presences = s.participants[e.data.participantId]?.presences ?? [];
      return withParticipant(s, e.data, { status: 'left', online: false, presences });
    }
    case 'participant.reconnected':
      return update(s, e.data.participantId, (p) => ({
        ...p,
        online: true,
        presences: p.status === 'admitted' ? [...p.presences, { joinedAt: at, leftAt: null }] : p.presences,
      }));
    case 'participant.disconnected':
      return update(s, e.data.participantId, (p) => ({ ...closePresence(p, at), online: false }));
    case 'participant.left':
    case 'participant.removed': {
      const id = e.data.participantId;
      const status = e.type === 'participant.left' ? 'left' : 'removed';
      return update(withoutSpeaker(s, id, at), id, (p) => ({ ...closePresence(p, at), online: false, status }));
    }
    case 'participant.admitted': {
      let next = s;
      for (const id of e.data.participantIds) {
        next = update(next, id, (p) => ({
          ...p,
          status: 'admitted',
          presences: p.online ? [...p.presences, { joinedAt: at, leftAt: null }] : p.presences,
        }));
      }
      return next;
    }
    case 'participant.denied':
      return update(s, e.data.participantId, (p) => ({ ...p, status: 'denied', online: false }));
    default:
      return assertNever(e);
  }
}

/** The room with `who` (new, or arriving again: their speech count is kept) in the given standing. */
function withParticipant(
  s: RoomState,
  who: { participantId: string; inviteId: string } & Pick<Participant, 'name' | 'role' | 'venue' | 'sector'>,
  standing: Pick<Participant, 'status' | 'online' | 'presences'>,
): RoomState {
  const before = s.participants[who.participantId];
  const p: Participant = {
    id: who.participantId,
    inviteId: who.inviteId,
    name: who.name,
    role: who.role,
    venue: who.venue,
    sector: who.sector,
    ...standing,
    forceMuted: false,
    speeches: before?.speeches ?? 0,
  };
  return { ...s, participants: { ...s.participants, [who.participantId]: p } };
}

/** Ends a participant's current stay in the meeting at `at` (none open: as it was). */
export function closePresence(p: Participant, at: number): Participant {
  const last = p.presences[p.presences.length - 1];
  if (!last || last.leftAt !== null) return p;
  return { ...p, presences: [...p.presences.slice(0, -1), { ...last, leftAt: at }] };
}
