/**
 * Cluster benchmark: the vote storm and the signaling fan-out of one server process behind
 * Redis against two processes behind the same Redis, in the same run (issue 6), with the
 * embedded SQLite default alongside for reference.
 *
 * Run it with `node --import tsx bench/cluster.ts` (about 70 s with the defaults on 2 idle
 * cores, up to 5 minutes when other work loads the machine; `ulimit -n` of at least ~3,300
 * for 1,000 clients, checked at the start). Not part of `npm test`. It starts
 * its own redis-server (test/helpers/redisServer.ts, append-only file synced every second, as
 * an operator would run it) and four server processes (`node --import tsx server/main.ts`,
 * lib/serverProcess.ts), and keeps every client in this process:
 *   (a) `a1`: one process with REDIS_URL, every client on it — the baseline;
 *   (b) `b1` + `b2`: two processes behind the same Redis, the host on b1, the members
 *       alternating between b1 and b2 (half and half);
 *   (c) `c1`: one process on the SQLite default, no Redis — for reference.
 * Each configuration has its own room of CLUSTER_CLIENTS members who wait in the lobby of a
 * closed room without media and are admitted by the host (the set-up of bench/vote-storm.ts).
 * Measured per configuration:
 *   - vote storm, once per round: a yes/no poll for all members; CLUSTER_VOTERS of them vote
 *     within CLUSTER_SPREAD_MS, each vote on the process its voter is connected to. Vote ack
 *     p50/p95/p99, throughput (acked votes / first send to last ack), drain (first vote sent
 *     to the last vote's event at every member), close → publish at every member; the
 *     published result must count every acked vote once, per option, at every member, or the
 *     run fails; a failed vote (CONFLICT, a timeout) is reported and fails the run too. Also
 *     printed: how many `room:events` messages a member received for the storm — the server
 *     sends a room's events as one batch per turn of its event loop, and at most one batch per
 *     20 ms while they keep coming, so this shows whether votes were batched or each vote
 *     went to every member on its own;
 *   - fan-out: CLUSTER_COMMANDS host commands per round (toggling the speaking queue and
 *     drafting a poll, in turn), one at a time, each timed from its emit to its `room:events`
 *     at every member: p50/p95/max, and for (b) the clients of the host's process apart from
 *     those of the other, which the events reach through Redis (append announced, log read).
 * Rounds rotate the order of the configurations (a b c, c b a, …) and the fan-out commands
 * alternate between them one by one, so the machine's noise falls on all alike; a warm-up
 * storm of 100 votes and a few commands per configuration come first and are not counted.
 * After the set-up every member must receive every event once and in order, or the run fails.
 * Every phase also prints the CPU time of each process involved, of this load generator, and
 * of the rest of the machine, against the wall time × cores.
 *
 * Reading it: on a small machine the two processes of (b), Redis and the load generator share
 * the same cores (the vote storms keep them ~100 % busy), so (b) against (a) shows what a
 * second process costs or saves per vote and per event, not what a second machine would add;
 * a "rest of machine" near the wall time × cores means other work skewed that phase. The
 * load generator parses every message of a thousand clients, about as much CPU as a server
 * spends sending them, so it is a contender too, and its stalls delay pongs: a server drops a
 * client after 5 s without one, which fails the run.
 *
 * Limits: every client connects from 127.0.0.1 (a real meeting's members come from many
 * addresses) and the hosts send fan-out commands back to back, so every process gets the
 * connections and joins per address and the commands and socket events per 10 s raised
 * (lib/oneAddress.ts, printed at the start; the three Redis processes share one budget per
 * address), and members join 10 at a time; every other limit is the default.
 *
 * Environment (optional): CLUSTER_CLIENTS (1000 members per room), CLUSTER_VOTERS (500, at
 * most the members), CLUSTER_SPREAD_MS (1000), CLUSTER_ROUNDS (2), CLUSTER_COMMANDS (20 per
 * configuration and round), CLUSTER_BUDGET_S (600: the watchdog).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { z } from 'zod';
import { startRedis, type TestRedis } from '../test/helpers/redisServer.js';
import type { BenchSocket } from './lib/clients.js';
import { reasons, RoomRig, type FanOut, type VoteRound } from './lib/clusterRig.js';
import { childPidsNamed, CpuMeter } from './lib/cpuTime.js';
import { describeLimits, HOST_BACK_TO_BACK, MANY_MEMBERS_ONE_ADDRESS } from './lib/oneAddress.js';
import { startBenchServer, type BenchServer } from './lib/serverProcess.js';
import { cpuLine, emptyCpu, metered, seconds, votesPerSecond, type Cpu } from './lib/variants.js';
import { ms, requireOpenFiles, startWatchdog, times } from './lib/stats.js';

const NAME = 'cluster';
const Env = z
  .object({
    CLUSTER_CLIENTS: z.coerce.number().int().min(2).max(3000).default(1000),
    CLUSTER_VOTERS: z.coerce.number().int().min(1).max(3000).default(500),
    CLUSTER_SPREAD_MS: z.coerce.number().int().min(1).max(60_000).default(1000),
    CLUSTER_ROUNDS: z.coerce.number().int().min(1).max(10).default(2),
    CLUSTER_COMMANDS: z.coerce.number().int().min(1).max(1000).default(20),
    CLUSTER_BUDGET_S: z.coerce.number().min(30).max(3600).default(600),
  })
  .refine((e) => e.CLUSTER_VOTERS <= e.CLUSTER_CLIENTS, { message: 'CLUSTER_VOTERS must not exceed CLUSTER_CLIENTS' });
/** What a load generator on one address would run into (lib/oneAddress.ts); the same for every process. */
const LIFTED_LIMITS = { ...MANY_MEMBERS_ONE_ADDRESS, ...HOST_BACK_TO_BACK };
const WARMUP_VOTERS = 100;
const WARMUP_COMMANDS = 4;
/** This process's event-loop stalls: a long one delays pongs, and the servers drop clients after 5 s without one. */
const clientStalls = monitorEventLoopDelay({ resolution: 10 });

