/**
 * Abuse benchmark: can an abusive client slow down an honest member? One real server process
 * (lib/serverProcess.ts: `node --import tsx server/main.ts`, SQLite, the default limits of
 * server/limits/Limits.ts), one room, and the same honest stream measured without abuse and
 * under it, in the same run.
 *
 * The room: a host, the honest member, ABUSE_MEMBERS other members and the abusive member, in
 * the lobby of a closed room and admitted by the host (no media until asked for), and an open
 * yes/no poll. Three processes:
 *   - the server;
 *   - this one: the host, the honest member and the other members, from 127.0.0.1. The honest
 *     member raises and withdraws its hand in turn, ABUSE_HONEST_RATE commands a second on a
 *     fixed schedule (sent when due, whatever the previous ack: a slow answer cannot hide the
 *     next one), each timed from its emit to its ack. Half-way through each phase two
 *     newcomers join with fresh invites: one from 127.0.0.1, one from the stranger's address;
 *   - the abuser (lib/abuser.ts), at a lower priority so that its appetite for CPU cannot
 *     delay this process: (a) the abusive member floods commands from 127.0.0.2, (b) a
 *     stranger floods `room:join` with forged and expired invites from 127.0.0.3, (c) the
 *     stranger keeps ABUSE_IDLE_SOCKETS sockets connected that never join. See there.
 * Phases of ABUSE_PHASE_S each, in this order, a few seconds apart:
 *   1. baseline: no abuse;
 *   2. abuse, the member on its one socket;
 *   3. abuse, the member on ABUSE_MEMBER_SOCKETS sockets of its invite (each join takes the seat
 *      over, the dropped socket comes back and joins again);
 *   4. baseline again: has the server recovered?
 * Printed per phase: the honest member's ack p50/p99 and failures; the newcomers' joins; how
 * many events the room's log gained (as the host received them) and how many concern the
 * abuser; the CPU time of the server, its media worker, the abuser, this process and the rest
 * of the machine; for abuse phases, what the abuser's requests were answered, how many passed
 * the per-participant command limit against what that limit allows, and whether every
 * RATE_LIMITED carried a `retryAfterMs`. The last line: the honest member's p99 under abuse
 * over its p99 in phase 1 (goal ≤ 1.5×). With 40 commands a phase the p99 is their slowest, so
 * the three slowest are printed with when in the phase they were sent: a burst of the
 * abuser's (its sockets connecting at the start of a phase, or coming back together after the
 * server closed them for not joining) shows as a time. ABUSE_PHASE_S=60 gives a steadier tail.
 *
 * The run fails (non-zero exit) when the server stops answering or dies, an honest command
 * fails or an honest socket is dropped, a newcomer from an innocent address is refused, a
 * RATE_LIMITED comes without `retryAfterMs`, more of the abuser's commands pass than the
 * per-participant limit allows, or more bad invites from one address are verified than the
 * failed-join limit allows: findings about the product, to be reported as they are. A ratio above the goal is printed, not failed: on a
 * small machine shared with other work it is a measurement, read it with the CPU lines.
 *
 * The server gets an INVITE_SECRET so the stranger can sign invites that are genuine but
 * expired; nothing else of its configuration is changed.
 *
 * Environment (optional): ABUSE_PHASE_S (20), ABUSE_HONEST_RATE (2 commands/s, under the
 * default 40 per 10 s), ABUSE_MEMBERS (4), ABUSE_WINDOW (50 requests in flight per flooding
 * socket), ABUSE_MEMBER_SOCKETS (4), ABUSE_JOIN_SOCKETS (4), ABUSE_IDLE_SOCKETS (500),
 * ABUSE_BUDGET_S (600).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { DEFAULT_LIMITS } from '../server/limits/Limits.js';
import type { ClientCommandPayload } from '../signaling/room/commands.js';
import { createRoom, issueInvites } from './lib/admin.js';
import { AbuserProcess, ABUSER_NICENESS } from './lib/abuserHost.js';
import type { AbuseReport, FloodMode, Tally } from './lib/abuserProtocol.js';
import {
  AckError,
  connect,
  failOnDisconnect,
  inBatches,
  isRecord,
  joinRoom,
  request,
  seqOf,
  wireEvents,
  type BenchSocket,
  type WireEvent,
} from './lib/clients.js';
import { childPidsOf, cpuSpent, CpuMeter, processCpuMs } from './lib/cpuTime.js';
import { startBenchServer, type BenchServer } from './lib/serverProcess.js';
import { ms, percentiles, requireOpenFiles, startWatchdog, summarize, times } from './lib/stats.js';
import { storm, type StormResult } from './lib/storm.js';

const NAME = 'abuse';
const Env = z.object({
  ABUSE_PHASE_S: z.coerce.number().min(5).max(300).default(20),
  // At most 3.5 a second: the honest member must stay under the default 40 commands per 10 s.
  ABUSE_HONEST_RATE: z.coerce.number().min(0.5).max(3.5).default(2),
  ABUSE_MEMBERS: z.coerce.number().int().min(0).max(200).default(4),
  ABUSE_WINDOW: z.coerce.number().int().min(1).max(1000).default(50),
  ABUSE_MEMBER_SOCKETS: z.coerce.number().int().min(2).max(50).default(4),
  ABUSE_JOIN_SOCKETS: z.coerce.number().int().min(1).max(50).default(4),
  ABUSE_IDLE_SOCKETS: z.coerce.number().int().min(0).max(5000).default(500),
  ABUSE_BUDGET_S: z.coerce.number().min(60).max(3600).default(600),
});
type Env = z.infer<typeof Env>;

/** The honest clients' address, the abusive member's, the stranger's (any 127.x reaches the server). */
const HONEST_ADDRESS = '127.0.0.1';
const MEMBER_ADDRESS = '127.0.0.2';
const STRANGER_ADDRESS = '127.0.0.3';
/** An honest command not answered within this counts as failed: the member was starved. */
const HONEST_TIMEOUT_MS = 10_000;
/** Pause between phases, not measured: what one phase left behind settles. */
const SETTLE_MS = 3000;
const JOIN_CONCURRENCY = 10;
/** How many of the honest member's slowest commands are shown, with when they were sent. */
const SLOWEST_SHOWN = 3;
/** The honest stream's warm-up before the first phase, s. */
const WARM_UP_S = 4;

