/**
 * Room commands: what a participant asks the room to do. Each client-sent command is one
 * Socket.IO event (its name is the command type) with a zod schema; `commandId`, made by the
 * client, makes a repeated command return the first result.
 *
 * System commands (arrivals, disconnects, timers) are made by the server only.
 */
import { z } from 'zod';
import { SPEECH_TYPES, POLL_KINDS, THRESHOLDS, MAJORITY_BASES, ROLES, type RecordingPart } from './state.js';

const participantId = z.string().min(1).max(64);
const note = z.string().trim().max(200);
const seconds = z.number().int().min(10).max(3600);

/** A minutes section: `conclusions` or `speech:<index in the speech log>`. */
const section = z.string().regex(/^(conclusions|speech:(0|[1-9][0-9]{0,4}))$/);
/** A speech's section: the only kind a speaker confirms. */
const speechSection = z.string().regex(/^speech:(0|[1-9][0-9]{0,4})$/);
const minutesText = z.string().max(20_000);
/** A calendar date, YYYY-MM-DD, that exists. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().slice(0, 10) === d, 'no such date');

/** Room settings a host may set (see RoomSettings in state.ts). */
const SettingsSchema = z.object({
  locked: z.boolean(),
  open: z.boolean(),
  floorOnly: z.boolean(),
  defaultSpeechSeconds: seconds,
  warningSeconds: z.number().int().min(0).max(600),
  graceSeconds: z.number().int().min(0).max(600),
  speechesPerVenue: z.number().int().min(1).max(100).nullable(),
  quorumPercent: z.number().int().min(1).max(100).nullable(),
  /** Smallest group a secret poll's breakdown shows: below 3, members of a pair would know each other's vote. */
  secretGroupMin: z.number().int().min(3).max(50),
});

/** A client-made id that makes retries safe. */
export const CommandId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/);

