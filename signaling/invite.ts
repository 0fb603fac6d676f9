/**
 * The claims of a signed invite. Roles and venue come from here, never from what a client
 * claims (DESIGN.md, "Roles"). The server signs and verifies; the browser reads the same shape
 * from the invite info endpoint, so this file stays free of Node and DOM APIs.
 */
import { z } from 'zod';
import { ROLES } from './room/state.js';

// The same id rule as signaling/schemas.ts and VenueSchema, so every id an invite names is
// one the room model accepts.
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'id: 1 to 64 letters, digits, _ or -');

/** What an invite grants: a role in one room, for one venue, optionally for a named person. */
export const InviteClaims = z.object({
  room: id,
  role: z.enum(ROLES),
  /** Absent: the person types their name at join. */
  name: z.string().trim().min(1).max(64).optional(),
  venue: id,
  /** 界别 label shown next to the name. */
  sector: z.string().trim().max(64).default(''),
  /** Short random id, so one invite can be told apart from another in logs and revocations. */
  inviteId: z.string().regex(/^[A-Za-z0-9_-]{8,32}$/, 'inviteId: 8 to 32 letters, digits, _ or -'),
});

/** Verified invite claims. */
export type InviteClaims = z.infer<typeof InviteClaims>;
