/**
 * Two (or more) variants of the server side by side in one run, each with its own room
 * (lib/clusterRig.ts): the vote storm and the signaling fan-out measured against each in
 * turns, with the CPU time of every process over each phase. bench/runtime.ts compares two
 * Node.js runtimes with it, bench/observability.ts the server with and without metrics and logs.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { reasons, type FanOut, type RoomRig, type VoteRound } from './clusterRig.js';
import { cpuSpent, type CpuMeter } from './cpuTime.js';
import type { BenchServer } from './serverProcess.js';
import { ms, percentiles, summarize, times, type Summary } from './stats.js';

/** CPU time of a benchmark's processes over the phases of one variant. */
export type Cpu = { wallMs: number; spent: Map<string, number> };

/** One variant's server, its room and what its rounds add up. */
export type Variant = {
  /** `node 24`, `metrics on`: also its server process's name in the CPU lines. */
  key: string;
  server: BenchServer;
  rig: RoomRig;
  votes: VoteRound[];
  fanOuts: FanOut[];
  voteCpu: Cpu;
  fanCpu: Cpu;
};

/** The figures compared, per variant. */
export type Figures = { ack: Summary; rate: number; drain: number; cpuPerVote: number; fan: Summary; last: Summary; cpuPerCommand: number };

export const emptyCpu = (): Cpu => ({ wallMs: 0, spent: new Map() });
export const seconds = (value: number): string => (value / 1000).toFixed(1);
export const votesPerSecond = (r: VoteRound): number => (r.votes.durationMs > 0 ? (r.votes.latencies.length * 1000) / r.votes.durationMs : 0);
const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Runs `phase` and adds the CPU time it took to `into`. */
export async function metered<T>(meter: CpuMeter, into: Cpu, phase: () => Promise<T>): Promise<T> {
  const from = await meter.read();
  const start = performance.now();
  const value = await phase();
  into.wallMs += performance.now() - start;
  for (const [name, spent] of cpuSpent(from, await meter.read())) into.spent.set(name, (into.spent.get(name) ?? 0) + spent);
  return value;
}

/** What a phase measures besides the variant's server: Redis, and the clients (this process). */
const BESIDES_THE_SERVER: readonly string[] = ['redis', 'clients'];

/**
 * `node 24 1.2 s, redis 0.3 s, clients 2.0 s, rest of machine 0.4 s in 1.6 s wall (2 cores: 97 % busy)`:
 * `ours` are the processes named in the meter that the phase measured (`clients` is this one);
 * the others (another variant's idle server, which only answers heartbeats) count as the rest.
 */
export function cpuLine(cpu: Cpu, ours: readonly string[]): string {
  const used = ours.map((name) => `${name} ${seconds(cpu.spent.get(name) ?? 0)} s`);
  const machine = cpu.spent.get('machine') ?? 0;
  const rest = machine - ours.reduce((sum, name) => sum + (cpu.spent.get(name) ?? 0), 0);
  const cores = os.availableParallelism();
  const busy = cpu.wallMs > 0 ? (machine / (cpu.wallMs * cores)) * 100 : 0;
  return `cpu ${used.join(', ')}, rest of machine ${seconds(Math.max(0, rest))} s in ${seconds(cpu.wallMs)} s wall (${cores} cores: ${busy.toFixed(0)} % busy)`;
}

/** One vote storm against a variant, printed; counted unless `round` < 0 (a warm-up). */
export async function voteRound(
  name: string,
  v: Variant,
  meter: CpuMeter,
  round: number,
  voters: number,
  spreadMs: number,
  others: readonly string[] = BESIDES_THE_SERVER,
): Promise<void> {
  const cpu = emptyCpu();
  const r = await metered(meter, cpu, () => v.rig.voteRound(round, voters, spreadMs));
  const failed = r.failed.size > 0 ? `; FAILED votes: ${reasons(r.failed)}` : '';
  const acked = r.votes.latencies.length;
  console.log(
    `${name}:   (${v.key}) votes ack ${percentiles(summarize(r.votes.latencies))}, ${votesPerSecond(r).toFixed(0)} votes/s, ` +
      `drained at every member after ${ms(r.drainMs)} ms, server CPU ${ms((cpu.spent.get(v.key) ?? 0) / acked)} ms per vote; ` +
      `counted ${r.counted} of ${acked} acked${failed}`,
  );
  console.log(`${name}:       ${cpuLine(cpu, [v.key, ...others])}`);
  if (round < 0) return;
  v.votes.push(r);
  for (const [process, spent] of cpu.spent) v.voteCpu.spent.set(process, (v.voteCpu.spent.get(process) ?? 0) + spent);
  v.voteCpu.wallMs += cpu.wallMs;
}

