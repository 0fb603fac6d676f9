/**
 * The organisations' directory in a SQLite file of its own (`orgs.sqlite` beside
 * `rooms.sqlite`): organisations, accounts, sessions, rosters, which organisation each
 * consultation belongs to, and which roster member each of its invites was for.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { OrganisationSchema, RosterMemberSchema, type Organisation, type RosterMember } from '../../signaling/orgs/model.js';
import { openSqliteFile } from '../store/sqliteFile.js';
import type { MemberInviteLink, OrgDirectory, StoredAccount, StoredSession } from './OrgDirectory.js';
import { assertMembersOf, MemberInviteLinkSchema, parseRecord, StoredAccountSchema, StoredSessionSchema } from './storedRecords.js';

const SCHEMA_VERSION = 1;

// Rows are read with their columns named as the domain's fields (`AS orgId`), so the domain's
// own schemas check them. room_orgs lists rooms in the order they were assigned (rowid).
const SCHEMA = `
  CREATE TABLE orgs (
    org_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent_id TEXT,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    org_id TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled INTEGER NOT NULL,
    password_hash TEXT NOT NULL
  ) STRICT;
  CREATE INDEX accounts_org ON accounts (org_id, created_at);
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX sessions_account ON sessions (account_id);
  CREATE INDEX sessions_expiry ON sessions (expires_at);
  CREATE TABLE roster (
    org_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    name TEXT NOT NULL,
    sector TEXT NOT NULL,
    venue TEXT NOT NULL,
    district TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    note TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, member_id)
  ) STRICT;
  CREATE TABLE room_orgs (
    room_id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL
  ) STRICT;
  CREATE INDEX room_orgs_org ON room_orgs (org_id);
  CREATE TABLE member_invites (
    invite_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    member_id TEXT NOT NULL
  ) STRICT;
  CREATE INDEX member_invites_room ON member_invites (room_id);
`;

const ORG_COLUMNS = 'org_id AS orgId, name, parent_id AS parentId, created_at AS createdAt';
const ACCOUNT_COLUMNS = `account_id AS accountId, username, display_name AS displayName, org_id AS orgId, role,
  created_at AS createdAt, disabled, password_hash AS passwordHash`;
const SESSION_COLUMNS = 'token_hash AS tokenHash, account_id AS accountId, created_at AS createdAt, expires_at AS expiresAt';
const MEMBER_COLUMNS = `member_id AS memberId, org_id AS orgId, name, sector, venue, district, phone, email, note,
  updated_at AS updatedAt`;

/** SQLite has no booleans: `disabled` is stored as 0 or 1. */
const AccountRow = StoredAccountSchema.extend({ disabled: z.union([z.literal(0), z.literal(1)]).transform((flag) => flag === 1) });

/** The directory in one SQLite file (or ':memory:'). */
export class SqliteOrgDirectory implements OrgDirectory {
  readonly #db: Database.Database;
  readonly #q: ReturnType<typeof prepare>;
  #closed = false;

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#q = prepare(db);
  }

  /** Opens (and if needed creates) the directory in `file`. */
  static open(file: string): SqliteOrgDirectory {
    // FULL: an account made or a password changed, once acknowledged, survives a power loss.
    // Secure delete: a removed member's phone or an ended session's hash leaves no copy in free pages.
    const db = openSqliteFile(file, { name: 'org directory', schemaVersion: SCHEMA_VERSION, schema: SCHEMA, synchronous: 'FULL', secureDelete: true });
    return new SqliteOrgDirectory(db);
  }

  async bootstrap(org: Organisation, administrator: StoredAccount): Promise<boolean> {
    // IMMEDIATE: the write lock is taken before the check, so a second process waits and then sees the first's organisation.
    return this.#db
      .transaction(() => {
        if (this.#q.anyOrg.get() !== undefined) return false;
        this.#insertOrg(org);
        this.#q.addAccount.run(...accountValues(administrator));
        return true;
      })
      .immediate();
  }

  async addOrg(org: Organisation): Promise<void> {
    this.#insertOrg(org);
  }

  async orgs(): Promise<Organisation[]> {
    return this.#q.orgs.all().map((row) => parseRecord(OrganisationSchema, row, 'orgs'));
  }

  async addAccount(account: StoredAccount): Promise<boolean> {
    // OR IGNORE: a taken id or username (the column compares without case) is 0 changes.
    return this.#q.addAccount.run(...accountValues(account)).changes === 1;
  }

  async account(accountId: string): Promise<StoredAccount | undefined> {
    return accountOf(this.#q.account.get(accountId));
  }

  async accountByUsername(username: string): Promise<StoredAccount | undefined> {
    return accountOf(this.#q.accountByUsername.get(username.toLowerCase()));
  }

  async accountsOf(orgId: string): Promise<StoredAccount[]> {
    return this.#q.accountsOf.all(orgId).map((row) => accountOf(row) ?? unreachable());
  }

  async updateAccount(account: StoredAccount): Promise<void> {
    this.#q.updateAccount.run(account.displayName, account.role, account.disabled ? 1 : 0, account.passwordHash, account.accountId);
  }

  async addSession(session: StoredSession): Promise<void> {
    this.#db.transaction(() => {
      // Sessions expired by the time of this login go: the table holds the live ones and few more.
      this.#q.deleteExpiredSessions.run(session.createdAt);
      this.#q.addSession.run(session.tokenHash, session.accountId, session.createdAt, session.expiresAt);
    })();
  }

  async session(tokenHash: string, now: number): Promise<StoredSession | undefined> {
    const row = this.#q.session.get(tokenHash, now);
    return row === undefined ? undefined : parseRecord(StoredSessionSchema, row, 'sessions');
  }

  async touchSession(tokenHash: string, expiresAt: number): Promise<void> {
    this.#q.touchSession.run(expiresAt, tokenHash);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.#q.deleteSession.run(tokenHash);
  }

  async deleteSessionsOf(accountId: string): Promise<void> {
    this.#q.deleteSessionsOf.run(accountId);
  }

  async roster(orgId: string): Promise<RosterMember[]> {
    return this.#q.roster.all(orgId).map((row) => parseRecord(RosterMemberSchema, row, `roster of ${orgId}`));
  }

  async putMembers(orgId: string, members: readonly RosterMember[]): Promise<void> {
    assertMembersOf(orgId, members);
    this.#db.transaction(() => {
      for (const m of members) {
        this.#q.putMember.run(orgId, m.memberId, m.name, m.sector, m.venue, m.district, m.phone, m.email, m.note, m.updatedAt);
      }
    })();
  }

  async removeMembers(orgId: string, memberIds: readonly string[]): Promise<void> {
    this.#db.transaction(() => {
      for (const memberId of memberIds) this.#q.removeMember.run(orgId, memberId);
    })();
  }

  async assignRoom(roomId: string, orgId: string): Promise<void> {
    this.#q.assignRoom.run(roomId, orgId);
  }

  async orgOfRoom(roomId: string): Promise<string | null> {
    const row = this.#q.orgOfRoom.get(roomId);
    return row === undefined ? null : parseRecord(z.object({ orgId: z.string() }), row, `room ${roomId}`).orgId;
  }

  async roomsOf(orgId: string): Promise<string[]> {
    return this.#q.roomsOf.all(orgId).map((row) => parseRecord(z.object({ roomId: z.string() }), row, `rooms of ${orgId}`).roomId);
  }

  async linkInvites(links: readonly MemberInviteLink[]): Promise<void> {
    this.#db.transaction(() => {
      for (const link of links) this.#q.linkInvite.run(link.inviteId, link.roomId, link.memberId);
    })();
  }

  async memberInvites(roomId: string): Promise<MemberInviteLink[]> {
    return this.#q.memberInvites.all(roomId).map((row) => parseRecord(MemberInviteLinkSchema, row, `member invites of ${roomId}`));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #insertOrg(org: Organisation): void {
    this.#q.addOrg.run(org.orgId, org.name, org.parentId, org.createdAt);
  }
}

