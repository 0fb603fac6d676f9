/**
 * Observability benchmark: what Prometheus metrics and JSON logs cost the signaling fan-out and
 * the vote storm, with them on and off side by side in one run (goal: on / off ≤ 1.05×).
 *
 * Run it with `npm run bench -- bench/observability.ts` (a few minutes on 2 idle cores). Two
 * server processes (`node --import tsx server/main.ts`, lib/serverProcess.ts), each with the
 * embedded SQLite store, one media worker and its own room (lib/clusterRig.ts, the set-up of
 * bench/runtime.ts: OBS_CLIENTS members wait in the lobby of a closed room without media and
 * are admitted by the host); each server's stdout and stderr go to a file, as a log collector
 * would take them:
 *   - off: no METRICS_* setting (no metric is made, no hook runs) and LOG_LEVEL=silent;
 *   - on:  METRICS_SECRET set and GET /metrics scraped every OBS_SCRAPE_MS (1 s) during the
 *          whole run, and LOG_LEVEL=info in the default format (JSON lines).
 * Measured against each, with lib/variants.ts (as bench/runtime.ts):
 *   - vote storm, once per round: a yes/no poll for all members; OBS_VOTERS of them vote within
 *     OBS_SPREAD_MS. Vote ack p50/p99, votes/s, drain, and the server process's CPU time per
 *     acked vote. The published result must count every acked vote, or the run fails;
 *   - signaling fan-out: OBS_COMMANDS host commands per round, one at a time, each timed from
 *     its emit to its `room:events` at every member, and the server's CPU time per command.
 * Rounds alternate which variant storms first (off, on / on, off / …) and the fan-out commands
 * alternate between the variants one by one, so the machine's noise falls on both alike; a
 * warm-up storm and a few commands per variant come first and are not counted.
 *
 * Reading it: the last line gives on / off per figure. The server CPU per vote and per command
 * are the steadier figures (latencies on 2 busy cores move by more than 5 % from round to
 * round); each is marked against the goal. The scrape line shows the scrapes really happened
 * and what each cost; the log line how much the "on" server wrote.
 *
 * Limits: every client connects from 127.0.0.1, so both servers get the same few LIMIT_*
 * raised (lib/oneAddress.ts, printed at the start); every other setting is the default.
 *
 * Environment (optional): OBS_CLIENTS (300 members per room), OBS_VOTERS (300), OBS_SPREAD_MS
 * (1000), OBS_ROUNDS (4), OBS_COMMANDS (30 per variant and round), OBS_SCRAPE_MS (1000),
 * OBS_BUDGET_S (900: the watchdog).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { BenchSocket } from './lib/clients.js';
import { RoomRig } from './lib/clusterRig.js';
import { CpuMeter } from './lib/cpuTime.js';
import { describeLimits, HOST_BACK_TO_BACK, MANY_MEMBERS_ONE_ADDRESS } from './lib/oneAddress.js';
import { startBenchServer, type BenchServer } from './lib/serverProcess.js';
import { ms, requireOpenFiles, startWatchdog, summarize, times } from './lib/stats.js';
import { emptyCpu, fanOutRound, figuresOf, printFigures, ratioLine, seconds, voteRound, type Variant } from './lib/variants.js';

const NAME = 'observability';
const Env = z
  .object({
    OBS_CLIENTS: z.coerce.number().int().min(2).max(3000).default(300),
    OBS_VOTERS: z.coerce.number().int().min(1).max(3000).default(300),
    OBS_SPREAD_MS: z.coerce.number().int().min(1).max(60_000).default(1000),
    OBS_ROUNDS: z.coerce.number().int().min(1).max(20).default(4),
    OBS_COMMANDS: z.coerce.number().int().min(1).max(1000).default(30),
    OBS_SCRAPE_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    OBS_BUDGET_S: z.coerce.number().min(30).max(3600).default(900),
  })
  .refine((e) => e.OBS_VOTERS <= e.OBS_CLIENTS, { message: 'OBS_VOTERS must not exceed OBS_CLIENTS' });

const LIFTED_LIMITS = { ...MANY_MEMBERS_ONE_ADDRESS, ...HOST_BACK_TO_BACK };
const WARMUP_VOTERS = 100;
const WARMUP_COMMANDS = 6;
const GOAL = 1.05;
const OFF = 'metrics+logs off';
const ON = 'metrics+logs on';
/** Besides each variant's server: this process (the clients). */
const OTHERS = ['clients'];

