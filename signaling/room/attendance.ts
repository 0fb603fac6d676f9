/**
 * Who the meeting expects (应到) and who it counts present (实到): one rule, read by the quorum
 * gauges, the venue headings of the people list, the roll call and the minutes, so that no two
 * of them can count differently.
 *
 * The rule, from the meeting's rules (DESIGN.md, "Roles"):
 * - A seat is held by those who vote: members (委员) and venue terminals (分会场终端, one vote
 *   for their hall). Only seats are expected, counted and called in a roll call. The chair and
 *   the secretary run the meeting, observers and departments attend without a vote (列席), the
 *   public watches: none of them is 应到 or 实到 of the members, none is called.
 * - 应到 of a venue is the number the organiser set for it, raised to the number of seats of
 *   that venue that have actually been in the meeting: whoever the chair let in as a member of
 *   the venue was evidently expected there. So 实到 can never exceed 应到 (no "1 / 0"), and an
 *   extra member makes the quorum harder to reach, never easier.
 * - 实到 (now) is a seat in the meeting with a live connection; for the record, a seat that was
 *   in the meeting at some point.
 * - A roll call calls every seat that has been in the meeting (those gone since answer nothing
 *   and are recorded as not answering); a seat that arrives while it runs may answer too.
 * - A venue terminal stands for the members in its hall: once it reports how many sit there
 *   (rollCall.ts, `rollCall:headcount`), 实到 counts them instead of the terminal as one, now and
 *   in the record (its last report). Before it reports, it counts as one, as it always did.
 */
import { isVoter } from './roles.js';
import type { Participant, RoomState } from './state.js';

/** Where one participant stands in the count. */
export type Standing = {
  /** Holds a seat of the meeting: one of its 应到. */
  seat: boolean;
  /** Counted in 实到 now: a seat in the meeting with a live connection. */
  present: boolean;
  /** Counted in the record's 实到: a seat that was in the meeting at some point. */
  attended: boolean;
  /** Called in a roll call (and may answer one). */
  called: boolean;
};

/** The one rule, for one participant. */
export function standing(p: Participant): Standing {
  const seat = isVoter(p.role);
  const attended = seat && p.presences.length > 0;
  return {
    seat,
    present: seat && p.status === 'admitted' && p.online,
    attended,
    called: attended,
  };
}

/** How many members a seat counts for in 实到: a venue terminal's last headcount, else one (none without a seat). */
export function membersCounted(p: Participant): number {
  if (!standing(p).seat) return 0;
  return p.role === 'venue' && p.headcount !== undefined ? p.headcount.count : 1;
}

/** 应到 and 实到 of one venue, or of the whole meeting (venue `*`). */
export type VenueCount = {
  venue: string;
  /** 应到. */
  expected: number;
  /** 实到 now. */
  present: number;
  /** Seats that were in the meeting at some point (the record's 实到). */
  attended: number;
  /** Null when the meeting has no quorum rule or nobody is expected. */
  quorumMet: boolean | null;
};

/**
 * The counts: the whole meeting first (venue `*`), then each venue of the room in its order,
 * then venues named only by invites (sorted), which the organiser expected nobody from.
 * `basis` says which figure the quorum is judged on: who is here now (the gauges), or who was
 * here at some point (the record, drawn when everybody may have left).
 */
export function attendance(s: RoomState, basis: 'present' | 'attended' = 'present'): VenueCount[] {
  const present = new Map<string, number>();
  const attended = new Map<string, number>();
  const add = (m: Map<string, number>, venue: string, members: number): void => void m.set(venue, (m.get(venue) ?? 0) + members);
  for (const p of Object.values(s.participants)) {
    const st = standing(p);
    if (st.present) add(present, p.venue, membersCounted(p));
    if (st.attended) add(attended, p.venue, membersCounted(p));
  }
  const q = s.settings.quorumPercent;
  const count = (venue: string, configured: number, here: number, been: number): VenueCount => {
    const expected = Math.max(configured, been);
    const judged = basis === 'present' ? here : been;
    return { venue, expected, present: here, attended: been, quorumMet: q === null || expected === 0 ? null : judged * 100 >= q * expected };
  };
  const known = new Set(s.info.venues.map((v) => v.id));
  const perVenue = s.info.venues.map((v) => count(v.id, v.expectedMembers, present.get(v.id) ?? 0, attended.get(v.id) ?? 0));
  const strays = [...attended.keys()]
    .filter((v) => !known.has(v))
    .sort()
    .map((v) => count(v, 0, present.get(v) ?? 0, attended.get(v) ?? 0));
  const venues = [...perVenue, ...strays];
  const sum = (f: (c: VenueCount) => number): number => venues.reduce((a, c) => a + f(c), 0);
  // The whole meeting's 应到 is the sum of the venues' (each already raised to who came).
  const expected = sum((c) => c.expected);
  const judged = basis === 'present' ? sum((c) => c.present) : sum((c) => c.attended);
  const total: VenueCount = {
    venue: '*',
    expected,
    present: sum((c) => c.present),
    attended: sum((c) => c.attended),
    quorumMet: q === null || expected === 0 ? null : judged * 100 >= q * expected,
  };
  return [total, ...venues];
}

/** The whole meeting's count. */
export function totalAttendance(s: RoomState, basis: 'present' | 'attended' = 'present'): VenueCount {
  // attendance() always starts with the total.
  return attendance(s, basis)[0] as VenueCount;
}

/** The count of one venue (a venue nobody came from and the room does not name: all zero). */
export function venueAttendance(s: RoomState, venue: string): VenueCount {
  return attendance(s).find((c) => c.venue === venue) ?? { venue, expected: 0, present: 0, attended: 0, quorumMet: null };
}

/** Who a roll call starting now calls, in the order they first arrived. */
export function rollCallList(s: RoomState): string[] {
  return Object.values(s.participants)
    .filter((p) => standing(p).called)
    .sort((a, b) => (a.presences[0]?.joinedAt ?? 0) - (b.presences[0]?.joinedAt ?? 0))
    .map((p) => p.id);
}

/** May this participant answer the roll call running now (called at its start, or a seat that came since)? */
export function mayAnswerRollCall(s: RoomState, participantId: string): boolean {
  const p = s.participants[participantId];
  if (!p || p.status !== 'admitted') return false;
  return s.rollCall?.expected.includes(participantId) === true || standing(p).called;
}
