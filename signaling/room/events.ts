/**
 * Room events: what happened, as recorded in the log. `decide` makes them, `apply` folds them.
 * Each variant carries only its own data.
 */
import type { CommentAnswer, CommentCounts, CommentsSummary, StagedComment } from '../comments/model.js';
import type {
  FloorHolder,
  MajorityBasis,
  PollKind,
  PollResult,
  RecordingPart,
  RecordingSummary,
  Role,
  RoomInfo,
  RoomSettings,
  SectionKey,
  SpeechEnd,
  SpeechType,
  Threshold,
} from './state.js';

/** A grant past a venue's speech quota, as the log records it: the venue and where it stood. */
export type QuotaOverride = { venue: string; used: number; limit: number };

/** Event data by event type. */
export type RoomEventData = {
  /** The room was created with its consultation facts. */
  'room.created': { info: RoomInfo; settings: RoomSettings };
  /** Settings changed (lock, open lobby, timing, limits). */
  'room.settingsChanged': { settings: Partial<RoomSettings> };
  /**
   * The host ended the meeting. `comments`: the comment store's counts at that moment, so the
   * record states what the meeting received (absent without a comment store, and in older logs).
   */
  'room.ended': { comments?: CommentCounts };
  /** The host handed the chair to `to` (now host); `from` stays on as an observer (列席). */
  'room.chairHandedOver': { from: string; to: string };

  /** Someone arrived; `admitted` false puts them in the lobby. */
  'participant.arrived': {
    participantId: string;
    inviteId: string;
    name: string;
    role: Role;
    venue: string;
    sector: string;
    admitted: boolean;
  };
  /**
   * Someone opened their invite after the meeting ended, to answer for the minutes (核稿,
   * written statements) or to finish them: no attendance, no media.
   */
  'participant.arrivedForReview': {
    participantId: string;
    inviteId: string;
    name: string;
    role: Role;
    venue: string;
    sector: string;
  };
  /** A participant's connection came back (resume). */
  'participant.reconnected': { participantId: string };
  /** A participant's connection dropped; they may resume. */
  'participant.disconnected': { participantId: string };
  /** A participant left for good (or their grace period ran out). */
  'participant.left': { participantId: string };
  /** The host let lobby participants in. */
  'participant.admitted': { participantIds: string[] };
  /** The host turned a lobby participant away. */
  'participant.denied': { participantId: string };
  /** The host removed a participant from the meeting. */
  'participant.removed': { participantId: string };

  /** A hand went up. */
  'queue.handRaised': { participantId: string; type: SpeechType; note: string };
  /** A hand went down (withdrawn, removed by the host, or lowered with all). */
  'queue.handLowered': { participantIds: string[] };
  /** The host put the queue in a new order (the full order of participant ids). */
  'queue.reordered': { order: string[] };
  /** The list of speakers closed or reopened. */
  'queue.openChanged': { open: boolean };

  /**
   * The floor was given. `quotaOverride`: the holder's venue had used its speeches
   * (RoomSettings.speechesPerVenue) and the chair gave the floor anyway; absent otherwise.
   */
  'floor.granted': { holder: FloorHolder; type: SpeechType; note: string; limitMs: number; quotaOverride?: QuotaOverride };
  /** More speaking time. */
  'floor.extended': { byMs: number };
  /** The clock stopped. */
  'floor.paused': Record<string, never>;
  /** The clock runs again. */
  'floor.resumed': Record<string, never>;
  /**
   * The speech ended. On a point of order that interrupted a speech, that speech takes the
   * floor back, its clock where it stopped (speaking.ts).
   */
  'floor.ended': { end: SpeechEnd };
  /**
   * The host paused the current speech and gave the floor to a queued point of order
   * (`holder`); the speech waits until the point of order ends.
   */
  'floor.interrupted': { holder: FloorHolder; note: string; limitMs: number };
  /** The host ended the speech a point of order interrupted: it will not resume. */
  'floor.interruptedRevoked': Record<string, never>;

  /** A poll was drafted. */
  'poll.created': {
    pollId: string;
    question: string;
    kind: PollKind;
    options: string[];
    minChoices: number;
    maxChoices: number;
    secret: boolean;
    allowChange: boolean;
    quorumPercent: number | null;
    threshold: Threshold;
    /**
     * Absent in logs written before the organiser chose a basis: those polls counted the
     * votes cast with abstentions left out, and still fold to that.
     */
    basis?: MajorityBasis;
    durationMs: number | null;
    /** A second round: the poll it asks again; absent on a first round. */
    roundOf?: string;
  };
  /** Voting started; the eligible voters are fixed now. */
  'poll.opened': { pollId: string; eligible: string[]; closesAt: number | null };
  /**
   * A vote was cast or changed. `choices` is absent on secret polls (their ballots are kept
   * apart from the log) and in what non-hosts receive before publication.
   */
  'poll.voted': { pollId: string; voterId: string; choices?: number[]; reason?: string };
  /** Voting ended; `result` is absent in what non-hosts receive. */
  'poll.closed': { pollId: string; result?: PollResult };
  /** The result was made public. */
  'poll.published': { pollId: string; result: PollResult };

  /**
   * The host started a roll call of those present. `media`: checked by media (a seat is present
   * when it confirms and its microphone is heard); absent in older logs, whose confirms suffice.
   */
  'rollCall.started': { expected: string[]; media?: true };
  /**
   * A participant answered the roll call. In a roll call checked by media: `heardAt`, when the
   * server last heard their microphone within the minute before (null: not heard), and `mic`,
   * whether they sent a microphone at all. Both are the server's observation, never the client's.
   */
  'rollCall.confirmed': { participantId: string; heardAt?: number | null; mic?: boolean };
  /** The server heard the microphone of someone called (recorded when it changes their standing). */
  'rollCall.heard': { participantId: string };
  /** A venue terminal reported how many members sit in its hall. */
  'rollCall.headcount': { participantId: string; venue: string; count: number };
  /** The roll call closed. */
  'rollCall.ended': Record<string, never>;

  /** The host muted one participant (they cannot unmute until allowed). */
  'media.forceMuted': { participantId: string };
  /** The host muted everybody but the floor. */
  'media.allMuted': Record<string, never>;
  /** The host allowed participants to unmute again. */
  'media.unmuteAllowed': { participantIds: string[] };

  /**
   * A minutes section got a new text and version. `speakerId` (the speech's speaker; null for
   * conclusions and venue speeches) may see the text besides the host and the secretary; to
   * everyone else `text` is absent (see visibility.ts).
   */
  'minutes.edited': { section: SectionKey; version: number; speakerId: string | null; text?: string };
  /** An action item was added; `item` is absent in what non-staff receive. */
  'minutes.actionAdded': { actionId: string; item?: { owner: string; due: string | null; text: string } };
  /** An action item was removed. */
  'minutes.actionRemoved': { actionId: string };
  /** A written statement (书面发言); `text` is absent in what others than staff and its author receive. */
  'minutes.statementSubmitted': { participantId: string; text?: string };
  /** The secretary sent a speech section to its speaker for confirmation. */
  'minutes.confirmationRequested': { section: SectionKey };
  /** The speaker confirmed their section. */
  'minutes.confirmed': { section: SectionKey };
  /** The speaker proposed a corrected text; `text` is withheld like an edit's. */
  'minutes.correctionProposed': { section: SectionKey; speakerId: string; text?: string };
  /** The secretary took the correction as the section's new version (now confirmed). */
  'minutes.correctionAccepted': { section: SectionKey; version: number; speakerId: string | null; text?: string };
  /** The secretary turned the correction down; the section waits for the speaker again. */
  'minutes.correctionRejected': { section: SectionKey };
  /**
   * The current version was locked at this point of the log; `contentHash` is the SHA-256 of
   * its canonical record (signaling/record), which every export of the version carries.
   */
  'minutes.locked': {
    version: number;
    chainSeq: number;
    chainHash: string;
    contentHash: string;
    /**
     * The comment store's summary read at the lock (群众留言), part of the locked record and so
     * covered by `contentHash`; absent without a comment store, and in older logs.
     */
    comments?: CommentsSummary;
    /** The recording's files as the server read them at the lock; absent when nothing was recorded. */
    recording?: RecordingSummary;
  };
  /** A new draft version was started after a lock. */
  'minutes.unlocked': { version: number };
  /** The host made the locked minutes available to every invite of the room, or withdrew them. */
  'minutes.published': { published: boolean };

  /**
   * The chair put an approved public comment on the stage (群众留言上屏), replacing any other;
   * `comment` is the comment as the store held it then, so the log does not depend on the store.
   */
  'comment.staged': { comment: StagedComment };
  /** The chair took the comment off the stage; `answer`: its department answer known by then. */
  'comment.unstaged': { commentId: string; answer: CommentAnswer | null };
  /**
   * Staff took a comment that was on the stage back from the public (rejected, say, for the
   * personal data it holds): it leaves the stage, and the record keeps only that it was shown.
   */
  'comment.withdrawn': { commentId: string };

  /** The host started the recording (录制中 from here on for everyone). */
  'recording.started': Record<string, never>;
  /** The host stopped it, or the meeting ended while it ran. */
  'recording.stopped': Record<string, never>;
  /** The server's recorder began a file whose time 0 shows `startedAt` (see RecordingPart). */
  'recording.partStarted': RecordingPart;
  /** The host made the recording available to everybody with the room's public link, or withdrew it. */
  'recording.published': { published: boolean };
};

/** An event type. */
export type RoomEventType = keyof RoomEventData;

/** An event as decided, before the log gives it a place. */
export type NewRoomEvent = {
  [T in RoomEventType]: { type: T; data: RoomEventData[T] };
}[RoomEventType];

/** Who caused an event: a participant id, `system` (timers, the server), or `admin`. */
export type Actor = string;

/** An event in the log. */
export type RoomEvent = NewRoomEvent & {
  /** 1, 2, 3 … per room. */
  seq: number;
  /** Server time, epoch ms. */
  at: number;
  actor: Actor;
  /** SHA-256 (hex) over the previous event's hash and this event. */
  hash: string;
};

/** The bytes an event's hash covers, after the previous hash: stable key order. */
export function canonicalEvent(event: Omit<RoomEvent, 'hash'>): string {
  return canonicalJson({ seq: event.seq, at: event.at, actor: event.actor, type: event.type, data: event.data });
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
