/**
 * The record of what an organiser issued: every invite of a room (role, venue, name, short code,
 * when issued, whether revoked) and the room's meeting number. It lives beside the room logs, in
 * the same backend (SQLite alone, Redis with several processes), and is not part of the log: an
 * invite belongs to the organiser's preparation, not to what the meeting did.
 */
import { randomInt } from 'node:crypto';
import { SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH } from '../../signaling/shortLinks.js';
import type { Role } from '../../signaling/room/state.js';

/** One issued invite. */
export type InviteRecord = {
  inviteId: string;
  roomId: string;
  /** Short code of its link `/j/<code>`. */
  code: string;
  role: Role;
  venue: string;
  /** Absent: the person types their name at join. */
  name: string | null;
  sector: string;
  /** The signed invite the short code stands for. */
  token: string;
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms, or null while the invite is valid. */
  revokedAt: number | null;
};

/** A room as the registry knows it: enough to list rooms and find one by its number. */
export type RegisteredRoom = {
  roomId: string;
  meetingNumber: string;
  topic: string;
  startsAt: number | null;
  /** Epoch ms. */
  registeredAt: number;
};

/** Where issued invites and meeting numbers are kept. Both backends pass InviteRegistry.contract.ts. */
export interface InviteRegistry {
  /** Records an invite; false (and nothing written) if its short code or id is taken. */
  add(invite: InviteRecord): Promise<boolean>;
  /** The invite with this short code. */
  byCode(code: string): Promise<InviteRecord | undefined>;
  /** The invite with this id. */
  byId(inviteId: string): Promise<InviteRecord | undefined>;
  /** A room's invites, newest first. */
  list(roomId: string): Promise<InviteRecord[]>;
  /** Marks an invite of `roomId` revoked (the first time counts); undefined if the room has no such invite. */
  revoke(roomId: string, inviteId: string, at: number): Promise<InviteRecord | undefined>;
  /** Has this invite been revoked? Asked at every join, so it is one indexed read. */
  isRevoked(inviteId: string): Promise<boolean>;
  /** Registers a room under a meeting number; false (and nothing written) if the number or the room is taken. */
  addRoom(room: RegisteredRoom): Promise<boolean>;
  /** The room registered under `roomId`. */
  room(roomId: string): Promise<RegisteredRoom | undefined>;
  /** The room with this meeting number. */
  roomByNumber(meetingNumber: string): Promise<RegisteredRoom | undefined>;
  /** The rooms registered last, newest first. */
  recentRooms(limit: number): Promise<RegisteredRoom[]>;
  /** Releases the backend; safe to call twice. */
  close(): Promise<void>;
}

/** A fresh random short code (crypto.randomInt: uniform, unpredictable). */
export function newShortCode(): string {
  let code = '';
  for (let i = 0; i < SHORT_CODE_LENGTH; i++) code += SHORT_CODE_ALPHABET[randomInt(SHORT_CODE_ALPHABET.length)];
  return code;
}

/** A fresh random meeting number: nine digits, the first not 0. */
export function newMeetingNumber(): string {
  return String(randomInt(100_000_000, 1_000_000_000));
}
