/**
 * The skeleton of the minutes: a complete draft read out of the room state (the fold of the
 * log), so a secretary starts from the record instead of a blank page. Pure: the same state
 * always gives the same minutes, which is what lets an export be verified against the log.
 */
import { currentContent, sectionOf, speechSection } from '../room/minutes.js';
import { commentsSection } from './comments.js';
import { recordingAt, recordingSection } from './recording.js';
import { attendance as countAttendance, standing, totalAttendance } from '../room/attendance.js';
import { rollCallAnswer } from '../room/rollCall.js';
import type { LockedVersion, MinutesContent, Participant, Poll, PollBreakdown, PollGroups, RoomState, Speech, WrittenStatement } from '../room/state.js';
import {
  MINUTES_FORMAT,
  type ActionRecord,
  type Attendee,
  type Minutes,
  type NamedBallot,
  type BreakdownRecord,
  type PollRecord,
  type RollCallRecord,
  type SpeechRecord,
  type StatementRecord,
  type VenueAttendance,
} from './types.js';

/**
 * Draws the minutes of a room from its state at its head: the current version's content, as
 * a draft (lockedAt null). This is the record a lock hashes and the verifier re-derives; a
 * lock passes what the server read with it (`read`: the comment store's summary, the
 * recording's files), which the draft has not.
 */
export function minutesSkeleton(state: RoomState, read: ReadAtLock = {}): Minutes {
  const stamp = { version: state.minutes.version, lockedAt: null, seq: state.seq, chainHead: state.hash };
  return drawn(state, currentContent(state.minutes), stamp, read);
}

/** What the server read outside the log when the minutes were locked: the comment store's summary, the recording's files. */
export type ReadAtLock = Pick<LockedVersion, 'comments' | 'recording'>;

/**
 * The minutes of `version` (default: the current one) as they are served: a locked version
 * with the chain head and time of its lock, the current draft at the state's head. Undefined
 * for a version that is neither locked nor current.
 *
 * A locked version is drawn from today's state with the content it was locked with: once the
 * meeting has ended (a lock requires it) the rest of the record no longer changes, and the
 * verifier checks the result against the log folded up to the lock.
 */
export function minutesRecord(state: RoomState, version: number = state.minutes.version): Minutes | undefined {
  const locked = state.minutes.lockedVersions.find((v) => v.version === version);
  if (locked) {
    const { content, chainSeq, chainHash, lockedAt } = locked;
    return drawn(state, content, { version, lockedAt, seq: chainSeq, chainHead: chainHash }, locked);
  }
  return version === state.minutes.version ? minutesSkeleton(state) : undefined;
}

/** The version published to everyone: the latest locked one (null while nothing is locked). */
export function latestLockedVersion(state: RoomState): number | null {
  return state.minutes.lockedVersions.at(-1)?.version ?? null;
}

type Stamp = Pick<Minutes, 'version' | 'lockedAt' | 'seq' | 'chainHead'>;

function drawn(state: RoomState, content: MinutesContent, stamp: Stamp, read: ReadAtLock): Minutes {
  const comments = commentsSection(state, read.comments, stamp.seq);
  const recording = recordingSection(state, read.recording);
  const lastSeen = latestTime(state);
  const attendees = Object.values(state.participants)
    .filter(attends)
    // A stable sort: ties (admitted together) keep the order they arrived in.
    .sort((a, b) => firstJoin(a) - firstJoin(b))
    .map((p) => attendee(p, lastSeen));
  const joins = attendees.map((a) => a.joinedAt);
  const stillHere = attendees.some((a) => a.leftAt === null);
  const lefts = attendees.flatMap((a) => (a.leftAt === null ? [] : [a.leftAt]));
  return {
    format: MINUTES_FORMAT,
    roomId: state.id,
    topic: state.info.topic,
    plannedStart: state.info.startsAt,
    plannedEnd: state.info.endsAt,
    actualStart: joins.length > 0 ? Math.min(...joins) : null,
    actualEnd: stillHere || lefts.length === 0 ? null : Math.max(...lefts),
    ended: state.ended,
    quorumPercent: state.settings.quorumPercent,
    attendance: attendance(state, attendees),
    speeches: state.speeches.map((sp, i) => ({
      ...speechRecord(state, sp, content, i),
      ...(recording ? { recordingAt: recordingAt(recording, sp) } : {}),
    })),
    polls: state.pollOrder.flatMap((id) => {
      const poll = state.polls[id];
      // A draft never opened was not put to the meeting: it is not part of the record.
      return poll && poll.openedAt !== null ? [pollRecord(state, poll)] : [];
    }),
    rollCall: rollCallRecord(state),
    conclusions: sectionOf(content, 'conclusions').text,
    actions: content.actions.map(({ owner, due, text }): ActionRecord => ({ owner, due, text })),
    statements: content.statements.map((st) => statementRecord(state, st)),
    ...(comments ? { comments } : {}),
    ...(recording ? { recording } : {}),
    version: stamp.version,
    lockedAt: stamp.lockedAt,
    seq: stamp.seq,
    chainHead: stamp.chainHead,
  };
}

