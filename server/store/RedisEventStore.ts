/**
 * Room logs in Redis, so several server processes serve the same rooms (DESIGN.md, "Storage
 * and scale"). Every append is one Lua script: Redis runs a script with nothing in between, so
 * the check of the last seq and the writes are one compare-and-append across all processes.
 *
 * Keys, under the prefix (default `wsl:`), with `%` and `:` escaped in ids so that no room or
 * poll id can spell another one's key:
 * - `room:<room>:events`  a stream, entry id `<seq>-0`, fields at, actor, type, data, hash. A
 *   stream rather than a list: XRANGE from `<seq+1>-0` reads "after seq" in O(log n) without an
 *   index of our own, Redis itself refuses an id that does not grow, entries of one shape share
 *   their field names in memory, and other processes can tail it with XREAD BLOCK.
 * - `room:<room>:commands`  a hash, field JSON [actor, commandId] → JSON seqs.
 * - `room:<room>:ballots:<poll>`  a sorted set of secret ballots (see NOTE in append()).
 * - `room:<room>:snapshot`  a hash {seq, state}; one HSET replaces both at once.
 * - `rooms`  a sorted set of room ids scored by their first event's `at`; ties sort by id.
 *
 * Needs one Redis primary (standalone or Sentinel): the script touches the shared `rooms` key
 * and a room's keys, which Redis Cluster would place in different slots.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createClient, defineScript, ErrorReply, type CommandParser } from 'redis';
import type { RoomEvent } from '../../signaling/room/events.js';
import { createLogger, type Logger } from '../log.js';
import type { AppendOptions, AppendResult, BatchAppendResult, BatchEntry, EventStore, Snapshot } from './EventStore.js';
import { batchEvents, singleEntry, singleResult } from './batches.js';
import { CONNECT_TIMEOUT_MS, connectOrFail, reconnectDelay, unavailable, withDeadline } from './redisConnection.js';
import { appendedChannel, escapeId } from './redisKeys.js';
import {
  appendResultFromReply, ballotMember, entryFromMember, eventsFromReply, lastSeqFromReply, seqsFromReply, snapshotFromReply, strings,
} from './redisReplies.js';

// `#!lua` (Redis 7) makes Redis refuse the whole script up front when it is out of memory,
// instead of failing at a write halfway: Redis never rolls back a script, so every check below
// runs before the first write too.
const APPEND_SCRIPT = `#!lua
-- A batch of entries (one per command), all written or none.
-- KEYS: events stream, command records, rooms index, then every ballot box the batch writes,
--       in the order of the entries
-- ARGV: expectedSeq, room id, channel to announce the new last seq on, number of entries, then
--       per entry: command field ('' = none), seqs JSON, number of events, five values per
--       event (at, actor, type, data, hash), number of ballot boxes, and per box: 'add' or
--       'refill' (empty it first), the number of ballots, and a score and a member per ballot
local expected = tonumber(ARGV[1])
local entries = tonumber(ARGV[4])
local starts = {}
local duplicates = {}
local total = 0
local firstAt = nil
local a = 5
local k = 4
for i = 1, entries do
  starts[i] = a
  if ARGV[a] ~= '' then
    local seqs = redis.call('HGET', KEYS[2], ARGV[a])
    if seqs then
      duplicates[#duplicates + 1] = tostring(i - 1)
      duplicates[#duplicates + 1] = seqs
    end
  end
  local count = tonumber(ARGV[a + 2])
  if count > 0 and firstAt == nil then firstAt = ARGV[a + 3] end
  total = total + count
  a = a + 3 + count * 5
  local boxes = tonumber(ARGV[a])
  a = a + 1
  for b = 1, boxes do
    if ARGV[a] ~= 'add' and ARGV[a] ~= 'refill' then return redis.error_reply('wslAppend: a ballot box is added to or refilled') end
    a = a + 2 + tonumber(ARGV[a + 1]) * 2
    k = k + 1
  end
end
if a ~= #ARGV + 1 or k ~= #KEYS + 1 then return redis.error_reply('wslAppend: the arguments do not add up') end
if #duplicates > 0 then return {'duplicate', duplicates} end
local actual = 0
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if #last > 0 then actual = tonumber(string.match(last[1][1], '^(%d+)%-')) end
if actual ~= expected then return {'conflict', tostring(actual)} end
local seq = expected
k = 4
for i = 1, entries do
  a = starts[i]
  local count = tonumber(ARGV[a + 2])
  for j = 0, count - 1 do
    local e = a + 3 + j * 5
    seq = seq + 1
    redis.call('XADD', KEYS[1], string.format('%d-0', seq),
      'at', ARGV[e], 'actor', ARGV[e + 1], 'type', ARGV[e + 2], 'data', ARGV[e + 3], 'hash', ARGV[e + 4])
  end
  if ARGV[a] ~= '' then redis.call('HSET', KEYS[2], ARGV[a], ARGV[a + 1]) end
  a = a + 3 + count * 5
  local boxes = tonumber(ARGV[a])
  a = a + 1
  for b = 1, boxes do
    if ARGV[a] == 'refill' then redis.call('DEL', KEYS[k]) end
    local n = tonumber(ARGV[a + 1])
    a = a + 2
    for j = 1, n do
      redis.call('ZADD', KEYS[k], ARGV[a], ARGV[a + 1])
      a = a + 2
    end
    k = k + 1
  end
end
if expected == 0 and firstAt ~= nil then redis.call('ZADD', KEYS[3], 'NX', firstAt, ARGV[2]) end
if total > 0 then redis.call('PUBLISH', ARGV[3], tostring(expected + total)) end
return {'ok'}
`;

/**
 * The append script for node-redis: EVALSHA, and EVAL with the text only when Redis answers
 * NOSCRIPT (after a restart, say). numkeys is 3 plus one per ballot box, so it goes with the keys.
 */
