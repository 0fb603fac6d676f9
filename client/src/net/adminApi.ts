/**
 * The organisers' API (`Authorization: Bearer <admin secret>`): consultations and invites, one
 * call per route of signaling/http/admin.ts, each answer parsed with the contract's schema.
 */
import type { z } from 'zod';
import type { CommentSettingsInput } from '../../../signaling/comments/api.js';
import type { CommentSettings } from '../../../signaling/comments/model.js';
import {
  ADMIN_ROUTES,
  CreatedRoom,
  IssuedInvites,
  RevokedInvite,
  RoomInvites,
  RoomList,
  type CreateRoomBody,
  type IssuedInvite,
  type IssueInvitesInput,
  type ListedRoom,
} from '../../../signaling/http/admin.js';
import { INVITE_ROUTES, RoomSummary } from '../../../signaling/http/invites.js';
import { fetchCommentSettings, saveCommentSettings } from './commentsApi.js';
import { NoContent, requestJson } from './http.js';

export type { CreatedRoom, IssuedInvite, IssueInvitesInput, ListedRoom } from '../../../signaling/http/admin.js';

/** What creating a consultation takes (the contract's schema, before its defaults). */
export type CreateRoomInput = z.input<typeof CreateRoomBody>;

/**
 * Calls to the admin API with one secret, or, without one, as the person logged in (the
 * session cookie goes along by itself).
 */
export class AdminApi {
  readonly #secret: string | undefined;

  constructor(secret?: string) {
    this.#secret = secret;
  }

  /** `GET /api/admin/session`: resolves if the secret is right, fails with UNAUTHORIZED if not. */
  async checkSecret(): Promise<void> {
    await requestJson(ADMIN_ROUTES.session.path(), NoContent, { bearer: this.#secret });
  }

  /** `GET /api/rooms`: the consultations made last, newest first. */
  async rooms(): Promise<ListedRoom[]> {
    return (await requestJson(ADMIN_ROUTES.rooms.path(), RoomList, { bearer: this.#secret })).rooms;
  }

  /** `GET /api/rooms/:roomId/invites`: the room's meeting number and every invite issued, newest first. */
  invites(roomId: string): Promise<RoomInvites> {
    return requestJson(ADMIN_ROUTES.invites.path({ roomId }), RoomInvites, { bearer: this.#secret });
  }

  /** `POST /api/rooms/:roomId/invites/:inviteId/revoke`: the invite as revoked. */
  async revoke(roomId: string, inviteId: string): Promise<IssuedInvite> {
    const url = ADMIN_ROUTES.revoke.path({ roomId, inviteId });
    return (await requestJson(url, RevokedInvite, { method: 'POST', bearer: this.#secret })).invite;
  }

  /** `POST /api/rooms`: a new consultation and the chair's invite. */
  createRoom(input: CreateRoomInput): Promise<CreatedRoom> {
    return requestJson(ADMIN_ROUTES.rooms.path(), CreatedRoom, { method: 'POST', body: input, bearer: this.#secret });
  }

  /** `POST /api/rooms/:roomId/invites`. */
  async issueInvites(roomId: string, input: IssueInvitesInput): Promise<IssuedInvite[]> {
    const { invites } = await requestJson(ADMIN_ROUTES.invites.path({ roomId }), IssuedInvites, { method: 'POST', body: input, bearer: this.#secret });
    return invites;
  }

  /** `GET /api/rooms/:roomId`. */
  room(roomId: string): Promise<RoomSummary> {
    return requestJson(INVITE_ROUTES.room.path({ roomId }), RoomSummary, { bearer: this.#secret });
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
