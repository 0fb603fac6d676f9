/**
 * Verifies an exported minutes file against a room's log:
 *   npx tsx scripts/verify-minutes.ts <exported file> <data dir | redis://…> <roomId>
 * The log is read from DATA_DIR/rooms.sqlite, or from Redis when given its URL (with the
 * key prefix in REDIS_PREFIX, default `wsl:`, as the servers use it).
 * Prints "verified" and exits 0, or prints the reason and exits 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { contentHash } from '../server/store/recordHash.js';
import { verifyExport } from '../server/export/verify.js';
import { createLogger } from '../server/log.js';
import type { EventStore } from '../server/store/EventStore.js';
import { RedisEventStore } from '../server/store/RedisEventStore.js';
import { SqliteEventStore } from '../server/store/SqliteEventStore.js';

async function main(args: string[]): Promise<number> {
  const [file, where, roomId] = args;
  if (file === undefined || where === undefined || roomId === undefined || args.length !== 3) {
    console.error('usage: npx tsx scripts/verify-minutes.ts <exported file> <data dir | redis://…> <roomId>');
    return 2;
  }
  const store = await openStore(where);
  if (!store) return 1;
  try {
    const result = await verifyExport(readFileSync(file), store, roomId);
    if (!result.ok) {
      console.error(`not verified: ${result.reason}`);
      return 1;
    }
    const m = result.minutes;
    const version = `version ${m.version} ${m.lockedAt === null ? 'draft' : `locked at ${new Date(m.lockedAt).toISOString()}`}`;
    console.log(`verified (${result.format}, room ${roomId}, ${version}, content SHA-256 ${contentHash(m)}, seq ${m.seq}, chain head ${m.chainHead})`);
    return 0;
  } finally {
    await store.close();
  }
}

async function openStore(where: string): Promise<EventStore | undefined> {
  if (/^rediss?:\/\//.test(where)) {
    return RedisEventStore.connect(where, { keyPrefix: process.env['REDIS_PREFIX'] ?? 'wsl:', logger: createLogger('error') });
  }
  const db = path.join(where, 'rooms.sqlite');
  // Opening a missing file would create an empty store; say what is wrong instead.
  if (!existsSync(db)) {
    console.error(`not verified: no room store at ${db}`);
    return undefined;
  }
  return SqliteEventStore.open(db);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`not verified: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
