/**
 * Vote-storm benchmark: N eligible voters (1,000) vote on one yes/no poll within about one
 * second, against the same sockets making a trivial acked request at the same rate.
 *
 * Set-up: the real server (test/helpers/server.ts) in a process of its own (VOTE_SERVER=thread:
 * in a worker thread of this process, as it was first), so that the load generator, this
 * process, shares neither an event loop nor a process with it; a room that is not
 * `open`, so N `member` participants (plain socket.io-client sockets in the main thread) wait
 * in the lobby without media; the host admits all (admitted members get no media until they
 * ask with `media:join`), then creates and opens a yes/no poll, fixing the N eligible voters.
 * Measured, per round:
 *   - votes: each voter's `poll:vote` sent at its slot of the spread (VOTE_SPREAD_MS), timed to
 *     its ack; throughput = acked votes / (last ack − first send). `poll.voted` is
 *     viewer-dependent, so the server fans each vote out socket by socket to all N + 1;
 *   - drain: from the first vote sent to the last vote's event at every voter;
 *   - close → publish → received: the host's `poll:close`, then `poll:publish` on its ack, to
 *     the first voter and to every voter receiving `poll.published`;
 *   - votes counted: `result.votes` of `poll.published` at every voter; anything other than N
 *     (or any failed vote) fails the run with a non-zero exit;
 *   - baseline: every voter's `room:sync` with the current seq (parse, membership check, one
 *     indexed SQLite read, an empty answer), paced the same way.
 * Rounds alternate (baseline, votes, votes, baseline, …) to share the machine's noise.
 *
 * Reading the ratio (vote ack / trivial ack, per percentile): what a vote costs over a bare
 * round trip through the same server and sockets. The votes of a room that arrive together are
 * decided and appended as one batch (group commit), and while votes keep coming the room's
 * events go out at most every 100 ms (RoomBatches), in one message per socket, so a vote waits
 * for the batch before it and for the fan-out that shares the server's thread: the ratio grows
 * with N and with the fan-out, not with a vote's own work. The vote's ack does not wait for
 * its event to go out. `messages per voter` is how many `room:events` messages each voter got
 * for the storm: fewer messages, each with more votes, is what the throttle buys.
 * The busy shares show whether the server thread or the client thread (N sockets parsing
 * N × N events) was saturated, the longest stalls how long each event loop was held up at once.
 * A server stall that delays a heartbeat disconnects clients (server/app.ts: a ping every 10 s,
 * a client gives up 15 s after the last one, so ~5 s at the wrong moment is enough): their
 * votes fail and so does the run. That is a finding about the server, not a fault of the rig;
 * the failure line carries the stall and the disconnect reasons.
 *
 * Limits: every voter connects from 127.0.0.1, so the server gets the connections and joins
 * per address raised (lib/oneAddress.ts, printed at the start), and voters join 10 at a time;
 * every other limit is the default (a voter sends a few requests a round, the host a few
 * commands).
 *
 * Open files: each in-process connection costs two descriptors; 1,000 voters need ~2,300.
 * Raise the limit first if it is lower (`ulimit -n 8192`); the run checks and says so.
 *
 * Server CPU per vote: the server thread's busy time over a vote phase (the storm and its
 * drain), divided by the votes; it holds the decisions, the appends and the fan-out. Beside it,
 * the server process's CPU time over all its threads per vote: the event loop's busy time
 * also counts the waits for each SQLite commit's sync to the disk, which are not CPU.
 *
 * Stores: the whole run (set-up, rounds) once per store of VOTE_STORES, one after the other in
 * this process: the default SQLite file, then Redis (a throwaway redis-server started here, as
 * the tests do, without persistence, and the server in a cluster of one). The last line
 * compares their votes/s: Redis against SQLite of the same run.
 *
 * Environment (optional): VOTE_VOTERS (1000), VOTE_SPREAD_MS (1000), VOTE_ROUNDS (2), VOTE_CPU_PROF (a directory),
 * VOTE_BUDGET_S (900), VOTE_STORES (sqlite,redis), VOTE_SERVER (process).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { ClientCommandPayload } from '../signaling/room/commands.js';
import type { SyncRoom } from '../signaling/schemas.js';
import { createRoom, issueInvites } from './lib/admin.js';
import {
  Arrivals,
  connect,
  failOnDisconnect,
  inBatches,
  isRecord,
  joinRoom,
  request,
  seqOf,
  type BenchSocket,
  type DisconnectWatch,
} from './lib/clients.js';
import { describeLimits, JOINS_IN_FLIGHT_PER_ADDRESS, MANY_MEMBERS_ONE_ADDRESS } from './lib/oneAddress.js';
import { LoadMeter, ServerThread } from './lib/serverHost.js';
import { storm, type StormResult } from './lib/storm.js';
import { ms, percentiles, requireOpenFiles, startWatchdog, summarize, times } from './lib/stats.js';
import { startRedis } from '../test/helpers/redisServer.js';
import { countedVotes, eligibleCount, hostEvent, hostLogOf, pollIdOf, recordPublished, type HostLog, type PublishedResults } from './lib/voteEvents.js';

const NAME = 'vote-storm';
/** VOTE_CPU_PROF=<dir>: a CPU profile of the server thread over each phase (the storm and its drain, the trivial round). */
const PHASE_PROFILES = process.env['VOTE_CPU_PROF'];
let profiled = 0;
const Env = z.object({
  VOTE_VOTERS: z.coerce.number().int().min(1).max(5000).default(1000),
  VOTE_SPREAD_MS: z.coerce.number().int().min(1).max(60_000).default(1000),
  VOTE_ROUNDS: z.coerce.number().int().min(1).max(10).default(2),
  VOTE_BUDGET_S: z.coerce.number().min(30).max(3600).default(900),
  VOTE_STORES: z
    .string()
    .default('sqlite,redis')
    .transform((list) => list.split(','))
    .pipe(z.array(z.enum(['sqlite', 'redis'])).min(1)),
  VOTE_SERVER: z.enum(['process', 'thread']).default('process'),
});
type StoreKind = 'sqlite' | 'redis';
const STEP_TIMEOUT_MS = 60_000;
/** Every voter must have every vote's event within this after the storm began. */
const DRAIN_TIMEOUT_MS = 300_000;

