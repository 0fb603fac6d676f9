/**
 * Issued invites and meeting numbers in a SQLite file of their own (`invites.sqlite` beside
 * `rooms.sqlite`), so the room log's schema and its hash chain stay what they are.
 */
import type Database from 'better-sqlite3';
import { openSqliteFile } from '../store/sqliteFile.js';
import { z } from 'zod';
import { ROLES } from '../../signaling/room/state.js';
import type { InviteRecord, InviteRegistry, RegisteredRoom } from './InviteRegistry.js';

const SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE invites (
    invite_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    venue TEXT NOT NULL,
    name TEXT,
    sector TEXT NOT NULL,
    token TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) STRICT;
  CREATE INDEX invites_room ON invites (room_id, issued_at);
  CREATE TABLE rooms (
    room_id TEXT PRIMARY KEY,
    meeting_number TEXT NOT NULL UNIQUE,
    topic TEXT NOT NULL,
    starts_at INTEGER,
    registered_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX rooms_recent ON rooms (registered_at);
`;

const InviteRow = z.object({
  invite_id: z.string(),
  room_id: z.string(),
  code: z.string(),
  role: z.enum(ROLES),
  venue: z.string(),
  name: z.string().nullable(),
  sector: z.string(),
  token: z.string(),
  issued_at: z.number(),
  expires_at: z.number(),
  revoked_at: z.number().nullable(),
});

const RoomRow = z.object({
  room_id: z.string(),
  meeting_number: z.string(),
  topic: z.string(),
  starts_at: z.number().nullable(),
  registered_at: z.number(),
});

/** The registry in one SQLite file (or ':memory:'). */
export class SqliteInviteRegistry implements InviteRegistry {
  readonly #db: Database.Database;
  readonly #q: ReturnType<typeof prepare>;
  #closed = false;

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#q = prepare(db);
  }

  /** Opens (and if needed creates) the registry in `file`. */
  static open(file: string): SqliteInviteRegistry {
    // As the room store: an invite handed out, or a revocation acknowledged, survives a power loss.
    const db = openSqliteFile(file, { name: 'invite registry', schemaVersion: SCHEMA_VERSION, schema: SCHEMA, synchronous: 'FULL' });
    return new SqliteInviteRegistry(db);
  }

  async add(invite: InviteRecord): Promise<boolean> {
    const result = this.#q.addInvite.run(
      invite.inviteId, invite.roomId, invite.code, invite.role, invite.venue, invite.name, invite.sector,
      invite.token, invite.issuedAt, invite.expiresAt, invite.revokedAt,
    );
    return result.changes === 1;
  }

  async byCode(code: string): Promise<InviteRecord | undefined> {
    return inviteOf(this.#q.byCode.get(code));
  }

  async byId(inviteId: string): Promise<InviteRecord | undefined> {
    return inviteOf(this.#q.byId.get(inviteId));
  }

  async list(roomId: string): Promise<InviteRecord[]> {
    return this.#q.list.all(roomId).map((row) => inviteOf(row) ?? unreachable());
  }

  async revoke(roomId: string, inviteId: string, at: number): Promise<InviteRecord | undefined> {
    this.#q.revoke.run(at, inviteId, roomId);
    const invite = await this.byId(inviteId);
    return invite?.roomId === roomId ? invite : undefined;
  }

  async isRevoked(inviteId: string): Promise<boolean> {
    return this.#q.revoked.get(inviteId) !== undefined;
  }

  async addRoom(room: RegisteredRoom): Promise<boolean> {
    return this.#q.addRoom.run(room.roomId, room.meetingNumber, room.topic, room.startsAt, room.registeredAt).changes === 1;
  }

  async room(roomId: string): Promise<RegisteredRoom | undefined> {
    return roomOf(this.#q.room.get(roomId));
  }

  async roomByNumber(meetingNumber: string): Promise<RegisteredRoom | undefined> {
    return roomOf(this.#q.roomByNumber.get(meetingNumber));
  }

  async recentRooms(limit: number): Promise<RegisteredRoom[]> {
    return this.#q.recentRooms.all(limit).map((row) => roomOf(row) ?? unreachable());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}

function inviteOf(row: unknown): InviteRecord | undefined {
  if (row === undefined) return undefined;
  const r = InviteRow.parse(row);
  return {
    inviteId: r.invite_id, roomId: r.room_id, code: r.code, role: r.role, venue: r.venue, name: r.name, sector: r.sector,
    token: r.token, issuedAt: r.issued_at, expiresAt: r.expires_at, revokedAt: r.revoked_at,
  };
}

function roomOf(row: unknown): RegisteredRoom | undefined {
  if (row === undefined) return undefined;
  const r = RoomRow.parse(row);
  return { roomId: r.room_id, meetingNumber: r.meeting_number, topic: r.topic, startsAt: r.starts_at, registeredAt: r.registered_at };
}

function unreachable(): never {
  throw new TypeError('a listed row vanished');
}

function prepare(db: Database.Database) {
  return {
    // OR IGNORE: a taken code or id is answered with 0 changes, and the caller draws again.
    addInvite: db.prepare<[string, string, string, string, string, string | null, string, string, number, number, number | null]>(
      `INSERT OR IGNORE INTO invites (invite_id, room_id, code, role, venue, name, sector, token, issued_at, expires_at, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    byCode: db.prepare<[string]>('SELECT * FROM invites WHERE code = ?'),
    byId: db.prepare<[string]>('SELECT * FROM invites WHERE invite_id = ?'),
    list: db.prepare<[string]>('SELECT * FROM invites WHERE room_id = ? ORDER BY issued_at DESC, rowid DESC'),
    revoke: db.prepare<[number, string, string]>('UPDATE invites SET revoked_at = ? WHERE invite_id = ? AND room_id = ? AND revoked_at IS NULL'),
    revoked: db.prepare<[string]>('SELECT 1 FROM invites WHERE invite_id = ? AND revoked_at IS NOT NULL'),
    addRoom: db.prepare<[string, string, string, number | null, number]>(
      'INSERT OR IGNORE INTO rooms (room_id, meeting_number, topic, starts_at, registered_at) VALUES (?, ?, ?, ?, ?)',
    ),
    room: db.prepare<[string]>('SELECT * FROM rooms WHERE room_id = ?'),
    roomByNumber: db.prepare<[string]>('SELECT * FROM rooms WHERE meeting_number = ?'),
    recentRooms: db.prepare<[number]>('SELECT * FROM rooms ORDER BY registered_at DESC, rowid DESC LIMIT ?'),
  };
}
