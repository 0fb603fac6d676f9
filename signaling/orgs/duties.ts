/**
 * 委员履职记录: what each roster member did in an organisation's consultations, read out of the
 * rooms' logs. One room's log is folded with the room model's own `apply` (so attendance and
 * the speech log are counted by the rules that made them, not by a copy of those rules; the
 * polls' events, which change nothing else, are counted straight from the log) and summarised
 * per personal invite; the organisation's links (invite → roster member)
 * then turn that into each member's counts, which `sumDuties` adds up per member and per sector.
 *
 * What counts, per consultation:
 * - invited: the member had an invite to it (one per consultation, however many invites).
 * - attended: they were admitted at least once (on arrival or from the lobby).
 * - attendedMs: time admitted and connected, from each arrival, admission or reconnect to the
 *   disconnect, departure, removal or the meeting's end (the room's `presences`). A stay still
 *   open when the log stops counts up to the log's last event, so a summary depends only on the
 *   log and can be cached by its last seq.
 * - speeches, speakingMs: their entries in the speech log with the time actually spoken (the
 *   chair's pauses and the wait of a speech a point of order interrupted left out; an
 *   interrupted speech that resumed is one speech, a point of order one of its own). A speech on
 *   the floor when the log stops counts with its clock at the last event.
 * - namedVotes, secretVotes: polls they voted in (a changed ballot is still one vote). Secret
 *   ballots count only as having voted: the log holds no choice for them, and none is read.
 * - statements: written statements (书面发言) they submitted.
 * - passagesConfirmed: their own speech sections (`speech:<i>`, the i-th speech of the log)
 *   that ended confirmed by them: confirmed as sent, or with the correction they proposed
 *   taken by the secretary. A section confirmed again after a later edit counts once.
 *
 * Pure: no Node or DOM.
 */
import type { DutyCounts, MemberDuties, SectorDuties } from '../http/orgs.js';
import type { RosterMember } from './model.js';
import { applyAll } from '../room/apply.js';
import type { RoomEvent } from '../room/events.js';
import { floorClock, waitingClock } from '../room/floorClock.js';
import { sectionSpeaker } from '../room/minutes.js';
import { isPollEvent } from '../room/polls.js';
import { emptyRoom, type Floor, type RoomState } from '../room/state.js';

/** What one room's log says each personal invite did there (`invited` is left 0: the links say who was invited). */
export type RoomDutySummary = {
  roomId: string;
  /** The seq of the log's last event (0: an empty log): the summary holds for exactly this log. */
  lastSeq: number;
  /** When the log begins (its first event, epoch ms); null for an empty log. */
  firstAt: number | null;
  /** The planned start the room was created with, if any (epoch ms). */
  startsAt: number | null;
  /** By invite id; only invites whose holder did something. */
  byInvite: Record<string, DutyCounts>;
};

/** A personal invite issued to a roster member. */
export type InviteOfMember = { inviteId: string; memberId: string };

/** Every count zero. */
export function noDuties(): DutyCounts {
  return {
    invited: 0,
    attended: 0,
    attendedMs: 0,
    speeches: 0,
    speakingMs: 0,
    namedVotes: 0,
    secretVotes: 0,
    statements: 0,
    passagesConfirmed: 0,
  };
}

const COUNT_FIELDS = Object.keys(noDuties()) as Array<keyof DutyCounts>;

/** `into` plus `add`, field by field (mutates and returns `into`). */
function addInto(into: DutyCounts, add: DutyCounts): DutyCounts {
  for (const field of COUNT_FIELDS) into[field] += add[field];
  return into;
}

