/**
 * The embedded event store: room logs in one SQLite file (DESIGN.md, "Storage and scale").
 * better-sqlite3 is synchronous; each call is a few indexed statements, short enough to run on
 * the event loop, and it makes every append one uninterrupted compare-and-append.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RoomEvent } from '../../signaling/room/events.js';
import { AppError } from '../../signaling/errors.js';
import { createLogger, type Logger } from '../log.js';
import type { AppendOptions, AppendResult, BatchAppendResult, BatchEntry, EventStore, Snapshot } from './EventStore.js';
import { batchEvents, singleEntry, singleResult } from './batches.js';
import { openSqliteFile } from './sqliteFile.js';
import { WalSync, type WalSyncOptions } from './WalSync.js';
import { eventFromRow, integer, seqsFromColumn, snapshotFromRow, text } from './sqliteRows.js';

/** Bumped with every change of the tables below; an older version is migrated, a newer refuses to open. */
const SCHEMA_VERSION = 2;

// NOTE: ballots are keyed by a random UUID in a WITHOUT ROWID table, so SQLite keeps them in
// key order, which is random: their key order (and the order ballots() returns them) cannot
// be matched with the order of 'poll.voted' events in the log. Their physical order within a
// page is the order they were written in; while a poll is open that is voting order, which is
// why an open poll's entries are sealed (server/rooms/BallotBox.ts), and why closing a poll
// writes its box anew in a random order and compact() erases the old pages and the WAL.
const SCHEMA = `
  CREATE TABLE events (
    room_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (room_id, seq)
  ) WITHOUT ROWID, STRICT;
  -- One entry per room (its first event): rooms() reads it in creation order without a scan.
  CREATE INDEX events_first ON events (at, room_id) WHERE seq = 1;
  CREATE TABLE commands (
    room_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    command_id TEXT NOT NULL,
    seqs TEXT NOT NULL,
    PRIMARY KEY (room_id, actor, command_id)
  ) WITHOUT ROWID, STRICT;
  CREATE TABLE ballots (
    room_id TEXT NOT NULL,
    poll_id TEXT NOT NULL,
    ballot_id TEXT NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (room_id, poll_id, ballot_id)
  ) WITHOUT ROWID, STRICT;
  -- A rowid table: a snapshot is a whole room state, too large a row for WITHOUT ROWID.
  CREATE TABLE snapshots (
    room_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    state TEXT NOT NULL
  ) STRICT;
`;

type Queries = ReturnType<typeof prepare>;

/** Room logs in a SQLite file (or in memory with ':memory:'). */
export class SqliteEventStore implements EventStore {
  readonly #db: Database.Database;
  readonly #q: Queries;
  readonly #append: Database.Transaction<(roomId: string, expectedSeq: number, entries: readonly BatchEntry[]) => BatchAppendResult>;
  #closed = false;
  readonly #logger: Logger;
  /** The file refused writes (full, read-only, failing): reported once, and once when it recovers. */
  #failing = false;

  /** Makes each commit durable; none for a store in memory. */
  readonly #wal: WalSync | undefined;

  private constructor(db: Database.Database, logger: Logger, wal: WalSync | undefined) {
    this.#wal = wal;
    this.#logger = logger;
    this.#db = db;
    this.#q = prepare(db);
    this.#append = db.transaction((roomId, expectedSeq, entries) => this.#appendInTransaction(roomId, expectedSeq, entries));
  }

  /** Opens (and if needed creates) the store in `file`; creates its directory too. */
  static open(file: string, logger: Logger = createLogger('warn'), sync: Pick<WalSyncOptions, 'calls' | 'clock'> = {}): SqliteEventStore {
    // Every commit is on the disk before the append returns, so what a client was told is
    // recorded survives a power loss or a disk the kernel turns read-only (test/store-faults).
    // SQLite is told NORMAL, which syncs the log only at checkpoints, and WalSync syncs it
    // after each commit, off the event loop while the store is busy (see there). Deleted
    // content (the sealed ballots of a closed poll) is overwritten with zeros, not left in free
    // space for someone reading the file.
    const db = openSqliteFile(file, {
      name: 'event store',
      schemaVersion: SCHEMA_VERSION,
      schema: SCHEMA,
      upgrades: { 1: MIGRATE_1_TO_2 },
      synchronous: 'NORMAL',
      secureDelete: true,
    });
    const inMemory = file === ':memory:' || file === '';
    const wal = inMemory
      ? undefined
      : new WalSync(`${path.resolve(file)}-wal`, {
          ...sync,
          onFailure: (error) => logger.error('the room store failed to sync its file to the disk; every command fails with UNAVAILABLE until the server is restarted (check the disk first)', error),
        });
    return new SqliteEventStore(db, logger, wal);
  }

  async append(roomId: string, expectedSeq: number, events: readonly RoomEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return singleResult(await this.appendBatch(roomId, expectedSeq, singleEntry(events, options)));
  }

