/** The organisers' API (`Authorization: Bearer <admin secret>`): consultations and invites. */
import { z } from 'zod';
import { InviteClaims } from '../../../signaling/invite.js';
import type { CreateRoomSchema } from '../../../signaling/room/commands.js';
import { ROLES } from '../../../signaling/room/state.js';
import { RoomSummarySchema, type RoomSummary } from './inviteApi.js';
import { requestJson } from './http.js';

/** One issued invite. */
export const IssuedInviteSchema = z.object({
  token: z.string().min(1),
  url: z.string().min(1),
  role: z.enum(ROLES),
  venue: z.string(),
  name: z.string().nullable(),
  expiresAt: z.number(),
});

/** One issued invite. */
export type IssuedInvite = z.infer<typeof IssuedInviteSchema>;

const CreatedRoom = z.object({ roomId: z.string().min(1), hostInvite: IssuedInviteSchema });
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
}
