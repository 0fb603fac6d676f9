/**
 * Making a consultation and issuing its invites: one place for the admin routes (POST /rooms,
 * POST /rooms/:roomId/invites) and the organisations' routes (a consultation made from a
 * roster), so a signed invite, its short code and the room's meeting number are made alike.
 */
import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { ValidationError } from '../../signaling/errors.js';
import type { CreatedRoom, CreateRoomBody, IssuedInvite } from '../../signaling/http/admin.js';
import type { InviteClaims } from '../../signaling/invite.js';
import type { RoomInfo, RoomState } from '../../signaling/room/state.js';
import type { InviteTokens } from '../identity/InviteTokens.js';
import { newMeetingNumber, newShortCode, type InviteRecord, type InviteRegistry, type RegisteredRoom } from '../invites/InviteRegistry.js';

/** The part of the room service this API uses. */
export type RoomDirectory = {
  /** Creates a room (its id made by the service). */
  create(input: CreateRoomBody): Promise<{ roomId: string }>;
  /**
   * The room as far as this API tells it (its fixed facts, whether the meeting has ended and
   * the minutes are published), or undefined if there is no such room.
   */
  state(roomId: string): Promise<Pick<RoomState, 'info' | 'ended' | 'minutes' | 'participants'> | undefined>;
};

export const HOUR_MS = 3_600_000;
/** Draws of a fresh short code or meeting number before giving up (one clash is already rare). */
const MAX_DRAWS = 8;

/** What an InviteIssuer needs. */
export type InviteIssuerDeps = {
  invites: InviteTokens;
  registry: InviteRegistry;
  rooms: Pick<RoomDirectory, 'create'>;
  /** Base URL of links given out (no trailing slash needed). */
  publicUrl: (req: Request) => string;
  /** Epoch ms. */
  now: () => number;
};

/** Makes consultations and their invites, and says how an invite is answered. */
export type InviteIssuer = {
  /** The long link of a signed invite. */
  joinUrl(req: Request, token: string): string;
  /** The short link `/j/<code>`. */
  shortUrl(req: Request, code: string): string;
  /** An invite as the API answers it. */
  answer(req: Request, record: InviteRecord): IssuedInvite;
  /** Signs an invite and records it under a fresh short code. */
  issue(req: Request, claims: InviteClaims, expiresAt: number): Promise<IssuedInvite>;
  /** The room's entry in the registry, made with a fresh meeting number the first time it is asked for. */
  registered(roomId: string, info: Pick<RoomInfo, 'topic' | 'startsAt'>): Promise<RegisteredRoom>;
  /** Creates a room, registers it and issues the chair's invite. */
  createRoom(req: Request, input: CreateRoomBody): Promise<CreatedRoom>;
};

/** The issuer over `deps`. */
export function createInviteIssuer(deps: InviteIssuerDeps): InviteIssuer {
  const base = (req: Request): string => deps.publicUrl(req).replace(/\/+$/, '');
  const joinUrl = (req: Request, token: string): string => `${base(req)}/join?invite=${encodeURIComponent(token)}`;
  const shortUrl = (req: Request, code: string): string => `${base(req)}/j/${code}`;
  const answer = (req: Request, r: InviteRecord): IssuedInvite => ({
    inviteId: r.inviteId,
    token: r.token,
    url: joinUrl(req, r.token),
    shortUrl: shortUrl(req, r.code),
    code: r.code,
    role: r.role,
    venue: r.venue,
    name: r.name,
    sector: r.sector,
    issuedAt: r.issuedAt,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
  });

  const issue = async (req: Request, claims: InviteClaims, expiresAt: number): Promise<IssuedInvite> => {
    const token = await deps.invites.sign(claims, new Date(expiresAt));
    const fields = { inviteId: claims.inviteId, roomId: claims.room, role: claims.role, venue: claims.venue, name: claims.name ?? null };
    const record = { ...fields, sector: claims.sector, token, issuedAt: deps.now(), expiresAt, revokedAt: null };
    for (let draw = 0; draw < MAX_DRAWS; draw++) {
      const invite: InviteRecord = { ...record, code: newShortCode() };
      if (await deps.registry.add(invite)) return answer(req, invite);
    }
    throw new Error('no free short code after several draws');
  };

  const registered = async (roomId: string, info: Pick<RoomInfo, 'topic' | 'startsAt'>): Promise<RegisteredRoom> => {
    for (let draw = 0; draw < MAX_DRAWS; draw++) {
      const known = await deps.registry.room(roomId);
      if (known !== undefined) return known;
      const room = { roomId, meetingNumber: newMeetingNumber(), topic: info.topic, startsAt: info.startsAt ?? null, registeredAt: deps.now() };
      if (await deps.registry.addRoom(room)) return room;
    }
    throw new Error('no free meeting number after several draws');
  };

  const createRoom = async (req: Request, input: CreateRoomBody): Promise<CreatedRoom> => {
    // The chair sits in the city hall (主会场) when there is one.
    const venue = input.venues.find((v) => v.id === 'city') ?? input.venues[0];
    if (venue === undefined) throw new ValidationError('a room needs at least one venue');
    const { roomId } = await deps.rooms.create(input);
    const { meetingNumber } = await registered(roomId, { topic: input.topic, startsAt: input.startsAt ?? null });
    const hostInvite = await issue(req, newClaims(roomId, 'host', venue.id), hostInviteExpiry(input, deps.now()));
    return { roomId, meetingNumber, hostInvite };
  };

  return { joinUrl, shortUrl, answer, issue, registered, createRoom };
}

/** Fresh claims for one invite, with a random id. */
export function newClaims(room: string, role: InviteClaims['role'], venue: string): InviteClaims {
  return { room, role, venue, sector: '', inviteId: randomBytes(12).toString('base64url') };
}

/**
 * The chair's link is made before the meeting and used at it: valid until a day after the
 * planned end, at least three days and at most thirty days from now.
 */
function hostInviteExpiry(input: CreateRoomBody, now: number): number {
  const plannedEnd = input.endsAt ?? input.startsAt ?? now;
  return Math.min(Math.max(plannedEnd + 24 * HOUR_MS, now + 72 * HOUR_MS), now + 720 * HOUR_MS);
}
