/**
 * Replies read back from Redis, checked before they become domain values. They are this
 * store's own writes, but anyone with access to the server can change a key: a bad value stops
 * loudly with where it is (as sqliteRows.ts does for SQLite), instead of flowing on mistyped.
 */
import type { RoomEvent } from '../../signaling/room/events.js';
import type { SecretBallot } from '../../signaling/room/result.js';
import type { AppendResult, Snapshot } from './EventStore.js';
import { CorruptRowError, eventFromRow, integer, seqsFromColumn, snapshotFromRow, text } from './sqliteRows.js';

/** The fields of a stream entry, in the order the append script writes them. */
const EVENT_FIELDS = ['at', 'actor', 'type', 'data', 'hash'] as const;

/** Events from an XRANGE reply. */
export function eventsFromReply(reply: unknown, roomId: string): RoomEvent[] {
  return list(reply, `room ${roomId}`, 'entries').map((entry) => eventFromEntry(entry, roomId));
}

/** An event from an XRANGE/XREVRANGE entry: `[id '<seq>-0', [field, value, …]]`. */
export function eventFromEntry(entry: unknown, roomId: string): RoomEvent {
  const [id, fields] = pair(entry, `room ${roomId} stream entry`);
  const seq = seqFromId(id, roomId);
  const where = `room ${roomId}, seq ${seq}`;
  const values = new Map<string, unknown>();
  const flat = list(fields, where, 'fields');
  for (let i = 0; i + 1 < flat.length; i += 2) values.set(text(flat[i], where, 'field name'), flat[i + 1]);
  if (flat.length !== EVENT_FIELDS.length * 2 || !EVENT_FIELDS.every((f) => values.has(f))) {
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
  const [id] = pair(entries[0], `room ${roomId} stream entry`);
  return seqFromId(id, roomId);
}

/** What a ballot box member holds: a random id (members must be unique), choices, reason. */
export function ballotMember(id: string, ballot: SecretBallot): string {
  return JSON.stringify([id, ballot.choices, ballot.reason ?? null]);
}

/** A ballot from a ballot box member (see ballotMember); it has no voter to read. */
export function ballotFromMember(member: unknown, roomId: string, pollId: string): SecretBallot {
  const where = `room ${roomId}, poll ${pollId} ballot`;
  const [id, choices, reason, ...rest] = list(json(member, where, 'member'), where, 'member');
  text(id, where, 'id');
  if (rest.length > 0) throw new CorruptRowError(where, 'member has extra items');
  const parsed = list(choices, where, 'choices').map((c) => integer(c, where, 'choices'));
  if (reason === null) return { pollId, choices: parsed };
  return { pollId, choices: parsed, reason: text(reason, where, 'reason') };
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

/** The answer of the append script: `['ok']`, `['duplicate', seqs JSON]` or `['conflict', seq]`. */
export function appendResultFromReply(reply: unknown, roomId: string): AppendResult {
  const where = `room ${roomId} append`;
  const [outcome, detail] = list(reply, where, 'reply');
  if (outcome === 'ok') return { ok: true };
  if (outcome === 'duplicate') return { ok: false, reason: 'duplicate', seqs: seqsFromColumn(detail, where) };
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
