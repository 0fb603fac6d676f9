/**
 * An organisation's duty records for a period (委员履职记录), read from its consultations'
 * logs (signaling/orgs/duties.ts does the counting).
 *
 * A log only grows, and a summary depends on nothing but the log, so each room's summary is
 * kept keyed by the room's last seq: a repeated request reads one number per unchanged room
 * instead of its whole log (bench/duties.ts measures the difference). The cache holds at most
 * `cacheRooms` summaries, the least recently used going first.
 */
import type { DutyCounts, DutyRecords as DutyRecordsBody } from '../../signaling/http/orgs.js';
import { memberDuties, summariseRoom, sumDuties, type RoomDutySummary } from '../../signaling/orgs/duties.js';
import type { EventStore } from '../store/EventStore.js';
import type { InviteRegistry } from '../invites/InviteRegistry.js';
import type { OrgDirectory } from './OrgDirectory.js';

/** A period (epoch ms, both ends included, either end open). */
export type DutyPeriod = { from?: number | undefined; to?: number | undefined };

/** What DutyRecords needs. */
export type DutyRecordsDeps = {
  directory: Pick<OrgDirectory, 'roomsOf' | 'memberInvites' | 'roster'>;
  store: Pick<EventStore, 'read' | 'lastSeq'>;
  registry: Pick<InviteRegistry, 'room'>;
  /** Room summaries kept (a summary is a few tens of kB for a room of 300 members). */
  cacheRooms?: number;
};

/** Summaries kept by default: a year of a city body's and its districts' consultations. */
export const DEFAULT_CACHED_ROOMS = 500;
/** Logs read at once on a cold request: enough to overlap Redis round trips, few enough to bound memory. */
const READ_CONCURRENCY = 4;

/** Reads duty records, keeping each room's summary while its log stays the same. */
export class DutyRecords {
  readonly #deps: DutyRecordsDeps;
  readonly #cacheRooms: number;
  /** By room id; Map order is use order (oldest first). */
  readonly #summaries = new Map<string, RoomDutySummary>();
  /** Whole logs read so far (for tests and the bench: a warm request reads none). */
  logsRead = 0;

  constructor(deps: DutyRecordsDeps) {
    this.#deps = deps;
    this.#cacheRooms = deps.cacheRooms ?? DEFAULT_CACHED_ROOMS;
    if (!Number.isInteger(this.#cacheRooms) || this.#cacheRooms < 0) throw new TypeError('cacheRooms: a whole number ≥ 0');
  }

  /** The records of `orgId`'s roster over its consultations planned to start within `period`. */
  async forPeriod(orgId: string, period: DutyPeriod = {}): Promise<DutyRecordsBody> {
    const { directory } = this.#deps;
    const [roomIds, roster] = await Promise.all([directory.roomsOf(orgId), directory.roster(orgId)]);
    const perRoom = await mapLimit(roomIds, READ_CONCURRENCY, async (roomId) => {
      const summary = await this.#summaryIfInPeriod(roomId, period);
      if (summary === null) return null;
      return memberDuties(summary, await directory.memberInvites(roomId));
    });
    const read = perRoom.filter((room): room is Map<string, DutyCounts> => room !== null);
    return { from: period.from ?? null, to: period.to ?? null, consultations: read.length, ...sumDuties(read, roster) };
  }

  /** Forgets every summary (they are rebuilt from the logs on the next request). */
  clear(): void {
    this.#summaries.clear();
  }

  /** The room's summary if its start lies in `period`, else null (its log unread when the registry knows the start). */
  async #summaryIfInPeriod(roomId: string, period: DutyPeriod): Promise<RoomDutySummary | null> {
    const registered = await this.#deps.registry.room(roomId);
    const planned = registered?.startsAt ?? null;
    if (planned !== null && !within(planned, period)) return null;
    const summary = await this.#summary(roomId);
    // Without a planned start, the meeting's own record says when it began.
    const start = planned ?? summary.startsAt ?? summary.firstAt ?? registered?.registeredAt ?? null;
    if (start === null) return period.from === undefined && period.to === undefined ? summary : null;
    return within(start, period) ? summary : null;
  }

  async #summary(roomId: string): Promise<RoomDutySummary> {
    const lastSeq = await this.#deps.store.lastSeq(roomId);
    const kept = this.#summaries.get(roomId);
    if (kept !== undefined && kept.lastSeq === lastSeq) {
      this.#summaries.delete(roomId);
      this.#summaries.set(roomId, kept);
      return kept;
    }
    // NOTE: reading and folding a log is synchronous work of some milliseconds (SQLite reads
    // block too); one room per turn of the event loop keeps meetings' sockets served meanwhile.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const events = await this.#deps.store.read(roomId);
    this.logsRead += 1;
    const summary = summariseRoom(roomId, events);
    this.#keep(summary);
    return summary;
  }

  #keep(summary: RoomDutySummary): void {
    this.#summaries.delete(summary.roomId);
    if (this.#cacheRooms === 0) return;
    this.#summaries.set(summary.roomId, summary);
    while (this.#summaries.size > this.#cacheRooms) {
      const oldest = this.#summaries.keys().next().value;
      if (oldest === undefined) break;
      this.#summaries.delete(oldest);
    }
  }

  /** Summaries kept now. */
  get cachedRooms(): number {
    return this.#summaries.size;
  }
}

function within(at: number, { from, to }: DutyPeriod): boolean {
  return (from === undefined || at >= from) && (to === undefined || at <= to);
}

/** `f` over `items`, at most `limit` at a time, results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next;
      next += 1;
      out[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