  async appendBatch(roomId: string, expectedSeq: number, entries: readonly BatchEntry[]): Promise<BatchAppendResult> {
    this.#assertOpen();
    checkNumbering(expectedSeq, batchEvents(entries));
    // IMMEDIATE takes the write lock before the first read, so no other process can append
    // between our check of the last seq and our insert. One transaction, so one sync to the
    // disk for the whole batch.
    const result = this.#guard('append', () => this.#append.immediate(roomId, expectedSeq, entries));
    // A duplicate is answered with the first command's seqs: only once that one is durable.
    await (result.ok ? this.#wal?.afterCommit() : this.#durable());
    return result;
  }

  async read(roomId: string, afterSeq = 0, limit = Infinity): Promise<RoomEvent[]> {
    this.#assertOpen();
    await this.#durable();
    if (!Number.isInteger(afterSeq)) throw new TypeError(`read: afterSeq must be an integer, got ${afterSeq}`);
    if (limit !== Infinity && !(Number.isInteger(limit) && limit >= 0)) {
      throw new TypeError(`read: limit must be a non-negative integer or Infinity, got ${limit}`);
    }
    // SQLite reads a negative LIMIT as "no limit".
    const rows = this.#guard('read', () => this.#q.read.all(roomId, afterSeq, limit === Infinity ? -1 : limit));
    return rows.map((row) => eventFromRow(row, roomId));
  }

  async lastSeq(roomId: string): Promise<number> {
    this.#assertOpen();
    await this.#durable();
    return this.#guard('lastSeq', () => this.#lastSeq(roomId));
  }

  async commandResult(roomId: string, actor: string, commandId: string): Promise<number[] | undefined> {
    this.#assertOpen();
    await this.#durable();
    const seqs: unknown = this.#guard('commandResult', () => this.#q.command.get(roomId, actor, commandId));
    return seqs === undefined ? undefined : seqsFromColumn(seqs, `room ${roomId}, command ${commandId}`);
  }

  async ballots(roomId: string, pollId: string): Promise<string[]> {
    this.#assertOpen();
    await this.#durable();
    return this.#guard('ballots', () => this.#q.ballots.all(roomId, pollId)).map((entry) => text(entry, `room ${roomId}, poll ${pollId}`, 'ballot entry'));
  }

  async compact(): Promise<void> {
    this.#assertOpen();
    // NOTE: TRUNCATE copies every page of the WAL into the database (where secure_delete has
    // zeroed what was deleted) and empties the WAL file, old frames and all.
    this.#guard('compact', () => this.#db.pragma('wal_checkpoint(TRUNCATE)'));
  }

  async saveSnapshot(roomId: string, snapshot: Snapshot): Promise<void> {
    this.#assertOpen();
    this.#guard('saveSnapshot', () => this.#q.saveSnapshot.run(roomId, snapshot.seq, snapshot.state));
  }

  async loadSnapshot(roomId: string): Promise<Snapshot | undefined> {
    this.#assertOpen();
    await this.#durable();
    const row: unknown = this.#guard('loadSnapshot', () => this.#q.loadSnapshot.get(roomId));
    return row === undefined ? undefined : snapshotFromRow(row, roomId);
  }

  available(): boolean {
    return !this.#closed && !this.#failing && !this.#wal?.failed;
  }

  async rooms(): Promise<string[]> {
    this.#assertOpen();
    await this.#durable();
    return this.#guard('rooms', () => this.#q.rooms.all()).map((id) => text(id, 'rooms', 'room_id'));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#wal?.close();
    this.#db.close();
  }

  #appendInTransaction(roomId: string, expectedSeq: number, entries: readonly BatchEntry[]): BatchAppendResult {
    const duplicates: Array<{ index: number; seqs: number[] }> = [];
    entries.forEach(({ options = {} }, index) => {
      if (options.commandId === undefined || options.actor === undefined) return;
      const seqs: unknown = this.#q.command.get(roomId, options.actor, options.commandId);
      if (seqs !== undefined) duplicates.push({ index, seqs: seqsFromColumn(seqs, `room ${roomId}, command ${options.commandId}`) });
    });
    if (duplicates.length > 0) return { ok: false, reason: 'duplicate', duplicates };
    const actualSeq = this.#lastSeq(roomId);
    if (actualSeq !== expectedSeq) return { ok: false, reason: 'conflict', actualSeq };

    for (const { events, options = {} } of entries) {
      const { commandId, actor, ballot, refillBallots = [] } = options;
      for (const e of events) {
        this.#q.insertEvent.run(roomId, e.seq, e.at, e.actor, e.type, JSON.stringify(e.data), e.hash);
      }
      if (commandId !== undefined && actor !== undefined) {
        this.#q.insertCommand.run(roomId, actor, commandId, JSON.stringify(events.map((e) => e.seq)));
      }
      // Random ids, not injectable: they are what keeps the ballot box unordered (see SCHEMA).
      if (ballot) this.#q.insertBallot.run(roomId, ballot.pollId, randomUUID(), ballot.entry);
      for (const box of refillBallots) {
        this.#q.emptyBox.run(roomId, box.pollId);
        for (const entry of box.entries) this.#q.insertBallot.run(roomId, box.pollId, randomUUID(), entry);
      }
    }
    return { ok: true };
  }