/** Client commands by event name, payloads without `commandId`. */
export const CLIENT_COMMANDS = {
  /** Host: let one lobby participant in. */
  'lobby:admit': z.object({ participantId }),
  /**
   * Host: let everybody in the lobby in; with `participantIds`, only those of them still
   * waiting (whom the chair saw listed when confirming: someone knocking later waits).
   */
  'lobby:admitAll': z.object({ participantIds: z.array(participantId).min(1).max(1000).optional() }),
  /** Host: turn a lobby participant away. */
  'lobby:deny': z.object({ participantId }),
  /** Host: remove a participant from the meeting. */
  'participant:remove': z.object({ participantId }),
  /** Host: change room settings (lock, lobby, speaking times, limits). */
  'room:settings': SettingsSchema.partial().refine((s) => Object.keys(s).length > 0, 'change at least one setting'),
  /** Host: end the meeting. */
  'room:end': z.object({}),
  /** Host: hand the chair to a member present in the meeting (see roles.ts, mayTakeChair). */
  'room:handOver': z.object({ participantId }),

  /** Raise my hand with a speech type and a short note; a point of order goes first. */
  'queue:raise': z.object({ speechType: z.enum(SPEECH_TYPES), note: note.default('') }),
  /** Lower my own hand. */
  'queue:withdraw': z.object({}),
  /** Host: take someone off the list. */
  'queue:remove': z.object({ participantId }),
  /** Host: move someone to a place in the list (0 = next). */
  'queue:move': z.object({ participantId, toIndex: z.number().int().min(0).max(10_000) }),
  /** Host: close or reopen the list of speakers. */
  'queue:setOpen': z.object({ open: z.boolean() }),
  /** Host: lower every hand. */
  'queue:lowerAll': z.object({}),

  /**
   * Host: give the floor to the next in line, a queued or any person, or a whole venue.
   * `overrideQuota`: give it even though the venue has used its speeches (the log records it).
   */
  'floor:grant': z.object({
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('next') }),
      z.object({ kind: z.literal('participant'), participantId }),
      z.object({ kind: z.literal('venue'), venue: z.string().min(1).max(64) }),
    ]),
    seconds: seconds.optional(),
    overrideQuota: z.boolean().optional(),
  }),
  /** Host: more time for the current speaker. */
  'floor:extend': z.object({ seconds: z.number().int().min(10).max(1800) }),
  /** Host: stop the clock. */
  'floor:pause': z.object({}),
  /** Host: restart the clock. */
  'floor:resume': z.object({}),
  /**
   * Host: end the speech now; with `interrupted`, end instead the speech a point of order
   * interrupted (it will not resume).
   */
  'floor:revoke': z.object({ interrupted: z.literal(true).optional() }),
  /**
   * Host: pause the current speech and give the floor to a queued point of order (the first in
   * line, or `participantId`'s); the speech resumes with its time left when that one ends.
   */
  'floor:interrupt': z.object({ participantId: participantId.optional(), seconds: seconds.optional() }),
  /** Speaker: I am done. */
  'floor:yield': z.object({}),

  /** Host: draft a poll. */
  'poll:create': z
    .object({
      question: z.string().trim().min(1).max(500),
      kind: z.enum(POLL_KINDS),
      /** Choices for single and multiple polls; yes/no and consensus polls have fixed ones. */
      options: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
      minChoices: z.number().int().min(1).max(20).optional(),
      maxChoices: z.number().int().min(1).max(20).optional(),
      secret: z.boolean().default(false),
      allowChange: z.boolean().default(true),
      quorumPercent: z.number().int().min(1).max(100).nullable().default(null),
      threshold: z.enum(THRESHOLDS).default('none'),
      /** What the threshold counts against; without it, the votes cast, abstentions left out. */
      basis: z.enum(MAJORITY_BASES).optional(),
      durationSeconds: z.number().int().min(10).max(86_400).nullable().default(null),
      /** A second round of this closed poll: same kind, options and secrecy (polls.ts checks). */
      roundOf: z.string().min(1).max(64).optional(),
    }),
  /** Host: open a drafted poll. */
  'poll:open': z.object({ pollId: z.string().min(1).max(64) }),
  /**
   * Vote. On a secret poll, `receipt` (a random secret the client keeps) lets the voter change
   * the ballot later without the server linking voter and ballot.
   */
  'poll:vote': z.object({
    pollId: z.string().min(1).max(64),
    choices: z.array(z.number().int().min(0).max(19)).min(1).max(20),
    reason: z.string().trim().max(500).optional(),
    receipt: z.string().min(16).max(128).optional(),
  }),
  /** Host: end voting. */
  'poll:close': z.object({ pollId: z.string().min(1).max(64) }),
  /** Host: make the result public. */
  'poll:publish': z.object({ pollId: z.string().min(1).max(64) }),

  /** Host: start a roll call. */
  'rollCall:start': z.object({}),
  /** Answer the roll call: I am here. */
  'rollCall:confirm': z.object({}),
  /** Host: close the roll call. */
  'rollCall:end': z.object({}),
  /**
   * Venue terminal: how many members sit in my hall now (the quorum counts them). Bounded
   * further by the venue's expected members in rollCall.ts.
   */
  'rollCall:headcount': z.object({ count: z.number().int().min(0).max(10_000) }),

  /**
   * Host: mute one participant until allowed. Muting the one speaking stops their speech too:
   * `floor` says whether it ends or pauses (required then, see muting.ts).
   */
  'media:forceMute': z.object({ participantId, floor: z.enum(['end', 'pause']).optional() }),
  /** Host: mute everybody but the host and the secretaries; `floor` as for media:forceMute. */
  'media:muteAll': z.object({ floor: z.enum(['end', 'pause']).optional() }),
  /** Host: allow one participant (or, without id, everybody) to unmute. */
  'media:allowUnmute': z.object({ participantId: participantId.optional() }),

  /** Host, secretary: replace a minutes section's text; `baseVersion` is the version edited. */
  'minutes:edit': z.object({ section, text: minutesText, baseVersion: z.number().int().min(0).max(1_000_000) }),
  /** Host, secretary: add an action item (owner, due date, what). */
  'minutes:addAction': z.object({
    owner: z.string().trim().min(1).max(64),
    due: isoDate.nullable().default(null),
    text: z.string().trim().min(1).max(2000),
  }),
  /** Host, secretary: remove an action item. */
  'minutes:removeAction': z.object({ actionId: z.string().min(1).max(64) }),
  /** Member, venue, observer: submit a written statement (书面发言). */
  'minutes:submitStatement': z.object({ text: z.string().trim().min(1).max(20_000) }),
  /** Host, secretary: send a speech section to its speaker for confirmation (核稿). */
  'minutes:requestConfirmation': z.object({ section: speechSection }),
  /** Speaker: my section is right. */
  'minutes:confirm': z.object({ section: speechSection }),
  /** Speaker: my section should read like this instead. */
  'minutes:proposeCorrection': z.object({ section: speechSection, text: minutesText }),
  /** Host, secretary: take the speaker's correction as the section's text. */
  'minutes:acceptCorrection': z.object({ section: speechSection }),
  /** Host, secretary: turn the speaker's correction down. */
  'minutes:rejectCorrection': z.object({ section: speechSection }),
  /** Host, secretary: lock the current version of the minutes at the log's chain head. */
  'minutes:lock': z.object({}),
  /** Host, secretary: start a new draft version after a lock. */
  'minutes:unlockNewVersion': z.object({}),
  /** Host: make the locked minutes downloadable by every invite of the room (or withdraw them). */
  'minutes:publish': z.object({ published: z.boolean() }),

  /**
   * Host: put an approved public comment on the stage (群众留言上屏), optionally asking a
   * department present to answer it on the floor. Only the id travels: the server reads the
   * comment itself from the comment store (see DecideContext.comment), never from the client.
   */
  'comment:stage': z.object({ commentId: z.string().min(1).max(64), askParticipantId: participantId.optional() }),
  /** Host: take the comment off the stage. */
  'comment:unstage': z.object({}),

  /** Host: start recording the program (录制中 for everyone). */
  'recording:start': z.object({}),
  /** Host: stop recording. */
  'recording:stop': z.object({}),
  /** Host: make the recording of the locked minutes available to the public, or withdraw it. */
  'recording:publish': z.object({ published: z.boolean() }),
} as const;

