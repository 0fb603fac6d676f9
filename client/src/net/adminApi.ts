/** The organisers' API (`Authorization: Bearer <admin secret>`): consultations and invites. */
import { z } from 'zod';
import type { CommentSettingsInput } from '../../../signaling/comments/api.js';
import type { CommentSettings } from '../../../signaling/comments/model.js';
import { InviteClaims } from '../../../signaling/invite.js';
import type { CreateRoomSchema } from '../../../signaling/room/commands.js';
import { ROLES } from '../../../signaling/room/state.js';
import { RoomSummarySchema, type RoomSummary } from './inviteApi.js';
import { NoContent, requestJson } from './http.js';
import { fetchCommentSettings, saveCommentSettings } from './commentsApi.js';

/** One issued invite. */
export const IssuedInviteSchema = z.object({
  inviteId: z.string().min(1),
  token: z.string().min(1),
  url: z.string().min(1),
  /** `/j/<code>`: what the QR code and the cards carry. */
  shortUrl: z.string().min(1),
  code: z.string().min(1),
  role: z.enum(ROLES),
  venue: z.string(),
  name: z.string().nullable(),
  sector: z.string(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  revokedAt: z.number().nullable(),
});

/** A consultation the organiser made, to reopen. */
export const ListedRoomSchema = z.object({ roomId: z.string(), meetingNumber: z.string(), topic: z.string(), startsAt: z.number().nullable() });

/** A consultation the organiser made, to reopen. */
export type ListedRoom = z.infer<typeof ListedRoomSchema>;

const RoomInvites = z.object({ meetingNumber: z.string(), invites: z.array(IssuedInviteSchema) });
const Rooms = z.object({ rooms: z.array(ListedRoomSchema) });
const Revoked = z.object({ invite: IssuedInviteSchema });

/** One issued invite. */
export type IssuedInvite = z.infer<typeof IssuedInviteSchema>;

const CreatedRoom = z.object({ roomId: z.string().min(1), meetingNumber: z.string(), hostInvite: IssuedInviteSchema });

/** What creating a consultation answers. */
export type CreatedRoom = z.infer<typeof CreatedRoom>;
const IssuedInvites = z.object({ invites: z.array(IssuedInviteSchema) });

/** What creating a consultation takes (the server's schema, before its defaults). */
export type CreateRoomInput = z.input<typeof CreateRoomSchema>;

/** What issuing invites takes. */
export type IssueInvitesInput = {
  role: InviteClaims['role'];
  venue: string;
  sector: string;
  name?: string;
  count: number;
  expiresInHours?: number;
};

/** Calls to the admin API with one secret. */
export class AdminApi {
  readonly #secret: string;

  constructor(secret: string) {
    this.#secret = secret;
  }

  /** `GET /api/admin/session`: resolves if the secret is right, fails with UNAUTHORIZED if not. */
  async checkSecret(): Promise<void> {
    await requestJson('/api/admin/session', NoContent, { bearer: this.#secret });
  }

  /** `GET /api/rooms`: the consultations made last, newest first. */
  async rooms(): Promise<ListedRoom[]> {
    return (await requestJson('/api/rooms', Rooms, { bearer: this.#secret })).rooms;
  }

  /** `GET /api/rooms/:roomId/invites`: the room's meeting number and every invite issued, newest first. */
  invites(roomId: string): Promise<z.infer<typeof RoomInvites>> {
    return requestJson(`/api/rooms/${encodeURIComponent(roomId)}/invites`, RoomInvites, { bearer: this.#secret });
  }

  /** `POST /api/rooms/:roomId/invites/:inviteId/revoke`: the invite as revoked. */
  async revoke(roomId: string, inviteId: string): Promise<IssuedInvite> {
    const url = `/api/rooms/${encodeURIComponent(roomId)}/invites/${encodeURIComponent(inviteId)}/revoke`;
    return (await requestJson(url, Revoked, { method: 'POST', bearer: this.#secret })).invite;
  }

  /** `POST /api/rooms`: a new consultation and the chair's invite. */
  createRoom(input: CreateRoomInput): Promise<z.infer<typeof CreatedRoom>> {
    return requestJson('/api/rooms', CreatedRoom, { method: 'POST', body: input, bearer: this.#secret });
  }

  /** `POST /api/rooms/:roomId/invites`. */
  async issueInvites(roomId: string, input: IssueInvitesInput): Promise<IssuedInvite[]> {
    const url = `/api/rooms/${encodeURIComponent(roomId)}/invites`;
    const { invites } = await requestJson(url, IssuedInvites, { method: 'POST', body: input, bearer: this.#secret });
    return invites;
  }

  /** `GET /api/rooms/:roomId`. */
  room(roomId: string): Promise<RoomSummary> {
    return requestJson(`/api/rooms/${encodeURIComponent(roomId)}`, RoomSummarySchema, { bearer: this.#secret });
  }

  /** `GET /api/admin/rooms/:roomId/comments`: when the public may comment, the background, themes and held words. */
  commentSettings(roomId: string): Promise<CommentSettings> {
    return fetchCommentSettings(roomId, this.#secret);
  }

  /** `PUT /api/admin/rooms/:roomId/comments`. */
  saveCommentSettings(roomId: string, input: CommentSettingsInput): Promise<CommentSettings> {
    return saveCommentSettings(roomId, this.#secret, input);
  }
}
