/** The public ways in: a short link's invite, and a meeting number's public entry (signaling/http/links.ts). */
import { LINK_ROUTES, Meeting, ShortLink } from '../../../signaling/http/links.js';
import { requestJson } from './http.js';

export type { Meeting } from '../../../signaling/http/links.js';

/** `GET /api/links/:code`: the signed invite a short link stands for. */
export function lookupShortLink(code: string): Promise<ShortLink> {
  return requestJson(LINK_ROUTES.link.path({ code }), ShortLink);
}

/** `GET /api/meetings/:number`. */
export function lookupMeeting(number: string): Promise<Meeting> {
  return requestJson(LINK_ROUTES.meeting.path({ number }), Meeting);
}

/** The join page of an invite on this site (the path only: the page stays on this origin). */
export function joinPath(token: string): string {
  return `/join?invite=${encodeURIComponent(token)}`;
}
