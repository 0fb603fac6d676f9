/**
 * Issued invites and meeting numbers in Redis, for several processes. Keys, under the prefix
 * (ids escaped as in the event store):
 * - `invite:<id>`  the invite as JSON;
 * - `invite-code:<code>`  its id, set only if absent (SET NX), so a short code names one invite;
 * - `room-invites:<room>`  a sorted set of the room's invite ids by time of issue;
 * - `revoked-invites`  a set of revoked invite ids: the one read each join makes;
 * - `meeting:<number>`  the room id (SET NX); `meeting-room:<room>` the room as JSON;
 *   `meeting-rooms` a sorted set of room ids by time of registration.
 */
import { createClient } from 'redis';
import { z } from 'zod';
import { ROLES } from '../../signaling/room/state.js';
import { CONNECT_TIMEOUT_MS, connectOrFail, reconnectDelay, unavailable } from '../store/redisConnection.js';
import { escapeId } from '../store/redisKeys.js';
import type { InviteRecord, InviteRegistry, RegisteredRoom } from './InviteRegistry.js';

const InviteJson = z.object({
  inviteId: z.string(),
  roomId: z.string(),
  code: z.string(),
  role: z.enum(ROLES),
  venue: z.string(),
  name: z.string().nullable(),
  sector: z.string(),
  token: z.string(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  revokedAt: z.number().nullable(),
});

const RoomJson = z.object({
  roomId: z.string(),
  meetingNumber: z.string(),
  topic: z.string(),
  startsAt: z.number().nullable(),
  registeredAt: z.number(),
});

function createRegistryClient(url: string) {
  // Like the event store's: fail fast while Redis is away rather than queue (see RedisEventStore).
  return createClient({
    url,
    RESP: 2,
    disableOfflineQueue: true,
    commandOptions: { timeout: 2000 },
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
  });
}

/** The registry in Redis, shared by every process. */
export class RedisInviteRegistry implements InviteRegistry {
  readonly #redis: ReturnType<typeof createRegistryClient>;
  readonly #prefix: string;
  #closed = false;

  private constructor(redis: ReturnType<typeof createRegistryClient>, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
    // The event store reports the connection's loss; this one must only not end the process.
    redis.on('error', () => undefined);
  }

  /** Connects to `url`; rejects with UNAVAILABLE if Redis does not answer. */
  static async connect(url: string, keyPrefix = 'wsl:'): Promise<RedisInviteRegistry> {
    const redis = createRegistryClient(url);
    const registry = new RedisInviteRegistry(redis, keyPrefix);
    await connectOrFail(redis, url);
    return registry;
  }

  async add(invite: InviteRecord): Promise<boolean> {
    const codeKey = this.#key('invite-code', invite.code);
    const taken = await this.#call(() => this.#redis.set(codeKey, invite.inviteId, { condition: 'NX' }));
    if (taken === null) return false;
    const stored = await this.#call(() => this.#redis.set(this.#key('invite', invite.inviteId), JSON.stringify(invite), { condition: 'NX' }));
    if (stored === null) {
      await this.#call(() => this.#redis.del(codeKey));
      return false;
    }
    await this.#call(() => this.#redis.zAdd(this.#key('room-invites', invite.roomId), { score: invite.issuedAt, value: invite.inviteId }));
    return true;
  }

  async byCode(code: string): Promise<InviteRecord | undefined> {
    const id = await this.#call(() => this.#redis.get(this.#key('invite-code', code)));
    return id === null ? undefined : this.byId(id);
  }

  async byId(inviteId: string): Promise<InviteRecord | undefined> {
    const json = await this.#call(() => this.#redis.get(this.#key('invite', inviteId)));
    return json === null ? undefined : InviteJson.parse(JSON.parse(json));
  }

  async list(roomId: string): Promise<InviteRecord[]> {
    const ids = await this.#call(() => this.#redis.zRange(this.#key('room-invites', roomId), 0, -1, { REV: true }));
    if (ids.length === 0) return [];
    const jsons = await this.#call(() => this.#redis.mGet(ids.map((id) => this.#key('invite', id))));
    return jsons.flatMap((json) => (json === null ? [] : [InviteJson.parse(JSON.parse(json))]));
  }

  async revoke(roomId: string, inviteId: string, at: number): Promise<InviteRecord | undefined> {
    const invite = await this.byId(inviteId);
    if (invite?.roomId !== roomId) return undefined;
    if (invite.revokedAt !== null) return invite;
    // Records never change otherwise, so two revocations at once at worst differ in revokedAt.
    const revoked = { ...invite, revokedAt: at };
    await this.#call(() =>
      this.#redis.multi().sAdd(this.#key('revoked-invites'), inviteId).set(this.#key('invite', inviteId), JSON.stringify(revoked)).exec(),
    );
    return revoked;
  }

  async isRevoked(inviteId: string): Promise<boolean> {
    return (await this.#call(() => this.#redis.sIsMember(this.#key('revoked-invites'), inviteId))) === 1;
  }

  async addRoom(room: RegisteredRoom): Promise<boolean> {
    const numberKey = this.#key('meeting', room.meetingNumber);
    const taken = await this.#call(() => this.#redis.set(numberKey, room.roomId, { condition: 'NX' }));
    if (taken === null) return false;
    const stored = await this.#call(() => this.#redis.set(this.#key('meeting-room', room.roomId), JSON.stringify(room), { condition: 'NX' }));
    if (stored === null) {
      await this.#call(() => this.#redis.del(numberKey));
      return false;
    }
    await this.#call(() => this.#redis.zAdd(this.#key('meeting-rooms'), { score: room.registeredAt, value: room.roomId }));
    return true;
  }

  async room(roomId: string): Promise<RegisteredRoom | undefined> {
    const json = await this.#call(() => this.#redis.get(this.#key('meeting-room', roomId)));
    return json === null ? undefined : RoomJson.parse(JSON.parse(json));
  }

  async roomByNumber(meetingNumber: string): Promise<RegisteredRoom | undefined> {
    const roomId = await this.#call(() => this.#redis.get(this.#key('meeting', meetingNumber)));
    return roomId === null ? undefined : this.room(roomId);
  }

  async recentRooms(limit: number): Promise<RegisteredRoom[]> {
    const ids = await this.#call(() => this.#redis.zRange(this.#key('meeting-rooms'), 0, limit - 1, { REV: true }));
    if (ids.length === 0) return [];
    const jsons = await this.#call(() => this.#redis.mGet(ids.map((id) => this.#key('meeting-room', id))));
    return jsons.flatMap((json) => (json === null ? [] : [RoomJson.parse(JSON.parse(json))]));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#redis.destroy();
  }

  #key(kind: string, id?: string): string {
    return id === undefined ? `${this.#prefix}${kind}` : `${this.#prefix}${kind}:${escapeId(id)}`;
  }

  /** One command; a lost or absent Redis becomes UNAVAILABLE, which callers report as 503. */
  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw unavailable('the invite registry cannot reach redis', error);
    }
  }
}
