/**
 * The minutes (会议纪要) as structured data: what the skeleton generator makes from a room's
 * state and what every export renders. Defined as zod schemas because an export embeds this
 * record as JSON and the verifier reads it back from a file anyone may have edited: it is
 * parsed at that boundary, never cast.
 */
import { z } from 'zod';
import { POLL_KINDS, ROLES, SPEECH_TYPES, THRESHOLDS } from '../room/state.js';

/** Bumped whenever the shape below changes, so an old export is not misread. */
export const MINUTES_FORMAT = 'wsl-minutes/1';

const time = z.number().int();

/** One attendee: their stays summed up. */
export const AttendeeSchema = z.object({
  name: z.string(),
  role: z.enum(ROLES),
  venue: z.string(),
  sector: z.string(),
  /** First arrival in the meeting. */
  joinedAt: time,
  /** Last departure; null if still present when the minutes were drawn. */
  leftAt: time.nullable(),
  /** Time present over all stays, in ms (a dropped connection does not count). */
  presentMs: z.number().int().min(0),
  /** Number of stays: more than one means they dropped out and came back. */
  stays: z.number().int().min(1),
});
export type Attendee = z.infer<typeof AttendeeSchema>;

/** Attendance of one venue (or the whole meeting, venue `*`). */
export const VenueAttendanceSchema = z.object({
  venue: z.string(),
  name: z.string(),
  /** Voting attendees (members, venue terminals) who were present at some point. */
  present: z.number().int().min(0),
  expected: z.number().int().min(0),
  /** Null when the meeting has no quorum rule or nobody is expected. */
  quorumMet: z.boolean().nullable(),
  attendees: z.array(AttendeeSchema),
});
export type VenueAttendance = z.infer<typeof VenueAttendanceSchema>;

/** One speech of the speech log. */
export const SpeechRecordSchema = z.object({
  /** Person's name, or the venue's name when a whole venue had the floor. */
  speaker: z.string(),
  byVenue: z.boolean(),
  venue: z.string(),
  venueName: z.string(),
  sector: z.string(),
  type: z.enum(SPEECH_TYPES),
  startedAt: time,
  /** Time actually spoken, pauses excluded. */
  spokenMs: z.number().int().min(0),
  /** The note the speaker raised their hand with. */
  note: z.string(),
});
export type SpeechRecord = z.infer<typeof SpeechRecordSchema>;

/** A named ballot: who chose what. Never present on a secret poll. */
export const NamedBallotSchema = z.object({
  name: z.string(),
  choices: z.array(z.string()),
  reason: z.string().nullable(),
});
export type NamedBallot = z.infer<typeof NamedBallotSchema>;

/** One poll as recorded. */
export const PollRecordSchema = z.object({
  question: z.string(),
  kind: z.enum(POLL_KINDS),
  /** Option labels; yes/no and consensus polls carry their fixed keys (renderers translate). */
  options: z.array(z.string()),
  secret: z.boolean(),
  threshold: z.enum(THRESHOLDS),
  quorumPercent: z.number().nullable(),
  openedAt: time.nullable(),
  closedAt: time.nullable(),
  eligible: z.number().int().min(0),
  voted: z.number().int().min(0),
  /** Null while the poll is still open: no result yet. */
  counts: z.array(z.number().int().min(0)).nullable(),
  quorumMet: z.boolean().nullable(),
  passed: z.boolean().nullable(),
  /** Reasons given with dissenting votes; on a secret poll without any name. */
  reasons: z.array(z.string()),
  /** Named polls only, in voting order; null on a secret poll. */
  ballots: z.array(NamedBallotSchema).nullable(),
});
export type PollRecord = z.infer<typeof PollRecordSchema>;

/** The roll call: who was asked and who answered. */
export const RollCallRecordSchema = z.object({
  startedAt: time,
  endedAt: time.nullable(),
  expected: z.number().int().min(0),
  confirmed: z.array(z.string()),
  absent: z.array(z.string()),
});
export type RollCallRecord = z.infer<typeof RollCallRecordSchema>;

/** The minutes of one meeting. */
export const MinutesSchema = z.object({
  format: z.literal(MINUTES_FORMAT),
  roomId: z.string(),
  topic: z.string(),
  plannedStart: time.nullable(),
  plannedEnd: time.nullable(),
  /** First presence to last departure (or the last event if someone is still present). */
  actualStart: time.nullable(),
  actualEnd: time.nullable(),
  ended: z.boolean(),
  quorumPercent: z.number().nullable(),
  /** The whole meeting first (venue `*`), then each venue. */
  attendance: z.array(VenueAttendanceSchema),
  speeches: z.array(SpeechRecordSchema),
  polls: z.array(PollRecordSchema),
  rollCall: RollCallRecordSchema.nullable(),
  /** The log's chain head the minutes were drawn from. */
  seq: z.number().int().min(0),
  chainHead: z.string(),
});
export type Minutes = z.infer<typeof MinutesSchema>;
