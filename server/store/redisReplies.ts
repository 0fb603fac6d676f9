/**
 * Replies read back from Redis, checked before they become domain values. They are this
 * store's own writes, but anyone with access to the server can change a key: a bad value stops
 * loudly with where it is (as sqliteRows.ts does for SQLite), instead of flowing on mistyped.
 */
import type { RoomEvent } from '../../signaling/room/events.js';
import type { BatchAppendResult, Snapshot } from './EventStore.js';
import { CorruptRowError, eventFromRow, integer, seqsFromColumn, snapshotFromRow, text } from './sqliteRows.js';

/** The fields of a stream entry, in the order the append script writes them. */
const EVENT_FIELDS = ['at', 'actor', 'type', 'data', 'hash'] as const;

/** Events from node-redis's XRANGE reply. */
export function eventsFromReply(reply: unknown, roomId: string): RoomEvent[] {
  return list(reply, `room ${roomId}`, 'entries').map((entry) => eventFromEntry(entry, roomId));
}

/** An event from a stream entry as node-redis gives it: `{ id: '<seq>-0', message: { field: value, … } }`. */
export function eventFromEntry(entry: unknown, roomId: string): RoomEvent {
  const { id, message } = streamEntry(entry, `room ${roomId} stream entry`);
  const seq = seqFromId(id, roomId);
  const where = `room ${roomId}, seq ${seq}`;
  const values = fieldMap(message, where);
  if (values.size !== EVENT_FIELDS.length || !EVENT_FIELDS.every((f) => values.has(f))) {
    throw new CorruptRowError(where, `fields are not ${EVENT_FIELDS.join(', ')}`);
  }
  const [at, actor, type, data, hash] = EVENT_FIELDS.map((f) => values.get(f));
  return eventFromRow([seq, decimal(at), actor, type, data, hash], roomId);
}

/** The seq of a stream entry id written by the append script (`<seq>-0`). */
export function seqFromId(id: unknown, roomId: string): number {
  const match = /^(\d+)-0$/.exec(text(id, `room ${roomId} stream entry`, 'id'));
  if (!match?.[1]) throw new CorruptRowError(`room ${roomId} stream entry`, `id ${String(id)} is not <seq>-0`);
  return integer(Number(match[1]), `room ${roomId} stream entry`, 'id');
}

/** The last seq from `XREVRANGE … COUNT 1` (0 for a room without events). */
export function lastSeqFromReply(reply: unknown, roomId: string): number {
  const entries = list(reply, `room ${roomId}`, 'last entry');
  if (entries.length === 0) return 0;
  return seqFromId(streamEntry(entries[0], `room ${roomId} stream entry`).id, roomId);
}

/** What a ballot box member holds: a random id (members must be unique) and the entry. */
export function ballotMember(id: string, entry: string): string {
  return JSON.stringify([id, entry]);
}

/**
 * The entry of a ballot box member (see ballotMember). A member written before entries existed
 * ([id, choices, reason]) is the open ballot it was.
 */
export function entryFromMember(member: unknown, roomId: string, pollId: string): string {
  const where = `room ${roomId}, poll ${pollId} ballot`;
  const items = list(json(member, where, 'member'), where, 'member');
  const [id, entryOrChoices, reason, ...rest] = items;
  text(id, where, 'id');
  if (items.length === 2) return text(entryOrChoices, where, 'entry');
  if (items.length !== 3 || rest.length > 0) throw new CorruptRowError(where, 'member has the wrong number of items');
  const choices = list(entryOrChoices, where, 'choices').map((c) => integer(c, where, 'choices'));
  const content = reason === null ? { choices } : { choices, reason: text(reason, where, 'reason') };
  return `open:${JSON.stringify(content)}`;
}

/** A snapshot from `HMGET <key> seq state`; undefined when the room has none. */
export function snapshotFromReply(reply: unknown, roomId: string): Snapshot | undefined {
  const [seq, state] = pair(reply, `room ${roomId} snapshot`);
  if (seq === null && state === null) return undefined;
  return snapshotFromRow([decimal(seq), state], roomId);
}

/** The seqs of a recorded command (`HGET`), or undefined when it was not recorded. */
export function seqsFromReply(reply: unknown, where: string): number[] | undefined {
  return reply === null ? undefined : seqsFromColumn(reply, where);
}

/**
 * The answer of the append script: `['ok']`, `['duplicate', [index, seqs JSON, …]]` or
 * `['conflict', seq]`.
 */
export function appendResultFromReply(reply: unknown, roomId: string): BatchAppendResult {
  const where = `room ${roomId} append`;
  const [outcome, detail] = list(reply, where, 'reply');
  if (outcome === 'ok') return { ok: true };
  if (outcome === 'duplicate') {
    const items = list(detail, where, 'duplicates');
    if (items.length === 0 || items.length % 2 !== 0) throw new CorruptRowError(where, 'duplicates are not index/seqs pairs');
    const duplicates: Array<{ index: number; seqs: number[] }> = [];
    for (let i = 0; i < items.length; i += 2) {
      duplicates.push({ index: integer(decimal(items[i]), where, 'duplicate index'), seqs: seqsFromColumn(items[i + 1], where) });
    }
    return { ok: false, reason: 'duplicate', duplicates };
  }
  if (outcome === 'conflict') return { ok: false, reason: 'conflict', actualSeq: integer(decimal(detail), where, 'actual seq') };
  throw new CorruptRowError(where, `unknown outcome ${String(outcome)}`);
}

/** Strings from a list reply (room ids). */
export function strings(reply: unknown, where: string): string[] {
  return list(reply, where, 'reply').map((item) => text(item, where, 'item'));
}

/**
 * Redis answers numbers as text; strict digits become a number, anything else stays as it was
 * so the caller's integer() check names the bad column (Number('') would be a silent 0).
 */
function decimal(value: unknown): unknown {
  return typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
}

function streamEntry(value: unknown, where: string): { id: unknown; message: unknown } {
  if (typeof value !== 'object' || value === null || !('id' in value) || !('message' in value)) {
    throw new CorruptRowError(where, 'is not a stream entry');
  }
  return { id: value.id, message: value.message };
}

/** A stream entry's fields (node-redis makes an object of the field/value list). */
function fieldMap(value: unknown, where: string): Map<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CorruptRowError(where, 'fields are not a map');
  return new Map<string, unknown>(Object.entries(value));
}

function pair(value: unknown, where: string): [unknown, unknown] {
  const items = list(value, where, 'reply');
  if (items.length !== 2) throw new CorruptRowError(where, 'expected 2 items');
  return [items[0], items[1]];
}

function list(value: unknown, where: string, what: string): unknown[] {
  if (!Array.isArray(value)) throw new CorruptRowError(where, `${what} is not a list`);
  const items: unknown[] = value;
  return items;
}

function json(value: unknown, where: string, what: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text(value, where, what));
    return parsed;
  } catch (error) {
    if (error instanceof CorruptRowError) throw error;
    throw new CorruptRowError(where, `${what} is not JSON`, { cause: error });
  }
}
