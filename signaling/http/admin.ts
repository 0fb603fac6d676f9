/**
 * The organisers' API (`Authorization: Bearer <admin secret>`, or a session cookie: orgs.ts):
 * consultations, invites and revocation, each room's meeting number. Shared by server/http/adminRoutes.ts, the admin page
 * (client/src/net/adminApi.ts), the tests and the benches. The comment settings' routes are in
 * signaling/comments/api.ts; failures answer signaling/http/errors.ts's ApiErrorBody.
 *
 *   GET  /admin/session                           the secret is right        → 204
 *   POST /rooms                                   CreateRoomBody             → 201 CreatedRoom
 *   GET  /rooms                                   the recent rooms           → RoomList
 *   GET  /rooms/:roomId/invites                   every invite issued        → RoomInvites
 *   POST /rooms/:roomId/invites                   IssueInvitesBody           → 201 IssuedInvites
 *   POST /rooms/:roomId/invites/:inviteId/revoke                             → RevokedInvite
 */
import { z } from 'zod';
import { InviteClaims } from '../invite.js';
import { OrgIdSchema } from '../orgs/model.js';
import { CreateRoomSchema } from '../room/commands.js';
import { ROLES } from '../room/state.js';
import { apiRoute } from './route.js';

/** The routes. */
export const ADMIN_ROUTES = {
  session: apiRoute('/admin/session'),
  rooms: apiRoute('/rooms'),
  invites: apiRoute('/rooms/:roomId/invites'),
  revoke: apiRoute('/rooms/:roomId/invites/:inviteId/revoke'),
} as const;

/** Invites one request may issue: a district's members fit, a typo of 10^6 does not. */
export const MAX_INVITES_PER_REQUEST = 500;

/** An invite id in a path. */
export const InviteIdParam = InviteClaims.shape.inviteId;

/** POST /rooms: the consultation (topic, planned times, venues, settings). */
export const CreateRoomBody = CreateRoomSchema;
/** What creating a consultation takes, after its defaults. */
export type CreateRoomBody = z.output<typeof CreateRoomBody>;
/**
 * POST /rooms may also name the organisation the consultation belongs to (an administrator
 * choosing a district); without it a logged-in organiser's room is their organisation's, and
 * the secret's belongs to none. Read beside CreateRoomBody, which it leaves as it was.
 */
export const CreateRoomOrg = z.object({ orgId: OrgIdSchema.optional() });

/** POST /rooms/:roomId/invites */
export const IssueInvitesBody = z
  .object({
    role: z.enum(ROLES),
    venue: InviteClaims.shape.venue,
    sector: InviteClaims.shape.sector,
    // Admin forms send '' for an empty field; that means "the person types their name".
    name: z
      .string()
      .trim()
      .max(64)
      .optional()
      .transform((name) => (name === '' ? undefined : name)),
    expiresInHours: z.number().int().min(1).max(720).default(72),
    count: z.number().int().min(1).max(MAX_INVITES_PER_REQUEST).default(1),
  })
  .refine((body) => body.name === undefined || body.count === 1, {
    message: 'a named invite is for one person: leave out name or set count to 1',
    path: ['count'],
  });
/** What issuing invites takes, as a caller sends it. */
export type IssueInvitesInput = z.input<typeof IssueInvitesBody>;

const epochMs = z.number().int().nonnegative();

/** One issued invite as the API answers it. */
export const IssuedInvite = z.object({
  inviteId: z.string().min(1),
  /** The signed invite: its bearer's key to the room. */
  token: z.string().min(1),
  /** The long link, which carries the signed invite itself. */
  url: z.string().min(1),
  /** `/j/<code>`: what QR codes and cards carry. */
  shortUrl: z.string().min(1),
  code: z.string().min(1),
  role: z.enum(ROLES),
  venue: z.string(),
  name: z.string().nullable(),
  sector: z.string(),
  issuedAt: epochMs,
  expiresAt: epochMs,
  revokedAt: epochMs.nullable(),
});
/** One issued invite. */
export type IssuedInvite = z.infer<typeof IssuedInvite>;

/** POST /rooms → 201: the new room, its meeting number and the chair's invite. */
export const CreatedRoom = z.object({ roomId: z.string().min(1), meetingNumber: z.string(), hostInvite: IssuedInvite });
/** What creating a consultation answers. */
export type CreatedRoom = z.infer<typeof CreatedRoom>;

/** A consultation the organiser made, to reopen. */
export const ListedRoom = z.object({ roomId: z.string(), meetingNumber: z.string(), topic: z.string(), startsAt: z.number().nullable() });
/** A consultation the organiser made, to reopen. */
export type ListedRoom = z.infer<typeof ListedRoom>;

/** GET /rooms: the rooms made last, newest first. */
export const RoomList = z.object({ rooms: z.array(ListedRoom) });
/** GET /rooms */
export type RoomList = z.infer<typeof RoomList>;

/** GET /rooms/:roomId/invites: the meeting number and every invite, revoked ones included, newest first. */
export const RoomInvites = z.object({ meetingNumber: z.string(), invites: z.array(IssuedInvite) });
/** GET /rooms/:roomId/invites */
export type RoomInvites = z.infer<typeof RoomInvites>;

/** POST /rooms/:roomId/invites → 201 */
export const IssuedInvites = z.object({ invites: z.array(IssuedInvite) });
/** POST /rooms/:roomId/invites */
export type IssuedInvites = z.infer<typeof IssuedInvites>;

/** POST /rooms/:roomId/invites/:inviteId/revoke: the invite as revoked. */
export const RevokedInvite = z.object({ invite: IssuedInvite });
/** POST …/revoke */
export type RevokedInvite = z.infer<typeof RevokedInvite>;
