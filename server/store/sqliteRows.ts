/**
 * Rows read back from SQLite, checked before they become domain values. The rows are our own
 * writes, but a file can be damaged or edited by hand: a bad row stops loudly with where it is,
 * instead of flowing on as a wrongly typed value.
 */
import type { RoomEvent } from '../../signaling/room/events.js';
import type { Snapshot } from './EventStore.js';

/** Thrown when a stored row does not have the shape this code wrote. */
export class CorruptRowError extends Error {
  constructor(where: string, problem: string, options?: { cause: unknown }) {
    super(`event store: corrupt row (${where}): ${problem}`, options);
    this.name = 'CorruptRowError';
  }
}

/** An event from `SELECT seq, at, actor, type, data, hash` (raw mode). */
export function eventFromRow(row: unknown, roomId: string): RoomEvent {
  const [seq, at, actor, type, data, hash] = cells(row, 6, `room ${roomId}`);
  const where = `room ${roomId}, seq ${String(seq)}`;
  const event = {
    seq: integer(seq, where, 'seq'),
    at: integer(at, where, 'at'),
    actor: text(actor, where, 'actor'),
    type: text(type, where, 'type'),
    data: object(json(data, where, 'data'), where, 'data'),
    hash: text(hash, where, 'hash'),
  };
  if (event.type === '') throw new CorruptRowError(where, 'type is empty');
  // The shape is checked; the data of each type is not re-validated here, since it was
  // written by `decide` through this store and the hash chain covers it.
  return event as RoomEvent;
}

/** The seqs a command produced, from its JSON text. */
export function seqsFromColumn(value: unknown, where: string): number[] {
  return integers(json(value, where, 'seqs'), where, 'seqs');
}

/** A snapshot from `SELECT seq, state` (raw mode). */
export function snapshotFromRow(row: unknown, roomId: string): Snapshot {
  const where = `room ${roomId} snapshot`;
  const [seq, state] = cells(row, 2, where);
  return { seq: integer(seq, where, 'seq'), state: text(state, where, 'state') };
}

function cells(row: unknown, count: number, where: string): unknown[] {
  if (!Array.isArray(row) || row.length !== count) {
    throw new CorruptRowError(where, `expected ${count} columns`);
  }
  const out: unknown[] = row;
  return out;
}

/** A non-negative integer column (a seq, a time). */
export function integer(value: unknown, where: string, column: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new CorruptRowError(where, `${column} is not a non-negative integer`);
  }
  return value;
}

/** A text column. */
export function text(value: unknown, where: string, column: string): string {
  if (typeof value !== 'string') throw new CorruptRowError(where, `${column} is not text`);
  return value;
}

function json(value: unknown, where: string, column: string): unknown {
  const source = text(value, where, column);
  try {
    const parsed: unknown = JSON.parse(source);
    return parsed;
  } catch (error) {
    throw new CorruptRowError(where, `${column} is not JSON`, { cause: error });
  }
}

function object(value: unknown, where: string, column: string): object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorruptRowError(where, `${column} is not an object`);
  }
  return value;
}

function integers(value: unknown, where: string, column: string): number[] {
  if (!Array.isArray(value)) throw new CorruptRowError(where, `${column} is not an array`);
  const items: unknown[] = value;
  return items.map((item) => integer(item, where, column));
}