  #lastSeq(roomId: string): number {
    return integer(this.#q.lastSeq.get(roomId), `room ${roomId}`, 'MAX(seq)');
  }

  /**
   * Runs one operation on the file. When the file cannot take it now (the disk is full, the
   * file or its directory became read-only, the disk fails) the caller gets UNAVAILABLE, which
   * clients retry with the same command id, and the operator one line each way. SQLite rolls a
   * failed transaction back whole: nothing half-written, nothing acknowledged is lost.
   */
  #guard<T>(what: string, operation: () => T): T {
    this.#wal?.check();
    let result: T;
    try {
      result = operation();
    } catch (error) {
      if (!(error instanceof Database.SqliteError) || !UNAVAILABLE_CODES.test(error.code)) throw error;
      if (!this.#failing) this.#logger.warn(`room store cannot ${what} (${error.code}): ${error.message}; commands fail with UNAVAILABLE until it can`);
      this.#failing = true;
      throw new AppError('UNAVAILABLE', `the room store cannot ${what} now (${error.code})`);
    }
    if (this.#failing && what === 'append') {
      this.#failing = false;
      this.#logger.info('room store writes again');
    }
    return result;
  }

  /**
   * Waits until the commits made so far are on the disk: a read must not hand a client what a
   * power loss could still take back.
   */
  async #durable(): Promise<void> {
    await this.#wal?.settled();
  }

  #assertOpen(): void {
    if (this.#closed) throw new TypeError('SqliteEventStore is closed');
  }
}

/**
 * SQLite's answers that mean "the file cannot do this now", not "this request is wrong": a full
 * disk, a read-only file, an I/O error, a lock held too long, a file that cannot be opened.
 */
const UNAVAILABLE_CODES = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|NOMEM)/;

/** A caller that numbers events wrongly has a bug; storing them would break the log. */
function checkNumbering(expectedSeq: number, events: readonly RoomEvent[]): void {
  if (!Number.isInteger(expectedSeq) || expectedSeq < 0) {
    throw new TypeError(`append: expectedSeq must be a non-negative integer, got ${expectedSeq}`);
  }
  events.forEach((e, i) => {
    if (e.seq !== expectedSeq + 1 + i) {
      throw new TypeError(`append: event ${i} has seq ${e.seq}, expected ${expectedSeq + 1 + i}`);
    }
  });
}

/**
 * Version 1 kept ballots as (choices, reason) columns; version 2 keeps box entries (see
 * BallotBox), so a version-1 ballot becomes the open entry it was.
 */
const MIGRATE_1_TO_2 = `
  CREATE TABLE ballots_v2 (
    room_id TEXT NOT NULL,
    poll_id TEXT NOT NULL,
    ballot_id TEXT NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (room_id, poll_id, ballot_id)
  ) WITHOUT ROWID, STRICT;
  INSERT INTO ballots_v2 (room_id, poll_id, ballot_id, entry)
    SELECT room_id, poll_id, ballot_id,
      'open:' || CASE WHEN reason IS NULL THEN json_object('choices', json(choices))
                      ELSE json_object('choices', json(choices), 'reason', reason) END
    FROM ballots;
  DROP TABLE ballots;
  ALTER TABLE ballots_v2 RENAME TO ballots;
`;

/** One prepared statement per query, made once per connection. */
function prepare(db: Database.Database) {
  return {
    insertEvent: db.prepare<[string, number, number, string, string, string, string]>(
      'INSERT INTO events (room_id, seq, at, actor, type, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    read: db
      .prepare<[string, number, number]>(
        'SELECT seq, at, actor, type, data, hash FROM events WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      )
      .raw(),
    lastSeq: db.prepare<[string]>('SELECT COALESCE(MAX(seq), 0) FROM events WHERE room_id = ?').pluck(),
    command: db.prepare<[string, string, string]>('SELECT seqs FROM commands WHERE room_id = ? AND actor = ? AND command_id = ?').pluck(),
    insertCommand: db.prepare<[string, string, string, string]>(
      'INSERT INTO commands (room_id, actor, command_id, seqs) VALUES (?, ?, ?, ?)',
    ),
    insertBallot: db.prepare<[string, string, string, string]>('INSERT INTO ballots (room_id, poll_id, ballot_id, entry) VALUES (?, ?, ?, ?)'),
    emptyBox: db.prepare<[string, string]>('DELETE FROM ballots WHERE room_id = ? AND poll_id = ?'),
    ballots: db.prepare<[string, string]>('SELECT entry FROM ballots WHERE room_id = ? AND poll_id = ?').pluck(),
    saveSnapshot: db.prepare<[string, number, string]>(
      'INSERT INTO snapshots (room_id, seq, state) VALUES (?, ?, ?) ON CONFLICT (room_id) DO UPDATE SET seq = excluded.seq, state = excluded.state',
    ),
    loadSnapshot: db.prepare<[string]>('SELECT seq, state FROM snapshots WHERE room_id = ?').raw(),
    rooms: db.prepare<[]>('SELECT room_id FROM events WHERE seq = 1 ORDER BY at, room_id').pluck(),
  };
}