function accountValues(a: StoredAccount): [string, string, string, string, string, number, number, string] {
  return [a.accountId, a.username.toLowerCase(), a.displayName, a.orgId, a.role, a.createdAt, a.disabled ? 1 : 0, a.passwordHash];
}

function accountOf(row: unknown): StoredAccount | undefined {
  return row === undefined ? undefined : parseRecord(AccountRow, row, 'accounts');
}

function unreachable(): never {
  throw new TypeError('a listed row vanished');
}

function prepare(db: Database.Database) {
  return {
    anyOrg: db.prepare<[]>('SELECT 1 FROM orgs LIMIT 1'),
    addOrg: db.prepare<[string, string, string | null, number]>('INSERT INTO orgs (org_id, name, parent_id, created_at) VALUES (?, ?, ?, ?)'),
    // Ties in time are broken by id, as Redis's sorted sets break them.
    orgs: db.prepare<[]>(`SELECT ${ORG_COLUMNS} FROM orgs ORDER BY created_at, org_id`),
    addAccount: db.prepare<[string, string, string, string, string, number, number, string]>(
      `INSERT OR IGNORE INTO accounts (account_id, username, display_name, org_id, role, created_at, disabled, password_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    account: db.prepare<[string]>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE account_id = ?`),
    accountByUsername: db.prepare<[string]>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE username = ?`),
    accountsOf: db.prepare<[string]>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE org_id = ? ORDER BY created_at, account_id`),
    updateAccount: db.prepare<[string, string, number, string, string]>(
      'UPDATE accounts SET display_name = ?, role = ?, disabled = ?, password_hash = ? WHERE account_id = ?',
    ),
    addSession: db.prepare<[string, string, number, number]>('INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    deleteExpiredSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?'),
    session: db.prepare<[string, number]>(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = ? AND expires_at > ?`),
    touchSession: db.prepare<[number, string]>('UPDATE sessions SET expires_at = ? WHERE token_hash = ?'),
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?'),
    deleteSessionsOf: db.prepare<[string]>('DELETE FROM sessions WHERE account_id = ?'),
    roster: db.prepare<[string]>(`SELECT ${MEMBER_COLUMNS} FROM roster WHERE org_id = ?`),
    putMember: db.prepare<[string, string, string, string, string, string, string, string, string, number]>(
      `INSERT OR REPLACE INTO roster (org_id, member_id, name, sector, venue, district, phone, email, note, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    removeMember: db.prepare<[string, string]>('DELETE FROM roster WHERE org_id = ? AND member_id = ?'),
    // OR IGNORE: a consultation's organisation is the first one it was given.
    assignRoom: db.prepare<[string, string]>('INSERT OR IGNORE INTO room_orgs (room_id, org_id) VALUES (?, ?)'),
    orgOfRoom: db.prepare<[string]>('SELECT org_id AS orgId FROM room_orgs WHERE room_id = ?'),
    roomsOf: db.prepare<[string]>('SELECT room_id AS roomId FROM room_orgs WHERE org_id = ? ORDER BY rowid DESC'),
    linkInvite: db.prepare<[string, string, string]>('INSERT OR REPLACE INTO member_invites (invite_id, room_id, member_id) VALUES (?, ?, ?)'),
    memberInvites: db.prepare<[string]>('SELECT room_id AS roomId, invite_id AS inviteId, member_id AS memberId FROM member_invites WHERE room_id = ? ORDER BY rowid'),
  };
}
