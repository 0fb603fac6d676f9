/**
 * The few room events the vote-storm benchmark reads, checked by hand: the host's poll ids and
 * eligible lists, and the published result as each voter received it.
 */
import { isRecord, wireEvents, type Arrivals, type BenchSocket, type WireEvent } from './clients.js';

/** What the host saw: its latest seq, and the poll events the benchmark reads, by seq. */
export type HostLog = { lastSeq: number; events: Map<number, WireEvent> };

/** One voter's copy of a published result. */
type Published = { votes: number; counts: number[] };

/** Published results by poll id, one entry per voter that received it. */
export type PublishedResults = Map<string, Published[]>;

/** Follows the host's `room:events`; a malformed one fails `arrivals`. */
export function hostLogOf(socket: BenchSocket, arrivals: Arrivals): HostLog {
  const log: HostLog = { lastSeq: 0, events: new Map() };
  socket.on('room:events', (payload: unknown) => {
    try {
      for (const event of wireEvents(payload)) {
        log.lastSeq = Math.max(log.lastSeq, event.seq);
        if (event.type === 'poll.created' || event.type === 'poll.opened') log.events.set(event.seq, event);
      }
    } catch (error) {
      arrivals.fail(error instanceof Error ? error : new Error(String(error)));
    }
  });
  return log;
}

/**
 * The host's event of `seq`, once it has arrived: the server answers a command first and sends
 * its event with the room's next batch, a moment later.
 */
export async function hostEvent(log: HostLog, seq: number, timeoutMs = 10_000): Promise<WireEvent | undefined> {
  const deadline = performance.now() + timeoutMs;
  while (log.lastSeq < seq && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
  return log.events.get(seq);
}

/** The poll id of a `poll.created` event. */
export function pollIdOf(event: WireEvent | undefined): string {
  if (event?.type !== 'poll.created' || !isRecord(event.data) || typeof event.data.pollId !== 'string') {
    throw new TypeError('expected a poll.created event with a pollId');
  }
  return event.data.pollId;
}

/** How many voters a `poll.opened` event fixed. */
export function eligibleCount(event: WireEvent | undefined): number {
  if (event?.type !== 'poll.opened' || !isRecord(event.data) || !Array.isArray(event.data.eligible)) {
    throw new TypeError('expected a poll.opened event with an eligible list');
  }
  return event.data.eligible.length;
}

/** Keeps a voter's copy of a `poll.published` result (throws on a malformed one). */
export function recordPublished(results: PublishedResults, event: WireEvent): void {
  if (event.type !== 'poll.published') return;
  const data = event.data;
  if (!isRecord(data) || typeof data.pollId !== 'string' || !isRecord(data.result)) throw new TypeError('poll.published: malformed');
  const { votes, counts } = data.result;
  const numbers = Array.isArray(counts) ? counts.filter((c: unknown): c is number => typeof c === 'number') : [];
  if (typeof votes !== 'number' || !Array.isArray(counts) || numbers.length !== counts.length) {
    throw new TypeError('poll.published: malformed result');
  }
  const copies = results.get(data.pollId) ?? [];
  copies.push({ votes, counts: numbers });
  results.set(data.pollId, copies);
}

/**
 * The votes the published result counted, after checking that each of the `voters` received
 * the same result and that its counts per option are the ones sent (`expected`).
 */
export function countedVotes(results: PublishedResults, pollId: string, voters: number, expected: readonly number[]): number {
  const copies = results.get(pollId) ?? [];
  const first = copies[0];
  if (copies.length !== voters || first === undefined) throw new Error(`${copies.length} of ${voters} voters received the result of ${pollId}`);
  const counts = first.counts.join(',');
  if (copies.some((c) => c.votes !== first.votes || c.counts.join(',') !== counts)) throw new Error(`voters received different results of ${pollId}`);
  if (counts !== expected.join(',')) throw new Error(`${pollId}: counted ${counts} per option, voted ${expected.join(',')}`);
  results.delete(pollId);
  return first.votes;
}
