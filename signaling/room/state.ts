/**
 * The state of a consultation room: the fold of its event log (see apply.ts). Plain data
 * only, so the server, every client and the tests share it as it is.
 */

import type { CommentCounts, CommentsSummary, StagedComment } from '../comments/model.js';

/** Who a participant is in the meeting (DESIGN.md, "Roles"). */
export const ROLES = ['host', 'secretary', 'member', 'venue', 'observer', 'department', 'public'] as const;
export type Role = (typeof ROLES)[number];

/** 发言 statement, 补充 supplement, 质询 question, 程序性问题 point of order. */
export const SPEECH_TYPES = ['statement', 'supplement', 'question', 'order'] as const;
export type SpeechType = (typeof SPEECH_TYPES)[number];

/** Where a participant is in the meeting's life. */
export type ParticipantStatus = 'lobby' | 'admitted' | 'denied' | 'removed' | 'left';

/** One stay in the meeting, for attendance. */
export type Presence = { joinedAt: number; leftAt: number | null };

/** A person (or a venue terminal) in the room. */
export type Participant = {
  id: string;
  /** The invite they came with. */
  inviteId: string;
  name: string;
  role: Role;
  /** `city` or a district id. */
  venue: string;
  /** 界别 label, free text from the invite. */
  sector: string;
  status: ParticipantStatus;
  /** Connected right now (a dropped connection within its grace period is offline). */
  online: boolean;
  presences: Presence[];
  /** Muted by the host: cannot unmute until allowed. */
  forceMuted: boolean;
  /** Speeches given so far (first-time speakers go ahead of repeat speakers). */
  speeches: number;
  /**
   * A venue terminal's last report of how many members sit in its hall (rollCall.ts): the
   * quorum counts them instead of the terminal as one. Absent until it reports (and on anyone else).
   */
  headcount?: { count: number; at: number };
};

/** A raised hand. */
export type QueueEntry = {
  participantId: string;
  type: SpeechType;
  note: string;
  raisedAt: number;
};

/** Who holds the floor: one person, or a whole venue (every participant of it). */
export type FloorHolder = { kind: 'participant'; participantId: string } | { kind: 'venue'; venue: string };

/** The floor while someone speaks. Time left is derived from these timestamps. */
export type Floor = {
  holder: FloorHolder;
  type: SpeechType;
  note: string;
  grantedAt: number;
  /** Speaking time granted, including extensions. */
  limitMs: number;
  /** Set while the host has paused the clock. */
  pausedAt: number | null;
  /** Time spent paused so far. */
  pausedMs: number;
  /**
   * On a point of order's floor: the speech it interrupted (speaking.ts), waiting with its clock
   * stopped at `at`; it takes the floor back when this one ends. Absent otherwise.
   */
  interrupted?: { floor: Floor; at: number };
  /** Points of order that interrupted this speech so far (absent if none). */
  interruptions?: Interruption[];
};

/** A stretch of a speech handed to a point of order: not spoken time. */
export type Interruption = { from: number; to: number };

/** Why a speech ended. */
export type SpeechEnd = 'revoked' | 'expired' | 'yielded';

/** One entry of the speech log. */
export type Speech = {
  holder: FloorHolder;
  /** The venue the speaker spoke for (the holder's venue). */
  venue: string;
  type: SpeechType;
  note: string;
  startedAt: number;
  endedAt: number;
  /** Time actually spoken, pauses excluded. */
  spokenMs: number;
  end: SpeechEnd;
  /** Points of order that interrupted it (already left out of `spokenMs`); absent if none. */
  interruptions?: Interruption[];
};

/** Poll kinds. */
export const POLL_KINDS = ['single', 'multiple', 'yesno', 'consensus'] as const;
export type PollKind = (typeof POLL_KINDS)[number];

