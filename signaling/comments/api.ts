/**
 * The HTTP contract of public comments: one zod schema per request body and one type per
 * response, shared by server/http/commentRoutes.ts and client/src/net/commentsApi.ts.
 *
 * Routes (all under /api; errors are `{ error: ErrorCode, detail, retryAfterMs? }` with a 4xx):
 *   GET  /comments/:roomId?sort=hot|new            public page data           (any invite of the room)
 *   POST /comments/:roomId                          submit a comment            (any invite of the room)
 *   POST /comments/:roomId/:commentId/upvote        one upvote per browser      (any invite of the room)
 *   GET  /comments/:roomId/approved.csv             approved comments as CSV    (any invite of the room)
 *   GET  /comments/:roomId/moderation?status=…      staff view of comments      (host, secretary)
 *   POST /comments/:roomId/:commentId/moderate      approve, reject, merge, tag (host, secretary)
 *   POST /comments/:roomId/:commentId/answer        a department's answer       (department)
 *   GET  /comments/:roomId/export.csv               every comment as CSV        (host, secretary)
 *   GET  /comments/:roomId/export.json              every comment with the hash chain, to verify (host, secretary)
 *   GET  /admin/rooms/:roomId/comments              the organiser's settings    (admin secret)
 *   PUT  /admin/rooms/:roomId/comments              set them                    (admin secret)
 *
 * An invite is presented as `Authorization: Bearer <invite token>`. A browser is recognised by
 * an HTTP-only signed cookie the server sets on its first request (one upvote per comment per
 * browser; a commenter sees their own pending comments).
 */
import { z } from 'zod';
import { apiRoute } from '../http/route.js';
import { COMMENT_LIMITS, COMMENT_STATUSES, REJECT_REASONS, type CommentCounts, type CommentSettings, type PublicComment, type StaffComment } from './model.js';
import { CommentAnswerSchema, CommentCountsSchema, CommentSettingsSchema, PublicCommentSchema, StaffCommentSchema } from './schemas.js';

/** The routes (see the list above). */
export const COMMENT_ROUTES = {
  page: apiRoute('/comments/:roomId'),
  approvedCsv: apiRoute('/comments/:roomId/approved.csv'),
  exportCsv: apiRoute('/comments/:roomId/export.csv'),
  exportJson: apiRoute('/comments/:roomId/export.json'),
  moderation: apiRoute('/comments/:roomId/moderation'),
  upvote: apiRoute('/comments/:roomId/:commentId/upvote'),
  moderate: apiRoute('/comments/:roomId/:commentId/moderate'),
  answer: apiRoute('/comments/:roomId/:commentId/answer'),
  settings: apiRoute('/admin/rooms/:roomId/comments'),
} as const;

/** Trimmed text of at most `max` code points (Chinese counts one per character). */
const text = (max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .refine((s) => [...s].length <= max, `at most ${max} characters`);

const epochMs = z.number().int().min(0).max(8.64e15);

/** POST /comments/:roomId */
export const SubmitComment = z.object({
  name: text(COMMENT_LIMITS.name).refine((s) => s.length > 0, 'a display name is needed'),
  place: text(COMMENT_LIMITS.place).default(''),
  text: text(COMMENT_LIMITS.text).refine((s) => s.length > 0, 'the comment is empty'),
});
export type SubmitComment = z.infer<typeof SubmitComment>;

/** POST /comments/:roomId/:commentId/moderate */
export const ModerateComment = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve') }),
  z.object({ action: z.literal('reject'), reason: z.enum(REJECT_REASONS) }),
  /** Fold a duplicate into `into` (an approved or pending comment of the same room). */
  z.object({ action: z.literal('merge'), into: z.string().min(1).max(64) }),
  /** Replace the comment's themes (each from the organiser's list). */
  z.object({ action: z.literal('tag'), themes: z.array(text(COMMENT_LIMITS.theme)).max(COMMENT_LIMITS.themes) }),
]);
export type ModerateComment = z.infer<typeof ModerateComment>;

/** POST /comments/:roomId/:commentId/answer */
export const AnswerComment = z.object({
  text: text(COMMENT_LIMITS.answer).refine((s) => s.length > 0, 'the answer is empty'),
});
export type AnswerComment = z.infer<typeof AnswerComment>;

/** PUT /admin/rooms/:roomId/comments */
export const CommentSettingsInput = z
  .object({
    opensAt: epochMs.nullable(),
    closesAt: epochMs.nullable(),
    background: text(COMMENT_LIMITS.background),
    themes: z.array(text(COMMENT_LIMITS.theme).refine((s) => s.length > 0, 'a theme needs a name')).max(COMMENT_LIMITS.themes),
    heldWords: z.array(text(COMMENT_LIMITS.heldWord).refine((s) => s.length > 0, 'an empty word')).max(COMMENT_LIMITS.heldWords),
  })
  .refine((s) => s.opensAt === null || s.closesAt === null || s.closesAt > s.opensAt, 'comments must close after they open');
