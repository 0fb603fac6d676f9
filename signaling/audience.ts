/**
 * The audience (群众 with the public link): counted, not listed. A viewer is not a participant
 * of the meeting: its arrival is no room event, it is in nobody's list, and it receives one
 * public-safe view of the meeting, batched, plus the meeting's program as media.
 */
import { z } from 'zod';
import type { CommentCounts, PublicComment, StagedComment } from './comments/model.js';
import type { PollKind, PollResult, SpeechType } from './room/state.js';

/** `audience:join`: enter as a viewer with the public link's invite. */
export const AudienceJoin = z.object({
  protocolVersion: z.number().int(),
  invite: z.string().min(1).max(4096),
});
export type AudienceJoin = z.infer<typeof AudienceJoin>;

/**
 * `audience:comments`: the viewer's page shows the comments now (`follow: true`), or no longer
 * does. Only a viewer that follows is sent `comments:changed`: most of a large audience watches
 * the 直播 tab, and a flood of comments would otherwise be a message to every one of them.
 */
export const AudienceFollowComments = z.object({ follow: z.boolean() });
export type AudienceFollowComments = z.infer<typeof AudienceFollowComments>;

/** A published poll as the public sees it (no names, ever); `kind` tells fixed options (yes/no, consensus) to translate. */
export type PublicResult = { pollId: string; kind: PollKind; question: string; options: string[]; result: PollResult };

/** Who has the floor, as the public sees it. */
export type PublicFloor = {
  /** The speaker's display name, or the venue's name when a whole venue holds the floor. */
  name: string;
  venue: string;
  type: SpeechType;
  grantedAt: number;
  limitMs: number;
  pausedAt: number | null;
  pausedMs: number;
};

/** Everything a viewer sees of the meeting: small, the same for every viewer, sent whole. */
export type PublicView = {
  roomId: string;
  topic: string;
  startsAt: number | null;
  /** The meeting's stage: before it starts, running, or over. */
  phase: 'waiting' | 'live' | 'ended';
  floor: PublicFloor | null;
  /** The public comment on stage, if any. */
  stage: StagedComment | null;
  /** 录制中: the meeting is being recorded now. */
  recording: boolean;
  /** The host published the recording (after the minutes were locked): the page offers it. */
  recordingPublished: boolean;
  /** Published poll results, in the order the polls were created. */
  results: PublicResult[];
  /** 在线观众 (viewers connected now, every process together) and 累计访问 (visits in all). */
  audience: { online: number; visits: number };
};

// The answers to `audience:join` and `audience:watch` (AudienceJoined, AudienceWatched) are in
// protocol.ts beside the media types they carry: this file stays free of the protocol's imports.

/**
 * A new comment event for everybody who sees the comments live (public and meeting alike):
 * the comments that changed, and the room's published and answered counts when they were read
 * (missing only when the store could not be read; a page then keeps its last counts).
 */
export type CommentsChanged = { roomId: string; comments: PublicComment[]; counts?: Pick<CommentCounts, 'approved' | 'answered'> };
