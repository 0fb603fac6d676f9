/**
 * Runtime benchmark: the same server under Node.js 24 (the product's runtime) and under the
 * machine's Node.js 20 (`/usr/bin/node`, what it ran on before), side by side in one run, so
 * the figure is the ratio Node 24 / Node 20 rather than two absolute times from two days.
 *
 * Run it with `npm run bench -- bench/runtime.ts` (scripts/run.sh puts Node 24 first on PATH:
 * its server runs on this process's own node, process.execPath; under a minute on 2 idle
 * cores). Not part of `npm test`. It starts its own redis-server (test/helpers/redisServer.ts,
 * append-only file synced every second, as in bench/cluster.ts) and two server processes
 * (`node --import tsx server/main.ts`, lib/serverProcess.ts), one per runtime, each its own
 * cluster of one (REDIS_URL, its own REDIS_PREFIX). Both run on Redis, not on the embedded
 * SQLite default, because better-sqlite3 13 (which the product now requires) crashes a Node 20
 * process with a segmentation fault the moment SQLite is used; with REDIS_URL set the server
 * never opens SQLite and starts and serves on Node 20 too. Every client lives in this process
 * (Node 24), so the load generator is the same for both; each server prints the line it logs
 * at start, which names the Node.js it runs on.
 *
 * Each runtime's server gets a room of RUNTIME_CLIENTS members who wait in the lobby of a
 * closed room without media and are admitted by the host (lib/clusterRig.ts, the set-up of
 * bench/cluster.ts). Measured against each:
 *   - vote storm, once per round: a yes/no poll for all members; RUNTIME_VOTERS of them vote
 *     within RUNTIME_SPREAD_MS. Vote ack p50/p99, votes/s (acked votes / first send to last
 *     ack), drain (first vote sent to the last vote's event at every member), and the server
 *     process's CPU time per acked vote (its own process, not its idle media worker; the
 *     poll's create, open, close and publish fall in the same window). The published result
 *     must count every acked vote once, per option, at every member, or the run fails;
 *   - signaling fan-out: RUNTIME_COMMANDS host commands per round (toggling the speaking queue
 *     and drafting a poll, in turn), one at a time, each timed from its emit to its
 *     `room:events` at every member: p50/p99 over all (command, member) samples, the last
 *     member per command, and the server's CPU time per command.
 * Rounds rotate which runtime storms first, and the fan-out commands alternate between the
 * runtimes one by one (ABBA), so the machine's noise falls on both alike; a warm-up storm and a
 * few commands per runtime come first and are not counted (JIT, tsx's first compile of each
 * module). The ratio printed last is Node 24 / Node 20 per figure: below 1.00 Node 24 is
 * faster (or, for votes/s, above 1.00). The CPU line of each phase tells whether something
 * else loaded the machine meanwhile ("rest of machine").
 *
 * Reading it: on 2 cores a storm of 500 votes to 500 members keeps the server, Redis and the
 * clients near 100 % busy, so a storm either just keeps up (acks in tens of ms) or falls
 * behind (hundreds): the vote ack p50 of each round is printed beside the pooled one, and the
 * server's CPU time per vote is the steadier figure to compare.
 *
 * Limits: every client connects from 127.0.0.1, where a real meeting's members come from many
 * addresses, so both servers get the same few LIMIT_* raised (lib/oneAddress.ts, printed at
 * the start): new connections and joins per address (hundreds of members join within
 * seconds from one address), and the host's commands and socket events per 10 s (the fan-out
 * sends host commands back to back). Every other setting is the product's default.
 *
 * Environment (optional): RUNTIME_OLD_NODE (/usr/bin/node), RUNTIME_CLIENTS (500 members per
 * room), RUNTIME_VOTERS (500, at most the members), RUNTIME_SPREAD_MS (1000), RUNTIME_ROUNDS
 * (6), RUNTIME_COMMANDS (30 per runtime and round), RUNTIME_BUDGET_S (600: the watchdog).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { startRedis, type TestRedis } from '../test/helpers/redisServer.js';
import type { BenchSocket } from './lib/clients.js';
import { RoomRig } from './lib/clusterRig.js';
import { childPidsNamed, CpuMeter } from './lib/cpuTime.js';
import { describeLimits, HOST_BACK_TO_BACK, MANY_MEMBERS_ONE_ADDRESS } from './lib/oneAddress.js';
import { startBenchServer, type BenchServer } from './lib/serverProcess.js';
import { requireOpenFiles, startWatchdog } from './lib/stats.js';
import { emptyCpu, fanOutRound, figuresOf, printFigures, ratioLine, seconds, voteRound, type Variant } from './lib/variants.js';

const NAME = 'runtime';
const Env = z
  .object({
    RUNTIME_OLD_NODE: z.string().min(1).default('/usr/bin/node'),
    RUNTIME_CLIENTS: z.coerce.number().int().min(2).max(3000).default(500),
    RUNTIME_VOTERS: z.coerce.number().int().min(1).max(3000).default(500),
    RUNTIME_SPREAD_MS: z.coerce.number().int().min(1).max(60_000).default(1000),
    RUNTIME_ROUNDS: z.coerce.number().int().min(1).max(20).default(6),
    RUNTIME_COMMANDS: z.coerce.number().int().min(1).max(1000).default(30),
    RUNTIME_BUDGET_S: z.coerce.number().min(30).max(3600).default(600),
  })
  .refine((e) => e.RUNTIME_VOTERS <= e.RUNTIME_CLIENTS, { message: 'RUNTIME_VOTERS must not exceed RUNTIME_CLIENTS' });

/** What a load generator on one address would run into (lib/oneAddress.ts); the same for both runtimes. */
const LIFTED_LIMITS = { ...MANY_MEMBERS_ONE_ADDRESS, ...HOST_BACK_TO_BACK };
const WARMUP_VOTERS = 100;
const WARMUP_COMMANDS = 6;