/** Summarises one room's log (its events in seq order, from the first). */
export function summariseRoom(roomId: string, events: readonly RoomEvent[]): RoomDutySummary {
  const last = events.at(-1);
  const first = events[0];
  // Poll events change nothing but the polls, which are counted straight from their events
  // below: folding them would copy every ballot cast so far with each vote (quadratic in the
  // voters, most of a cold summary's time with 250 voters a poll).
  const state = applyAll(emptyRoom(roomId), events.filter((e) => !isPollEvent(e)));
  const lastAt = last?.at ?? 0;
  const byInvite: Record<string, DutyCounts> = {};
  const inviteOf = (participantId: string): DutyCounts | undefined => {
    const p = state.participants[participantId];
    if (p === undefined || p.role === 'public') return undefined;
    return (byInvite[p.inviteId] ??= noDuties());
  };

  for (const p of Object.values(state.participants)) {
    if (p.role === 'public' || p.presences.length === 0) continue;
    const counts = inviteOf(p.id);
    if (counts === undefined) continue;
    // One invite is one seat; a log from before seats may hold several participants for it.
    counts.attended = 1;
    for (const stay of p.presences) counts.attendedMs += (stay.leftAt ?? lastAt) - stay.joinedAt;
  }

  const countSpeech = (holder: Floor['holder'], spokenMs: number): void => {
    if (holder.kind !== 'participant') return;
    const counts = inviteOf(holder.participantId);
    if (counts === undefined) return;
    counts.speeches += 1;
    counts.speakingMs += spokenMs;
  };
  for (const speech of state.speeches) countSpeech(speech.holder, speech.spokenMs);
  for (const [holder, spokenMs] of speechesUnderway(state, lastAt)) countSpeech(holder, spokenMs);

  const secretPolls = new Set<string>();
  /** Per poll, who voted: a changed ballot is the same vote. */
  const voted = new Map<string, Set<string>>();
  const confirmed = new Set<string>();
  for (const e of events) {
    if (e.type === 'poll.created') {
      if (e.data.secret) secretPolls.add(e.data.pollId);
    } else if (e.type === 'poll.voted') {
      let voters = voted.get(e.data.pollId);
      if (voters === undefined) voted.set(e.data.pollId, (voters = new Set()));
      if (voters.has(e.data.voterId)) continue;
      voters.add(e.data.voterId);
      // Whatever the event carries, a secret ballot counts as voted and nothing more.
      const counts = inviteOf(e.data.voterId);
      if (counts === undefined) continue;
      if (secretPolls.has(e.data.pollId)) counts.secretVotes += 1;
      else counts.namedVotes += 1;
    } else if (e.type === 'minutes.statementSubmitted') {
      const counts = inviteOf(e.data.participantId);
      if (counts !== undefined) counts.statements += 1;
    } else if (e.type === 'minutes.confirmed' || e.type === 'minutes.correctionAccepted') {
      // The speech log only grows, so the section's speaker now is its speaker then.
      const speaker = sectionSpeaker(state, e.data.section);
      if (speaker === null || confirmed.has(e.data.section)) continue;
      confirmed.add(e.data.section);
      const counts = inviteOf(speaker);
      if (counts !== undefined) counts.passagesConfirmed += 1;
    }
  }
  // A zero count left by inviteOf for someone who did nothing is harmless; drop it to keep the summary small.
  for (const [inviteId, counts] of Object.entries(byInvite)) {
    if (COUNT_FIELDS.every((f) => counts[f] === 0)) delete byInvite[inviteId];
  }
  return {
    roomId,
    lastSeq: last?.seq ?? 0,
    firstAt: first?.at ?? null,
    startsAt: state.info.startsAt,
    byInvite,
  };
}

/** Speeches not yet in the speech log at `at`: the floor's, and one waiting for a point of order. */
function speechesUnderway(s: RoomState, at: number): Array<[Floor['holder'], number]> {
  const floor = s.floor;
  if (floor === null) return [];
  const underway: Array<[Floor['holder'], number]> = [[floor.holder, floorClock(floor, s.settings, at).elapsedMs]];
  if (floor.interrupted) underway.push([floor.interrupted.floor.holder, waitingClock(floor.interrupted, s.settings).elapsedMs]);
  return underway;
}

/** Each member's counts in one room: the room's summary read through its member invites. */
export function memberDuties(summary: RoomDutySummary, invites: readonly InviteOfMember[]): Map<string, DutyCounts> {
  const out = new Map<string, DutyCounts>();
  for (const { inviteId, memberId } of invites) {
    let counts = out.get(memberId);
    if (counts === undefined) {
      counts = noDuties();
      out.set(memberId, counts);
    }
    const did = summary.byInvite[inviteId];
    if (did !== undefined) addInto(counts, did);
  }
  // Per consultation: invited and attended once, however many invites a member held.
  for (const counts of out.values()) {
    counts.invited = 1;
    counts.attended = Math.min(counts.attended, 1);
  }
  return out;
}

/** One room's log and member invites → each member's counts there. */
export function roomDuties(roomId: string, events: readonly RoomEvent[], invites: readonly InviteOfMember[]): Map<string, DutyCounts> {
  return memberDuties(summariseRoom(roomId, events), invites);
}

/** Label of the sector of members whose roster leaves it empty. */
export const NO_SECTOR = '';

const collator = new Intl.Collator('zh-CN');

/**
 * Adds the rooms' counts up per roster member (every member listed, zeros if never invited)
 * and per sector. Members are ordered by sector then name, sectors by name with the empty
 * sector last. Counts of members no longer on the roster are left out: there is nobody to
 * name them by.
 */
export function sumDuties(
  rooms: Iterable<ReadonlyMap<string, DutyCounts>>,
  roster: readonly RosterMember[],
): { members: MemberDuties[]; sectors: SectorDuties[] } {
  const totals = new Map<string, DutyCounts>(roster.map((m) => [m.memberId, noDuties()]));
  for (const room of rooms) {
    for (const [memberId, counts] of room) {
      const total = totals.get(memberId);
      if (total !== undefined) addInto(total, counts);
    }
  }
  const bySectorThenName = (a: { sector: string; name: string }, b: { sector: string; name: string }): number =>
    compareSectors(a.sector, b.sector) || collator.compare(a.name, b.name);
  const members: MemberDuties[] = roster
    .map((m) => ({ memberId: m.memberId, name: m.name, sector: m.sector, district: m.district, ...(totals.get(m.memberId) ?? noDuties()) }))
    .sort(bySectorThenName);

  const sectors = new Map<string, SectorDuties>();
  for (const m of members) {
    let sector = sectors.get(m.sector);
    if (sector === undefined) {
      sector = { sector: m.sector, members: 0, ...noDuties() };
      sectors.set(m.sector, sector);
    }
    sector.members += 1;
    addInto(sector, m);
  }
  return { members, sectors: [...sectors.values()].sort((a, b) => compareSectors(a.sector, b.sector)) };
}

function compareSectors(a: string, b: string): number {
  if (a === b) return 0;
  if (a === NO_SECTOR) return 1;
  if (b === NO_SECTOR) return -1;
  return collator.compare(a, b);
}