const APPEND = defineScript({
  SCRIPT: APPEND_SCRIPT,
  parseCommand(parser: CommandParser, keys: string[], args: string[]) {
    parser.pushKeysLength(keys);
    parser.push(...args);
  },
  // The reply is checked by appendResultFromReply().
  transformReply: (reply: unknown): unknown => reply,
});

/** Replies that mean "Redis cannot serve now, try again", not "this command is wrong". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|MISCONF|OOM|NOREPLICAS)\b/;

/** How RedisEventStore.connect() is configured. */
export type RedisEventStoreOptions = {
  /** Prepended to every key (default `wsl:`), so several deployments or tests share a server. */
  keyPrefix?: string;
  /** Where connection loss and recovery are reported (default: warnings to stderr). */
  logger?: Logger;
  /** A command without an answer after this long rejects with UNAVAILABLE (default 2000). */
  commandTimeoutMs?: number;
};

/** One connection, failing fast (see NOTE in RedisEventStore.connect()). */
function createStoreClient(url: string, commandTimeoutMs: number) {
  return createClient({
    url,
    // RESP2 rather than node-redis's default RESP3, which also starts Redis Enterprise
    // maintenance handling on every connection: a DNS lookup and one more command at each
    // (re)connect, and command timeouts relaxed to 10 s during a maintenance window.
    RESP: 2,
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
    scripts: { wslAppend: APPEND },
  });
}

type StoreClient = ReturnType<typeof createStoreClient>;

/** Room logs in Redis, shared by several server processes. */
export class RedisEventStore implements EventStore {
  readonly #redis: StoreClient;
  readonly #prefix: string;
  readonly #logger: Logger;
  readonly #commandTimeoutMs: number;
  #closed = false;
  #closing: Promise<void> | undefined;
  #lost = false;

