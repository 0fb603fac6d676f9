/**
 * What both stores check of a batch append before they touch their data, and how a single
 * append is a batch of one (server/store/EventStore.ts).
 */
import type { RoomEvent } from '../../signaling/room/events.js';
import type { AppendOptions, AppendResult, BatchAppendResult, BatchEntry } from './EventStore.js';

/**
 * The events of every entry, in order; throws TypeError when an entry has a command id without
 * its actor or names an (actor, command id) an earlier entry of the batch names too. The
 * numbering of the events is the store's own check.
 */
export function batchEvents(entries: readonly BatchEntry[]): RoomEvent[] {
  const commands = new Set<string>();
  const events: RoomEvent[] = [];
  for (const { events: own, options = {} } of entries) {
    if (options.commandId !== undefined) {
      if (options.actor === undefined) throw new TypeError('append: a commandId needs its actor (command ids are unique per actor)');
      const key = JSON.stringify([options.actor, options.commandId]);
      if (commands.has(key)) throw new TypeError(`append: command ${options.commandId} of ${options.actor} is twice in one batch`);
      commands.add(key);
    }
    events.push(...own);
  }
  return events;
}

/** A single append as a batch of one. */
export function singleEntry(events: readonly RoomEvent[], options: AppendOptions = {}): BatchEntry[] {
  return [{ events, options }];
}

/** The answer to a single append from the answer to its batch of one. */
export function singleResult(result: BatchAppendResult): AppendResult {
  if (result.ok || result.reason === 'conflict') return result;
  const [first] = result.duplicates;
  if (!first) throw new TypeError('a duplicate batch answer without its duplicate');
  return { ok: false, reason: 'duplicate', seqs: first.seqs };
}
