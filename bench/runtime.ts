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
import { reasons, RoomRig, type FanOut, type VoteRound } from './lib/clusterRig.js';
import { childPidsNamed, cpuSpent, CpuMeter } from './lib/cpuTime.js';
import { describeLimits, HOST_BACK_TO_BACK, MANY_MEMBERS_ONE_ADDRESS } from './lib/oneAddress.js';
import { startBenchServer, type BenchServer } from './lib/serverProcess.js';
import { ms, percentiles, requireOpenFiles, startWatchdog, summarize, times, type Summary } from './lib/stats.js';

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

/** CPU time of this benchmark's processes over the phases of one runtime. */
type Cpu = { wallMs: number; spent: Map<string, number> };

/** One runtime's server, its room and what its rounds add up. */
type Runtime = {
  /** `node 24`, `node 20`: also its process's name in the CPU lines. */
  key: string;
  server: BenchServer;
  rig: RoomRig;
  votes: VoteRound[];
  fanOuts: FanOut[];
  voteCpu: Cpu;
  fanCpu: Cpu;
};

const emptyCpu = (): Cpu => ({ wallMs: 0, spent: new Map() });
const seconds = (value: number): string => (value / 1000).toFixed(1);
const perSecond = (r: VoteRound): number => (r.votes.durationMs > 0 ? (r.votes.latencies.length * 1000) / r.votes.durationMs : 0);
const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Runs `phase` and adds the CPU time it took to `into`. */
async function metered<T>(meter: CpuMeter, into: Cpu, phase: () => Promise<T>): Promise<T> {
  const from = await meter.read();
  const start = performance.now();
  const value = await phase();
  into.wallMs += performance.now() - start;
  for (const [name, spent] of cpuSpent(from, await meter.read())) into.spent.set(name, (into.spent.get(name) ?? 0) + spent);
  return value;
}

/** `node 24 1.2 s, redis 0.3 s, clients 2.0 s, rest of machine 0.4 s in 1.6 s wall (2 cores: 97 % busy)`. */
function cpuLine(cpu: Cpu, server: string): string {
  const ours = [server, 'redis', 'clients'];
  const used = ours.map((name) => `${name} ${seconds(cpu.spent.get(name) ?? 0)} s`);
  const machine = cpu.spent.get('machine') ?? 0;
  // The other runtime's idle server counts as "rest" too; it only answers heartbeats.
  const rest = machine - ours.reduce((sum, name) => sum + (cpu.spent.get(name) ?? 0), 0);
  const cores = os.availableParallelism();
  const busy = cpu.wallMs > 0 ? (machine / (cpu.wallMs * cores)) * 100 : 0;
  return `cpu ${used.join(', ')}, rest of machine ${seconds(Math.max(0, rest))} s in ${seconds(cpu.wallMs)} s wall (${cores} cores: ${busy.toFixed(0)} % busy)`;
}

async function voteRound(rt: Runtime, meter: CpuMeter, round: number, voters: number, spreadMs: number): Promise<void> {
  const cpu = emptyCpu();
  const r = await metered(meter, cpu, () => rt.rig.voteRound(round, voters, spreadMs));
  const failed = r.failed.size > 0 ? `; FAILED votes: ${reasons(r.failed)}` : '';
  const acked = r.votes.latencies.length;
  console.log(
    `${NAME}:   (${rt.key}) votes ack ${percentiles(summarize(r.votes.latencies))}, ${perSecond(r).toFixed(0)} votes/s, ` +
      `drained at every member after ${ms(r.drainMs)} ms, server CPU ${ms((cpu.spent.get(rt.key) ?? 0) / acked)} ms per vote; ` +
      `counted ${r.counted} of ${acked} acked${failed}`,
  );
  console.log(`${NAME}:       ${cpuLine(cpu, rt.key)}`);
  if (round < 0) return;
  rt.votes.push(r);
  for (const [name, spent] of cpu.spent) rt.voteCpu.spent.set(name, (rt.voteCpu.spent.get(name) ?? 0) + spent);
  rt.voteCpu.wallMs += cpu.wallMs;
}

/** The figures compared, per runtime. */
type Figures = { ack: Summary; rate: number; drain: number; cpuPerVote: number; fan: Summary; last: Summary; cpuPerCommand: number };

function figuresOf(rt: Runtime): Figures {
  const acked = rt.votes.reduce((sum, r) => sum + r.votes.latencies.length, 0);
  return {
    ack: summarize(rt.votes.flatMap((r) => r.votes.latencies)),
    rate: mean(rt.votes.map(perSecond)),
    drain: mean(rt.votes.map((r) => r.drainMs)),
    cpuPerVote: (rt.voteCpu.spent.get(rt.key) ?? 0) / acked,
    fan: summarize(rt.fanOuts.flatMap((f) => f.perServer.flat())),
    last: summarize(rt.fanOuts.map((f) => Math.max(...f.perServer.flat()))),
    cpuPerCommand: (rt.fanCpu.spent.get(rt.key) ?? 0) / rt.fanOuts.length,
  };
}