/** Scrapes GET /metrics at a steady rhythm, as Prometheus would, and keeps what it cost. */
class Scraper {
  readonly #timer: NodeJS.Timeout;
  readonly durations: number[] = [];
  readonly failures: string[] = [];
  bytes = 0;
  last = '';
  #inFlight = false;

  constructor(url: string, secret: string, everyMs: number) {
    this.#timer = setInterval(() => {
      // Prometheus does not start a scrape of a target while the previous one runs.
      if (this.#inFlight) return;
      this.#inFlight = true;
      const start = performance.now();
      fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${secret}` } })
        .then(async (response) => {
          const body = await response.text();
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          this.durations.push(performance.now() - start);
          this.bytes += body.length;
          this.last = body;
        })
        .catch((error: unknown) => this.failures.push(error instanceof Error ? error.message : String(error)))
        .finally(() => {
          this.#inFlight = false;
        });
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** A sample's value in the exposition (0 when absent). */
function sampleOf(exposition: string, series: string): number {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const n = env.OBS_CLIENTS;
  const voters = env.OBS_VOTERS;
  requireOpenFiles(2 * 2 * (n + 1) + 256, NAME);
  startWatchdog(NAME, env.OBS_BUDGET_S * 1000);
  console.log(
    `${NAME}: ${n} members per room, ${voters} voters within ${env.OBS_SPREAD_MS} ms, ${env.OBS_ROUNDS} rounds, ` +
      `${env.OBS_COMMANDS} fan-out commands per variant and round, a scrape every ${env.OBS_SCRAPE_MS} ms; ` +
      `${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(`${NAME}: both servers get ${describeLimits(LIFTED_LIMITS)} (every client connects from 127.0.0.1); every other setting is the default`);

  const logDir = mkdtempSync(path.join(os.tmpdir(), 'wsl-bench-logs-'));
  const servers: BenchServer[] = [];
  const sockets: BenchSocket[] = [];
  let scraper: Scraper | undefined;
  let ok = false;
  try {
    const startedAt = performance.now();
    const adminSecret = randomBytes(16).toString('hex');
    const metricsSecret = randomBytes(24).toString('hex');
    const start = async (name: string, env: Record<string, string>): Promise<BenchServer> => {
      const server = await startBenchServer({ name, adminSecret, env: { ...env, ...LIFTED_LIMITS }, logFile: path.join(logDir, `${name}.log`) });
      servers.push(server);
      return server;
    };
    const off = await start('off', { LOG_LEVEL: 'silent' });
    const on = await start('on', { LOG_LEVEL: 'info', METRICS_SECRET: metricsSecret });
    const meter = new CpuMeter(
      new Map([
        [OFF, off.pid],
        [ON, on.pid],
      ]),
    );
    const variants: Variant[] = [];
    for (const [key, server] of [
      [OFF, off],
      [ON, on],
    ] as const) {
      const joinStart = performance.now();
      const rig = await RoomRig.open(key, [server], n, sockets);
      variants.push({ key, server, rig, votes: [], fanOuts: [], voteCpu: emptyCpu(), fanCpu: emptyCpu() });
      console.log(`${NAME}: (${key}) ${n} members joined and admitted in ${seconds(performance.now() - joinStart)} s`);
    }
    const [a, b] = variants;
    if (!a || !b) throw new TypeError('two variants expected');
    scraper = new Scraper(on.url, metricsSecret, env.OBS_SCRAPE_MS);
    const logBytesFrom = statSync(path.join(logDir, 'on.log')).size;

    console.log(`${NAME}: warm-up (not counted)`);
    for (const v of variants) {
      await voteRound(NAME, v, meter, -1, Math.min(WARMUP_VOTERS, voters), Math.min(200, env.OBS_SPREAD_MS), OTHERS);
      for (let i = 0; i < WARMUP_COMMANDS; i++) await v.rig.fanOut();
    }
    for (let round = 0; round < env.OBS_ROUNDS; round++) {
      const order = round % 2 === 0 ? [a, b] : [b, a];
      console.log(`${NAME}: round ${round + 1}: vote storms in the order ${order.map((v) => v.key).join(', ')}`);
      for (const v of order) await voteRound(NAME, v, meter, round, voters, env.OBS_SPREAD_MS, OTHERS);
      await fanOutRound(order, meter, env.OBS_COMMANDS);
      console.log(`${NAME}:   ${env.OBS_COMMANDS} fan-out commands per variant done`);
    }
    scraper.stop();
    const lost = variants.map((v) => v.rig.disconnects()).filter((s) => s !== '');
    if (lost.length > 0) throw new Error(`clients were disconnected: ${lost.join('; ')}`);
    for (const v of variants) v.rig.stopWatching();

    const [fOff, fOn] = [figuresOf(a), figuresOf(b)];
    console.log(`${NAME}: results (${voters} voters per storm, ${n} members per room)`);
    const okOff = printFigures(NAME, a, fOff, voters, OTHERS);
    const okOn = printFigures(NAME, b, fOn, voters, OTHERS);
    ok = okOff && okOn;

    // The "on" server really measured and logged, the "off" one did not.
    const scrapes = summarize(scraper.durations);
    const votesSeen = sampleOf(scraper.last, 'wsl_command_duration_seconds_count{command="poll:vote"}');
    console.log(
      `${NAME}: scrapes of ${ON}: ${scrapes.n} in ${seconds(performance.now() - startedAt)} s, p50 ${ms(scrapes.p50)} ms p99 ${ms(scrapes.p99)} ms, ` +
        `${(scraper.bytes / Math.max(1, scrapes.n) / 1024).toFixed(1)} KiB each, ${scraper.failures.length} failed; ` +
        `its last scrape counts ${votesSeen} poll:vote commands`,
    );
    const onLog = readFileSync(path.join(logDir, 'on.log'), 'utf8');
    const jsonLines = onLog.split('\n').filter((line) => line.startsWith('{')).length;
    const offBytes = statSync(path.join(logDir, 'off.log')).size;
    console.log(
      `${NAME}: logs: ${ON} wrote ${jsonLines} JSON lines in all (${((Buffer.byteLength(onLog) - logBytesFrom) / 1024).toFixed(1)} KiB during the rounds); ` +
        `${OFF} wrote ${offBytes} bytes`,
    );
    if (scraper.failures.length > 0 || votesSeen === 0) {
      ok = false;
      console.log(`${NAME}: FAILED: the metrics were not scraped as intended (${scraper.failures.slice(0, 3).join('; ') || 'no poll:vote counted'})`);
    }
    const goal = (ratio: number): string => (ratio <= GOAL ? `within ${GOAL}×` : `ABOVE ${GOAL}×`);
    console.log(
      `${NAME}: goal: server CPU per vote ${times(fOn.cpuPerVote, fOff.cpuPerVote)}× (${goal(fOn.cpuPerVote / fOff.cpuPerVote)}), ` +
        `per fan-out command ${times(fOn.cpuPerCommand, fOff.cpuPerCommand)}× (${goal(fOn.cpuPerCommand / fOff.cpuPerCommand)}), ` +
        `vote ack p50 ${times(fOn.ack.p50, fOff.ack.p50)}× (${goal(fOn.ack.p50 / fOff.ack.p50)}), fan-out p50 ${times(fOn.fan.p50, fOff.fan.p50)}× (${goal(fOn.fan.p50 / fOff.fan.p50)})`,
    );
    console.log(`observability: on / off: ${ratioLine(fOn, fOff, n)}`);
    console.log(`${NAME}: done in ${seconds(performance.now() - startedAt)} s, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    scraper?.stop();
    // Servers first: clients leaving one by one would each be fanned out to the rest.
    await Promise.all(servers.map((s) => s.stop()));
    for (const socket of sockets) socket.disconnect();
    rmSync(logDir, { recursive: true, force: true });
  }
  if (!ok) throw new Error('votes failed, events were lost or repeated, or the metrics were not scraped (see the FAILED lines above)');
}

main().catch((error: unknown) => {
  console.error(`${NAME}: failed:`, error);
  const reason = error instanceof Error ? error.message : String(error);
  console.log(`observability: FAILED — ${reason}`);
  process.exitCode = 1;
});