/** Every room event the host received, in order (a room of a few people: all are kept). */
class RoomLog {
  lastSeq = 0;
  readonly #events: WireEvent[] = [];
  #failure: Error | null = null;

  constructor(host: BenchSocket) {
    host.on('room:events', (payload: unknown) => {
      try {
        for (const event of wireEvents(payload)) {
          if (event.seq <= this.lastSeq) continue;
          this.#events.push(event);
          this.lastSeq = event.seq;
        }
      } catch (error) {
        this.#failure ??= error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  /** Waits until the host has the event of `seq`, and answers it. */
  async event(seq: number, timeoutMs = 10_000): Promise<WireEvent> {
    const deadline = performance.now() + timeoutMs;
    while (this.lastSeq < seq) {
      if (this.#failure) throw this.#failure;
      if (performance.now() > deadline) throw new Error(`the host did not receive seq ${seq} within ${timeoutMs} ms`);
      await sleep(5);
    }
    const event = this.#events.find((e) => e.seq === seq);
    if (!event) throw new Error(`the host never received seq ${seq}`);
    return event;
  }

  /** Events after seq `from` up to `to`. */
  between(from: number, to: number): WireEvent[] {
    if (this.#failure) throw this.#failure;
    return this.#events.filter((e) => e.seq > from && e.seq <= to);
  }
}

/** Does `event` concern participant `id` (their hand, their vote, their connection)? */
function concerns(event: WireEvent, id: string): boolean {
  const d = event.data;
  if (!isRecord(d)) return false;
  return d.participantId === id || d.voterId === id || (Array.isArray(d.participantIds) && d.participantIds.includes(id));
}

/** One phase to run. */
type PhasePlan = { key: string; label: string; flood: FloodMode | null };

/** A newcomer's join: how long it took, or what refused it. */
type Probe = { ok: true; ms: number } | { ok: false; why: string };

/** What one phase measured. */
type PhaseResult = {
  plan: PhasePlan;
  honest: HonestResult;
  wallMs: number;
  cpu: Map<string, number>;
  events: WireEvent[];
  abuserEvents: number;
  newcomer: Probe;
  stranger: Probe;
  report: AbuseReport | null;
  serverUp: boolean;
};

/** The run's fixed parts. */
type Rig = {
  env: Env;
  server: BenchServer;
  host: BenchSocket;
  honest: BenchSocket;
  log: RoomLog;
  abuser: AbuserProcess;
  meter: CpuMeter;
  pollId: string;
  /** Fresh member invites for the newcomers, two per phase. */
  spareInvites: string[];
  sockets: BenchSocket[];
};

function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

/** The honest stream's acks, and when in the phase each slow one was sent. */
type HonestResult = StormResult & { slowest: Array<{ atMs: number; ms: number }> };

/** The honest member's stream: raise, withdraw, raise, … at a fixed rate, for `seconds`. */
async function honestStream(rig: Rig, seconds = rig.env.ABUSE_PHASE_S): Promise<HonestResult> {
  const rate = rig.env.ABUSE_HONEST_RATE;
  const start = performance.now();
  const timed: Array<{ atMs: number; ms: number }> = [];
  // An even count: the hand is down again after every phase.
  const result = await storm(2 * Math.round((seconds * rate) / 2), seconds * 1000, async (i) => {
    const sentAt = performance.now();
    const commandId = randomUUID();
    let data: unknown;
    if (i % 2 === 0) {
      const raise: ClientCommandPayload<'queue:raise'> = { speechType: 'question', note: '请教一个问题', commandId };
      data = await request(rig.honest, 'queue:raise', raise, HONEST_TIMEOUT_MS);
    } else {
      const withdraw: ClientCommandPayload<'queue:withdraw'> = { commandId };
      data = await request(rig.honest, 'queue:withdraw', withdraw, HONEST_TIMEOUT_MS);
    }
    timed.push({ atMs: sentAt - start, ms: performance.now() - sentAt });
    return seqOf(data);
  });
  return { ...result, slowest: timed.sort((x, y) => y.ms - x.ms).slice(0, SLOWEST_SHOWN) };
}

/** A newcomer joining with a fresh invite from `address`, half-way through the phase. */
async function newcomer(rig: Rig, address: string, name: string): Promise<Probe> {
  await sleep((rig.env.ABUSE_PHASE_S * 1000) / 2);
  const invite = rig.spareInvites.shift();
  if (invite === undefined) throw new TypeError('no spare invite left');
  const start = performance.now();
  let socket: BenchSocket;
  try {
    socket = await connect(rig.server.url, address);
  } catch (error) {
    return { ok: false, why: `connect failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  rig.sockets.push(socket);
  try {
    await joinRoom(socket, invite, name);
    return { ok: true, ms: performance.now() - start };
  } catch (error) {
    socket.disconnect();
    if (error instanceof AckError) return { ok: false, why: error.message };
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

async function serverUp(server: BenchServer): Promise<boolean> {
  if ((await processCpuMs(server.pid)) === null) return false;
  try {
    return (await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) })).ok;
  } catch {
    return false;
  }
}

async function runPhase(rig: Rig, plan: PhasePlan): Promise<PhaseResult> {
  const cpuFrom = await rig.meter.read();
  const seqFrom = rig.log.lastSeq;
  const start = performance.now();
  if (plan.flood) await rig.abuser.startFlood(plan.flood, rig.pollId);
  const [honest, newcomerProbe, strangerProbe] = await Promise.all([
    honestStream(rig),
    newcomer(rig, HONEST_ADDRESS, '新来的委员'),
    newcomer(rig, STRANGER_ADDRESS, '同一地址的委员'),
  ]);
  const wallMs = performance.now() - start;
  const cpu = cpuSpent(cpuFrom, await rig.meter.read());
  // The host's view of the log when the honest stream ended: what the phase appended.
  const events = rig.log.between(seqFrom, rig.log.lastSeq);
  const report = plan.flood ? await rig.abuser.stopFlood() : null;
  return {
    plan,
    honest,
    wallMs,
    cpu,
    events,
    abuserEvents: events.filter((e) => concerns(e, rig.abuser.participantId)).length,
    newcomer: newcomerProbe,
    stranger: strangerProbe,
    report,
    serverUp: await serverUp(rig.server),
  };
}

const seconds = (value: number): string => (value / 1000).toFixed(1);

/** `server 3.1 s, media worker 0.1 s, abuser 18.0 s, clients 0.3 s, rest of machine 5.0 s in 20.1 s wall (2 cores: 90 % busy)`. */
function cpuLine(cpu: ReadonlyMap<string, number>, wallMs: number): string {
  const ours = ['server', 'media worker', 'abuser', 'clients'];
  const used = ours.map((name) => `${name} ${seconds(cpu.get(name) ?? 0)} s`);
  const machine = cpu.get('machine') ?? 0;
  const rest = machine - ours.reduce((sum, name) => sum + (cpu.get(name) ?? 0), 0);
  const cores = os.availableParallelism();
  const busy = wallMs > 0 ? (machine / (wallMs * cores)) * 100 : 0;
  return `cpu ${used.join(', ')}, rest of machine ${seconds(Math.max(0, rest))} s in ${seconds(wallMs)} s wall (${cores} cores: ${busy.toFixed(0)} % busy)`;
}

function probeLine(p: Probe): string {
  return p.ok ? `joined in ${ms(p.ms)} ms` : `refused: ${p.why}`;
}

function codes(errors: Readonly<Record<string, number>>): string {
  return Object.entries(errors)
    .sort((x, y) => y[1] - x[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
}

function tallyLine(t: Tally, durationMs: number): string {
  const rate = durationMs > 0 ? (t.sent * 1000) / durationMs : 0;
  const parts = [`${t.ok} accepted`, `${t.rateLimited} RATE_LIMITED`];
  const others = codes(t.errors);
  if (others) parts.push(others);
  if (t.unanswered > 0) parts.push(`${t.unanswered} unanswered (socket dropped or still in flight)`);
  return `${t.sent} sent (${rate.toFixed(0)}/s): ${parts.join(', ')}`;
}

/** Commands that got past the per-participant limit: accepted, or refused by the room's rules after it. */
function passedCommandLimit(report: AbuseReport): number {
  let passed = 0;
  for (const [kind, t] of Object.entries(report.commands)) {
    if (kind === 'junk') continue;
    // BAD_REQUEST is answered before the limit (parsing), NOT_JOINED too (a socket that lost the seat).
    const refusedAfter = Object.entries(t.errors)
      .filter(([code]) => code !== 'BAD_REQUEST' && code !== 'NOT_JOINED')
      .reduce((sum, [, n]) => sum + n, 0);
    passed += t.ok + refusedAfter;
  }
  return passed;
}

/** The most a participant may pass in `durationMs`: every 10 s window that can overlap it, full. */
function commandBudget(durationMs: number): number {
  return DEFAULT_LIMITS.commandsPer10s * (Math.ceil(durationMs / 10_000) + 1);
}

/** The most bad invites one address may have verified in `durationMs`: every minute that can overlap it, full. */
function failedJoinBudget(durationMs: number): number {
  return DEFAULT_LIMITS.failedJoinsPerMinutePerAddress * (Math.ceil(durationMs / 60_000) + 1);
}

function eventsLine(r: PhaseResult): string {
  const byType = new Map<string, number>();
  for (const e of r.events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  const types = [...byType].sort((x, y) => y[1] - x[1]).map(([type, n]) => `${type} ${n}`).join(', ');
  const rate = (r.events.length * 1000) / r.wallMs;
  const abuserRate = (r.abuserEvents * 1000) / r.wallMs;
  return `log +${r.events.length} events (${rate.toFixed(1)}/s; the abuser's ${r.abuserEvents}, ${abuserRate.toFixed(1)}/s)${types ? `: ${types}` : ''}`;
}

/** Prints one phase; answers the problems it found with the product. */
function reportPhase(r: PhaseResult): string[] {
  const problems: string[] = [];
  const h = r.honest;
  const s = summarize(h.latencies.length > 0 ? h.latencies : [NaN]);
  const failed = h.failures.length > 0 ? `, ${h.failures.length} FAILED (${[...new Set(h.failures.map((f) => f.message))].join('; ')})` : '';
  console.log(`${NAME}: [${r.plan.key}] ${r.plan.label}`);
  const slow = h.slowest.map((x) => `${ms(x.ms)} ms at ${seconds(x.atMs)} s`).join(', ');
  console.log(`${NAME}:   honest member ack ${percentiles(s)} max ${ms(s.max)} ms (${h.latencies.length} commands${failed}); slowest: ${slow}`);
  console.log(`${NAME}:   newcomer from ${HONEST_ADDRESS} ${probeLine(r.newcomer)}; newcomer from the stranger's ${STRANGER_ADDRESS} ${probeLine(r.stranger)}`);
  console.log(`${NAME}:   ${eventsLine(r)}`);
  console.log(`${NAME}:   ${cpuLine(r.cpu, r.wallMs)}; server ${r.serverUp ? 'up, /healthz ok' : 'DOWN or not answering /healthz'}`);
  if (h.failures.length > 0) problems.push(`[${r.plan.key}] ${h.failures.length} of the honest member's commands failed`);
  if (!r.serverUp) problems.push(`[${r.plan.key}] the server process is gone or does not answer /healthz`);
  if (!r.newcomer.ok) problems.push(`[${r.plan.key}] a newcomer from an innocent address was refused: ${r.newcomer.why}`);
  const a = r.report;
  if (!a) return problems;
  const d = a.durationMs;
  for (const [kind, t] of Object.entries(a.commands)) console.log(`${NAME}:   (a) ${kind.padEnd(14)} ${tallyLine(t, d)}`);
  const passed = passedCommandLimit(a);
  const budget = commandBudget(d);
  console.log(
    `${NAME}:   (a) past the per-participant limit: ${passed} commands in ${seconds(d)} s ` +
      `(${((passed * 1000) / d).toFixed(1)}/s; the limit allows at most ${budget}: ${DEFAULT_LIMITS.commandsPer10s} per 10 s window)`,
  );
  if (a.mode === 'several-sockets' || a.memberJoins.sent > 0) {
    const drops = codes(a.memberDrops);
    console.log(`${NAME}:   (a) member joins ${tallyLine(a.memberJoins, d)}; member sockets dropped while flooding: ${drops || 'none'}`);
  }
  // UNAUTHORIZED: the invite was verified and refused, each one a failed join of the stranger's address.
  const verified = a.forgedJoins.errors.UNAUTHORIZED ?? 0;
  const failedBudget = failedJoinBudget(d);
  console.log(
    `${NAME}:   (b) forged/expired joins ${tallyLine(a.forgedJoins, d)}; their sockets dropped by the server: ${a.forgedSocketDrops}; ` +
      `invites verified (UNAUTHORIZED) ${verified}, the failed-join limit allows at most ${failedBudget} (${DEFAULT_LIMITS.failedJoinsPerMinutePerAddress} per minute)`,
  );
  console.log(
    `${NAME}:   (c) idle sockets: ${a.idle.connected} connections made, ${a.idle.droppedByServer} closed by the server for not joining; ` +
      `failed connects (b, c): ${a.idle.connectErrors}`,
  );
  const retry = a.retryAfterMs ? `${a.retryAfterMs.min}–${a.retryAfterMs.max} ms` : 'none seen';
  const tallies = [...Object.values(a.commands), a.memberJoins, a.forgedJoins];
  const requests = tallies.reduce((sum, t) => sum + t.sent, 0);
  const serverMs = r.cpu.get('server') ?? 0;
  console.log(
    `${NAME}:   the abuser's ${requests} requests (${((requests * 1000) / d).toFixed(0)}/s) and ${a.idle.connected} idle connections took ` +
      `the server ${seconds(serverMs)} s of CPU (${((serverMs * 1000) / Math.max(1, requests)).toFixed(0)} µs a request, all included)`,
  );
  const withoutRetry = tallies.reduce((sum, t) => sum + t.rateLimitedWithoutRetry, 0);
  console.log(`${NAME}:   retryAfterMs of RATE_LIMITED answers: ${retry}; without one: ${withoutRetry}; member still in the room: ${a.memberStillJoined ? 'yes' : 'no'}`);
  if (withoutRetry > 0) problems.push(`[${r.plan.key}] ${withoutRetry} RATE_LIMITED answers without retryAfterMs`);
  if (verified > failedBudget) {
    problems.push(`[${r.plan.key}] ${verified} bad invites from one address were verified, the failed-join limit allows ${failedBudget}`);
  }
  if (passed > budget) problems.push(`[${r.plan.key}] ${passed} of the abuser's commands passed the per-participant limit, which allows ${budget}`);
  return problems;
}

async function setUp(env: Env, sockets: BenchSocket[]): Promise<Omit<Rig, 'env' | 'sockets' | 'abuser' | 'meter' | 'pollId'> & { memberInvite: string; roomId: string; inviteSecret: string }> {
  const inviteSecret = randomBytes(32).toString('hex');
  const server = await startBenchServer({ name: 's1', adminSecret: randomBytes(16).toString('hex'), env: { INVITE_SECRET: inviteSecret } });
  const api = { url: server.url, adminSecret: server.adminSecret };
  const { roomId, hostInvite } = await createRoom(api, env.ABUSE_MEMBERS + 12, { open: false });
  const [honestInvite, memberInvite, ...rest] = await issueInvites(api, roomId, 'member', 2 + env.ABUSE_MEMBERS + 8);
  if (honestInvite === undefined || memberInvite === undefined) throw new TypeError('too few invites');
  const host = await connect(server.url, HONEST_ADDRESS);
  sockets.push(host);
  const log = new RoomLog(host);
  await joinRoom(host, hostInvite, '主持人');
  const honest = await connect(server.url, HONEST_ADDRESS);
  sockets.push(honest);
  await joinRoom(honest, honestInvite, '诚实的委员');
  const others = rest.slice(0, env.ABUSE_MEMBERS);
  await inBatches(others, JOIN_CONCURRENCY, async (invite, i) => {
    const socket = await connect(server.url, HONEST_ADDRESS);
    sockets.push(socket);
    await joinRoom(socket, invite, `委员${i + 1}`);
  });
  return { server, host, honest, log, spareInvites: rest.slice(env.ABUSE_MEMBERS), memberInvite, roomId, inviteSecret };
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  // The abuser's sockets live in its own process, which has the same limit as this one.
  requireOpenFiles(env.ABUSE_IDLE_SOCKETS + env.ABUSE_JOIN_SOCKETS + env.ABUSE_MEMBER_SOCKETS + 256, NAME);
  startWatchdog(NAME, env.ABUSE_BUDGET_S * 1000);
  console.log(
    `${NAME}: ${env.ABUSE_PHASE_S} s phases, honest member at ${env.ABUSE_HONEST_RATE} commands/s, ${env.ABUSE_MEMBERS} other members; ` +
      `abuser: ${env.ABUSE_WINDOW} requests in flight per flooding socket, ${env.ABUSE_MEMBER_SOCKETS} member sockets, ` +
      `${env.ABUSE_JOIN_SOCKETS} forged-join sockets, ${env.ABUSE_IDLE_SOCKETS} idle sockets; ` +
      `${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (other work may share the machine)`,
  );
  const sockets: BenchSocket[] = [];
  let server: BenchServer | undefined;
  let abuser: AbuserProcess | undefined;
  const problems: string[] = [];
  let summary = '';
  try {
    const base = await setUp(env, sockets);
    server = base.server;
    abuser = await AbuserProcess.start({
      url: base.server.url,
      memberInvite: base.memberInvite,
      roomId: base.roomId,
      inviteSecret: base.inviteSecret,
      memberAddress: MEMBER_ADDRESS,
      strangerAddress: STRANGER_ADDRESS,
      window: env.ABUSE_WINDOW,
      memberSockets: env.ABUSE_MEMBER_SOCKETS,
      joinSockets: env.ABUSE_JOIN_SOCKETS,
      idleSockets: env.ABUSE_IDLE_SOCKETS,
    });
    const { host, log } = base;
    const command = async <T extends 'lobby:admitAll' | 'poll:create' | 'poll:open'>(type: T, fields: Omit<ClientCommandPayload<T>, 'commandId'>): Promise<WireEvent> =>
      log.event(seqOf(await request(host, type, { ...fields, commandId: randomUUID() })));
    await command('lobby:admitAll', {});
    const created = await command('poll:create', { question: '是否同意本轮议程？', kind: 'yesno' });
    const pollId = isRecord(created.data) && typeof created.data.pollId === 'string' ? created.data.pollId : null;
    if (created.type !== 'poll.created' || pollId === null) throw new TypeError('expected a poll.created event with a pollId');
    await command('poll:open', { pollId });

    const workers = await childPidsOf(base.server.pid);
    const pids = new Map<string, number>([
      ['server', base.server.pid],
      ['abuser', abuser.pid],
    ]);
    const [worker] = workers;
    if (worker !== undefined) pids.set('media worker', worker);
    const meter = new CpuMeter(pids);
    const rig: Rig = { ...base, env, sockets, abuser, meter, pollId };
    const honestSockets = [...sockets];
    const watch = failOnDisconnect(honestSockets, []);
    console.log(`${NAME}: processes:`);
    console.log(`${NAME}:   server pid ${base.server.pid} (server/main.ts, SQLite, default limits)${worker !== undefined ? `, its media worker pid ${worker}` : ''}`);
    console.log(
      `${NAME}:   this process pid ${process.pid}: host, honest member and ${env.ABUSE_MEMBERS} other members from ${HONEST_ADDRESS}, ` +
        `the newcomers, every measurement`,
    );
    console.log(
      `${NAME}:   abuser pid ${abuser.pid} (bench/lib/abuser.ts, niceness ${ABUSER_NICENESS}): (a) the abusive member from ${MEMBER_ADDRESS}, ` +
        `(b) forged/expired joins and (c) idle sockets from ${STRANGER_ADDRESS}`,
    );

    const plans: PhasePlan[] = [
      { key: '1 before', label: 'baseline: no abuse', flood: null },
      { key: '2 one socket', label: 'abuse: the member floods on its one socket; forged joins; idle sockets', flood: 'one-socket' },
      {
        key: '3 several sockets',
        label: `abuse: the member floods on ${env.ABUSE_MEMBER_SOCKETS} sockets of its invite; forged joins; idle sockets`,
        flood: 'several-sockets',
      },
      { key: '4 after', label: 'baseline again, after the abuse', flood: null },
    ];
    // Warm-up, not counted: the server's first commands of a kind pay for compiling their path.
    const warmUp = await honestStream(rig, WARM_UP_S);
    if (warmUp.failures.length > 0) throw new Error(`warm-up: ${warmUp.failures[0]?.message ?? ''}`);
    const results: PhaseResult[] = [];
    for (const plan of plans) {
      if (results.length > 0) await sleep(SETTLE_MS);
      const result = await runPhase(rig, plan);
      results.push(result);
      problems.push(...reportPhase(result));
    }
    watch.stop();
    const lost = watch.summary();
    if (lost) problems.push(`honest sockets were disconnected: ${lost}`);

    const [before, one, several, after] = results;
    if (!before || !one || !several || !after) throw new TypeError('a phase is missing');
    const p = (r: PhaseResult): { p50: number; p99: number } => summarize(r.honest.latencies.length > 0 ? r.honest.latencies : [NaN]);
    const b = p(before);
    const worst = Math.max(p(one).p99, p(several).p99);
    const abuse = [one, several];
    const accepted = abuse.reduce((sum, r) => sum + Object.values(r.report?.commands ?? {}).reduce((s, t) => s + t.ok, 0), 0);
    const limited = abuse.reduce((sum, r) => {
      const a = r.report;
      if (!a) return sum;
      return sum + [...Object.values(a.commands), a.memberJoins, a.forgedJoins].reduce((s, t) => s + t.rateLimited, 0);
    }, 0);
    const sent = abuse.reduce((sum, r) => {
      const a = r.report;
      if (!a) return sum;
      return sum + [...Object.values(a.commands), a.memberJoins, a.forgedJoins].reduce((s, t) => s + t.sent, 0);
    }, 0);
    const perS = (r: PhaseResult, n: number): string => ((n * 1000) / r.wallMs).toFixed(1);
    summary =
      `abuse: honest member's ack p99 ${ms(p(one).p99)} ms (one socket) and ${ms(p(several).p99)} ms (several sockets) under abuse vs ${ms(b.p99)} ms without: ` +
      `${times(p(one).p99, b.p99)}× and ${times(p(several).p99, b.p99)}× (goal ≤ 1.5×: ${worst <= 1.5 * b.p99 ? 'met' : 'NOT met'}); ` +
      `p50 ${ms(p(one).p50)} / ${ms(p(several).p50)} vs ${ms(b.p50)} ms; after the abuse p99 ${ms(p(after).p99)} ms (${times(p(after).p99, b.p99)}×); ` +
      `abuser: ${sent} requests, ${accepted} commands accepted, ${limited} RATE_LIMITED; ` +
      `server cpu ${seconds(before.cpu.get('server') ?? 0)} / ${seconds(one.cpu.get('server') ?? 0)} / ${seconds(several.cpu.get('server') ?? 0)} / ${seconds(after.cpu.get('server') ?? 0)} s per phase; ` +
      `log ${perS(before, before.events.length)} / ${perS(one, one.events.length)} / ${perS(several, several.events.length)} / ${perS(after, after.events.length)} events/s; ` +
      `server ${results.every((r) => r.serverUp) ? 'kept running' : 'DID NOT keep running'}`;
  } finally {
    await abuser?.close();
    // Server before the clients: their departures need not be recorded.
    await server?.stop();
    for (const socket of sockets) socket.disconnect();
  }
  for (const problem of problems) console.log(`${NAME}: FAILED: ${problem}`);
  console.log(summary);
  if (problems.length > 0) throw new Error(`${problems.length} problem(s) with the product under abuse (see the FAILED lines above)`);
}

main().catch((error: unknown) => {
  console.error(`${NAME}: failed:`, error);
  const reason = error instanceof Error ? error.message : String(error);
  console.log(`abuse: FAILED — ${reason}`);
  process.exitCode = 1;
});
