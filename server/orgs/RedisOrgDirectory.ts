/**
 * The organisations' directory in Redis, for several processes. Keys, under `<prefix>orgdir:`
 * (ids escaped as in the event store):
 * - `org:<id>` an organisation as JSON; `orgs` a sorted set of organisation ids by creation;
 * - `account:<id>` an account as JSON; `username:<name>` its id (the name lower-cased), set
 *   only together with the account by one script, so a name names one account;
 *   `org-accounts:<org>` a sorted set of an organisation's account ids by creation;
 * - `session:<token hash>` a session as JSON, which Redis deletes at its expiry;
 *   `account-sessions:<account>` a sorted set of an account's token hashes by expiry, so all
 *   of them can be ended at once;
 * - `roster:<org>` a hash of an organisation's members, member id → JSON;
 * - `room-org:<room>` a consultation's organisation; `org-rooms:<org>` a list of an
 *   organisation's consultations, newest first;
 * - `room-invites:<room>` a hash of a consultation's member invites, invite id → JSON.
 */
import { createClient, defineScript, type CommandParser } from 'redis';
import { z } from 'zod';
import { OrganisationSchema, RosterMemberSchema, type Organisation, type RosterMember } from '../../signaling/orgs/model.js';
import { CONNECT_TIMEOUT_MS, connectOrFail, reconnectDelay, unavailable } from '../store/redisConnection.js';
import { escapeId } from '../store/redisKeys.js';
import type { MemberInviteLink, OrgDirectory, StoredAccount, StoredSession } from './OrgDirectory.js';
import {
  assertMembersOf,
  CorruptRecordError,
  MemberInviteLinkSchema,
  parseJsonRecord,
  StoredAccountSchema,
  StoredSessionSchema,
} from './storedRecords.js';

// KEYS: account, username, org-accounts. ARGV: account JSON, createdAt, account id.
// Returns 1 (written) or 0 (the id or the name is taken: nothing written).
const ADD_ACCOUNT_SCRIPT = `#!lua
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
return 1
`;

// KEYS: orgs, org, account, username, org-accounts. ARGV: org JSON, its createdAt, org id,
// account JSON, its createdAt, account id. Returns 1 (both written) or 0 (nothing written).
// One script: two processes bootstrapping at once are run one after the other by Redis.
const BOOTSTRAP_SCRIPT = `#!lua
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
if redis.call('EXISTS', KEYS[2], KEYS[3], KEYS[4]) > 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('SET', KEYS[3], ARGV[4])
redis.call('SET', KEYS[4], ARGV[6])
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[6])
return 1
`;

// KEYS: room-org, org-rooms. ARGV: org id, room id. The first assignment stands.
const ASSIGN_ROOM_SCRIPT = `#!lua
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[2])
return 1
`;

// KEYS: account-sessions. ARGV: the session keys' common beginning (`…session:`).
// NOTE: the session keys are built here from ARGV, which a Redis Cluster would refuse; this
// product runs one Redis (or a primary with replicas), as the room log's script assumes too.
const DELETE_SESSIONS_OF_SCRIPT = `#!lua
local hashes = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, hash in ipairs(hashes) do redis.call('DEL', ARGV[1] .. hash) end
redis.call('DEL', KEYS[1])
return #hashes
`;

function script<Keys extends string[]>(source: string, numberOfKeys: Keys['length']) {
  return defineScript({
    SCRIPT: source,
    NUMBER_OF_KEYS: numberOfKeys,
    parseCommand(parser: CommandParser, keys: Keys, args: string[]) {
      for (const key of keys) parser.pushKey(key);
      parser.push(...args);
    },
    transformReply: (reply: unknown): unknown => reply,
  });
}

function createDirectoryClient(url: string) {
  // Like the invite registry's: fail fast while Redis is away rather than queue.
  return createClient({
    url,
    RESP: 2,
    disableOfflineQueue: true,
    commandOptions: { timeout: 2000 },
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
    scripts: {
      wslOrgAddAccount: script<[string, string, string]>(ADD_ACCOUNT_SCRIPT, 3),
      wslOrgBootstrap: script<[string, string, string, string, string]>(BOOTSTRAP_SCRIPT, 5),
      wslOrgAssignRoom: script<[string, string]>(ASSIGN_ROOM_SCRIPT, 2),
      wslOrgDeleteSessionsOf: script<[string]>(DELETE_SESSIONS_OF_SCRIPT, 1),
    },
  });
}

/** The directory in Redis, shared by every process. */
export class RedisOrgDirectory implements OrgDirectory {
  readonly #redis: ReturnType<typeof createDirectoryClient>;
  readonly #prefix: string;
  #closed = false;