/** Pass rules: none (a measurement only), more than half, at least two thirds of the votes. */
export const THRESHOLDS = ['none', 'simple', 'twoThirds'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

/**
 * What a pass rule counts against, chosen by whoever drafts the poll: the votes cast with
 * abstentions left out, the votes cast with abstentions counted (an abstention then weighs
 * like a vote against), or everybody eligible (not voting weighs like a vote against too).
 */
export const MAJORITY_BASES = ['cast', 'castWithAbstentions', 'eligible'] as const;
export type MajorityBasis = (typeof MAJORITY_BASES)[number];

/** Poll life: results are visible to non-hosts only once published. */
export type PollStatus = 'draft' | 'open' | 'closed' | 'published';

/** The outcome of a closed poll. */
export type PollResult = {
  /** Votes per option, in option order. */
  counts: number[];
  /** Ballots cast. */
  votes: number;
  /** Eligible voters when the poll opened. */
  eligible: number;
  /** Null when the poll has no quorum. */
  quorumMet: boolean | null;
  /** Null when the poll has no threshold. */
  passed: boolean | null;
  /** Reasons given with dissenting votes (consensus polls), never with a name on a secret poll. */
  reasons: string[];
  /** Results by venue and by sector (pollBreakdown.ts); absent in results closed before it. */
  breakdown?: PollBreakdown;
};

/** One group of a breakdown: a venue id or a sector label, its voters and their votes per option. */
export type PollGroup = { group: string; voters: number; counts: number[] };

/** One dimension of a breakdown: the groups shown, and every other voter merged into 其他. */
export type PollGroups = { groups: PollGroup[]; other: { voters: number; counts: number[] } };

/**
 * A poll's results by venue and by sector. `minGroup`: on a secret poll, the smallest group
 * shown (k, the room's setting at close; smaller ones are merged into `other`); null on a
 * named poll, which shows every group.
 */
export type PollBreakdown = { minGroup: number | null; byVenue: PollGroups; bySector: PollGroups };

/** A poll. */
export type Poll = {
  id: string;
  question: string;
  kind: PollKind;
  options: string[];
  minChoices: number;
  maxChoices: number;
  secret: boolean;
  allowChange: boolean;
  /** Share of eligible voters (percent) who must vote for the result to count; null: none. */
  quorumPercent: number | null;
  threshold: Threshold;
  /** What the threshold counts against. */
  basis: MajorityBasis;
  /** Auto-close this long after opening; null: closed by the host. */
  durationMs: number | null;
  /**
   * A second round: the closed poll it asks again (same question kind and options). Absent on a
   * first round (and so on every poll of logs written before second rounds).
   */
  roundOf?: string;
  status: PollStatus;
  createdAt: number;
  openedAt: number | null;
  closesAt: number | null;
  closedAt: number | null;
  /** Voters snapshotted at open: admitted members and venues. */
  eligible: string[];
  /** Who has voted (never what, on a secret poll). */
  voted: string[];
  /** Named polls: each voter's choices, as far as the viewer may see them. */
  choices: Record<string, number[]>;
  /** Named polls: reasons given with dissenting votes. */
  reasons: Record<string, string>;
  result: PollResult | null;
};

/** A roll call in progress or finished. */
export type RollCall = {
  startedAt: number;
  endedAt: number | null;
  /** Participants asked to confirm: the seats (attendance.ts), and any that came and answered since. */
  expected: string[];
  confirmed: Record<string, number>;
  /**
   * What the server observed of the microphones of those called (rollCall.ts): when it last
   * heard each one, as far as the log records it, and who confirmed sending no microphone at
   * all. Absent in a roll call of a log from before the roll call was checked by media, where
   * a confirm alone made a seat present.
   */
  media?: { heard: Record<string, number>; noMic: string[] };
};

/** Consultation facts fixed when the room is created. */
export type RoomInfo = {
  topic: string;
  /** Planned start and end (epoch ms); informational. */
  startsAt: number | null;
  endsAt: number | null;
  venues: Venue[];
};

/** A venue: `city` (主会场) or a district (分会场). */
export type Venue = { id: string; name: string; expectedMembers: number };

/** Room-wide settings the host may change. */
export type RoomSettings = {
  /** Nobody new may enter (the lobby still holds those already waiting). */
  locked: boolean;
  /** No lobby: participants are admitted as they arrive. */
  open: boolean;
  /**
   * Members, venues and observers are heard only while they hold the floor (the server keeps
   * their microphones paused otherwise). Off: everybody not muted by the host may talk.
   */
  floorOnly: boolean;
  /** Speaking time granted when the host gives none, in seconds. */
  defaultSpeechSeconds: number;
  /** The countdown turns to warning this many seconds before the limit. */
  warningSeconds: number;
  /** After the limit, the speaker may finish for this long before the floor ends. */
  graceSeconds: number;
  /** At most this many speeches per venue; null: no limit. */
  speechesPerVenue: number | null;
  /** Quorum of the meeting (percent of expected members present); null: none. */
  quorumPercent: number | null;
  /**
   * Secret polls' results by venue and sector merge any group smaller than this into 其他
   * (pollBreakdown.ts). Absent in rooms created before it: 5.
   */
  secretGroupMin?: number;
};

/**
 * A minutes section: `conclusions`, or `speech:<i>` for the speech at index i of
 * `RoomState.speeches`.
 */
export type SectionKey = string;

/** 核稿: where a speech section stands with its speaker. */
export type Confirmation =
  | { status: 'draft' }
  /** Sent to the speaker; waiting for their answer. */
  | { status: 'pending' }
  | { status: 'confirmed' }
  /** The speaker proposed this text instead; the secretary accepts or rejects it. */
  | { status: 'correctionProposed'; text: string };

/** One edited section of the minutes. */
export type MinutesSection = {
  text: string;
  /** 0 before the first edit; every change of the text adds one (edits name the version they base on). */
  version: number;
  confirmation: Confirmation;
};

/** An action item of the conclusions. */
export type ActionItem = { id: string; owner: string; due: string | null; text: string };

/** 书面发言: a statement submitted in writing instead of (or besides) speaking. */
export type WrittenStatement = { participantId: string; text: string; submittedAt: number };

/** What the secretary writes into the minutes (the rest of the record is read out of the log). */
export type MinutesContent = {
  sections: Record<SectionKey, MinutesSection>;
  actions: ActionItem[];
  statements: WrittenStatement[];
};

/**
 * A locked version of the minutes, tied to the log's chain head when it was locked and to the
 * SHA-256 of the record it locked. Its content is kept so that the version can still be
 * exported (and published) while a later version is being drafted.
 */
export type LockedVersion = {
  version: number;
  chainSeq: number;
  chainHash: string;
  /** SHA-256 (hex) of the canonical minutes record of this version, computed by the server. */
  contentHash: string;
  lockedAt: number;
  content: MinutesContent;
  /**
   * The comment store's summary taken at the lock (群众留言: counts, themes, most upvoted, its
   * chain head), so the locked record stands on its own. Absent in locks made before comments.
   */
  comments?: CommentsSummary;
  /** The recording's files as the server read them at the lock (录像). Absent when nothing was recorded. */
  recording?: RecordingSummary;
};

/**
 * One file of the recording: one run of the server's recorder, from `startedAt` (server clock,
 * epoch ms: the moment its time 0 shows) on. A recording is one part unless its recorder was
 * restarted or its process died and another took over.
 */
export type RecordingPart = { name: string; startedAt: number };

/** A part as read at the lock: its length, size and SHA-256 (hex), so any copy can be checked. */
export type RecordedPart = RecordingPart & { durationMs: number; bytes: number; sha256: string };

/** What the server read of the recording's files when the minutes were locked. */
export type RecordingSummary = { parts: RecordedPart[] };

/**
 * The recording (录像) of the meeting's program: whether it runs now (the 录制中 mark), the
 * stretches the host recorded, the files the server's recorder wrote, and whether the host
 * made it available to the public (after the minutes are locked).
 */
export type RecordingState = {
  on: boolean;
  stretches: { from: number; to: number | null }[];
  parts: RecordingPart[];
  published: boolean;
};

/**
 * What the meeting did with public comments: every comment put on the stage (as staged, with
 * the answer known when it came down), and the counts the store held when the meeting ended.
 */
export type CommentsRecord = {
  staged: StagedComment[];
  /** Null until the meeting ended (or when it ended without a comment store). */
  countsAtEnd: CommentCounts | null;
  /**
   * Staged comments staff later took back from the public, with the seq of that event: the
   * record leaves their text out from then on (a version locked before keeps what it locked).
   */
  withdrawn: Array<{ commentId: string; seq: number }>;
};

/** The minutes as the secretary edits them. */
export type MinutesState = {
  /** The draft version the sections belong to: 1, then one more after each unlock. */
  version: number;
  /** The current version is locked: nothing changes until a new version is started. */
  locked: boolean;
  sections: Record<SectionKey, MinutesSection>;
  actions: ActionItem[];
  /** Action items ever added, so ids are never reused after a removal. */
  actionsAdded: number;
  statements: WrittenStatement[];
  lockedVersions: LockedVersion[];
  /** The host made the locked minutes available to every invite of the room. */
  published: boolean;
};

/** The whole room. */
export type RoomState = {
  id: string;
  info: RoomInfo;
  settings: RoomSettings;
  createdAt: number;
  /** Seq and hash of the last event folded in. */
  seq: number;
  hash: string;
  participants: Record<string, Participant>;
  queue: { open: boolean; entries: QueueEntry[] };
  floor: Floor | null;
  speeches: Speech[];
  polls: Record<string, Poll>;
  pollOrder: string[];
  rollCall: RollCall | null;
  /** The host muted everybody; a participant may unmute once allowed individually. */
  allMuted: boolean;
  ended: boolean;
  minutes: MinutesState;
  /** The public comment on the meeting's stage (群众留言上屏), seen by everybody in the meeting. */
  stage: StagedComment | null;
  comments: CommentsRecord;
  recording: RecordingState;
};

/** Settings a room starts with. */
export const DEFAULT_SETTINGS: RoomSettings = {
  locked: false,
  open: false,
  floorOnly: true,
  defaultSpeechSeconds: 180,
  warningSeconds: 30,
  graceSeconds: 15,
  speechesPerVenue: null,
  quorumPercent: null,
  secretGroupMin: 5,
};

/**
 * Bump whenever RoomState changes shape: saved snapshots of another shape are then ignored
 * and the state is rebuilt from the log.
 */
export const ROOM_STATE_SHAPE = 8;

/** The state before the first event. */
export function emptyRoom(id: string): RoomState {
  return {
    id,
    info: { topic: '', startsAt: null, endsAt: null, venues: [] },
    settings: DEFAULT_SETTINGS,
    createdAt: 0,
    seq: 0,
    hash: '',
    participants: {},
    queue: { open: true, entries: [] },
    floor: null,
    speeches: [],
    polls: {},
    pollOrder: [],
    rollCall: null,
    allMuted: false,
    ended: false,
    minutes: { version: 1, locked: false, sections: {}, actions: [], actionsAdded: 0, statements: [], lockedVersions: [], published: false },
    stage: null,
    comments: { staged: [], countsAtEnd: null, withdrawn: [] },
    recording: { on: false, stretches: [], parts: [], published: false },
  };
}

/** Whoever looks at the room: what each part shows them follows from their role (visibility.ts). */
export type Viewer = { participantId: string; role: Role };
