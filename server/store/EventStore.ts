/**
 * Where room logs live. Two implementations pass one contract suite (EventStore.contract.ts):
 * SQLite (the embedded default) and Redis (several processes).
 *
 * Appends are compare-and-append: they succeed only if the log's last seq is the one the
 * caller decided against, so two processes can never interleave a room's events.
 */
import type { RoomEvent } from '../../signaling/room/events.js';

/** What an append writes besides the events. */
export type AppendOptions = {
  /** The client's command id: a repeat is answered from `commandResult`. */
  commandId?: string;
  /** The actor who sent the command (command ids are unique per actor). */
  actor?: string;
  /**
   * A secret ballot to drop in its poll's box, atomically with the events. The entry is opaque
   * to the store (server/rooms/BallotBox.ts seals it).
   */
  ballot?: { pollId: string; entry: string };
  /**
   * Boxes emptied and filled again with these entries, in this order, atomically with the
   * events: the ballots of a secret poll that closes, opened and shuffled.
   */
  refillBallots?: Array<{ pollId: string; entries: string[] }>;
};

/** The outcome of an append. */
export type AppendResult =
  | { ok: true }
  /** The log moved on since `expectedSeq` (its last seq is `actualSeq`), or the command id was seen. */
  | { ok: false; reason: 'conflict'; actualSeq: number }
  | { ok: false; reason: 'duplicate'; seqs: number[] };

/** One command's share of a batch append: its events, and what it writes besides them. */
export type BatchEntry = { events: readonly RoomEvent[]; options?: AppendOptions };

/** The outcome of a batch append: all of it was written, or none of it. */
export type BatchAppendResult =
  | { ok: true }
  /** The log moved on since `expectedSeq` (its last seq is `actualSeq`). */
  | { ok: false; reason: 'conflict'; actualSeq: number }
  /** Entries whose (actor, command id) was recorded before (`index` in the batch, the first seqs). */
  | { ok: false; reason: 'duplicate'; duplicates: Array<{ index: number; seqs: number[] }> };

/** A saved state, so loading a long meeting does not replay it all. */
export type Snapshot = { seq: number; state: string };

/** The storage of room logs. */
export interface EventStore {
  /**
   * Appends `events` (numbered expectedSeq+1, +2, …) if the room's last seq is `expectedSeq`.
   * With a command id, records which seqs the command produced; a second append with the same
   * (actor, command id) changes nothing and answers `duplicate` with the first seqs.
   */
  append(roomId: string, expectedSeq: number, events: readonly RoomEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Group commit: the entries of several commands, in order, in one atomic write. The events of
   * all entries are numbered expectedSeq+1, +2, … across the batch (an entry may have none).
   * Nothing is written unless the room's last seq is `expectedSeq` and no entry's (actor,
   * command id) was recorded before: then the answer lists every such entry with its first
   * seqs (checked before the last seq, as in append). Each entry's command, ballot and refills
   * are written as append writes them, entry after entry. A batch that names one (actor,
   * command id) twice is a caller's bug: TypeError, nothing written.
   */
  appendBatch(roomId: string, expectedSeq: number, entries: readonly BatchEntry[]): Promise<BatchAppendResult>;
  /** Events with seq > afterSeq, in order (at most `limit`). */
  read(roomId: string, afterSeq?: number, limit?: number): Promise<RoomEvent[]>;
  /** The last seq of a room (0: no such room). */
  lastSeq(roomId: string): Promise<number>;
  /** Seqs produced by an earlier command, if it was recorded. */
  commandResult(roomId: string, actor: string, commandId: string): Promise<number[] | undefined>;
  /** The entries of a poll's ballot box, in no meaningful order. */
  ballots(roomId: string, pollId: string): Promise<string[]>;
  /**
   * Makes what appends deleted unrecoverable from the store's own files, as far as the store
   * can (after a ballot box was refilled): SQLite truncates its WAL into the database, whose
   * deleted cells are zeroed; Redis rewrites its append-only file.
   */
  compact(): Promise<void>;
  /** Saves a snapshot (the latest one wins). */
  saveSnapshot(roomId: string, snapshot: Snapshot): Promise<void>;
  /** The latest snapshot, if any. */
  loadSnapshot(roomId: string): Promise<Snapshot | undefined>;
  /** Can the store take appends right now (Redis: connected)? For /healthz. */
  available(): boolean;
  /** Every room id, oldest first. */
  rooms(): Promise<string[]>;
  /** Releases the store; safe to call twice. */
  close(): Promise<void>;
}