/** CPU time of the processes of a configuration over its measured phases. */

/** One configuration and what its rounds add up. */
type Config = {
  key: 'a' | 'b' | 'c';
  label: string;
  rig: RoomRig;
  /** The processes whose CPU time belongs to it (its servers, and Redis if it uses it). */
  processes: string[];
  votes: VoteRound[];
  fanOuts: FanOut[];
  voteCpu: Cpu;
  fanCpu: Cpu;
};

/** Nearest-rank percentiles and the maximum. */
type Quantiles = { n: number; p50: number; p95: number; p99: number; max: number };

function quantiles(values: readonly number[]): Quantiles {
  if (values.length === 0) throw new RangeError('no samples');
  const sorted = [...values].sort((x, y) => x - y);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? NaN };
}

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;



async function voteRound(config: Config, meter: CpuMeter, round: number, voters: number, spreadMs: number): Promise<void> {
  const cpu = emptyCpu();
  clientStalls.reset();
  const r = await metered(meter, cpu, () => config.rig.voteRound(round, voters, spreadMs));
  const failed = r.failed.size > 0 ? `; FAILED votes: ${reasons(r.failed)}` : '';
  const q = quantiles(r.votes.latencies);
  console.log(
    `${NAME}:   (${config.key}) votes ack p50 ${ms(q.p50)} p95 ${ms(q.p95)} p99 ${ms(q.p99)} ms, ${votesPerSecond(r).toFixed(0)} votes/s, ` +
      `drained at every member after ${ms(r.drainMs)} ms in ${r.messagesPerMember.toFixed(0)} messages each, ` +
      `close → published everywhere ${ms(r.publishMs)} ms; counted ${r.counted} of ${r.votes.latencies.length} acked${failed}`,
  );
  console.log(`${NAME}:       ${cpuLine(cpu, [...config.processes, 'clients'])}; longest client stall ${(clientStalls.max / 1e6).toFixed(0)} ms`);
  if (round < 0) return;
  config.votes.push(r);
  for (const [name, spent] of cpu.spent) config.voteCpu.spent.set(name, (config.voteCpu.spent.get(name) ?? 0) + spent);
  config.voteCpu.wallMs += cpu.wallMs;
}

