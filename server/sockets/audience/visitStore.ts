/**
 * 累计访问: how many times a consultation's public view was opened, kept beside the room logs
 * (`audience.sqlite` in DATA_DIR, or a Redis counter with REDIS_URL, shared by every process).
 * Not in the room's log: a visit is no event of the meeting, and tens of thousands of them
 * would bury the meeting's record (DESIGN.md, "The public and the audience"). Each process adds
 * its visits in batches (AudienceCounts), so a crowd arriving costs a write every few seconds.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { createClient } from 'redis';
import { CONNECT_TIMEOUT_MS, connectOrFail, reconnectDelay } from '../../store/redisConnection.js';
import { openSqliteFile } from '../../store/sqliteFile.js';

/** Visit totals per room. */
export interface VisitStore {
  /** Adds `n` visits (0: none) and answers the room's total since it was first opened. */
  add(roomId: string, n: number): Promise<number>;
  close(): Promise<void>;
}

/** The store of a single process: a SQLite file. */
export class SqliteVisitStore implements VisitStore {
  readonly #db: Database.Database;
  readonly #add: Database.Statement<[string, number]>;
  readonly #get: Database.Statement<[string], { visits: number }>;

  constructor(file: string) {
    // NORMAL: a count of visits may lose its last moment in a power loss; it never breaks.
    this.#db = openSqliteFile(file, {
      name: 'visit counts',
      schemaVersion: 1,
      schema: 'CREATE TABLE IF NOT EXISTS visits (room TEXT PRIMARY KEY, visits INTEGER NOT NULL)',
      synchronous: 'NORMAL',
    });
    this.#add = this.#db.prepare('INSERT INTO visits (room, visits) VALUES (?, ?) ON CONFLICT(room) DO UPDATE SET visits = visits + excluded.visits');
    this.#get = this.#db.prepare('SELECT visits FROM visits WHERE room = ?');
  }

  async add(roomId: string, n: number): Promise<number> {
    if (n > 0) this.#add.run(roomId, n);
    return this.#get.get(roomId)?.visits ?? 0;
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}

/** A Redis connection that fails fast while Redis is away: the visits then wait in memory and are added on a later try. */
function createVisitClient(url: string) {
  return createClient({
    url,
    RESP: 2,
    disableOfflineQueue: true,
    commandOptions: { timeout: CONNECT_TIMEOUT_MS },
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
  });
}

/** The store of processes behind one Redis: one counter per room. */
export class RedisVisitStore implements VisitStore {
  readonly #redis: ReturnType<typeof createVisitClient>;
  readonly #prefix: string;

  private constructor(redis: ReturnType<typeof createVisitClient>, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  static async connect(url: string, prefix: string): Promise<RedisVisitStore> {
    const redis = createVisitClient(url);
    redis.on('error', () => undefined);
    await connectOrFail(redis, url);
    return new RedisVisitStore(redis, prefix);
  }

  async add(roomId: string, n: number): Promise<number> {
    const key = `${this.#prefix}audience:visits:${roomId}`;
    if (n > 0) return this.#redis.incrBy(key, n);
    return Number((await this.#redis.get(key)) ?? 0);
  }

  async close(): Promise<void> {
    this.#redis.destroy();
  }
}

/** The visit store of a process: SQLite in `dataDir`, or Redis when the process shares one. */
export async function openVisitStore(config: { dataDir: string; redis: { url: string; prefix: string } | undefined }): Promise<VisitStore> {
  if (config.redis) return RedisVisitStore.connect(config.redis.url, config.redis.prefix);
  return new SqliteVisitStore(path.join(config.dataDir, 'audience.sqlite'));
}
