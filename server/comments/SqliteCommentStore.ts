/**
 * Public comments in a SQLite file of their own (`comments.sqlite` beside `rooms.sqlite`).
 *
 * NOTE: its own file, not more tables in the room store's: SQLite has one writer per database
 * file, so a flood of comments and upvotes in the same file would queue the meeting's own
 * appends behind it. Apart, the two never wait on each other's lock or WAL checkpoints.
 * better-sqlite3 is synchronous: each change is one short transaction (read the comments it
 * touches, append the chain entry, write what applyEntry computed), so it cannot interleave.
 */
import type Database from 'better-sqlite3';
import { openSqliteFile } from '../store/sqliteFile.js';
import { z } from 'zod';
import type { CommentSort, ModerateComment } from '../../signaling/comments/api.js';
import {
  COMMENT_STATUSES,
  type CommentCounts,
  type CommentsSummary,
  type CommentSettings,
  type CommentStatus,
  type PublicComment,
  type StaffComment,
} from '../../signaling/comments/model.js';
import { applyEntry, nextEntry, type ChainHead, type CommentChange, type CommentEntry, type CommentExport } from './chain.js';
import type { CommentStore, UpvoteResult } from './CommentStore.js';
import { CommentSettingsSchema, StaffCommentSchema } from '../../signaling/comments/schemas.js';
import { CommentEntryJson } from './json.js';
import {
  answerChange,
  DEFAULT_SETTINGS,
  moderateChange,
  newCommentId,
  OWN_PENDING_SIZE,
  publicOf,
  submitChange,
  upvoteChange,
  upvoteTarget,
  type NewComment,
} from './rules.js';
import { summaryOf } from './summary.js';

const SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE comments (
    room_id TEXT NOT NULL,
    id TEXT NOT NULL,
    status TEXT NOT NULL,
    upvotes INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    browser TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (room_id, id)
  ) WITHOUT ROWID, STRICT;
  CREATE INDEX comments_status ON comments (room_id, status, id);
  CREATE INDEX comments_hot ON comments (room_id, status, upvotes, id);
  CREATE INDEX comments_browser ON comments (room_id, browser, status, id);
  CREATE TABLE upvotes (
    room_id TEXT NOT NULL,
    comment_id TEXT NOT NULL,
    browser TEXT NOT NULL,
    PRIMARY KEY (room_id, comment_id, browser)
  ) WITHOUT ROWID, STRICT;
  CREATE INDEX upvotes_browser ON upvotes (room_id, browser);
  CREATE TABLE chain (
    room_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (room_id, seq)
  ) WITHOUT ROWID, STRICT;
  CREATE TABLE settings (
    room_id TEXT PRIMARY KEY,
    data TEXT NOT NULL
  ) STRICT;