/**
 * Who belongs in the attendance list: anyone admitted at least once, except the public
 * (anonymous viewers through a public link are an audience, not attendees of the record).
 */
function attends(p: Participant): boolean {
  return p.role !== 'public' && p.presences.length > 0;
}

function firstJoin(p: Participant): number {
  return p.presences[0]?.joinedAt ?? 0;
}

function attendee(p: Participant, lastSeen: number): Attendee {
  const last = p.presences[p.presences.length - 1];
  // An open stay (meeting not ended) counts up to the latest moment the state knows of.
  const presentMs = p.presences.reduce((sum, s) => sum + Math.max(0, (s.leftAt ?? lastSeen) - s.joinedAt), 0);
  return {
    name: p.name,
    role: p.role,
    venue: p.venue,
    sector: p.sector,
    joinedAt: firstJoin(p),
    leftAt: last?.leftAt ?? null,
    presentMs,
    stays: p.presences.length,
  };
}

/**
 * Counts by the one rule of attendance.ts, judged on who was in the meeting at some point (at
 * the end of a meeting nobody is present any more); the attendee lists go with each venue.
 */
function attendance(state: RoomState, attendees: Attendee[]): VenueAttendance[] {
  const name = (venue: string): string => (venue === '*' ? '全体' : venueName(state, venue));
  const counted = countAttendance(state, 'attended').map(
    (c): VenueAttendance => ({
      venue: c.venue,
      name: name(c.venue),
      present: c.attended,
      expected: c.expected,
      quorumMet: c.quorumMet,
      attendees: c.venue === '*' ? [] : attendees.filter((a) => a.venue === c.venue),
    }),
  );
  // Invites may name a venue the room was not created with; those who came from it without a
  // seat (an observer, say) still attended, and are listed under it with nothing to count.
  const listed = new Set(counted.map((c) => c.venue));
  const others = [...new Set(attendees.map((a) => a.venue).filter((v) => !listed.has(v)))].sort();
  const rest = others.map(
    (v): VenueAttendance => ({ venue: v, name: v, present: 0, expected: 0, quorumMet: null, attendees: attendees.filter((a) => a.venue === v) }),
  );
  return [...counted, ...rest];
}

function venueName(state: RoomState, venue: string): string {
  return state.info.venues.find((v) => v.id === venue)?.name ?? venue;
}

function speechRecord(state: RoomState, sp: Speech, content: MinutesContent, index: number): SpeechRecord {
  const where = venueName(state, sp.venue);
  const person = sp.holder.kind === 'participant' ? state.participants[sp.holder.participantId] : undefined;
  const section = sectionOf(content, speechSection(index));
  const confirmation = section.confirmation;
  return {
    speaker: sp.holder.kind === 'venue' ? where : (person?.name ?? ''),
    byVenue: sp.holder.kind === 'venue',
    venue: sp.venue,
    venueName: where,
    sector: person?.sector ?? '',
    type: sp.type,
    startedAt: sp.startedAt,
    spokenMs: sp.spokenMs,
    note: sp.note,
    text: section.text,
    status: sp.holder.kind === 'venue' ? 'none' : confirmation.status,
    proposed: confirmation.status === 'correctionProposed' ? confirmation.text : null,
  };
}

function statementRecord(state: RoomState, st: WrittenStatement): StatementRecord {
  const author = state.participants[st.participantId];
  return {
    author: author?.name ?? st.participantId,
    role: author?.role ?? 'member',
    venueName: author ? venueName(state, author.venue) : '',
    sector: author?.sector ?? '',
    submittedAt: st.submittedAt,
    text: st.text,
  };
}

