/**
 * Where organisations, accounts, sessions and rosters are kept, and which organisation each
 * consultation belongs to and which roster member each of its invites was for. Like the invite
 * registry it lives beside the room logs in the same backend (SQLite alone: `orgs.sqlite`;
 * Redis with several processes) and is not part of any log: it is the office's preparation,
 * not what a meeting did. Both backends pass OrgDirectory.contract.ts.
 */
import type { Account, Organisation, RosterMember } from '../../signaling/orgs/model.js';

/** An account with its password hash (passwords.ts), never sent to a client. */
export type StoredAccount = Account & { passwordHash: string };

/** A login session. The cookie holds the token; only its SHA-256 is kept, so a copy of the store logs nobody in. */
export type StoredSession = {
  tokenHash: string;
  accountId: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms: the session ends then unless used again (SESSION_IDLE_HOURS). */
  expiresAt: number;
};

/** A personal invite issued to a roster member, for the duty records. */
export type MemberInviteLink = { roomId: string; inviteId: string; memberId: string };

export interface OrgDirectory {
  /**
   * The first organisation and its first administrator, both or neither: false (nothing
   * written) if any organisation exists already. Two processes bootstrapping at once agree.
   */
  bootstrap(org: Organisation, administrator: StoredAccount): Promise<boolean>;
  /** Adds an organisation (its id is fresh). */
  addOrg(org: Organisation): Promise<void>;
  /** Every organisation (a city and its districts: tens), oldest first. */
  orgs(): Promise<Organisation[]>;

  /** Adds an account; false (nothing written) if its username or id is taken. */
  addAccount(account: StoredAccount): Promise<boolean>;
  account(accountId: string): Promise<StoredAccount | undefined>;
  /** By the lower-cased username. */
  accountByUsername(username: string): Promise<StoredAccount | undefined>;
  /** An organisation's accounts, oldest first. */
  accountsOf(orgId: string): Promise<StoredAccount[]>;
  /** Replaces an existing account's fields (not its id, username or organisation). */
  updateAccount(account: StoredAccount): Promise<void>;

  addSession(session: StoredSession): Promise<void>;
  /** The session, if it exists and has not expired at `now`. */
  session(tokenHash: string, now: number): Promise<StoredSession | undefined>;
  /** Moves a session's expiry (it was used). */
  touchSession(tokenHash: string, expiresAt: number): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of an account (disabled, or its password changed). */
  deleteSessionsOf(accountId: string): Promise<void>;

  /** An organisation's roster, in no particular order. */
  roster(orgId: string): Promise<RosterMember[]>;
  /** Adds or replaces members (by memberId) of `orgId`, all or none. */
  putMembers(orgId: string, members: readonly RosterMember[]): Promise<void>;
  /** Removes members of `orgId` (unknown ids are ignored). */
  removeMembers(orgId: string, memberIds: readonly string[]): Promise<void>;

  /** Records that a consultation belongs to `orgId` (once, when it is made). */
  assignRoom(roomId: string, orgId: string): Promise<void>;
  /** The organisation of a consultation; null if it belongs to none (made with the admin secret). */
  orgOfRoom(roomId: string): Promise<string | null>;
  /** The consultations of an organisation, newest first. */
  roomsOf(orgId: string): Promise<string[]>;
  /** Records which roster member each invite was issued to. */
  linkInvites(links: readonly MemberInviteLink[]): Promise<void>;
  /** The member invites of a consultation. */
  memberInvites(roomId: string): Promise<MemberInviteLink[]>;

  /** Releases the backend; safe to call twice. */
  close(): Promise<void>;
}