`;

const HeadRow = z.object({ seq: z.number(), hash: z.string() });
const DataRow = z.object({ data: z.string() });
const CountRow = z.object({ status: z.enum(COMMENT_STATUSES), n: z.number() });
const ChainRow = z.object({ seq: z.number(), at: z.number(), type: z.string(), data: z.string(), hash: z.string() });

/** The comment store in one SQLite file (or ':memory:'). */
export class SqliteCommentStore implements CommentStore {
  readonly #db: Database.Database;
  readonly #q: ReturnType<typeof prepare>;
  #closed = false;

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#q = prepare(db);
  }

  /** Opens (and if needed creates) the store in `file`. */
  static open(file: string): SqliteCommentStore {
    // NOTE: NORMAL, without the room store's sync after each commit (store/WalSync.ts): WAL
    // with NORMAL never corrupts the file or breaks the chain, and a power loss may lose the
    // last moment's upvotes; a sync for every one of hundreds of upvotes a second would keep
    // the disk busy under the meeting's own commits.
    const db = openSqliteFile(file, { name: 'comment store', schemaVersion: SCHEMA_VERSION, schema: SCHEMA, synchronous: 'NORMAL' });
    return new SqliteCommentStore(db);
  }

  async settings(roomId: string): Promise<CommentSettings> {
    return this.#settings(roomId);
  }

  async setSettings(roomId: string, settings: CommentSettings): Promise<void> {
    this.#q.setSettings.run(roomId, JSON.stringify(settings));
  }

  async get(roomId: string, commentId: string): Promise<StaffComment | undefined> {
    return this.#get(roomId, commentId);
  }

  async approved(roomId: string, commentId: string): Promise<PublicComment | undefined> {
    const c = this.#get(roomId, commentId);
    return c?.status === 'approved' ? publicOf(c) : undefined;
  }

  async submit(roomId: string, comment: NewComment, browser: string, at: number): Promise<StaffComment> {
    return this.#db.transaction(() => {
      const change = submitChange(newCommentId(at), comment, this.#settings(roomId), at);
      return first(this.#commit(roomId, change, at, browser));
    }).immediate();
  }

  async listApproved(roomId: string, sort: CommentSort, limit: number, offset = 0): Promise<PublicComment[]> {
    const rows = sort === 'hot' ? this.#q.hot.all(roomId, limit, offset) : this.#q.newest.all(roomId, limit, offset);
    return rows.map((row) => publicOf(commentOf(row)));
  }

  async listForStaff(roomId: string, status: CommentStatus, limit: number): Promise<StaffComment[]> {
    const rows = status === 'pending' ? this.#q.byStatus.all(roomId, status, limit) : this.#q.byStatusNewest.all(roomId, status, limit);
    return rows.map(commentOf);
  }

  async hotForStaff(roomId: string, limit: number): Promise<StaffComment[]> {
    return this.#q.hot.all(roomId, limit, 0).map(commentOf);
  }

  async moderate(roomId: string, commentId: string, action: ModerateComment, at: number): Promise<StaffComment> {
    return this.#db.transaction(() => {
      const comment = this.#get(roomId, commentId);
      let merge: { into: StaffComment | undefined; mergedUpvotes: number } | undefined;
      if (action.action === 'merge') {
        const into = this.#get(roomId, action.into);
        // Checked first so a refused merge copies no upvoters.
        moderateChange(comment, commentId, action, this.#settings(roomId), { into, mergedUpvotes: 0 });
        this.#q.copyUpvotes.run(action.into, roomId, commentId);
        merge = { into, mergedUpvotes: z.number().parse(this.#q.upvoteCount.pluck().get(roomId, action.into)) };
      }
      const change = moderateChange(comment, commentId, action, this.#settings(roomId), merge);
      if (change === null) return comment ?? unreachable();
      return first(this.#commit(roomId, change, at));
    }).immediate();
  }

  async upvote(roomId: string, commentId: string, browser: string, at: number): Promise<UpvoteResult> {
    return this.#db.transaction(() => {
      const targetId = upvoteTarget(this.#get(roomId, commentId), commentId);
      const target = this.#get(roomId, targetId);
      upvoteChange(commentId, target, 0);
      if (this.#q.addUpvote.run(roomId, targetId, browser).changes === 0) return { comment: publicOf(target ?? unreachable()), counted: false };
      const upvotes = z.number().parse(this.#q.upvoteCount.pluck().get(roomId, targetId));
      return { comment: publicOf(first(this.#commit(roomId, upvoteChange(commentId, target, upvotes), at))), counted: true };
    }).immediate();
  }

  async answer(roomId: string, commentId: string, answer: { department: string; text: string }, at: number): Promise<StaffComment> {
    return this.#db.transaction(() => {
      const change = answerChange(this.#get(roomId, commentId), commentId, answer.department, answer.text, at);
      return first(this.#commit(roomId, change, at));
    }).immediate();
  }

  async pendingOf(roomId: string, browser: string): Promise<PublicComment[]> {
    return this.#q.mine.all(roomId, browser, OWN_PENDING_SIZE).map((row) => publicOf(commentOf(row)));
  }

  async upvotedBy(roomId: string, browser: string): Promise<string[]> {
    return z.array(z.string()).parse(this.#q.upvotedBy.pluck().all(roomId, browser));
  }

  async counts(roomId: string): Promise<CommentCounts> {
    return this.#counts(roomId);
  }

  #counts(roomId: string): CommentCounts {
    const counts: CommentCounts = { received: 0, pending: 0, approved: 0, rejected: 0, merged: 0, answered: 0, upvotes: 0 };
    for (const row of this.#q.counts.all(roomId)) {
      const { status, n } = CountRow.parse(row);
      counts[status] = n;
      counts.received += n;
    }
    counts.answered = z.number().parse(this.#q.answered.pluck().get(roomId));
    counts.upvotes = z.number().parse(this.#q.upvoteEntries.pluck().get(roomId));
    return counts;
  }

  async head(roomId: string): Promise<ChainHead> {
    return this.#head(roomId);
  }

  async summary(roomId: string): Promise<CommentsSummary> {
    // One read transaction: the counts, the comments and the head are of the same moment.
    return this.#db.transaction(() => {
      const approved = this.#q.hot.all(roomId, -1, 0).map((row) => publicOf(commentOf(row)));
      return summaryOf(this.#counts(roomId), approved, this.#head(roomId));
    })();
  }

  async exportAll(roomId: string): Promise<CommentExport> {
    return this.#db.transaction(() => ({
      roomId,
      comments: this.#q.all.all(roomId).map(commentOf),
      chain: this.#q.chain.all(roomId).map(entryOf),
    }))();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #settings(roomId: string): CommentSettings {
    const row = this.#q.settings.get(roomId);
    return row === undefined ? DEFAULT_SETTINGS : CommentSettingsSchema.parse(JSON.parse(DataRow.parse(row).data));
  }

  #get(roomId: string, commentId: string): StaffComment | undefined {
    const row = this.#q.get.get(roomId, commentId);
    return row === undefined ? undefined : commentOf(row);
  }

  #head(roomId: string): ChainHead {
    const row = this.#q.head.get(roomId);
    return row === undefined ? { seq: 0, hash: '' } : HeadRow.parse(row);
  }

  /** Appends the entry of `change` and writes the comments it changes; inside a transaction. */
  #commit(roomId: string, change: CommentChange, at: number, browser = ''): StaffComment[] {
    const entry = nextEntry(this.#head(roomId), at, change);
    this.#q.append.run(roomId, entry.seq, entry.at, entry.type, JSON.stringify(entry.data), entry.hash);
    const changed = applyEntry((id) => this.#get(roomId, id), entry, roomId);
    for (const c of changed) {
      this.#q.put.run(roomId, c.id, c.status, c.upvotes, c.answer === null ? 0 : 1, browser, JSON.stringify(c));
    }
    return changed;
  }
}

function commentOf(row: unknown): StaffComment {
  return StaffCommentSchema.parse(JSON.parse(DataRow.parse(row).data));
}

function entryOf(row: unknown): CommentEntry {
  const r = ChainRow.parse(row);
  return CommentEntryJson.parse({ seq: r.seq, at: r.at, type: r.type, data: JSON.parse(r.data), hash: r.hash });
}

function first<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) unreachable();
  return item;
}

function unreachable(): never {
  throw new TypeError('a comment read in this transaction vanished');
}

function prepare(db: Database.Database) {
  const select = 'SELECT data FROM comments';
  return {
    settings: db.prepare<[string]>('SELECT data FROM settings WHERE room_id = ?'),
    setSettings: db.prepare<[string, string]>('INSERT INTO settings (room_id, data) VALUES (?, ?) ON CONFLICT (room_id) DO UPDATE SET data = excluded.data'),
    get: db.prepare<[string, string]>(`${select} WHERE room_id = ? AND id = ?`),
    // Ids begin with the time: by id is by time, and the newer first among equal upvotes.
    hot: db.prepare<[string, number, number]>(`${select} WHERE room_id = ? AND status = 'approved' ORDER BY upvotes DESC, id DESC LIMIT ? OFFSET ?`),
    newest: db.prepare<[string, number, number]>(`${select} WHERE room_id = ? AND status = 'approved' ORDER BY id DESC LIMIT ? OFFSET ?`),
    all: db.prepare<[string]>(`${select} WHERE room_id = ? ORDER BY id`),
    byStatus: db.prepare<[string, string, number]>(`${select} WHERE room_id = ? AND status = ? ORDER BY id LIMIT ?`),
    byStatusNewest: db.prepare<[string, string, number]>(`${select} WHERE room_id = ? AND status = ? ORDER BY id DESC LIMIT ?`),
    mine: db.prepare<[string, string, number]>(`${select} WHERE room_id = ? AND browser = ? AND status = 'pending' ORDER BY id DESC LIMIT ?`),
    // The browser is written once, at submission: later changes of the comment keep it.
    put: db.prepare<[string, string, string, number, number, string, string]>(
      `INSERT INTO comments (room_id, id, status, upvotes, answered, browser, data) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (room_id, id) DO UPDATE SET status = excluded.status, upvotes = excluded.upvotes, answered = excluded.answered, data = excluded.data`,
    ),
    head: db.prepare<[string]>('SELECT seq, hash FROM chain WHERE room_id = ? ORDER BY seq DESC LIMIT 1'),
    append: db.prepare<[string, number, number, string, string, string]>('INSERT INTO chain (room_id, seq, at, type, data, hash) VALUES (?, ?, ?, ?, ?, ?)'),
    chain: db.prepare<[string]>('SELECT seq, at, type, data, hash FROM chain WHERE room_id = ? ORDER BY seq'),
    addUpvote: db.prepare<[string, string, string]>('INSERT OR IGNORE INTO upvotes (room_id, comment_id, browser) VALUES (?, ?, ?)'),
    copyUpvotes: db.prepare<[string, string, string]>(
      'INSERT OR IGNORE INTO upvotes (room_id, comment_id, browser) SELECT room_id, ?, browser FROM upvotes WHERE room_id = ? AND comment_id = ?',
    ),
    upvoteCount: db.prepare<[string, string]>('SELECT COUNT(*) FROM upvotes WHERE room_id = ? AND comment_id = ?'),
    upvotedBy: db.prepare<[string, string]>('SELECT comment_id FROM upvotes WHERE room_id = ? AND browser = ?'),
    counts: db.prepare<[string]>('SELECT status, COUNT(*) AS n FROM comments WHERE room_id = ? GROUP BY status'),
    answered: db.prepare<[string]>("SELECT COUNT(*) FROM comments WHERE room_id = ? AND answered = 1 AND status = 'approved'"),
    upvoteEntries: db.prepare<[string]>("SELECT COUNT(*) FROM chain WHERE room_id = ? AND type = 'upvoted'"),
  };
}
