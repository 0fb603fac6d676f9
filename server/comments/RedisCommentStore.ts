/**
 * Public comments in Redis, for several processes. Keys, under `<prefix>comments:<room>:`:
 * - `head` the chain's end as JSON {seq, hash}; `chain` a list of the entries as JSON;
 * - `c:<id>` a comment as JSON with the browser that wrote it;
 * - `all`, `st:<status>` sorted sets of comment ids by creation time (ids begin with the
 *   time, so ties sort by id); `hot` approved ids by upvotes; `answered` a set of ids;
 * - `up:<id>` the set of browsers whose upvote counts for a comment; `b:<browser>:up` the
 *   comments a browser upvoted; `b:<browser>:mine` its comments; `upvotes` upvote entries in all;
 * - `settings` the organiser's settings as JSON.
 *
 * Each change reads what it touches and the head, computes the entry (its SHA-256 in Node, as
 * Lua has none) and commits with one script that applies it only if the head is still the one
 * read (a compare-and-append, as the room log). An upvote's browser is added to `up:<id>` in
 * that same script, and a browser already there makes the script write nothing: an upvote
 * counts exactly once however often or wherever it is repeated. Within a process the changes of
 * one room run one at a time, so only another process can make a commit retry.
 */
import { createClient, defineScript, type CommandParser } from 'redis';
import { z } from 'zod';
import type { CommentSort, ModerateComment } from '../../signaling/comments/api.js';
import type { CommentCounts, CommentsSummary, CommentSettings, CommentStatus, PublicComment, StaffComment } from '../../signaling/comments/model.js';
import { AppError } from '../../signaling/errors.js';
import { CONNECT_TIMEOUT_MS, connectOrFail, reconnectDelay, unavailable } from '../store/redisConnection.js';
import { escapeId } from '../store/redisKeys.js';
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

// KEYS: head, chain, mark set (the upvote's `up:<id>`, or the head again when there is none).
// ARGV: expected seq, mark member ('' for none), entry JSON, new head JSON, ops JSON.
// Returns 1 (written), 0 (the head moved: read again), -1 (the mark was there: nothing written).
// NOTE: the keys of the ops travel in ARGV, which a Redis Cluster would refuse; this product
// runs one Redis (or a primary with replicas), as the room log's script assumes too.
const COMMIT_SCRIPT = `#!lua
local head = redis.call('GET', KEYS[1])
local seq = 0
if head then seq = cjson.decode(head).seq end
if seq ~= tonumber(ARGV[1]) then return 0 end
if ARGV[2] ~= '' then
  if redis.call('SADD', KEYS[3], ARGV[2]) == 0 then return -1 end
end
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('SET', KEYS[1], ARGV[4])
for _, op in ipairs(cjson.decode(ARGV[5])) do
  local kind = op[1]
  if kind == 'set' then redis.call('SET', op[2], op[3])
  elseif kind == 'zadd' then redis.call('ZADD', op[2], op[3], op[4])
  elseif kind == 'zrem' then redis.call('ZREM', op[2], op[3])
  elseif kind == 'sadd' then redis.call('SADD', op[2], op[3])
  elseif kind == 'srem' then redis.call('SREM', op[2], op[3])
  elseif kind == 'incr' then redis.call('INCR', op[2])
  elseif kind == 'union' then redis.call('SUNIONSTORE', op[2], op[2], op[3])
  end
end
return 1
`;

const COMMIT = defineScript({
  SCRIPT: COMMIT_SCRIPT,
  NUMBER_OF_KEYS: 3,
  parseCommand(parser: CommandParser, keys: [string, string, string], args: string[]) {
    for (const key of keys) parser.pushKey(key);
    parser.push(...args);
  },
  transformReply: (reply: unknown): unknown => reply,
});

/** Commits tried before giving up with CONFLICT (only other processes' commits make one retry). */
const MAX_ATTEMPTS = 50;

const Stored = z.object({ comment: StaffCommentSchema, browser: z.string() });
type Stored = z.infer<typeof Stored>;
const Head = z.object({ seq: z.number(), hash: z.string() });

type Op = ['set', string, string] | ['zadd', string, number, string] | ['zrem' | 'sadd' | 'srem' | 'union', string, string] | ['incr', string];

function createCommentClient(url: string) {
  // Like the invite registry's: fail fast while Redis is away rather than queue.
  return createClient({
    url,
    RESP: 2,
    disableOfflineQueue: true,
    commandOptions: { timeout: 2000 },
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
    scripts: { wslCommentCommit: COMMIT },
  });
}