/** Prints both runtimes' figures and the ratios; answers whether every vote counted and every event arrived once. */
function report(runtimes: readonly [Variant, Variant], voters: number): boolean {
  const [a, b] = runtimes;
  const [next, prev] = [figuresOf(a), figuresOf(b)];
  console.log(`${NAME}: results (${voters} voters per storm, ${a.rig.n} members per room)`);
  const okA = printFigures(NAME, a, next, voters);
  const okB = printFigures(NAME, b, prev, voters);
  console.log(`${NAME}: as each server logged at start: ${a.key}: ${runsOn(a.server)}; ${b.key}: ${runsOn(b.server)}`);
  console.log(`runtime: ${a.key} / ${b.key}: ${ratioLine(next, prev, a.rig.n)}`);
  return okA && okB;
}

/** `node v24.22.3, mediasoup 3.27.1` from a start line. */
function runsOn(server: BenchServer): string {
  return /\((node v[^)]*)\)/.exec(server.startLine ?? '')?.[1] ?? `(not in its start line: ${server.startLine ?? 'none'})`;
}

/** `node 24` from a start line's `(node v24.22.3, …)`. */
function keyOf(server: BenchServer): string {
  const major = /\(node v(\d+)\./.exec(server.startLine ?? '')?.[1];
  if (major === undefined) throw new Error(`${server.name}: cannot tell its Node.js from its start line: ${server.startLine ?? '(none)'}`);
  return `node ${major}`;
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const n = env.RUNTIME_CLIENTS;
  const voters = env.RUNTIME_VOTERS;
  // Only the client ends live here (the servers are other processes): two rooms of N + 1.
  requireOpenFiles(2 * (n + 1) + 256, NAME);
  startWatchdog(NAME, env.RUNTIME_BUDGET_S * 1000);
  console.log(
    `${NAME}: ${n} members per room, ${voters} voters within ${env.RUNTIME_SPREAD_MS} ms, ${env.RUNTIME_ROUNDS} rounds, ` +
      `${env.RUNTIME_COMMANDS} fan-out commands per runtime and round; ${os.availableParallelism()} cores, ` +
      `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    `${NAME}: both servers get ${describeLimits(LIFTED_LIMITS)} ` +
      '(every client connects from 127.0.0.1); every other setting is the default',
  );

  const servers: BenchServer[] = [];
  const sockets: BenchSocket[] = [];
  let redis: TestRedis | undefined;
  let ok = false;
  try {
    const startedAt = performance.now();
    const store = await startRedis({ persistence: true });
    redis = store;
    const [redisPid, ...others] = await childPidsNamed('redis-server');
    if (redisPid === undefined || others.length > 0) throw new Error('cannot tell the pid of the benchmark’s redis-server');
    const adminSecret = randomBytes(16).toString('hex');
    const start = async (name: string, node: string): Promise<BenchServer> => {
      const upFrom = performance.now();
      const server = await startBenchServer({
        name,
        adminSecret,
        node,
        logStart: true,
        env: {
          REDIS_URL: store.url,
          REDIS_PREFIX: `wsl-${name}:`,
          INVITE_SECRET: randomBytes(32).toString('hex'),
          BALLOT_SECRET: randomBytes(32).toString('hex'),
          ...LIFTED_LIMITS,
        },
      });
      servers.push(server);
      console.log(`${NAME}: ${name} (${node}) healthy after ${seconds(performance.now() - upFrom)} s`);
      return server;
    };
    // One after the other, so neither start (tsx compiling the server) slows the other's.
    const next = await start('next', process.execPath);
    const prev = await start('prev', env.RUNTIME_OLD_NODE);
    const [nextKey, prevKey] = [keyOf(next), keyOf(prev)];
    if (nextKey === prevKey) {
      throw new Error(`both servers run ${nextKey}: run this through \`npm run bench\` (Node 24) and point RUNTIME_OLD_NODE at another Node`);
    }
    const meter = new CpuMeter(
      new Map([
        [nextKey, next.pid],
        [prevKey, prev.pid],
        ['redis', redisPid],
      ]),
    );

    const runtimes: Variant[] = [];
    for (const [key, server] of [
      [nextKey, next],
      [prevKey, prev],
    ] as const) {
      const joinStart = performance.now();
      const rig = await RoomRig.open(key, [server], n, sockets);
      runtimes.push({ key, server, rig, votes: [], fanOuts: [], voteCpu: emptyCpu(), fanCpu: emptyCpu() });
      console.log(`${NAME}: (${key}) ${n} members joined and admitted in ${seconds(performance.now() - joinStart)} s`);
    }
    const [a, b] = runtimes;
    if (!a || !b) throw new TypeError('two runtimes expected');

    console.log(`${NAME}: warm-up (not counted)`);
    for (const rt of runtimes) {
      await voteRound(NAME, rt, meter, -1, Math.min(WARMUP_VOTERS, voters), Math.min(200, env.RUNTIME_SPREAD_MS));
      for (let i = 0; i < WARMUP_COMMANDS; i++) await rt.rig.fanOut();
    }

    for (let round = 0; round < env.RUNTIME_ROUNDS; round++) {
      const order = round % 2 === 0 ? [a, b] : [b, a];
      console.log(`${NAME}: round ${round + 1}: vote storms in the order ${order.map((rt) => rt.key).join(', ')}`);
      for (const rt of order) await voteRound(NAME, rt, meter, round, voters, env.RUNTIME_SPREAD_MS);
      await fanOutRound(order, meter, env.RUNTIME_COMMANDS);
      console.log(`${NAME}:   ${env.RUNTIME_COMMANDS} fan-out commands per runtime done`);
    }
    const lost = runtimes.map((rt) => rt.rig.disconnects()).filter((s) => s !== '');
    if (lost.length > 0) throw new Error(`clients were disconnected: ${lost.join('; ')}`);
    for (const rt of runtimes) rt.rig.stopWatching();
    ok = report([a, b], voters);
    console.log(`${NAME}: done in ${seconds(performance.now() - startedAt)} s, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    // Servers first: clients leaving one by one would each be fanned out to the rest.
    await Promise.all(servers.map((s) => s.stop()));
    for (const socket of sockets) socket.disconnect();
    await redis?.destroy();
  }
  if (!ok) throw new Error('votes failed or events were lost or repeated (see the FAILED lines above)');
}

main().catch((error: unknown) => {
  console.error(`${NAME}: failed:`, error);
  const reason = error instanceof Error ? error.message : String(error);
  console.log(`runtime: FAILED — ${reason}`);
  process.exitCode = 1;
});