/**
 * A poll for the record. Secret polls give counts only: the log never holds their choices,
 * and the record does not even list who took part, so nothing here can be combined with a
 * ballot. Named polls list who chose what: a member who votes in a named (记名) poll votes on
 * the record, and an official record of a named vote that omits the names would lose the very
 * thing that made it named. The voting order is the log's order.
 */
function pollRecord(state: RoomState, poll: Poll): PollRecord {
  const result = poll.result;
  const recorded = state.pollOrder.filter((id) => state.polls[id]?.openedAt !== null);
  const first = poll.roundOf === undefined ? -1 : recorded.indexOf(poll.roundOf);
  const roundOf = first < 0 ? undefined : first;
  const label = (i: number): string => poll.options[i] ?? String(i);
  const ballots = poll.secret
    ? null
    : poll.voted.map((id): NamedBallot => ({
        name: state.participants[id]?.name ?? id,
        choices: (poll.choices[id] ?? []).map(label),
        reason: poll.reasons[id] ?? null,
      }));
  return {
    question: poll.question,
    kind: poll.kind,
    options: poll.options,
    secret: poll.secret,
    threshold: poll.threshold,
    // `cast` stays implicit: a record drawn before the basis existed must not change its hash.
    ...(poll.basis === 'cast' ? {} : { basis: poll.basis }),
    quorumPercent: poll.quorumPercent,
    openedAt: poll.openedAt,
    closedAt: poll.closedAt,
    eligible: result?.eligible ?? poll.eligible.length,
    voted: result?.votes ?? poll.voted.length,
    counts: result?.counts ?? null,
    quorumMet: result?.quorumMet ?? null,
    passed: result?.passed ?? null,
    // The result's reasons are anonymous by construction; named reasons sit in the ballots.
    reasons: poll.secret ? (result?.reasons ?? []) : [],
    ballots,
    ...(result?.breakdown ? { breakdown: breakdownRecord(state, result.breakdown) } : {}),
    ...(roundOf === undefined ? {} : { roundOf }),
  };
}

/** A breakdown with each venue by its name and each sector by its label (a blank sector: 未注明). */
function breakdownRecord(state: RoomState, b: PollBreakdown): BreakdownRecord {
  const venueName = (id: string) => state.info.venues.find((v) => v.id === id)?.name ?? id;
  const groups = (g: PollGroups, label: (key: string) => string) => ({
    groups: g.groups.map((x) => ({ label: label(x.group), voters: x.voters, counts: x.counts })),
    other: g.other,
  });
  return { minGroup: b.minGroup, byVenue: groups(b.byVenue, venueName), bySector: groups(b.bySector, (s) => s || '未注明') };
}

function rollCallRecord(state: RoomState): RollCallRecord | null {
  const rc = state.rollCall;
  if (!rc) return null;
  const name = (id: string): string => state.participants[id]?.name ?? id;
  // Only seats are called (attendance.ts); a log from before that rule may list staff too.
  const called = rc.expected.filter((id) => {
    const p = state.participants[id];
    return p !== undefined && standing(p).seat;
  });
  const confirmed = called.filter((id) => rc.confirmed[id] !== undefined);
  const absent = called.filter((id) => rc.confirmed[id] === undefined);
  const notHeard = rc.media === undefined ? undefined : confirmed.filter((id) => rollCallAnswer(rc, id) !== 'present');
  return {
    startedAt: rc.startedAt,
    endedAt: rc.endedAt,
    // 应到, as on the screen and in the attendance above.
    expected: totalAttendance(state, 'attended').expected,
    confirmed: confirmed.map(name),
    absent: absent.map(name),
    ...(notHeard === undefined ? {} : { notHeard: notHeard.map(name) }),
  };
}

/** The latest moment recorded anywhere in the state (the state has no clock of its own). */
function latestTime(state: RoomState): number {
  let latest = state.createdAt;
  const see = (t: number | null | undefined): void => {
    if (typeof t === 'number' && t > latest) latest = t;
  };
  for (const p of Object.values(state.participants)) for (const s of p.presences) (see(s.joinedAt), see(s.leftAt));
  for (const sp of state.speeches) see(sp.endedAt);
  for (const poll of Object.values(state.polls)) (see(poll.openedAt), see(poll.closedAt));
  if (state.rollCall) (see(state.rollCall.startedAt), see(state.rollCall.endedAt), Object.values(state.rollCall.confirmed).forEach(see));
  return latest;
}