/** Prints both runtimes' figures and the ratios; answers whether every vote counted and every event arrived once. */
function report(runtimes: readonly [Runtime, Runtime], voters: number): boolean {
  let ok = true;
  const [a, b] = runtimes;
  const [next, prev] = [figuresOf(a), figuresOf(b)];
  console.log(`${NAME}: results (${voters} voters per storm, ${a.rig.n} members per room)`);
  for (const [rt, f] of [
    [a, next],
    [b, prev],
  ] as const) {
    const failedVotes = rt.votes.reduce((sum, r) => sum + r.votes.failures.length, 0);
    const order = rt.rig.order();
    if (failedVotes > 0 || !order.ok) ok = false;
    console.log(
      `${NAME}: (${rt.key}) vote storm ack ${percentiles(f.ack)} (p50 per round ${rt.votes.map((r) => ms(summarize(r.votes.latencies).p50)).join(', ')}), ` +
        `${f.rate.toFixed(0)} votes/s, drain ${ms(f.drain)} ms, ` +
        `server CPU ${ms(f.cpuPerVote)} ms per vote; counted ${rt.votes.map((r) => r.counted).join(', ')} (of ${voters})` +
        `${failedVotes > 0 ? `; ${failedVotes} votes FAILED` : ''}`,
    );
    console.log(`${NAME}:       vote storms: ${cpuLine(rt.voteCpu, rt.key)}`);
    console.log(
      `${NAME}:       fan-out ${percentiles(f.fan)} max ${ms(f.fan.max)} ms (${f.fan.n} samples); last member per command ` +
        `${percentiles(f.last)}; server CPU ${ms(f.cpuPerCommand)} ms per command`,
    );
    console.log(`${NAME}:       fan-out: ${cpuLine(rt.fanCpu, rt.key)}`);
    console.log(`${NAME}:       events: ${order.ok ? '' : 'FAILED: '}${order.summary}`);
  }
  console.log(`${NAME}: as each server logged at start: ${a.key}: ${runsOn(a.server)}; ${b.key}: ${runsOn(b.server)}`);
  console.log(
    `runtime: ${a.key} / ${b.key}: vote ack p50 ${ms(next.ack.p50)} vs ${ms(prev.ack.p50)} ms (${times(next.ack.p50, prev.ack.p50)}), ` +
      `p99 ${ms(next.ack.p99)} vs ${ms(prev.ack.p99)} ms (${times(next.ack.p99, prev.ack.p99)}), ` +
      `${next.rate.toFixed(0)} vs ${prev.rate.toFixed(0)} votes/s (${times(next.rate, prev.rate)}), ` +
      `server CPU per vote ${ms(next.cpuPerVote)} vs ${ms(prev.cpuPerVote)} ms (${times(next.cpuPerVote, prev.cpuPerVote)}); ` +
      `fan-out to ${a.rig.n} p50 ${ms(next.fan.p50)} vs ${ms(prev.fan.p50)} ms (${times(next.fan.p50, prev.fan.p50)}), ` +
      `p99 ${ms(next.fan.p99)} vs ${ms(prev.fan.p99)} ms (${times(next.fan.p99, prev.fan.p99)}), ` +
      `server CPU per command ${ms(next.cpuPerCommand)} vs ${ms(prev.cpuPerCommand)} ms (${times(next.cpuPerCommand, prev.cpuPerCommand)})`,
  );
  return ok;
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

    const runtimes: Runtime[] = [];
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
      await voteRound(rt, meter, -1, Math.min(WARMUP_VOTERS, voters), Math.min(200, env.RUNTIME_SPREAD_MS));
      for (let i = 0; i < WARMUP_COMMANDS; i++) await rt.rig.fanOut();
    }

    for (let round = 0; round < env.RUNTIME_ROUNDS; round++) {
      const order = round % 2 === 0 ? [a, b] : [b, a];
      console.log(`${NAME}: round ${round + 1}: vote storms in the order ${order.map((rt) => rt.key).join(', ')}`);
      for (const rt of order) await voteRound(rt, meter, round, voters, env.RUNTIME_SPREAD_MS);
      for (let i = 0; i < env.RUNTIME_COMMANDS; i++) {
        for (const rt of i % 2 === 0 ? order : [...order].reverse()) rt.fanOuts.push(await metered(meter, rt.fanCpu, () => rt.rig.fanOut()));
      }
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
