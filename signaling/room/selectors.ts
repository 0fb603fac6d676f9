/**
 * Read-only questions about a room state, shared by `decide`, the server's media policy and
 * the client's panels.
 */
import { attendance } from './attendance.js';
import { floorClock } from './floorClock.js';
import { isSpeaker, isStaff, isVoter } from './roles.js';
import type { FloorHolder, Participant, Poll, Role, RoomState } from './state.js';


/** The venue a floor holder speaks for. */
export function holderVenue(s: RoomState, holder: FloorHolder): string {
  return holder.kind === 'venue' ? holder.venue : (s.participants[holder.participantId]?.venue ?? '');
}

/** Is this participant on the floor (personally or through their venue)? */
export function holdsFloor(s: RoomState, participantId: string): boolean {
  const floor = s.floor;
  if (!floor) return false;
  if (floor.holder.kind === 'participant') return floor.holder.participantId === participantId;
  const p = s.participants[participantId];
  return p !== undefined && p.status === 'admitted' && p.venue === floor.holder.venue && isSpeaker(p.role);
}

/**
 * May the server forward this participant's microphone? The server pauses audio producers
 * of everybody for whom this is false, so a modified client cannot keep talking.
 * In order: the host is always heard; a mute by the host holds, on the floor or not; a running
 * speech is heard (a paused one is not: its clock and its speaker wait); "mute all" silences
 * the rest but the secretaries; under floor-only speaking, nobody else.
 */
export function mayBeHeard(s: RoomState, participantId: string): boolean {
  const p = s.participants[participantId];
  if (!p || p.status !== 'admitted' || s.ended) return false;
  if (p.role === 'public') return false;
  if (p.role === 'host') return true;
  if (p.forceMuted) return false;
  if (holdsFloor(s, participantId)) return s.floor?.pausedAt === null;
  if (isStaff(p.role)) return true;
  if (s.allMuted) return false;
  return !s.settings.floorOnly;
}

/** Does someone arriving with this role go straight in (no lobby)? Staff, the public, and everybody in an open room. */
export function admittedOnArrival(s: RoomState, role: Role): boolean {
  return isStaff(role) || role === 'public' || s.settings.open;
}

/** May this participant publish video? (Everybody admitted but the public.) */
export function mayPublishVideo(s: RoomState, participantId: string): boolean {
  const p = s.participants[participantId];
  return p !== undefined && p.status === 'admitted' && p.role !== 'public' && !s.ended;
}

/** Admitted participants who vote (members and venue terminals). */
export function eligibleVoters(s: RoomState): string[] {
  return Object.values(s.participants)
    .filter((p) => p.status === 'admitted' && isVoter(p.role))
    .map((p) => p.id);
}

/** The earliest time something happens by itself (floor end, poll auto-close), or null. */
export function nextDeadline(s: RoomState, now: number): number | null {
  let next: number | null = null;
  const consider = (t: number | null): void => {
    if (t !== null && (next === null || t < next)) next = t;
  };
  if (s.floor) consider(floorClock(s.floor, s.settings, now).endsAt);
  for (const id of s.pollOrder) {
    const poll = s.polls[id];
    if (poll?.status === 'open') consider(poll.closesAt);
  }
  return next;
}

/** Open polls, in creation order. */
export function pollsInOrder(s: RoomState): Poll[] {
  return s.pollOrder.flatMap((id) => {
    const poll = s.polls[id];
    return poll ? [poll] : [];
  });
}

/** Present and expected members for one venue or the whole meeting. */
export type QuorumGauge = { venue: string; present: number; expected: number; quorumMet: boolean | null };

/** The quorum gauge: overall (venue `*`) and per venue, by the one rule of attendance.ts. */
export function quorumGauges(s: RoomState): QuorumGauge[] {
  return attendance(s).map(({ venue, present, expected, quorumMet }) => ({ venue, present, expected, quorumMet }));
}

/** Lobby participants waiting for the host, in arrival order. */
export function lobby(s: RoomState): Participant[] {
  return Object.values(s.participants).filter((p) => p.status === 'lobby' && p.online);
}

/**
 * Speeches that count against a venue's quota (RoomSettings.speechesPerVenue), the one on the
 * floor included: every speech given for the venue, by one of its people or by the whole venue
 * (holder kind 'venue'). Points of order do not count: they are about how the meeting is run,
 * not a turn on the topic, and a quota must never keep a venue from raising one.
 */
export function venueSpeeches(s: RoomState, venue: string): number {
  const given = s.speeches.filter((sp) => sp.venue === venue && sp.type !== 'order').length;
  const floor = s.floor;
  // A speech waiting for a point of order (interruption.ts) is still the venue's turn.
  const waiting = floor?.interrupted?.floor;
  const counts = (f: typeof floor | undefined): number => (f && f.type !== 'order' && holderVenue(s, f.holder) === venue ? 1 : 0);
  return given + counts(floor) + counts(waiting);
}

/** Where a venue stands with its quota when it has used it up; null without a quota or with speeches left. */
export function quotaUsedUp(s: RoomState, venue: string): { used: number; limit: number } | null {
  const limit = s.settings.speechesPerVenue;
  if (limit === null) return null;
  const used = venueSpeeches(s, venue);
  return used >= limit ? { used, limit } : null;
}
