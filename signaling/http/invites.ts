/**
 * The public reads of an invite and its room, which a join page makes before joining (no
 * secret: the invite token in the path is the credential).
 *
 *   GET /rooms/:roomId               the room's fixed facts         → RoomSummary
 *   GET /invites/:token              what the invite grants, where  → InviteInfo
 *   GET /invites/:token/qr.svg|png   the QR code of its (short) link
 */
import { z } from 'zod';
import { InviteClaims } from '../invite.js';
import { VenueSchema } from '../room/commands.js';
import { apiRoute } from './route.js';

/** The routes. */
export const INVITE_ROUTES = {
  room: apiRoute('/rooms/:roomId'),
  invite: apiRoute('/invites/:token'),
  qrSvg: apiRoute('/invites/:token/qr.svg'),
  qrPng: apiRoute('/invites/:token/qr.png'),
} as const;

/** A room id in a path. */
export const RoomIdParam = InviteClaims.shape.room;

/** The consultation as the room info and invite info routes describe it. */
export const RoomSummary = z.object({
  roomId: z.string(),
  topic: z.string(),
  startsAt: z.number().nullable(),
  endsAt: z.number().nullable(),
  venues: z.array(VenueSchema),
});
/** The consultation an invite opens. */
export type RoomSummary = z.infer<typeof RoomSummary>;

/**
 * GET /invites/:token: the invite's claims (its role as the room knows it: a chair who handed
 * over comes back as an observer), the room, and whether the meeting is over.
 */
export const InviteInfo = z.object({
  invite: InviteClaims,
  room: RoomSummary.extend({ ended: z.boolean(), minutesPublished: z.boolean() }),
});
/** An invite's claims and its consultation. */
export type InviteInfo = z.infer<typeof InviteInfo>;
