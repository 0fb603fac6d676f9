/** The public ways in: a short link's invite, and a meeting number's public entry. */
import { z } from 'zod';
import { requestJson } from './http.js';

const Link = z.object({ token: z.string().min(1), url: z.string().min(1) });

/** What a meeting number leads to; `publicInvite` null: the room has no public link. */
export const MeetingSchema = z.object({
  meetingNumber: z.string(),
  topic: z.string(),
  startsAt: z.number().nullable(),
  ended: z.boolean(),
  publicInvite: Link.nullable(),
});

/** What a meeting number leads to. */
export type Meeting = z.infer<typeof MeetingSchema>;

/** `GET /api/links/:code`: the signed invite a short link stands for. */
export function lookupShortLink(code: string): Promise<z.infer<typeof Link>> {
  return requestJson(`/api/links/${encodeURIComponent(code)}`, Link);
}

/** `GET /api/meetings/:number`. */
export function lookupMeeting(number: string): Promise<Meeting> {
  return requestJson(`/api/meetings/${encodeURIComponent(number)}`, MeetingSchema);
}

/** The join page of an invite on this site (the path only: the page stays on this origin). */
export function joinPath(token: string): string {
  return `/join?invite=${encodeURIComponent(token)}`;
}