  private constructor(redis: ReturnType<typeof createDirectoryClient>, prefix: string) {
    this.#redis = redis;
    this.#prefix = `${prefix}orgdir:`;
    // The event store reports the connection's loss; this one must only not end the process.
    redis.on('error', () => undefined);
  }

  /** Connects to `url`; rejects with UNAVAILABLE if Redis does not answer. */
  static async connect(url: string, keyPrefix = 'wsl:'): Promise<RedisOrgDirectory> {
    const redis = createDirectoryClient(url);
    const directory = new RedisOrgDirectory(redis, keyPrefix);
    await connectOrFail(redis, url);
    return directory;
  }

  async bootstrap(org: Organisation, administrator: StoredAccount): Promise<boolean> {
    const a = stored(administrator);
    const keys: [string, string, string, string, string] = [
      this.#key('orgs'),
      this.#key('org', org.orgId),
      this.#key('account', a.accountId),
      this.#key('username', a.username),
      this.#key('org-accounts', a.orgId),
    ];
    const args = [JSON.stringify(org), String(org.createdAt), org.orgId, JSON.stringify(a), String(a.createdAt), a.accountId];
    return scriptAnswer(await this.#call(() => this.#redis.wslOrgBootstrap(keys, args)), 'bootstrap');
  }

  async addOrg(org: Organisation): Promise<void> {
    await this.#call(() =>
      this.#redis
        .multi()
        .set(this.#key('org', org.orgId), JSON.stringify(org))
        .zAdd(this.#key('orgs'), { score: org.createdAt, value: org.orgId })
        .exec(),
    );
  }

  async orgs(): Promise<Organisation[]> {
    const ids = await this.#call(() => this.#redis.zRange(this.#key('orgs'), 0, -1));
    return this.#records(ids.map((id) => this.#key('org', id)), OrganisationSchema);
  }

  async addAccount(account: StoredAccount): Promise<boolean> {
    const a = stored(account);
    const keys: [string, string, string] = [this.#key('account', a.accountId), this.#key('username', a.username), this.#key('org-accounts', a.orgId)];
    const args = [JSON.stringify(a), String(a.createdAt), a.accountId];
    return scriptAnswer(await this.#call(() => this.#redis.wslOrgAddAccount(keys, args)), 'addAccount');
  }

  async account(accountId: string): Promise<StoredAccount | undefined> {
    const json = await this.#call(() => this.#redis.get(this.#key('account', accountId)));
    return json === null ? undefined : parseJsonRecord(StoredAccountSchema, json, `account ${accountId}`);
  }

  async accountByUsername(username: string): Promise<StoredAccount | undefined> {
    const accountId = await this.#call(() => this.#redis.get(this.#key('username', username.toLowerCase())));
    return accountId === null ? undefined : this.account(accountId);
  }

  async accountsOf(orgId: string): Promise<StoredAccount[]> {
    const ids = await this.#call(() => this.#redis.zRange(this.#key('org-accounts', orgId), 0, -1));
    return this.#records(ids.map((id) => this.#key('account', id)), StoredAccountSchema);
  }

  async updateAccount(account: StoredAccount): Promise<void> {
    const before = await this.account(account.accountId);
    if (before === undefined) return;
    const after: StoredAccount = {
      ...before,
      displayName: account.displayName,
      role: account.role,
      disabled: account.disabled,
      passwordHash: account.passwordHash,
    };
    // XX: an account is never deleted, but if it were meanwhile, it stays deleted.
    await this.#call(() => this.#redis.set(this.#key('account', account.accountId), JSON.stringify(after), { condition: 'XX' }));
  }

  async addSession(session: StoredSession): Promise<void> {
    const ofAccount = this.#key('account-sessions', session.accountId);
    await this.#call(() =>
      this.#redis
        .multi()
        // PXAT: Redis removes the session at its expiry (and at once if that is already past).
        .set(this.#key('session', session.tokenHash), JSON.stringify(session), { expiration: { type: 'PXAT', value: session.expiresAt } })
        // The account's list forgets the sessions expired by the time of this login.
        .zRemRangeByScore(ofAccount, '-inf', session.createdAt)
        .zAdd(ofAccount, { score: session.expiresAt, value: escapeId(session.tokenHash) })
        .exec(),
    );
  }

  async session(tokenHash: string, now: number): Promise<StoredSession | undefined> {
    const json = await this.#call(() => this.#redis.get(this.#key('session', tokenHash)));
    if (json === null) return undefined;
    const session = parseJsonRecord(StoredSessionSchema, json, 'session');
    // The caller's clock decides, not Redis's expiry alone: the two machines' clocks may differ.
    return session.expiresAt > now ? session : undefined;
  }

  async touchSession(tokenHash: string, expiresAt: number): Promise<void> {
    const json = await this.#call(() => this.#redis.get(this.#key('session', tokenHash)));
    if (json === null) return;
    const session = { ...parseJsonRecord(StoredSessionSchema, json, 'session'), expiresAt };
    // XX: a session ended meanwhile (logout, password changed) is not brought back.
    await this.#call(() =>
      this.#redis
        .multi()
        .set(this.#key('session', tokenHash), JSON.stringify(session), { expiration: { type: 'PXAT', value: expiresAt }, condition: 'XX' })
        .zAdd(this.#key('account-sessions', session.accountId), { score: expiresAt, value: escapeId(tokenHash) }, { condition: 'XX' })
        .exec(),
    );
  }

  async deleteSession(tokenHash: string): Promise<void> {
    // The account's list keeps the hash until it is pruned or purged; a missing key is nothing to end.
    await this.#call(() => this.#redis.del(this.#key('session', tokenHash)));
  }

  async deleteSessionsOf(accountId: string): Promise<void> {
    await this.#call(() => this.#redis.wslOrgDeleteSessionsOf([this.#key('account-sessions', accountId)], [`${this.#prefix}session:`]));
  }

  async roster(orgId: string): Promise<RosterMember[]> {
    const jsons = await this.#call(() => this.#redis.hVals(this.#key('roster', orgId)));
    return jsons.map((json) => parseJsonRecord(RosterMemberSchema, json, `roster of ${orgId}`));
  }

  async putMembers(orgId: string, members: readonly RosterMember[]): Promise<void> {
    assertMembersOf(orgId, members);
    if (members.length === 0) return;
    // One HSET: all of the batch or none of it.
    const fields = Object.fromEntries(members.map((m) => [m.memberId, JSON.stringify(m)]));
    await this.#call(() => this.#redis.hSet(this.#key('roster', orgId), fields));
  }

  async removeMembers(orgId: string, memberIds: readonly string[]): Promise<void> {
    if (memberIds.length === 0) return;
    await this.#call(() => this.#redis.hDel(this.#key('roster', orgId), [...memberIds]));
  }

  async assignRoom(roomId: string, orgId: string): Promise<void> {
    await this.#call(() => this.#redis.wslOrgAssignRoom([this.#key('room-org', roomId), this.#key('org-rooms', orgId)], [orgId, roomId]));
  }

  async orgOfRoom(roomId: string): Promise<string | null> {
    return this.#call(() => this.#redis.get(this.#key('room-org', roomId)));
  }

  async roomsOf(orgId: string): Promise<string[]> {
    return this.#call(() => this.#redis.lRange(this.#key('org-rooms', orgId), 0, -1));
  }

  async linkInvites(links: readonly MemberInviteLink[]): Promise<void> {
    if (links.length === 0) return;
    const byRoom = new Map<string, Record<string, string>>();
    for (const link of links) {
      const fields = byRoom.get(link.roomId) ?? {};
      fields[link.inviteId] = JSON.stringify(link);
      byRoom.set(link.roomId, fields);
    }
    const multi = this.#redis.multi();
    for (const [roomId, fields] of byRoom) multi.hSet(this.#key('room-invites', roomId), fields);
    await this.#call(() => multi.exec());
  }

  async memberInvites(roomId: string): Promise<MemberInviteLink[]> {
    const jsons = await this.#call(() => this.#redis.hVals(this.#key('room-invites', roomId)));
    return jsons.map((json) => parseJsonRecord(MemberInviteLinkSchema, json, `member invites of ${roomId}`));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#redis.destroy();
  }

  /** The records at `keys`, in order; a key listed but gone (a half-finished write elsewhere) is skipped. */
  async #records<T extends z.ZodType>(keys: string[], schema: T): Promise<z.output<T>[]> {
    if (keys.length === 0) return [];
    const jsons = await this.#call(() => this.#redis.mGet(keys));
    return jsons.flatMap((json, i) => (json === null ? [] : [parseJsonRecord(schema, json, keys[i] ?? 'record')]));
  }

  #key(kind: string, id?: string): string {
    return id === undefined ? `${this.#prefix}${kind}` : `${this.#prefix}${kind}:${escapeId(id)}`;
  }

  /** One command; a lost or absent Redis becomes UNAVAILABLE, which callers report as 503. */
  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw unavailable('the org directory cannot reach redis', error);
    }
  }
}

/** The account as stored: its username lower-cased, as its key is. */
function stored(account: StoredAccount): StoredAccount {
  return { ...account, username: account.username.toLowerCase() };
}

function scriptAnswer(reply: unknown, script: string): boolean {
  if (reply === 1) return true;
  if (reply === 0) return false;
  throw new CorruptRecordError(script, `the script answered ${String(reply)}`);
}