/** What the rounds add up. */
type Totals = {
  votes: StormResult[];
  trivial: StormResult[];
  /** Per vote round: votes counted, drain, close → first voter, close → every voter (ms). */
  rounds: Array<{ counted: number; drainMs: number; firstMs: number; allMs: number }>;
  /** Per vote round: the server thread's busy ms per vote. */
  cpuPerVoteMs: number[];
  /** Per vote round: the server process's CPU ms per vote, all its threads (in a process of its own). */
  processCpuPerVoteMs: number[];
};

/** What one store's run gave. */
type StoreFigures = { store: StoreKind; votesPerSecond: number; cpuPerVoteMs: number; p99: number; ok: boolean };

/** A room with N admitted voters and its host. */
type Rig = {
  n: number;
  spreadMs: number;
  server: ServerThread;
  host: BenchSocket;
  voters: BenchSocket[];
  arrivals: Arrivals;
  hostLog: HostLog;
  voterResults: PublishedResults;
  meter: LoadMeter;
  disconnects: DisconnectWatch;
};

function voter(rig: Rig, index: number): BenchSocket {
  const socket = rig.voters[index];
  if (!socket) throw new RangeError(`no voter ${index}`);
  return socket;
}

const perSecond = (r: StormResult): number => (r.durationMs > 0 ? (r.latencies.length * 1000) / r.durationMs : 0);

