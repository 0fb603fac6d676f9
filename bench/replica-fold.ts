/**
 * Replica fold benchmark: how long a chair's page takes to fold a vote storm into its copy of
 * the room (client/src/room/replica.ts), against folding the same events one by one with
 * `apply`, as the page did before, in the same run.
 *
 * Set-up: a meeting of VOTERS (1,000) members made by the real rules (signaling/room/testing.ts)
 * with an open poll that is not secret, then every member's vote. The chair sees every choice,
 * so each vote carries them, and the poll's record of choices grows to a thousand entries. The
 * storm arrives as the server sends it: in BATCHES (5, the tally of a large room every 250 ms;
 * see server/sockets/RoomBatches.ts) `room:events` messages.
 * Each way folds the storm ROUNDS (7) times, alternating; the median is printed, and the two
 * end states are checked equal.
 *
 * Run: npm run bench -- bench/replica-fold.ts   (REPLICA_VOTERS, REPLICA_BATCHES, REPLICA_ROUNDS)
 */
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { foldEvents, type Replica } from '../client/src/room/replica.js';
import { apply } from '../signaling/room/apply.js';
import type { RoomEvent } from '../signaling/room/events.js';
import { votingRoom } from '../signaling/room/testing.js';

const VOTERS = Number(process.env['REPLICA_VOTERS'] ?? 1000);
const BATCHES = Number(process.env['REPLICA_BATCHES'] ?? 5);
const ROUNDS = Number(process.env['REPLICA_ROUNDS'] ?? 7);

function storm(): { before: Replica; batches: RoomEvent[][] } {
  const { room, pollId } = votingRoom(VOTERS);
  const before: Replica = { state: room.state, ahead: [] };
  const votes: RoomEvent[] = [];
  for (let i = 1; i <= VOTERS; i += 1) votes.push(...room.ok({ type: 'poll:vote', pollId, choices: [i % 3] }, `m${i}`));
  const size = Math.ceil(votes.length / BATCHES);
  const batches = Array.from({ length: BATCHES }, (_, b) => votes.slice(b * size, (b + 1) * size));
  return { before, batches };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function main(): void {
  const { before, batches } = storm();
  const oneByOne = (): Replica => {
    let state = before.state;
    for (const batch of batches) for (const e of batch) state = apply(state, e);
    return { state, ahead: [] };
  };
  const replica = (): Replica => {
    let r = before;
    for (const batch of batches) r = foldEvents(r, batch).replica;
    return r;
  };
  const timed = (fold: () => Replica): { ms: number; end: Replica } => {
    const start = performance.now();
    const end = fold();
    return { ms: performance.now() - start, end };
  };
  const expected = oneByOne().state;
  const base: number[] = [];
  const ours: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const pair = round % 2 === 0 ? [oneByOne, replica] : [replica, oneByOne];
    for (const fold of pair) {
      const { ms, end } = timed(fold);
      (fold === oneByOne ? base : ours).push(ms);
      if (!isDeepStrictEqual(end.state, expected)) throw new Error('the replica folded to another state than apply one by one');
    }
  }
  const b = median(base);
  const o = median(ours);
  console.log(
    `replica fold: a chair's page folds ${VOTERS} votes in ${BATCHES} messages in ${o.toFixed(1)} ms (median of ${ROUNDS}); ` +
      `event by event with apply ${b.toFixed(1)} ms; ratio ${(o / b).toFixed(3)}`,
  );
}

main();
