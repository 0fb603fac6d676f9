/** Comments, chain entries and settings read back from a store, checked before they become values. */
import { z } from 'zod';
import { COMMENT_STATUSES, REJECT_REASONS, type CommentSettings, type StaffComment } from '../../signaling/comments/model.js';
import type { CommentEntry } from './chain.js';

const Answer = z.object({ department: z.string(), text: z.string(), answeredAt: z.number() });

export const StaffCommentJson: z.ZodType<StaffComment> = z.object({
  id: z.string(),
  roomId: z.string(),
  name: z.string(),
  place: z.string(),
  text: z.string(),
  createdAt: z.number(),
  status: z.enum(COMMENT_STATUSES),
  upvotes: z.number(),
  themes: z.array(z.string()),
  answer: Answer.nullable(),
  rejectReason: z.enum(REJECT_REASONS).nullable(),
  mergedInto: z.string().nullable(),
  heldFor: z.array(z.string()),
  moderatedAt: z.number().nullable(),
});

const head = { seq: z.number(), at: z.number(), hash: z.string() };
export const CommentEntryJson: z.ZodType<CommentEntry> = z.discriminatedUnion('type', [
  z.object({
    ...head,
    type: z.literal('submitted'),
    data: z.object({
      comment: z.object({ id: z.string(), name: z.string(), place: z.string(), text: z.string(), createdAt: z.number(), heldFor: z.array(z.string()) }),
    }),
  }),
  z.object({ ...head, type: z.literal('approved'), data: z.object({ commentId: z.string() }) }),
  z.object({ ...head, type: z.literal('rejected'), data: z.object({ commentId: z.string(), reason: z.enum(REJECT_REASONS) }) }),
  z.object({ ...head, type: z.literal('merged'), data: z.object({ commentId: z.string(), into: z.string(), upvotes: z.number() }) }),
  z.object({ ...head, type: z.literal('tagged'), data: z.object({ commentId: z.string(), themes: z.array(z.string()) }) }),
  z.object({ ...head, type: z.literal('upvoted'), data: z.object({ commentId: z.string(), countedFor: z.string(), upvotes: z.number() }) }),
  z.object({ ...head, type: z.literal('answered'), data: z.object({ commentId: z.string(), answer: Answer }) }),
]);

export const SettingsJson: z.ZodType<CommentSettings> = z.object({
  opensAt: z.number().nullable(),
  closesAt: z.number().nullable(),
  background: z.string(),
  themes: z.array(z.string()),
  heldWords: z.array(z.string()),
});
