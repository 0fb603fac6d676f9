/**
 * Verifies an exported minutes file against a room's log:
 *   npx tsx scripts/verify-minutes.ts <exported file> <data dir> <roomId>
 * Prints "verified" and exits 0, or prints the reason and exits 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { contentHash } from '../server/export/common.js';
import { verifyExport } from '../server/export/verify.js';
import { SqliteEventStore } from '../server/store/SqliteEventStore.js';

async function main(args: string[]): Promise<number> {
  const [file, dataDir, roomId] = args;
  if (file === undefined || dataDir === undefined || roomId === undefined || args.length !== 3) {
    console.error('usage: npx tsx scripts/verify-minutes.ts <exported file> <data dir> <roomId>');
    return 2;
  }
  const db = path.join(dataDir, 'rooms.sqlite');
  // Opening a missing file would create an empty store; say what is wrong instead.
  if (!existsSync(db)) {
    console.error(`not verified: no room store at ${db}`);
    return 1;
  }
  const store = SqliteEventStore.open(db);
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`not verified: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