/** A change as planned from what was read: the entry's change, and the upvote mark if any. */
type Plan = { change: CommentChange; mark?: { key: string; browser: string }; extraOps?: Op[] } | { done: StaffComment[] };

/** The comment store in Redis, shared by every process. */
export class RedisCommentStore implements CommentStore {
  readonly #redis: ReturnType<typeof createCommentClient>;
  readonly #prefix: string;
  /** The last change queued per room in this process. */
  readonly #queues = new Map<string, Promise<unknown>>();
  #closed = false;

  private constructor(redis: ReturnType<typeof createCommentClient>, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
    // The event store reports the connection's loss; this one must only not end the process.
    redis.on('error', () => undefined);
  }

  /** Connects to `url`; rejects with UNAVAILABLE if Redis does not answer. */
  static async connect(url: string, keyPrefix = 'wsl:'): Promise<RedisCommentStore> {
    const redis = createCommentClient(url);
    const store = new RedisCommentStore(redis, keyPrefix);
    await connectOrFail(redis, url);
    return store;
  }

  async settings(roomId: string): Promise<CommentSettings> {
    const json = await this.#call(() => this.#redis.get(this.#key(roomId, 'settings')));
    return json === null ? DEFAULT_SETTINGS : CommentSettingsSchema.parse(JSON.parse(json));
  }

  async setSettings(roomId: string, settings: CommentSettings): Promise<void> {
    await this.#call(() => this.#redis.set(this.#key(roomId, 'settings'), JSON.stringify(settings)));
  }

