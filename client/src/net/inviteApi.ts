/** What a join page learns from its invite link before joining (`GET /api/invites/:token`). */
import { z } from 'zod';
import { InviteClaims } from '../../../signaling/invite.js';
import { VenueSchema } from '../../../signaling/room/commands.js';
import { requestJson } from './http.js';

/** The consultation as the invite info and room info endpoints describe it. */
export const RoomSummarySchema = z.object({
  roomId: z.string(),
  topic: z.string(),
  startsAt: z.number().nullable(),
  endsAt: z.number().nullable(),
  venues: z.array(VenueSchema),
});

/** The body of `GET /api/invites/:token`: the consultation, and whether it is over. */
export const InviteInfoSchema = z.object({
  invite: InviteClaims,
  room: RoomSummarySchema.extend({ ended: z.boolean(), minutesPublished: z.boolean() }),
});

/** The consultation an invite opens. */
export type RoomSummary = z.infer<typeof RoomSummarySchema>;

/** An invite's claims and its consultation. */
export type InviteInfo = z.infer<typeof InviteInfoSchema>;

/** Fetches and checks what an invite grants; a bad or expired token fails with UNAUTHORIZED. */
export function fetchInviteInfo(token: string): Promise<InviteInfo> {
  return requestJson(`/api/invites/${encodeURIComponent(token)}`, InviteInfoSchema);
}

/** The QR code image of an invite's join link. */
export function inviteQrUrl(token: string): string {
  return `/api/invites/${encodeURIComponent(token)}/qr.svg`;
}