function report(configs: readonly Config[], voters: number): boolean {
  const base = configs.find((c) => c.key === 'a');
  if (!base) throw new TypeError('no baseline configuration');
  type Figures = { ack: Quantiles; rate: number; drain: number; fan: Quantiles; lastClient: Quantiles };
  const figures = new Map<Config, Figures>();
  let ok = true;
  console.log(`${NAME}: results (${voters} voters per storm, ${base.rig.n} members per room)`);
  for (const c of configs) {
    const ack = quantiles(c.votes.flatMap((r) => r.votes.latencies));
    const rate = mean(c.votes.map(votesPerSecond));
    const drain = mean(c.votes.map((r) => r.drainMs));
    const fan = quantiles(c.fanOuts.flatMap((f) => f.perServer.flat()));
    const lastClient = quantiles(c.fanOuts.map((f) => Math.max(...f.perServer.flat())));
    figures.set(c, { ack, rate, drain, fan, lastClient });
    const failedVotes = c.votes.reduce((sum, r) => sum + r.votes.failures.length, 0);
    const order = c.rig.order();
    if (failedVotes > 0 || !order.ok) ok = false;
    console.log(
      `${NAME}: (${c.key}) ${c.label}: vote storm ack p50 ${ms(ack.p50)} p95 ${ms(ack.p95)} p99 ${ms(ack.p99)} ms, ` +
        `${rate.toFixed(0)} votes/s, drained at every member after ${c.votes.map((r) => ms(r.drainMs)).join(', ')} ms ` +
        `in ${c.votes.map((r) => r.messagesPerMember.toFixed(0)).join(', ')} messages each; ` +
        `counted ${c.votes.map((r) => r.counted).join(', ')} (of ${voters})${failedVotes > 0 ? `; ${failedVotes} votes FAILED` : ''}`,
    );
    console.log(`${NAME}:       vote storms: ${cpuLine(c.voteCpu, [...c.processes, 'clients'])}`);
    console.log(`${NAME}:       events: ${order.ok ? '' : 'FAILED: '}${order.summary}`);
    console.log(
      `${NAME}:       fan-out p50 ${ms(fan.p50)} p95 ${ms(fan.p95)} max ${ms(fan.max)} ms (${fan.n} samples); ` +
        `last client per command p50 ${ms(lastClient.p50)} p95 ${ms(lastClient.p95)} ms`,
    );
    if (c.rig.servers.length > 1) {
      for (const [i, server] of c.rig.servers.entries()) {
        const own = quantiles(c.fanOuts.flatMap((f) => f.perServer[i] ?? []));
        const where = i === 0 ? "the host's process" : 'the other process (through Redis)';
        console.log(`${NAME}:         clients of ${server.name}, ${where}: p50 ${ms(own.p50)} p95 ${ms(own.p95)} max ${ms(own.max)} ms`);
      }
    }
    console.log(`${NAME}:       fan-out: ${cpuLine(c.fanCpu, [...c.processes, 'clients'])}`);
  }
  const a = figures.get(base);
  if (!a) throw new TypeError('no baseline figures');
  for (const c of configs) {
    if (c === base) continue;
    const f = figures.get(c);
    if (!f) continue;
    console.log(
      `${NAME}: (${c.key}) / (a): vote ack p50 ${times(f.ack.p50, a.ack.p50)} p95 ${times(f.ack.p95, a.ack.p95)} p99 ${times(f.ack.p99, a.ack.p99)}, ` +
        `votes/s ${times(f.rate, a.rate)}, drain ${times(f.drain, a.drain)}; ` +
        `fan-out p50 ${times(f.fan.p50, a.fan.p50)} p95 ${times(f.fan.p95, a.fan.p95)} max ${times(f.fan.max, a.fan.max)}`,
    );
  }
  const b = configs.find((c) => c.key === 'b');
  const fb = b && figures.get(b);
  if (fb) {
    console.log(
      `cluster: two processes vs one behind Redis: vote ack p50 ${ms(fb.ack.p50)} vs ${ms(a.ack.p50)} ms, p99 ${ms(fb.ack.p99)} vs ${ms(a.ack.p99)} ms ` +
        `(${times(fb.ack.p99, a.ack.p99)}), ${fb.rate.toFixed(0)} vs ${a.rate.toFixed(0)} votes/s (${times(fb.rate, a.rate)}), ` +
        `drain ${ms(fb.drain)} vs ${ms(a.drain)} ms; fan-out p50 ${ms(fb.fan.p50)} vs ${ms(a.fan.p50)} ms, ` +
        `p95 ${ms(fb.fan.p95)} vs ${ms(a.fan.p95)} ms (${times(fb.fan.p95, a.fan.p95)})`,
    );
  }
  return ok;
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const n = env.CLUSTER_CLIENTS;
  const voters = env.CLUSTER_VOTERS;
  // Only the client ends live here (the servers are other processes): three rooms of N + 1.
  requireOpenFiles(3 * (n + 1) + 256, NAME);
  startWatchdog(NAME, env.CLUSTER_BUDGET_S * 1000);
  clientStalls.enable();
  console.log(
    `${NAME}: ${n} members per room, ${voters} voters within ${env.CLUSTER_SPREAD_MS} ms, ${env.CLUSTER_ROUNDS} rounds, ` +
      `${env.CLUSTER_COMMANDS} fan-out commands per configuration and round; ${os.availableParallelism()} cores, ` +
      `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );

  console.log(`${NAME}: every server gets ${describeLimits(LIFTED_LIMITS)} (every client connects from 127.0.0.1)`);

  const servers: BenchServer[] = [];
  const sockets: BenchSocket[] = [];
  let redis: TestRedis | undefined;
  let ok = false;
  try {
    const startedAt = performance.now();
    redis = await startRedis({ persistence: true });
    const [redisPid, ...others] = await childPidsNamed('redis-server');
    if (redisPid === undefined || others.length > 0) throw new Error('cannot tell the pid of the benchmark’s redis-server');
    const adminSecret = randomBytes(16).toString('hex');
    const clustered = { REDIS_URL: redis.url, INVITE_SECRET: randomBytes(32).toString('hex'), BALLOT_SECRET: randomBytes(32).toString('hex'), ...LIFTED_LIMITS };
    const start = async (name: string, env: Record<string, string>): Promise<BenchServer> => {
      const server = await startBenchServer({ name, adminSecret, env });
      servers.push(server);
      return server;
    };
    const [a1, b1, b2, c1] = await Promise.all([start('a1', clustered), start('b1', clustered), start('b2', clustered), start('c1', LIFTED_LIMITS)]);
    const meter = new CpuMeter(new Map([...servers.map((s): [string, number] => [s.name, s.pid]), ['redis', redisPid]]));
    console.log(`${NAME}: redis-server and 4 server processes up in ${seconds(performance.now() - startedAt)} s`);

    const layouts = [
      { key: 'a', label: 'one process behind Redis', servers: [a1], processes: ['a1', 'redis'] },
      { key: 'b', label: 'two processes behind Redis', servers: [b1, b2], processes: ['b1', 'b2', 'redis'] },
      { key: 'c', label: 'one process on SQLite', servers: [c1], processes: ['c1'] },
    ] as const;
    const configs: Config[] = [];
    for (const layout of layouts) {
      const joinStart = performance.now();
      const rig = await RoomRig.open(layout.label, layout.servers, n, sockets);
      configs.push({ ...layout, processes: [...layout.processes], rig, votes: [], fanOuts: [], voteCpu: emptyCpu(), fanCpu: emptyCpu() });
      console.log(`${NAME}: (${layout.key}) ${layout.label}: ${n} members joined and admitted in ${seconds(performance.now() - joinStart)} s`);
    }

    console.log(`${NAME}: warm-up (not counted)`);
    for (const c of configs) {
      await voteRound(c, meter, -1, Math.min(WARMUP_VOTERS, voters), Math.min(200, env.CLUSTER_SPREAD_MS));
      for (let i = 0; i < WARMUP_COMMANDS; i++) await c.rig.fanOut();
    }

    for (let round = 0; round < env.CLUSTER_ROUNDS; round++) {
      const order = round % 2 === 0 ? configs : [...configs].reverse();
      console.log(`${NAME}: round ${round + 1}: vote storms in the order ${order.map((c) => c.key).join(' ')}`);
      for (const c of order) await voteRound(c, meter, round, voters, env.CLUSTER_SPREAD_MS);
      for (let i = 0; i < env.CLUSTER_COMMANDS; i++) {
        for (const c of i % 2 === 0 ? order : [...order].reverse()) c.fanOuts.push(await metered(meter, c.fanCpu, () => c.rig.fanOut()));
      }
      console.log(`${NAME}:   ${env.CLUSTER_COMMANDS} fan-out commands per configuration done`);
    }
    const lost = configs.map((c) => c.rig.disconnects()).filter((s) => s !== '');
    if (lost.length > 0) throw new Error(`clients were disconnected: ${lost.join('; ')}`);
    for (const c of configs) c.rig.stopWatching();
    ok = report(configs, voters);
    console.log(`${NAME}: done in ${seconds(performance.now() - startedAt)} s`);
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
  console.log(`cluster: FAILED — ${reason}`);
  process.exitCode = 1;
});