/** `count` fan-out commands per variant, alternating between them one by one (ABBA). */
export async function fanOutRound(variants: readonly Variant[], meter: CpuMeter, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    for (const v of i % 2 === 0 ? variants : [...variants].reverse()) v.fanOuts.push(await metered(meter, v.fanCpu, () => v.rig.fanOut()));
  }
}

/** What a variant's rounds add up to. */
export function figuresOf(v: Variant): Figures {
  const acked = v.votes.reduce((sum, r) => sum + r.votes.latencies.length, 0);
  return {
    ack: summarize(v.votes.flatMap((r) => r.votes.latencies)),
    rate: mean(v.votes.map(votesPerSecond)),
    drain: mean(v.votes.map((r) => r.drainMs)),
    cpuPerVote: (v.voteCpu.spent.get(v.key) ?? 0) / acked,
    fan: summarize(v.fanOuts.flatMap((f) => f.perServer.flat())),
    last: summarize(v.fanOuts.map((f) => Math.max(...f.perServer.flat()))),
    cpuPerCommand: (v.fanCpu.spent.get(v.key) ?? 0) / v.fanOuts.length,
  };
}

/** Prints a variant's figures; answers whether every vote counted and every event arrived once. */
export function printFigures(name: string, v: Variant, f: Figures, voters: number, others: readonly string[] = BESIDES_THE_SERVER): boolean {
  const failedVotes = v.votes.reduce((sum, r) => sum + r.votes.failures.length, 0);
  const order = v.rig.order();
  console.log(
    `${name}: (${v.key}) vote storm ack ${percentiles(f.ack)} (p50 per round ${v.votes.map((r) => ms(summarize(r.votes.latencies).p50)).join(', ')}), ` +
      `${f.rate.toFixed(0)} votes/s, drain ${ms(f.drain)} ms, ` +
      `server CPU ${ms(f.cpuPerVote)} ms per vote; counted ${v.votes.map((r) => r.counted).join(', ')} (of ${voters})` +
      `${failedVotes > 0 ? `; ${failedVotes} votes FAILED` : ''}`,
  );
  console.log(`${name}:       vote storms: ${cpuLine(v.voteCpu, [v.key, ...others])}`);
  console.log(
    `${name}:       fan-out ${percentiles(f.fan)} max ${ms(f.fan.max)} ms (${f.fan.n} samples); last member per command ` +
      `${percentiles(f.last)}; server CPU ${ms(f.cpuPerCommand)} ms per command`,
  );
  console.log(`${name}:       fan-out: ${cpuLine(v.fanCpu, [v.key, ...others])}`);
  console.log(`${name}:       events: ${order.ok ? '' : 'FAILED: '}${order.summary}`);
  return failedVotes === 0 && order.ok;
}

/** `a / b` for every figure: `vote ack p50 12.0 vs 11.5 ms (1.04×), …; fan-out to N p50 …`. */
export function ratioLine(a: Figures, b: Figures, members: number): string {
  return (
    `vote ack p50 ${ms(a.ack.p50)} vs ${ms(b.ack.p50)} ms (${times(a.ack.p50, b.ack.p50)}), ` +
    `p99 ${ms(a.ack.p99)} vs ${ms(b.ack.p99)} ms (${times(a.ack.p99, b.ack.p99)}), ` +
    `${a.rate.toFixed(0)} vs ${b.rate.toFixed(0)} votes/s (${times(a.rate, b.rate)}), ` +
    `server CPU per vote ${ms(a.cpuPerVote)} vs ${ms(b.cpuPerVote)} ms (${times(a.cpuPerVote, b.cpuPerVote)}); ` +
    `fan-out to ${members} p50 ${ms(a.fan.p50)} vs ${ms(b.fan.p50)} ms (${times(a.fan.p50, b.fan.p50)}), ` +
    `p99 ${ms(a.fan.p99)} vs ${ms(b.fan.p99)} ms (${times(a.fan.p99, b.fan.p99)}), ` +
    `server CPU per command ${ms(a.cpuPerCommand)} vs ${ms(b.cpuPerCommand)} ms (${times(a.cpuPerCommand, b.cpuPerCommand)})`
  );
}
