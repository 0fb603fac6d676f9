/**
 * The minutes (会议纪要) as structured data: what the skeleton generator makes from a room's
 * state and what every export renders. Defined as zod schemas because an export embeds this
 * record as JSON and the verifier reads it back from a file anyone may have edited: it is
 * parsed at that boundary, never cast.
 */
import { z } from 'zod';
import { MAJORITY_BASES, POLL_KINDS, ROLES, SPEECH_TYPES, THRESHOLDS, type MajorityBasis } from '../room/state.js';

/** Bumped whenever the shape below changes, so an old export is not misread. */
export const MINUTES_FORMAT = 'wsl-minutes/2';

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

/**
 * Where a speech's passage stands with its speaker (核稿): the section's confirmation status,
 * or `none` for a speech a whole venue gave (nobody in particular confirms it).
 */
export const PASSAGE_STATUSES = ['none', 'draft', 'pending', 'confirmed', 'correctionProposed'] as const;
export type PassageStatus = (typeof PASSAGE_STATUSES)[number];

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
  /** The secretary's text of the speech (or the speaker's accepted correction); empty if none yet. */
  text: z.string(),
  status: z.enum(PASSAGE_STATUSES),
  /** The speaker's proposed text while the secretary has not decided on it; else null. */
  proposed: z.string().nullable(),
  /**
   * Where the speech starts in the recording: the part (its index in `recording.parts`) and the
   * offset into it; null for a speech given while nothing was recorded. Absent when the meeting
   * has no recording, so records drawn before recordings existed keep their content hashes.
   */
  recordingAt: z.object({ part: z.number().int().min(0), offsetMs: z.number().int().min(0) }).nullable().optional(),
});
export type SpeechRecord = z.infer<typeof SpeechRecordSchema>;

/** A named ballot: who chose what. Never present on a secret poll. */
export const NamedBallotSchema = z.object({
  name: z.string(),
  choices: z.array(z.string()),
  reason: z.string().nullable(),
});
export type NamedBallot = z.infer<typeof NamedBallotSchema>;

/** One group of a poll's results by venue or sector: its name as shown, its voters, their votes per option. */
export const GroupRecordSchema = z.object({ label: z.string(), voters: z.number().int().min(0), counts: z.array(z.number().int().min(0)) });
export type GroupRecord = z.infer<typeof GroupRecordSchema>;

/** One dimension of a breakdown: the groups shown and 其他 (every other voter; 0 when none). */
export const GroupsRecordSchema = z.object({ groups: z.array(GroupRecordSchema), other: GroupRecordSchema.omit({ label: true }) });

/**
 * A poll's results by venue and by sector. `minGroup`: a secret poll's smallest group shown
 * (smaller ones merged into 其他, see signaling/room/pollBreakdown.ts); null on a named poll.
 */
export const BreakdownRecordSchema = z.object({ minGroup: z.number().int().min(1).nullable(), byVenue: GroupsRecordSchema, bySector: GroupsRecordSchema });
export type BreakdownRecord = z.infer<typeof BreakdownRecordSchema>;

/** One poll as recorded. */
export const PollRecordSchema = z.object({
  question: z.string(),
  kind: z.enum(POLL_KINDS),
  /** Option labels; yes/no and consensus polls carry their fixed keys (renderers translate). */
  options: z.array(z.string()),
  secret: z.boolean(),
  threshold: z.enum(THRESHOLDS),
  /**
   * What the threshold counts against; absent means the votes cast with abstentions left out.
   * Absent rather than `cast` so that records drawn before the basis existed (and the content
   * hashes their locks recorded) stay exactly what they were.
   */
  basis: z.enum(MAJORITY_BASES).optional(),
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
  /**
   * Results by venue and sector. Absent on polls closed before breakdowns existed (optional, so
   * that older records and the content hashes their locks recorded stay what they were).
   */
  breakdown: BreakdownRecordSchema.optional(),
  /** A second round: the place (from 0) in `polls` of the round it asks again. Absent on a first round. */
  roundOf: z.number().int().min(0).optional(),
});
export type PollRecord = z.infer<typeof PollRecordSchema>;

/** The basis a recorded poll's threshold counted against. */
export function recordedBasis(poll: Pick<PollRecord, 'basis'>): MajorityBasis {
  return poll.basis ?? 'cast';
}

/** The roll call: who was asked and who answered. */
export const RollCallRecordSchema = z.object({
  startedAt: time,
  endedAt: time.nullable(),
  expected: z.number().int().min(0),
  confirmed: z.array(z.string()),
  absent: z.array(z.string()),
  /**
   * Of those who answered, whose microphone the server did not hear (signaling/room/rollCall.ts):
   * not counted present. Absent for a roll call of a log from before the check by media, so
   * that its record (and the hash a lock recorded) stays what it was.
   */
  notHeard: z.array(z.string()).optional(),
});
export type RollCallRecord = z.infer<typeof RollCallRecordSchema>;

/** An action item of the conclusions. */
export const ActionRecordSchema = z.object({
  owner: z.string(),
  /** YYYY-MM-DD, or null for no due date. */
  due: z.string().nullable(),
  text: z.string(),
});
export type ActionRecord = z.infer<typeof ActionRecordSchema>;

