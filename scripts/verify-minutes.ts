/**
 * Verifies an exported minutes file against a room's log, and the recording's files against it:
 *   npx tsx scripts/verify-minutes.ts <exported file> <data dir | redis://…> <roomId> [--recording <file>]…
 * The log is read from DATA_DIR/rooms.sqlite, or from Redis when given its URL (with the
 * key prefix in REDIS_PREFIX, default `wsl:`, as the servers use it). Each recording file must
 * be one part of the locked minutes (its size and SHA-256 those the lock read).
 * Prints "verified" (and which part each recording file is) and exits 0, or prints the reason and exits 1.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { contentHash } from '../server/store/recordHash.js';
import { recordingFilePart, verifyExport, type RecordingFileFacts } from '../server/export/verify.js';
import { createLogger } from '../server/log.js';
import type { EventStore } from '../server/store/EventStore.js';
import { RedisEventStore } from '../server/store/RedisEventStore.js';
import { SqliteEventStore } from '../server/store/SqliteEventStore.js';

const USAGE = 'usage: npx tsx scripts/verify-minutes.ts <exported file> <data dir | redis://…> <roomId> [--recording <file>]…';

async function main(args: string[]): Promise<number> {
  const recordings: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--recording') {
      const next = args[(i += 1)];
      if (next === undefined) {
        console.error(USAGE);
        return 2;
      }
      recordings.push(next);
    } else positional.push(arg);
  }
  const [file, where, roomId] = positional;
  if (file === undefined || where === undefined || roomId === undefined || positional.length !== 3) {
    console.error(USAGE);
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
    for (const recording of recordings) {
      const part = recordingFilePart(await readFacts(recording), m);
      if (!part.ok) {
        console.error(`not verified: recording file ${recording}: ${part.reason}`);
        return 1;
      }
      console.log(`recording file ${recording} is part ${part.partIndex + 1} (${part.name}) of the recording`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** A recording file's size and SHA-256, read as a stream (a part can be gigabytes). */
async function readFacts(file: string): Promise<RecordingFileFacts> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return { bytes: statSync(file).size, sha256: hash.digest('hex') };
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