  async get(roomId: string, commentId: string): Promise<StaffComment | undefined> {
    return (await this.#stored(roomId, commentId))?.comment;
  }

  async approved(roomId: string, commentId: string): Promise<PublicComment | undefined> {
    const c = await this.get(roomId, commentId);
    return c?.status === 'approved' ? publicOf(c) : undefined;
  }

  async submit(roomId: string, comment: NewComment, browser: string, at: number): Promise<StaffComment> {
    const id = newCommentId(at);
    const settings = await this.settings(roomId);
    const written = await this.#change(roomId, at, browser, async () => ({ change: submitChange(id, comment, settings, at) }));
    return first(written);
  }

  async listApproved(roomId: string, sort: CommentSort, limit: number, offset = 0): Promise<PublicComment[]> {
    const ids = sort === 'hot' ? await this.#hotIds(roomId, limit, offset) : await this.#call(() => this.#redis.zRange(this.#key(roomId, 'st:approved'), offset, offset + limit - 1, { REV: true }));
    return (await this.#many(roomId, ids)).map((s) => publicOf(s.comment));
  }

  async hotForStaff(roomId: string, limit: number): Promise<StaffComment[]> {
    return (await this.#many(roomId, await this.#hotIds(roomId, limit, 0))).map((s) => s.comment);
  }

  /** Approved ids, most upvoted first (newer first among equals: the ids sort by time). */
  #hotIds(roomId: string, limit: number, offset: number): Promise<string[]> {
    return this.#call(() => this.#redis.zRange(this.#key(roomId, 'hot'), '+inf', '-inf', { BY: 'SCORE', REV: true, LIMIT: { offset, count: limit } }));
  }

  async listForStaff(roomId: string, status: CommentStatus, limit: number): Promise<StaffComment[]> {
    const ids = await this.#call(() => this.#redis.zRange(this.#key(roomId, `st:${status}`), 0, limit - 1, status === 'pending' ? {} : { REV: true }));
    return (await this.#many(roomId, ids)).map((s) => s.comment);
  }

  async moderate(roomId: string, commentId: string, action: ModerateComment, at: number): Promise<StaffComment> {
    const written = await this.#change(roomId, at, '', async () => {
      const [comment, settings] = await Promise.all([this.get(roomId, commentId), this.settings(roomId)]);
      if (action.action !== 'merge') {
        const change = moderateChange(comment, commentId, action, settings);
        return change === null ? { done: comment ? [comment] : [] } : { change };
      }
      const into = await this.get(roomId, action.into);
      moderateChange(comment, commentId, action, settings, { into, mergedUpvotes: 0 });
      const [mine, theirs] = await this.#call(() =>
        Promise.all([this.#redis.sMembers(this.#key(roomId, `up:${commentId}`)), this.#redis.sMembers(this.#key(roomId, `up:${action.into}`))]),
      );
      const union = new Set([...mine, ...theirs]);
      const change = moderateChange(comment, commentId, action, settings, { into, mergedUpvotes: union.size });
      const extraOps: Op[] = [['union', this.#key(roomId, `up:${action.into}`), this.#key(roomId, `up:${commentId}`)]];
      for (const browser of mine) extraOps.push(['sadd', this.#key(roomId, `b:${escapeId(browser)}:up`), action.into]);
      return change === null ? { done: [] } : { change, extraOps };
    });
    return first(written);
  }

  async upvote(roomId: string, commentId: string, browser: string, at: number): Promise<UpvoteResult> {
    let counted = true;
    let target: StaffComment | undefined;
    const written = await this.#change(roomId, at, '', async () => {
      const targetId = upvoteTarget(await this.get(roomId, commentId), commentId);
      target = await this.get(roomId, targetId);
      upvoteChange(commentId, target, 0);
      const key = this.#key(roomId, `up:${targetId}`);
      const count = await this.#call(() => this.#redis.sCard(key));
      return {
        change: upvoteChange(commentId, target, count + 1),
        mark: { key, browser },
        extraOps: [['sadd', this.#key(roomId, `b:${escapeId(browser)}:up`), targetId]],
      };
    }, () => {
      counted = false;
    });
    const comment = counted ? first(written) : target;
    if (comment === undefined) throw new TypeError('an upvoted comment vanished');
    return { comment: publicOf(comment), counted };
  }

  async answer(roomId: string, commentId: string, answer: { department: string; text: string }, at: number): Promise<StaffComment> {
    const written = await this.#change(roomId, at, '', async () => ({
      change: answerChange(await this.get(roomId, commentId), commentId, answer.department, answer.text, at),
    }));
    return first(written);
  }

  async pendingOf(roomId: string, browser: string): Promise<PublicComment[]> {
    const ids = await this.#call(() => this.#redis.zRange(this.#key(roomId, `b:${escapeId(browser)}:mine`), 0, -1, { REV: true }));
    const mine = (await this.#many(roomId, ids)).filter((s) => s.comment.status === 'pending');
    return mine.slice(0, OWN_PENDING_SIZE).map((s) => publicOf(s.comment));
  }

  async upvotedBy(roomId: string, browser: string): Promise<string[]> {
    return this.#call(() => this.#redis.sMembers(this.#key(roomId, `b:${escapeId(browser)}:up`)));
  }

  async counts(roomId: string): Promise<CommentCounts> {
    const k = (kind: string): string => this.#key(roomId, kind);
    const [received, pending, approved, rejected, merged, answered, upvotes] = await this.#call(() =>
      this.#redis
        .multi()
        .zCard(k('all'))
        .zCard(k('st:pending'))
        .zCard(k('st:approved'))
        .zCard(k('st:rejected'))
        .zCard(k('st:merged'))
        .sCard(k('answered'))
        .get(k('upvotes'))
        .exec(),
    );
    const n = z.coerce.number();
    return {
      received: n.parse(received), pending: n.parse(pending), approved: n.parse(approved), rejected: n.parse(rejected),
      merged: n.parse(merged), answered: n.parse(answered), upvotes: n.parse(upvotes ?? 0),
    };
  }

  async head(roomId: string): Promise<ChainHead> {
    const json = await this.#call(() => this.#redis.get(this.#key(roomId, 'head')));
    return json === null ? { seq: 0, hash: '' } : Head.parse(JSON.parse(json));
  }

  async summary(roomId: string): Promise<CommentsSummary> {
    // Read until the head is the same before and after: the figures are then of one moment.
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = await this.head(roomId);
      const [counts, approved] = await Promise.all([this.counts(roomId), this.listApproved(roomId, 'hot', Number.MAX_SAFE_INTEGER)]);
      const after = await this.head(roomId);
      if (after.seq === before.seq) return summaryOf(counts, approved, after);
    }
    throw new AppError('CONFLICT', 'the comments kept changing while they were read; try again');
  }

  async exportAll(roomId: string): Promise<CommentExport> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = await this.head(roomId);
      const ids = await this.#call(() => this.#redis.zRange(this.#key(roomId, 'all'), 0, -1));
      const [comments, chain] = await Promise.all([
        this.#many(roomId, ids),
        this.#call(() => this.#redis.lRange(this.#key(roomId, 'chain'), 0, -1)),
      ]);
      const after = await this.head(roomId);
      if (after.seq !== before.seq || chain.length !== after.seq) continue;
      return { roomId, comments: comments.map((s) => s.comment), chain: chain.map((json) => CommentEntryJson.parse(JSON.parse(json))) };
    }
    throw new AppError('CONFLICT', 'the comments kept changing while they were read; try again');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#redis.destroy();
  }

