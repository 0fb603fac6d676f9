/**
 * Opens a SQLite file of the process (the room logs, the invite registry, the comments, the
 * visit counts) the one way they all need: its directory made, WAL, a wait for another
 * process's write lock, the durability asked for, and its schema brought to the current
 * version in one transaction (a file from a later release is refused, not misread).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteFileOptions = {
  /** Named in the error when the file's schema is newer than this release's. */
  name: string;
  schemaVersion: number;
  /** Creates the schema of `schemaVersion` in an empty file. */
  schema: string;
  /** Upgrades by the version they start from: `{ 1: '…' }` takes a version 1 file to 2. */
  upgrades?: Readonly<Record<number, string>>;
  /**
   * FULL: every commit is on the disk before it returns (what a client was told is recorded
   * survives a power loss). NORMAL: the last moment's commits may be lost, the file never breaks.
   */
  synchronous: 'FULL' | 'NORMAL';
  /** Deleted content is overwritten with zeros instead of left in free space. */
  secureDelete?: boolean;
};

/** Opens (and if needed creates) `file`; `:memory:` or '' for a database that lives in memory. */
export function openSqliteFile(file: string, options: SqliteFileOptions): Database.Database {
  if (file !== ':memory:' && file !== '') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    // WAL: readers never block the writer, and a commit appends instead of rewriting pages.
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous}`);
    if (options.secureDelete) db.pragma('secure_delete = ON');
    // Another process on the same file waits for the write lock instead of failing at once.
    db.pragma('busy_timeout = 5000');
    db.transaction(() => migrate(db, options)).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Database.Database, options: SqliteFileOptions): void {
  const read = db.pragma('user_version', { simple: true });
  if (typeof read !== 'number' || !Number.isInteger(read)) throw new Error(`${options.name}: user_version is not an integer`);
  let version = read;
  if (version === options.schemaVersion) return;
  if (version > options.schemaVersion) {
    throw new Error(`${options.name}: schema version ${version} is newer than ${options.schemaVersion}; is this file from a later release?`);
  }
  if (version === 0) {
    db.exec(options.schema);
  } else {
    for (; version < options.schemaVersion; version++) {
      const upgrade = options.upgrades?.[version];
      if (upgrade === undefined) throw new Error(`${options.name}: no upgrade from schema version ${version}`);
      db.exec(upgrade);
    }
  }
  db.pragma(`user_version = ${options.schemaVersion}`);
}