/** A client command's event name. */
export type ClientCommandType = keyof typeof CLIENT_COMMANDS;

/** The event names of client commands, in declaration order. */
export const CLIENT_COMMAND_TYPES = Object.keys(CLIENT_COMMANDS) as ClientCommandType[];

/** zod types an empty object as Record<string, never>; as a payload that means "no fields". */
type Fields<T> = string extends keyof T ? Record<never, never> : T;

/** A client command with its payload, as `decide` sees it. */
export type ClientCommand = {
  [T in ClientCommandType]: { type: T } & Fields<z.infer<(typeof CLIENT_COMMANDS)[T]>>;
}[ClientCommandType];

/** One kind of client command (or several), as the module deciding it receives it. */
export type Cmd<T extends ClientCommandType> = Extract<ClientCommand, { type: T }>;

/** Client command payloads on the wire: the command plus its id. */
export type ClientCommandPayload<T extends ClientCommandType> = Fields<z.input<(typeof CLIENT_COMMANDS)[T]>> & {
  commandId: string;
};

/** The part every command payload shares (the rest is stripped by the command's schema). */
export const CommandEnvelope = z.object({ commandId: CommandId });

/** Invite claims of an arriving participant (from a verified token). */
export const ArrivalSchema = z.object({
  participantId,
  /** The invite they came with: a removed person cannot come back on it. */
  inviteId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(64),
  role: z.enum(ROLES),
  venue: z.string().min(1).max(64),
  sector: z.string().max(64),
});

/** A venue of the consultation: `city` (主会场) or a district (分会场). */
export const VenueSchema = z.object({
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
  name: z.string().trim().min(1).max(64),
  /** Members expected from this venue, for the quorum gauge. */
  expectedMembers: z.number().int().min(0).max(10_000).default(0),
});

/** What creating a consultation takes. */
export const CreateRoomSchema = z.object({
  topic: z.string().trim().min(1).max(200),
  startsAt: z.number().int().positive().nullable().default(null),
  endsAt: z.number().int().positive().nullable().default(null),
  venues: z.array(VenueSchema).min(1).max(100),
  settings: SettingsSchema.omit({ locked: true }).partial().default({}),
});

/** Commands only the server issues. */
export type SystemCommand =
  | ({ type: 'system:arrive' } & z.infer<typeof ArrivalSchema>)
  | { type: 'system:reconnect'; participantId: string }
  | { type: 'system:disconnect'; participantId: string }
  | { type: 'system:leave'; participantId: string }
  /**
   * Staff took a comment back from the public (rejected or merged after approval): off the
   * stage if it is there, and its text out of the record (see stage.ts). Made by the server
   * when moderation changes a comment, never by a client.
   */
  | { type: 'system:commentWithdrawn'; commentId: string }
  /**
   * The server heard a participant's microphone carry live audio (server/media/MicActivity):
   * recorded when a roll call runs and it changes their standing (rollCall.ts).
   */
  | { type: 'system:micHeard'; participantId: string }
  /**
   * The server's recorder began writing a part of the recording (server/stream/RoomRecorder).
   * Refused unless the recording is on: a recorder that hears so stops.
   */
  | ({ type: 'system:recordingPart' } & RecordingPart)
  /** A timer fired: end the floor or close polls whose time is up. */
  | { type: 'system:tick' }
  /** The room is created (by the admin API). */
  | ({ type: 'system:create' } & z.infer<typeof CreateRoomSchema>);

/** Anything `decide` accepts. */
export type RoomCommand = ClientCommand | SystemCommand;
