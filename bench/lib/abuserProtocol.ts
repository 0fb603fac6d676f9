/**
 * Messages between bench/abuse.ts (the honest clients and the measurements) and its abuser
 * process (lib/abuser.ts). Checked with zod on both sides: a process boundary is a boundary
 * like any other.
 */
import { z } from 'zod';

/** What the abuser process is given when it starts (its one command-line argument, as JSON). */
export const AbuserOptions = z.object({
  url: z.string(),
  /** The abusive member's personal invite. */
  memberInvite: z.string(),
  /** The room, for expired invites that name it. */
  roomId: z.string(),
  /** The server's INVITE_SECRET, to sign invites that are genuine but expired. */
  inviteSecret: z.string(),
  /** Local address of the member's sockets. */
  memberAddress: z.string(),
  /** Local address of the forged joins and of the sockets that never join. */
  strangerAddress: z.string(),
  /** Requests each flooding socket keeps in flight. */
  window: z.number().int().min(1),
  /** Sockets of the member's invite in the `several-sockets` flood. */
  memberSockets: z.number().int().min(2),
  /** Sockets flooding `room:join` with bad invites. */
  joinSockets: z.number().int().min(1),
  /** Sockets that connect and never join. */
  idleSockets: z.number().int().min(0),
});
export type AbuserOptions = z.infer<typeof AbuserOptions>;

/** How the member floods: its one joined socket, or several sockets of its invite. */
export const FloodMode = z.enum(['one-socket', 'several-sockets']);
export type FloodMode = z.infer<typeof FloodMode>;

/** main → abuser. */
export const ToAbuser = z.discriminatedUnion('type', [
  /** Start every flood (votes go to `pollId`); answer `started`. */
  z.object({ type: z.literal('start'), mode: FloodMode, pollId: z.string() }),
  /** Stop sending, let what is in flight answer, close the extra sockets; answer `report`. */
  z.object({ type: z.literal('stop') }),
  /** Disconnect everything and exit. */
  z.object({ type: z.literal('close') }),
]);
export type ToAbuser = z.infer<typeof ToAbuser>;

/**
 * Answers to one kind of request: accepted, refused RATE_LIMITED (with or without a
 * `retryAfterMs`), refused with another code, or never answered.
 */
export const Tally = z.object({
  sent: z.number(),
  ok: z.number(),
  rateLimited: z.number(),
  /** RATE_LIMITED answers without a `retryAfterMs`: the protocol promises one. */
  rateLimitedWithoutRetry: z.number(),
  /** Other error codes and how often. */
  errors: z.record(z.string(), z.number()),
  /** Sent but not answered when the phase's grace for answers was over. */
  unanswered: z.number(),
});
export type Tally = z.infer<typeof Tally>;

/** What the abuser did during one phase. */
export const AbuseReport = z.object({
  mode: FloodMode,
  durationMs: z.number(),
  /** (a) the member's commands by kind: `queue:raise`, `queue:withdraw`, `poll:vote`, `junk`. */
  commands: z.record(z.string(), Tally),
  /** (a) the member's joins with its own invite (several-sockets: each takes the seat over). */
  memberJoins: Tally,
  /** (a) the member's sockets the server dropped while they flooded, by reason (`replaced`, a transport close…). */
  memberDrops: z.record(z.string(), z.number()),
  /** (b) `room:join` with forged and expired invites. */
  forgedJoins: Tally,
  /** (b) sockets of (b) the server dropped. */
  forgedSocketDrops: z.number(),
  /** (c) connections made that never join, how many the server closed; failed connects of (b) and (c). */
  idle: z.object({ connected: z.number(), droppedByServer: z.number(), connectErrors: z.number() }),
  /** Shortest and longest `retryAfterMs` seen (ms); null without any. */
  retryAfterMs: z.object({ min: z.number(), max: z.number() }).nullable(),
  /** Is a socket of the member still joined after the phase (the room keeps its shape)? */
  memberStillJoined: z.boolean(),
});
export type AbuseReport = z.infer<typeof AbuseReport>;

/** abuser → main. */
export const FromAbuser = z.discriminatedUnion('type', [
  /** The member's socket joined (in the lobby until the host admits everybody). */
  z.object({ type: z.literal('ready'), participantId: z.string() }),
  z.object({ type: z.literal('started') }),
  z.object({ type: z.literal('report'), report: AbuseReport }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type FromAbuser = z.infer<typeof FromAbuser>;