/** A written statement (书面发言), with its author as the room knows them. */
export const StatementRecordSchema = z.object({
  author: z.string(),
  role: z.enum(ROLES),
  venueName: z.string(),
  sector: z.string(),
  submittedAt: time,
  text: z.string(),
});
export type StatementRecord = z.infer<typeof StatementRecordSchema>;

/** A department's answer (答复) to a public comment. */
export const CommentAnswerRecordSchema = z.object({ department: z.string(), text: z.string(), answeredAt: time });

/** A public comment as the record cites it (among the most upvoted). */
export const CommentRecordSchema = z.object({
  name: z.string(),
  place: z.string(),
  text: z.string(),
  themes: z.array(z.string()),
  upvotes: z.number().int().min(0),
  answer: CommentAnswerRecordSchema.nullable(),
});
export type CommentRecord = z.infer<typeof CommentRecordSchema>;

/** A comment the chair put on the stage (群众留言上屏), as the log keeps it. */
export const StagedCommentRecordSchema = z.object({
  name: z.string(),
  place: z.string(),
  text: z.string(),
  themes: z.array(z.string()),
  stagedAt: time,
  /** The department the chair asked to answer it on the floor (its name), or null. */
  askedDepartment: z.string().nullable(),
  /** Its answer as known when it came off the stage (or when it went up, if it never came down). */
  answer: CommentAnswerRecordSchema.nullable(),
  /**
   * Staff took it back from the public after it was shown (personal data, say): its name,
   * place, text, themes and answer are left out. Absent otherwise.
   */
  withdrawn: z.literal(true).optional(),
});
export type StagedCommentRecord = z.infer<typeof StagedCommentRecordSchema>;

/** Comment counts as the record states them (see CommentCounts in signaling/comments/model.ts). */
export const CommentCountsRecordSchema = z.object({
  received: z.number().int().min(0),
  pending: z.number().int().min(0),
  approved: z.number().int().min(0),
  rejected: z.number().int().min(0),
  merged: z.number().int().min(0),
  answered: z.number().int().min(0),
  upvotes: z.number().int().min(0),
});

/**
 * 群众留言: what the public sent and what the meeting did with it. The counts, themes and most
 * upvoted are the comment store's summary taken at the lock (recorded in the lock event), or
 * for a draft the counts the end of the meeting recorded; the staged comments are the log's.
 */
export const CommentsSectionSchema = z.object({
  /** When the counts were taken: at the lock, at the end of the meeting, or not yet (null, a meeting still running). */
  countedAt: z.enum(['lock', 'end']).nullable(),
  counts: CommentCountsRecordSchema.nullable(),
  /** Approved comments per theme. */
  byTheme: z.array(z.object({ theme: z.string(), count: z.number().int().min(0) })),
  mostUpvoted: z.array(CommentRecordSchema),
  staged: z.array(StagedCommentRecordSchema),
  /** The comment store's chain head at the lock: a comments export is checked against it. */
  chainHead: z.object({ seq: z.number().int().min(0), hash: z.string() }).nullable(),
});
export type CommentsSection = z.infer<typeof CommentsSectionSchema>;

/**
 * One file of the recording (录像). Its length, size and SHA-256 are read by the server when the
 * minutes are locked; in a draft they are null (the file may still be growing).
 */
export const RecordingPartRecordSchema = z.object({
  name: z.string().regex(/^[0-9a-z][0-9a-z-]{0,63}$/),
  /** The server's time at the part's time 0. */
  startedAt: time,
  durationMs: z.number().int().min(0).nullable(),
  bytes: z.number().int().min(0).nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
});
export type RecordingPartRecord = z.infer<typeof RecordingPartRecordSchema>;

/** The recording of the meeting: its files, in the order they were begun. */
export const RecordingRecordSchema = z.object({ parts: z.array(RecordingPartRecordSchema) });
export type RecordingRecord = z.infer<typeof RecordingRecordSchema>;

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
  /** The free section: what the meeting concluded. */
  conclusions: z.string(),
  actions: z.array(ActionRecordSchema),
  statements: z.array(StatementRecordSchema),
  /**
   * 群众留言. Absent when the log knows nothing of comments (a meeting held without them, or
   * before they existed): optional rather than empty, so that records drawn before it existed
   * (and the content hashes their locks recorded) stay exactly what they were.
   */
  comments: CommentsSectionSchema.optional(),
  /** 录像: absent when nothing was recorded (as `comments`, so older records keep their hashes). */
  recording: RecordingRecordSchema.optional(),
  /** The version of the minutes (1, then one more after each new version was started). */
  version: z.number().int().min(1),
  /**
   * When this version was locked; null for a draft. The content hash (see contentHash in
   * server/export/common.ts) covers the record with this field null, so the hash the lock
   * recorded in the log is the hash of the locked record.
   */
  lockedAt: time.nullable(),
  /** The log's chain head the minutes were drawn from (for a locked version: where it was locked). */
  seq: z.number().int().min(0),
  chainHead: z.string(),
});
export type Minutes = z.infer<typeof MinutesSchema>;
