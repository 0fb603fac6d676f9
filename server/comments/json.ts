/** Chain entries read back from a store, checked before they become values (the comments themselves: signaling/comments/schemas.ts). */
import { z } from 'zod';
import { REJECT_REASONS } from '../../signaling/comments/model.js';
import { CommentAnswerSchema } from '../../signaling/comments/schemas.js';
import type { CommentEntry } from './chain.js';

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
  z.object({ ...head, type: z.literal('answered'), data: z.object({ commentId: z.string(), answer: CommentAnswerSchema }) }),
]);