  /**
   * Plans and commits one change of a room, after the room's earlier changes of this process;
   * again from the reading when another process committed in between. `onMarked`: the upvote
   * mark was already there, nothing was written.
   */
  #change(roomId: string, at: number, browser: string, plan: () => Promise<Plan>, onMarked?: () => void): Promise<StaffComment[]> {
    const run = async (): Promise<StaffComment[]> => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const head = await this.head(roomId);
        const planned = await plan();
        if ('done' in planned) return planned.done;
        const entry = nextEntry(head, at, planned.change);
        const stored = new Map<string, Stored>();
        const read = async (id: string): Promise<void> => {
          const s = await this.#stored(roomId, id);
          if (s) stored.set(id, s);
        };
        await Promise.all(touched(entry).map(read));
        const changed = applyEntry((id) => stored.get(id)?.comment, entry, roomId);
        const ops = [...this.#ops(roomId, entry, changed, stored, browser), ...(planned.extraOps ?? [])];
        const headKey = this.#key(roomId, 'head');
        const keys: [string, string, string] = [headKey, this.#key(roomId, 'chain'), planned.mark?.key ?? headKey];
        const args = [String(head.seq), planned.mark?.browser ?? '', JSON.stringify(entry), JSON.stringify({ seq: entry.seq, hash: entry.hash }), JSON.stringify(ops)];
        const reply = await this.#call(() => this.#redis.wslCommentCommit(keys, args));
        if (reply === 1) return changed;
        if (reply === -1) {
          onMarked?.();
          return [];
        }
      }
      throw new AppError('CONFLICT', 'the comments changed concurrently too often; try again');
    };
    const previous = this.#queues.get(roomId) ?? Promise.resolve();
    const result = previous.then(run, run);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(roomId, settled);
    void settled.then(() => {
      if (this.#queues.get(roomId) === settled) this.#queues.delete(roomId);
    });
    return result;
  }

  /** The writes that keep the indexes in step with the changed comments. */
  #ops(roomId: string, entry: CommentEntry, changed: readonly StaffComment[], before: ReadonlyMap<string, Stored>, browser: string): Op[] {
    const k = (kind: string): string => this.#key(roomId, kind);
    const ops: Op[] = [];
    for (const c of changed) {
      const old = before.get(c.id);
      const owner = old?.browser ?? browser;
      ops.push(['set', k(`c:${c.id}`), JSON.stringify({ comment: c, browser: owner })]);
      if (!old) {
        ops.push(['zadd', k('all'), c.createdAt, c.id], ['zadd', k(`b:${escapeId(owner)}:mine`), c.createdAt, c.id]);
      }
      if (old?.comment.status !== c.status) {
        if (old) ops.push(['zrem', k(`st:${old.comment.status}`), c.id]);
        ops.push(['zadd', k(`st:${c.status}`), c.createdAt, c.id]);
      }
      if (c.status === 'approved') ops.push(['zadd', k('hot'), c.upvotes, c.id]);
      else ops.push(['zrem', k('hot'), c.id]);
      ops.push(c.status === 'approved' && c.answer !== null ? ['sadd', k('answered'), c.id] : ['srem', k('answered'), c.id]);
    }
    if (entry.type === 'upvoted') ops.push(['incr', k('upvotes')]);
    return ops;
  }

  async #stored(roomId: string, commentId: string): Promise<Stored | undefined> {
    const json = await this.#call(() => this.#redis.get(this.#key(roomId, `c:${commentId}`)));
    return json === null ? undefined : Stored.parse(JSON.parse(json));
  }

  async #many(roomId: string, ids: readonly string[]): Promise<Stored[]> {
    if (ids.length === 0) return [];
    const jsons = await this.#call(() => this.#redis.mGet(ids.map((id) => this.#key(roomId, `c:${id}`))));
    return jsons.flatMap((json) => (json === null ? [] : [Stored.parse(JSON.parse(json))]));
  }

  #key(roomId: string, kind: string): string {
    return `${this.#prefix}comments:${escapeId(roomId)}:${kind}`;
  }

  /** One command; a lost or absent Redis becomes UNAVAILABLE, which callers report as 503. */
  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw unavailable('the comment store cannot reach redis', error);
    }
  }
}

/** The comments an entry reads or writes. */
function touched(entry: CommentEntry): string[] {
  switch (entry.type) {
    case 'submitted':
      return [];
    case 'merged':
      return [entry.data.commentId, entry.data.into];
    case 'upvoted':
      return [entry.data.countedFor];
    default:
      return [entry.data.commentId];
  }
}

function first<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) throw new TypeError('a change wrote no comment');
  return item;
}