/** Runs a phase under the load meter; a failure carries the threads' load, which usually explains it. */
async function measured<T>(rig: Rig, phase: () => Promise<T>, name: string): Promise<{ value: T; load: string }> {
  if (PHASE_PROFILES !== undefined) await rig.server.profile(null);
  await rig.meter.start();
  let value: T;
  try {
    value = await phase();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const lost = rig.disconnects.summary();
    throw new Error(`${reason}${lost ? `; clients disconnected: ${lost}` : ''} (${await rig.meter.stop()})`, { cause: error });
  }
  const load = await rig.meter.stop();
  if (PHASE_PROFILES !== undefined) {
    const file = path.resolve(PHASE_PROFILES, `${name}-${++profiled}.cpuprofile`);
    await rig.server.profile(file);
    console.log(`${NAME}:   the server thread's CPU profile of this phase: ${file}`);
  }
  return { value, load };
}

/** Throws if any request of the storm failed, with the failures counted by reason. */
function failIfAny(what: string, result: StormResult): void {
  if (result.failures.length === 0) return;
  const reasons = new Map<string, number>();
  for (const f of result.failures) reasons.set(f.message, (reasons.get(f.message) ?? 0) + 1);
  const list = [...reasons].map(([reason, count]) => `${count} × ${reason}`).join('; ');
  throw new Error(`${result.failures.length} of ${result.failures.length + result.latencies.length} ${what} failed: ${list}`);
}

async function trivialRound(rig: Rig, totals: Totals): Promise<void> {
  const lastSeq = rig.hostLog.lastSeq;
  const { value: result, load } = await measured(rig, async () => {
    const syncs = await storm(rig.n, rig.spreadMs, async (i) => {
      const payload: SyncRoom = { lastSeq };
      const answer = await request(voter(rig, i), 'room:sync', payload);
      if (!isRecord(answer) || answer.kind !== 'events') throw new Error('room:sync answered a snapshot: the room moved during the baseline');
      return 0;
    });
    failIfAny('room:sync requests', syncs);
    return syncs;
  }, 'trivial');
  totals.trivial.push(result);
  const s = summarize(result.latencies);
  console.log(`${NAME}:   trivial  room:sync ack ${percentiles(s)}, ${perSecond(result).toFixed(0)}/s, sent over ${ms(result.sendSpanMs)} ms; ${load}`);
}

