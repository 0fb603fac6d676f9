/**
 * The public ways in that a person types or scans, shared by server/http/linkRoutes.ts and the
 * pages (client/src/net/linkApi.ts). Both lookups are limited per address; failures answer
 * signaling/http/errors.ts's ApiErrorBody.
 *
 *   GET /links/:code        a short link `/j/<code>`  → ShortLink
 *   GET /meetings/:number   a meeting number (会议号)  → Meeting
 */
import { z } from 'zod';
import { MEETING_NUMBER, normalizeMeetingNumber, SHORT_CODE } from '../shortLinks.js';
import { apiRoute } from './route.js';

/** The routes. */
export const LINK_ROUTES = {
  link: apiRoute('/links/:code'),
  meeting: apiRoute('/meetings/:number'),
} as const;

/** A short code in a path. */
export const ShortCodeParam = z.string().regex(SHORT_CODE, 'a short code is 8 letters and digits');

/** A meeting number in a path, as typed (spaces and dashes allowed), normalized to 9 digits. */
export const MeetingNumberParam = z
  .string()
  .max(32)
  .transform(normalizeMeetingNumber)
  .pipe(z.string().regex(MEETING_NUMBER, 'a meeting number is 9 digits'));

/** GET /links/:code: the signed invite a short link stands for, and its join link. */
export const ShortLink = z.object({ token: z.string().min(1), url: z.string().min(1) });
/** GET /links/:code */
export type ShortLink = z.infer<typeof ShortLink>;

/** GET /meetings/:number: what a meeting number leads to; `publicInvite` null: the room has no public link. */
export const Meeting = z.object({
  meetingNumber: z.string(),
  topic: z.string(),
  startsAt: z.number().nullable(),
  ended: z.boolean(),
  publicInvite: ShortLink.nullable(),
});
/** GET /meetings/:number */
export type Meeting = z.infer<typeof Meeting>;