export type CommentSettingsInput = z.infer<typeof CommentSettingsInput>;

/** ?sort= of the public list: 最热 (upvotes) or 最新 (newest first). */
export const CommentSort = z.enum(['hot', 'new']).default('hot');
export type CommentSort = z.infer<typeof CommentSort>;

/**
 * ?offset= of the public list: how many of that order the page already has, so the server sends
 * the next ones (显示更多 past the first page). A position, not a cursor: a comment that moves
 * in the order meanwhile may come twice (pages keep one of each) or, in 最热, be passed over
 * until a live change brings it.
 */
export const CommentOffset = z
  .string()
  .regex(/^\d{1,7}$/, 'not an offset')
  .transform(Number)
  .optional();

/** ?status= of the staff list. */
export const CommentStatusFilter = z.enum(COMMENT_STATUSES).optional();

/** GET /comments/:roomId */
export type PublicCommentsPage = {
  room: { roomId: string; topic: string; startsAt: number | null; ended: boolean };
  /** The organiser's settings the public sees (no held words). */
  settings: Pick<CommentSettings, 'opensAt' | 'closesAt' | 'background' | 'themes'>;
  /** Comments are accepted right now. */
  open: boolean;
  comments: PublicComment[];
  /** This browser's own comments still awaiting review (shown only to it, marked as such). */
  mine: PublicComment[];
  /** Ids of the comments this browser has upvoted. */
  upvoted: string[];
  counts: Pick<CommentCounts, 'approved' | 'answered'>;
};

/** POST /comments/:roomId → 201 */
export type SubmittedComment = { comment: PublicComment };

/** POST …/upvote */
export type Upvoted = { commentId: string; upvotes: number };

/**
 * GET /comments/:roomId/moderation: the comments of every status (or of ?status=), at most 500
 * of each: the queue's oldest (worked from its head) and the others' newest, and with them the
 * 100 most upvoted published ones.
 */
export type ModerationPage = { comments: StaffComment[]; counts: CommentCounts; settings: CommentSettings };

/** POST …/moderate and …/answer */
export type ModeratedComment = { comment: StaffComment };

// The answers' schemas, which the pages, the tests and the benches parse them with; each is
// checked against its type above, which the server builds its answers as.

/** GET /comments/:roomId */
export const PublicCommentsPageSchema = z.object({
  room: z.object({ roomId: z.string(), topic: z.string(), startsAt: z.number().nullable(), ended: z.boolean() }),
  settings: CommentSettingsSchema.omit({ heldWords: true }),
  open: z.boolean(),
  comments: z.array(PublicCommentSchema),
  mine: z.array(PublicCommentSchema),
  upvoted: z.array(z.string()),
  counts: CommentCountsSchema.pick({ approved: true, answered: true }),
}) satisfies z.ZodType<PublicCommentsPage>;

/** POST /comments/:roomId → 201 */
export const SubmittedCommentSchema = z.object({ comment: PublicCommentSchema }) satisfies z.ZodType<SubmittedComment>;

/** POST …/upvote */
export const UpvotedSchema = z.object({ commentId: z.string(), upvotes: z.number().int().nonnegative() }) satisfies z.ZodType<Upvoted>;

/** GET /comments/:roomId/moderation */
export const ModerationPageSchema = z.object({
  comments: z.array(StaffCommentSchema),
  counts: CommentCountsSchema,
  settings: CommentSettingsSchema,
}) satisfies z.ZodType<ModerationPage>;

/** POST …/moderate and …/answer */
export const ModeratedCommentSchema = z.object({ comment: StaffCommentSchema }) satisfies z.ZodType<ModeratedComment>;

/** One entry of a room's comment chain as GET …/export.json lists it (server/comments/chain.ts's CommentEntry). */
const entry = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ seq: z.number().int().positive(), at: z.number(), hash: z.string(), type: z.literal(type), data });

/** GET /comments/:roomId/export.json: every comment with the hash chain that produced them, to verify. */
export const CommentExportSchema = z.object({
  roomId: z.string(),
  comments: z.array(StaffCommentSchema),
  chain: z.array(
    z.discriminatedUnion('type', [
      entry(
        'submitted',
        z.object({
          comment: z.object({ id: z.string(), name: z.string(), place: z.string(), text: z.string(), createdAt: z.number(), heldFor: z.array(z.string()) }),
        }),
      ),
      entry('approved', z.object({ commentId: z.string() })),
      entry('rejected', z.object({ commentId: z.string(), reason: z.enum(REJECT_REASONS) })),
      entry('merged', z.object({ commentId: z.string(), into: z.string(), upvotes: z.number().int().nonnegative() })),
      entry('tagged', z.object({ commentId: z.string(), themes: z.array(z.string()) })),
      entry('upvoted', z.object({ commentId: z.string(), countedFor: z.string(), upvotes: z.number().int().nonnegative() })),
      entry('answered', z.object({ commentId: z.string(), answer: CommentAnswerSchema })),
    ]),
  ),
});