async function voteRound(rig: Rig, round: number, totals: Totals): Promise<void> {
  const { n, host, arrivals, hostLog } = rig;
  const command = async <T extends 'poll:create' | 'poll:open' | 'poll:close' | 'poll:publish'>(
    type: T,
    fields: Omit<ClientCommandPayload<T>, 'commandId'>,
  ): Promise<number> => seqOf(await request(host, type, { ...fields, commandId: randomUUID() }));

  const created = await command('poll:create', { question: `第 ${round + 1} 轮：是否同意加装电梯方案？`, kind: 'yesno' });
  const pollId = pollIdOf(await hostEvent(hostLog, created));
  const opened = await command('poll:open', { pollId });
  const eligible = eligibleCount(await hostEvent(hostLog, opened));
  if (eligible !== n) throw new Error(`poll opened with ${eligible} eligible voters, expected ${n}`);
  await arrivals.waitFor(opened, n, STEP_TIMEOUT_MS);

  const expected = [0, 0, 0];
  const messagesBefore = arrivals.messages;
  const stormStart = performance.now();
  const { value, load } = await measured(rig, async () => {
    const votes = await storm(n, rig.spreadMs, async (i) => {
      const choice = i % 3;
      const payload: ClientCommandPayload<'poll:vote'> = { pollId, choices: [choice], commandId: randomUUID() };
      const seq = seqOf(await request(voter(rig, i), 'poll:vote', payload));
      expected[choice] = (expected[choice] ?? 0) + 1;
      return seq;
    });
    failIfAny('votes', votes);
    const drained = await arrivals.waitFor(votes.maxAnswer, n, DRAIN_TIMEOUT_MS);
    return { votes, drainMs: Math.max(...drained) - stormStart };
  }, `votes-${round + 1}`);
  const { votes: result, drainMs } = value;
  const messagesPerVoter = (arrivals.messages - messagesBefore) / n;
  totals.votes.push(result);
  const cpuPerVote = rig.meter.serverActiveMs / n;
  totals.cpuPerVoteMs.push(cpuPerVote);
  const processCpu = rig.meter.serverCpuMs === null ? '' : ` (process, all threads: ${(rig.meter.serverCpuMs / n).toFixed(3)} ms)`;
  if (rig.meter.serverCpuMs !== null) totals.processCpuPerVoteMs.push(rig.meter.serverCpuMs / n);

  const closeAt = performance.now();
  await command('poll:close', { pollId });
  const published = await command('poll:publish', { pollId });
  const received = await arrivals.waitFor(published, n, STEP_TIMEOUT_MS);
  const firstMs = Math.min(...received) - closeAt;
  const allMs = Math.max(...received) - closeAt;
  const counted = countedVotes(rig.voterResults, pollId, n, expected);
  totals.rounds.push({ counted, drainMs, firstMs, allMs });
  const s = summarize(result.latencies);
  console.log(
    `${NAME}:   votes    poll:vote ack ${percentiles(s)}, ${perSecond(result).toFixed(0)}/s, sent over ${ms(result.sendSpanMs)} ms, ` +
      `drained at every voter after ${ms(drainMs)} ms in ${messagesPerVoter.toFixed(1)} messages per voter; server CPU ${cpuPerVote.toFixed(3)} ms per vote${processCpu}; ${load}`,
  );
  console.log(`${NAME}:   counted  ${counted} of ${n}; close → publish → received: first voter ${ms(firstMs)} ms, every voter ${ms(allMs)} ms`);
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const n = env.VOTE_VOTERS;
  requireOpenFiles(2 * (n + 1) + 256, NAME);
  startWatchdog(NAME, env.VOTE_BUDGET_S * 1000);
  console.log(
    `${NAME}: ${n} voters, votes spread over ${env.VOTE_SPREAD_MS} ms, ${env.VOTE_ROUNDS} rounds, stores ${env.VOTE_STORES.join(', ')}, ` +
      `server in a ${env.VOTE_SERVER === 'process' ? 'process of its own' : 'worker thread'}, ` +
      `${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(`${NAME}: the server gets ${describeLimits(MANY_MEMBERS_ONE_ADDRESS)} (every voter connects from 127.0.0.1)`);
  const figures: StoreFigures[] = [];
  for (const store of env.VOTE_STORES) figures.push(await onStore(store, env));
  const rate = (store: StoreKind): number | undefined => figures.find((f) => f.store === store)?.votesPerSecond;
  const sqlite = rate('sqlite');
  const redis = rate('redis');
  if (sqlite !== undefined && redis !== undefined) {
    console.log(`vote storm: Redis ${redis.toFixed(0)} votes/s against SQLite ${sqlite.toFixed(0)} in the same run: ratio ${(redis / sqlite).toFixed(2)}`);
  }
  if (!figures.every((f) => f.ok)) throw new Error('votes counted differ from the number of voters');
}

/** The whole run on one store. */
async function onStore(store: StoreKind, env: z.infer<typeof Env>): Promise<StoreFigures> {
  const n = env.VOTE_VOTERS;
  console.log(`${NAME}: store ${store}`);
  const redis = store === 'redis' ? await startRedis() : null;
  const storeEnv: Record<string, string> = redis
    ? {
        REDIS_URL: redis.url,
        INVITE_SECRET: randomBytes(32).toString('hex'),
        BALLOT_SECRET: randomBytes(32).toString('hex'),
        ADMIN_SECRET: randomBytes(32).toString('hex'),
      }
    : {};
  const sockets: BenchSocket[] = [];
  let server: ServerThread | null = null;
  let meter: LoadMeter | null = null;
  try {
    server = await ServerThread.start({ bare: false, env: { ...MANY_MEMBERS_ONE_ADDRESS, ...storeEnv } }, env.VOTE_SERVER);
    meter = new LoadMeter(server);
    const setupStart = performance.now();
    const api = { url: server.url, adminSecret: server.adminSecret };
    const { roomId, hostInvite } = await createRoom(api, n, { open: false });
    const arrivals = new Arrivals();
    const host = await connect(server.url);
    sockets.push(host);
    const hostLog = hostLogOf(host, arrivals);
    await joinRoom(host, hostInvite, '主持人');
    const invites = await issueInvites(api, roomId, 'member', n);
    const voterResults: PublishedResults = new Map();
    const url = server.url;
    const voters = await inBatches(invites, JOINS_IN_FLIGHT_PER_ADDRESS, async (invite, i) => {
      const socket = await connect(url);
      sockets.push(socket);
      arrivals.track(socket, (event) => recordPublished(voterResults, event));
      if ((await joinRoom(socket, invite, `委员${i + 1}`)).withMedia) throw new Error('a lobby member got media at join');
      return socket;
    });
    const disconnects = failOnDisconnect([host, ...voters], [arrivals]);
    const admitted = seqOf(await request(host, 'lobby:admitAll', { commandId: randomUUID() }));
    await arrivals.waitFor(admitted, n, STEP_TIMEOUT_MS);
    console.log(`${NAME}: ${n} members joined (lobby, no media) and admitted in ${ms((performance.now() - setupStart) / 1000)} s`);

    const rig: Rig = { n, spreadMs: env.VOTE_SPREAD_MS, server, host, voters, arrivals, hostLog, voterResults, meter, disconnects };
    const totals: Totals = { votes: [], trivial: [], rounds: [], cpuPerVoteMs: [], processCpuPerVoteMs: [] };
    for (let round = 0; round < env.VOTE_ROUNDS; round++) {
      console.log(`${NAME}: round ${round + 1}`);
      const trivial = (): Promise<void> => trivialRound(rig, totals);
      const votes = (): Promise<void> => voteRound(rig, round, totals);
      for (const phase of round % 2 === 0 ? [trivial, votes] : [votes, trivial]) await phase();
    }
    disconnects.stop();

    const v = summarize(totals.votes.flatMap((r) => r.latencies));
    const t = summarize(totals.trivial.flatMap((r) => r.latencies));
    const mean = (values: number[]): number => values.reduce((sum, x) => sum + x, 0) / values.length;
    const votesPerSecond = mean(totals.votes.map(perSecond));
    const cpuPerVoteMs = mean(totals.cpuPerVoteMs);
    const processCpu = totals.processCpuPerVoteMs.length === 0 ? '' : ` (process, all threads: ${mean(totals.processCpuPerVoteMs).toFixed(3)} ms)`;
    const counted = totals.rounds.map((r) => r.counted);
    const firsts = totals.rounds.map((r) => ms(r.firstMs)).join(', ');
    const alls = totals.rounds.map((r) => ms(r.allMs)).join(', ');
    console.log(
      `vote storm (${store}): ${n} voters, votes counted ${counted.join(', ')} (of ${n} each); vote ack ${percentiles(v)}, ${votesPerSecond.toFixed(0)} votes/s, ` +
        `server CPU ${cpuPerVoteMs.toFixed(3)} ms per vote${processCpu}; trivial ack ${percentiles(t)}, ${mean(totals.trivial.map(perSecond)).toFixed(0)}/s; ` +
        `ratio p50 ${times(v.p50, t.p50)} p99 ${times(v.p99, t.p99)}; close → publish → received: first voter ${firsts} ms, every voter ${alls} ms`,
    );
    return { store, votesPerSecond, cpuPerVoteMs, p99: v.p99, ok: counted.every((c) => c === n) };
  } finally {
    // Server first: N disconnects recorded one by one would fan out N² events.
    meter?.close();
    await server?.close();
    for (const socket of sockets) socket.disconnect();
    await redis?.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`${NAME}: failed:`, error);
  const reason = error instanceof Error ? error.message : String(error);
  console.log(`vote storm: ${Env.safeParse(process.env).data?.VOTE_VOTERS ?? '?'} voters: FAILED — ${reason}`);
  process.exitCode = 1;
});