  private constructor(redis: StoreClient, prefix: string, logger: Logger, commandTimeoutMs: number) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#logger = logger;
    this.#commandTimeoutMs = commandTimeoutMs;
    // node-redis ends the process on an 'error' without a listener, and emits one for the
    // loss and for every failed reconnect; an operator needs the change of state, once each way.
    redis.on('error', (error: Error) => this.#connectionLost(error.message));
    redis.on('ready', () => {
      if (!this.#lost) return;
      this.#lost = false;
      this.#logger.info('redis reachable again');
    });
  }

  /** Connects to `url` (redis://host:port/db); rejects with UNAVAILABLE if Redis does not answer. */
  static async connect(url: string, options: RedisEventStoreOptions = {}): Promise<RedisEventStore> {
    const commandTimeoutMs = options.commandTimeoutMs ?? 2000;
    // NOTE: a store that queued commands while Redis is away would hold every client's
    // command for as long as the outage lasts. Failing fast gives clients UNAVAILABLE within
    // ~2 s, and their command ids make the retry safe: no offline queue (disableOfflineQueue:
    // fail while disconnected), a command in flight when the connection drops fails then
    // (node-redis never resends one), and a deadline for a Redis that hangs (#call; the
    // commandOptions.timeout above only covers commands not yet written).
    const redis = createStoreClient(url, commandTimeoutMs);
    const store = new RedisEventStore(redis, options.keyPrefix ?? 'wsl:', options.logger ?? createLogger('warn', 'redis-store'), commandTimeoutMs);
    await connectOrFail(redis, url);
    return store;
  }

  async append(roomId: string, expectedSeq: number, events: readonly RoomEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return singleResult(await this.appendBatch(roomId, expectedSeq, singleEntry(events, options)));
  }

  async appendBatch(roomId: string, expectedSeq: number, entries: readonly BatchEntry[]): Promise<BatchAppendResult> {
    this.#assertOpen();
    checkEvents(expectedSeq, batchEvents(entries));
    const keys = [this.#roomKey(roomId, 'events'), this.#roomKey(roomId, 'commands'), this.#key('rooms')];
    // NOTE: published from inside the script, so every append is announced, in the order
    // of the log, by the one Redis that ordered it (see server/cluster/RedisCluster.ts).
    const args = [String(expectedSeq), roomId, appendedChannel(this.#prefix, roomId), String(entries.length)];
    for (const { events, options = {} } of entries) {
      const { commandId, actor, ballot, refillBallots = [] } = options;
      args.push(commandId !== undefined && actor !== undefined ? commandField(actor, commandId) : '', JSON.stringify(events.map((e) => e.seq)), String(events.length));
      for (const e of events) args.push(String(e.at), e.actor, e.type, JSON.stringify(e.data), e.hash);
      // NOTE: a ballot box must never show voting order. Small Redis hashes, sets and lists keep
      // insertion order, so a box is a sorted set scored by a random number from crypto (not
      // Lua's math.random, a weak PRNG that older Redis versions seeded identically for every
      // script): ZRANGE, and any tool reading the key, sees a random order fixed at write time.
      // The random id keeps two equal ballots apart. The append-only file records the writes in
      // order all the same: an open poll's entries are sealed, and compact() rewrites the file.
      const boxes: Array<{ pollId: string; mode: 'add' | 'refill'; entries: readonly string[] }> = [
        ...(ballot ? [{ pollId: ballot.pollId, mode: 'add' as const, entries: [ballot.entry] }] : []),
        ...refillBallots.map((box) => ({ pollId: box.pollId, mode: 'refill' as const, entries: box.entries })),
      ];
      args.push(String(boxes.length));
      for (const box of boxes) {
        keys.push(this.#ballotsKey(roomId, box.pollId));
        args.push(box.mode, String(box.entries.length));
        for (const entry of box.entries) args.push(String(randomInt(2 ** 48 - 1)), ballotMember(randomUUID(), entry));
      }
    }
    const reply = await this.#call('append', () => this.#redis.wslAppend(keys, args));
    return appendResultFromReply(reply, roomId);
  }

  async read(roomId: string, afterSeq = 0, limit = Infinity): Promise<RoomEvent[]> {
    this.#assertOpen();
    if (!Number.isInteger(afterSeq)) throw new TypeError(`read: afterSeq must be an integer, got ${afterSeq}`);
    if (limit !== Infinity && !(Number.isInteger(limit) && limit >= 0)) {
      throw new TypeError(`read: limit must be a non-negative integer or Infinity, got ${limit}`);
    }
    // Redis reads COUNT 0 as "no limit"; and no stored seq lies past the largest safe integer.
    if (limit === 0 || afterSeq >= Number.MAX_SAFE_INTEGER) return [];
    const key = this.#roomKey(roomId, 'events');
    const start = afterSeq < 0 ? '-' : `${afterSeq + 1}-0`;
    const reply = await this.#call('read', () => this.#redis.xRange(key, start, '+', limit === Infinity ? undefined : { COUNT: limit }));
    return eventsFromReply(reply, roomId);
  }

  async lastSeq(roomId: string): Promise<number> {
    this.#assertOpen();
    const reply = await this.#call('lastSeq', () => this.#redis.xRevRange(this.#roomKey(roomId, 'events'), '+', '-', { COUNT: 1 }));
    return lastSeqFromReply(reply, roomId);
  }

  async commandResult(roomId: string, actor: string, commandId: string): Promise<number[] | undefined> {
    this.#assertOpen();
    const reply = await this.#call('commandResult', () => this.#redis.hGet(this.#roomKey(roomId, 'commands'), commandField(actor, commandId)));
    return seqsFromReply(reply, `room ${roomId}, command ${commandId}`);
  }

  available(): boolean {
    return !this.#closed && this.#redis.isReady;
  }

  async ballots(roomId: string, pollId: string): Promise<string[]> {
    this.#assertOpen();
    const reply = await this.#call('ballots', () => this.#redis.zRange(this.#ballotsKey(roomId, pollId), 0, -1));
    return strings(reply, `room ${roomId}, poll ${pollId} ballots`).map((member) => entryFromMember(member, roomId, pollId));
  }

  async compact(): Promise<void> {
    this.#assertOpen();
    const info = await this.#call('compact', () => this.#redis.info('persistence'));
    // Without an append-only file there is no history to erase (an RDB holds the data as it is now).
    if (!/^aof_enabled:1\b/m.test(info)) return;
    await this.#call('compact', () => this.#redis.bgRewriteAof());
  }

  async saveSnapshot(roomId: string, snapshot: Snapshot): Promise<void> {
    this.#assertOpen();
    await this.#call('saveSnapshot', () =>
      this.#redis.hSet(this.#roomKey(roomId, 'snapshot'), { seq: String(snapshot.seq), state: snapshot.state }),
    );
  }

  async loadSnapshot(roomId: string): Promise<Snapshot | undefined> {
    this.#assertOpen();
    const reply = await this.#call('loadSnapshot', () => this.#redis.hmGet(this.#roomKey(roomId, 'snapshot'), ['seq', 'state']));
    return snapshotFromReply(reply, roomId);
  }

  async rooms(): Promise<string[]> {
    this.#assertOpen();
    return strings(await this.#call('rooms', () => this.#redis.zRange(this.#key('rooms'), 0, -1)), 'rooms');
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#quit();
    return this.#closing;
  }

  #connectionLost(why: string): void {
    if (this.#closed) return;
    if (this.#lost) return this.#logger.debug(`redis still unreachable: ${why}`);
    this.#lost = true;
    this.#logger.warn(`redis unreachable, store calls fail with UNAVAILABLE until it is back: ${why}`);
  }

  async #quit(): Promise<void> {
    // close() lets commands already sent finish (a snapshot being saved); without a
    // connection there is nothing to finish, and destroy() also stops the reconnect attempts.
    // A Redis that hangs is not waited for longer than a command would be.
    if (this.#redis.isReady) {
      try {
        await withDeadline(this.#redis.close(), this.#commandTimeoutMs);
        return;
      } catch (error) {
        this.#logger.debug('redis close did not finish; destroying the connection', error);
      }
    }
    this.#redis.destroy();
  }

  /** Runs one Redis command within the command timeout; failures of the connection become UNAVAILABLE. */
  async #call<T>(what: string, command: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(command(), this.#commandTimeoutMs);
    } catch (error) {
      // A reply error that is not transient means a bug or a damaged key: it stays an
      // unexpected error (INTERNAL for clients), with the operation named.
      if (error instanceof ErrorReply && !TRANSIENT_REPLY.test(error.message)) {
        throw new Error(`event store: redis ${what} failed: ${error.message}`, { cause: error });
      }
      // NOTE: after a timeout an append may still have happened; a retry with the same
      // command id then answers duplicate, and without one the stale expectedSeq conflicts.
      throw unavailable(`event store: redis ${what} failed`, error);
    }
  }

  #key(name: string): string {
    return `${this.#prefix}${name}`;
  }

  #roomKey(roomId: string, part: 'events' | 'commands' | 'snapshot'): string {
    return this.#key(`room:${escapeId(roomId)}:${part}`);
  }

  #ballotsKey(roomId: string, pollId: string): string {
    return this.#key(`room:${escapeId(roomId)}:ballots:${escapeId(pollId)}`);
  }

  #assertOpen(): void {
    if (this.#closed) throw new TypeError('RedisEventStore is closed');
  }
}


/** JSON of the pair, so no actor or command id can run into the other. */
function commandField(actor: string, commandId: string): string {
  return JSON.stringify([actor, commandId]);
}

/** A caller that numbers or times events wrongly has a bug; storing them would break the log. */
function checkEvents(expectedSeq: number, events: readonly RoomEvent[]): void {
  if (!Number.isInteger(expectedSeq) || expectedSeq < 0) {
    throw new TypeError(`append: expectedSeq must be a non-negative integer, got ${expectedSeq}`);
  }
  events.forEach((e, i) => {
    if (e.seq !== expectedSeq + 1 + i) {
      throw new TypeError(`append: event ${i} has seq ${e.seq}, expected ${expectedSeq + 1 + i}`);
    }
    if (!Number.isSafeInteger(e.at) || e.at < 0) throw new TypeError(`append: event ${i} has at ${e.at}, not a time in ms`);
  });
}
