/**
 * Checks of a comment's shapes where they cross a boundary: the client reads them from the HTTP
 * API, the server reads them back from its store. One schema per shape, shared by both sides,
 * each held to its type in model.ts.
 */
import { z } from 'zod';
import { COMMENT_STATUSES, REJECT_REASONS, type CommentAnswer, type CommentCounts, type CommentSettings, type PublicComment, type StaffComment } from './model.js';

export const CommentAnswerSchema = z.object({ department: z.string(), text: z.string(), answeredAt: z.number() }) satisfies z.ZodType<CommentAnswer>;

export const PublicCommentSchema = z.object({
  id: z.string().min(1),
  roomId: z.string(),
  name: z.string(),
  place: z.string(),
  text: z.string(),
  createdAt: z.number(),
  status: z.enum(COMMENT_STATUSES),
  upvotes: z.number().int().nonnegative(),
  themes: z.array(z.string()),
  answer: CommentAnswerSchema.nullable(),
}) satisfies z.ZodType<PublicComment>;

export const StaffCommentSchema = PublicCommentSchema.extend({
  rejectReason: z.enum(REJECT_REASONS).nullable(),
  mergedInto: z.string().nullable(),
  heldFor: z.array(z.string()),
  moderatedAt: z.number().nullable(),
}) satisfies z.ZodType<StaffComment>;

export const CommentCountsSchema = z.object({
  received: z.number(),
  pending: z.number(),
  approved: z.number(),
  rejected: z.number(),
  merged: z.number(),
  answered: z.number(),
  upvotes: z.number(),
}) satisfies z.ZodType<CommentCounts>;

export const CommentSettingsSchema = z.object({
  opensAt: z.number().nullable(),
  closesAt: z.number().nullable(),
  background: z.string(),
  themes: z.array(z.string()),
  heldWords: z.array(z.string()),
}) satisfies z.ZodType<CommentSettings>;
