/**
 * The hashes of the minutes record, beside the hash chain of the log they are read from
 * (hashChain.ts): the record's SHA-256 printed in every export's footer, and the content hash
 * a `minutes:lock` records in the log, so that a locked version's export carries the very hash
 * its lock event holds. signaling/ stays free of Node APIs, so the hash is computed here and
 * handed to `decide`, like the secret ballots are.
 */
import { createHash } from 'node:crypto';
import type { ReadAtLock } from '../../signaling/record/skeleton.js';
import { minutesSkeleton } from '../../signaling/record/skeleton.js';
import type { Minutes } from '../../signaling/record/types.js';
import type { RoomCommand } from '../../signaling/room/commands.js';
import { canonicalJson } from '../../signaling/room/events.js';
import type { DecideContext } from '../../signaling/room/result.js';
import type { RoomState } from '../../signaling/room/state.js';

/** The canonical JSON of a record: the bytes its hash covers and the text an export embeds. */
export function minutesJson(m: Minutes): string {
  return canonicalJson(m);
}

/** SHA-256 (hex) of the record's canonical JSON: the hash printed in every export's footer. */
export function minutesHash(m: Minutes): string {
  return createHash('sha256').update(minutesJson(m)).digest('hex');
}

/** SHA-256 (hex) of the record as a draft (lockedAt null): what `minutes:lock` records in the log. */
export function contentHash(m: Minutes): string {
  return minutesHash({ ...m, lockedAt: null });
}

/**
 * What the server adds to `decide`'s context for `minutes:lock`: the content hash of the record
 * being locked, with the comment store's summary the lock records (群众留言: part of the locked
 * record, so covered by the hash); nothing for any other command.
 */
export function lockContext(state: RoomState, command: RoomCommand, read: ReadAtLock): Pick<DecideContext, 'minutesContentHash'> {
  return command.type === 'minutes:lock' ? { minutesContentHash: contentHash(minutesSkeleton(state, read)) } : {};
}
