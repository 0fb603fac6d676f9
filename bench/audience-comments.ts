/**
 * Audience comments benchmark: what the live news of comments costs while a large audience
 * watches. A viewer is sent `comments:changed` only while its page shows the comments (the 留言
 * tab: `audience:comments`); before, every viewer was sent every change, and most of an audience
 * watches the 直播 tab, where the page shows none.
 *
 * Set-up: the real server as a process of its own (its CPU time, all threads, read from /proc);
 * one room with comments open, SEED approved comments and its host, who sends a queue:setOpen
 * every PROBE_MS (10 ms) from a thread of its own (lib/hostThread.ts), each timed from when it
 * was due; VIEWERS (1,000) public viewers joined with the public link, each from a loopback
 * address of its own. The public's load (lib/commentLoad.ts, a thread of its own): UPVOTES
 * (500) upvotes/s on the approved comments, each of which changes one, for SECONDS (15) a phase,
 * from browsers new to each phase (the load upvotes the same pairs in the same order each run).
 *
 * Phases, alternating, ROUNDS (2) of each, on the same server and audience:
 * - every viewer follows the comments (the baseline: what every viewer was sent before);
 * - SHARE (10 %) follow, as when the rest watch 直播.
 * Printed for each kind: the server's CPU time per second of load, its event-loop delay (p99 and
 * max of the worst phase, from prom-client's histogram on GET /metrics), the host's command
 * latency p50 / p99, and the messages and bytes received per viewer that follows and per viewer
 * that does not; then the ratios to the baseline. NOTE: the viewers' clients run in this process
 * on the same two cores: the news they parse (about 20 KB/s each here) slows the machine, and the
 * host's latency with it, as much as the server's own work does.
 *
 * Run under the heavy lock: flock /tmp/heavy.lock npm run bench bench/audience-comments.ts
 * (AC_VIEWERS, AC_SHARE, AC_SECONDS, AC_ROUNDS, AC_UPVOTES). Every client is on 127.0.0.1: the
 * per-address and per-browser limits are raised (printed).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PROTOCOL_VERSION } from '../signaling/protocol.js';
import { createRoom, issueInvites } from './lib/admin.js';
import { connect, inBatches, request, type BenchSocket } from './lib/clients.js';
import { runCommentLoad } from './lib/commentLoad.js';
import { processCpuMs } from './lib/cpuTime.js';
import { HostThread } from './lib/hostHandle.js';
import { describeLimits, HOST_BACK_TO_BACK, MANY_MEMBERS_ONE_ADDRESS, PUBLIC_ONE_ADDRESS } from './lib/oneAddress.js';
import { http, openComments, seedComments, type Api } from './lib/publicHttp.js';
import { startBenchServer, type BenchServer } from './lib/serverProcess.js';
import { ms, requireOpenFiles, startWatchdog, summarize, times } from './lib/stats.js';

const NAME = 'audience-comments';
const env = z
  .object({
    AC_VIEWERS: z.coerce.number().int().min(10).max(20_000).default(1000),
    AC_SHARE: z.coerce.number().min(0).max(1).default(0.1),
    AC_SECONDS: z.coerce.number().min(1).max(600).default(15),
    AC_ROUNDS: z.coerce.number().int().min(1).max(20).default(2),
    AC_UPVOTES: z.coerce.number().min(1).max(20_000).default(500),
  })
  .parse(process.env);

const SEED = 50;
const PROBE_MS = 10;
const LIMITS = { ...MANY_MEMBERS_ONE_ADDRESS, ...HOST_BACK_TO_BACK, ...PUBLIC_ONE_ADDRESS, LIMIT_JOINS_PER_SECOND_PER_INVITE: '1000000' };

type Viewer = { socket: BenchSocket; following: boolean; messages: number; bytes: number };
type Kind = { label: string; share: number; cpuMs: number; seconds: number; probes: number[]; loopLagMaxMs: number[]; loopLagP99Ms: number[]; following: { messages: number; bytes: number; viewerPhases: number }; watching: { messages: number; bytes: number; viewerPhases: number } };

/** Each viewer follows the comments or not, as `share` says (the first ones follow). */
async function follow(viewers: Viewer[], share: number): Promise<void> {
  const following = Math.round(viewers.length * share);
  await inBatches(viewers, 100, async (v, i) => {
    const wanted = i < following;
    if (v.following === wanted) return;
    await request(v.socket, 'audience:comments', { follow: wanted });
    v.following = wanted;
  });
}

/**
 * The server's event-loop delay since the last scrape (prom-client's default metrics, read from
 * GET /metrics: each scrape resets the histogram), its p99 and max, ms.
 */
async function loopLag(server: BenchServer, secret: string): Promise<{ p99: number; max: number }> {
  const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${secret}` } });
  const text = await res.text();
  const read = (name: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    if (line === undefined) throw new Error(`no ${name} in /metrics (${res.status})`);
    return Number(line.split(' ')[1]) * 1000;
  };
  return { p99: read('nodejs_eventloop_lag_p99_seconds'), max: read('nodejs_eventloop_lag_max_seconds') };
}

/** `count` new browsers (their cookies): the load upvotes (browser, comment) pairs in the same order each run, and a repeated pair changes nothing. */
function newBrowsers(api: Api, count: number): Promise<string[]> {
  return inBatches(Array.from({ length: count }), 20, async () => {
    const { cookie } = await http(api, 'GET', `/comments/${api.roomId}`);
    if (cookie === undefined) throw new Error('no browser cookie');
    return cookie;
  });
}

type Load = Omit<Parameters<typeof runCommentLoad>[0], 'durationMs' | 'cookies'>;

/** One phase: the upvote load (by new browsers) for `seconds` while the host probes; adds what it cost to `kind`. */
async function phase(server: BenchServer, metricsSecret: string, host: HostThread, api: Api, load: Load, viewers: Viewer[], kind: Kind): Promise<void> {
  const cookies = await newBrowsers(api, Math.ceil((load.upvotesPerSecond * env.AC_SECONDS) / load.targets.length) + 1);
  await follow(viewers, kind.share);
  for (const v of viewers) v.messages = v.bytes = 0;
  await loopLag(server, metricsSecret);
  const before = await processCpuMs(server.pid);
  const started = performance.now();
  host.startProbe(PROBE_MS);
  const result = await runCommentLoad({ ...load, cookies, durationMs: env.AC_SECONDS * 1000 });
  kind.probes.push(...(await host.stopProbe()));
  // The last coalesced news (at most one pause after the last upvote) reaches the viewers.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await processCpuMs(server.pid);
  const lag = await loopLag(server, metricsSecret);
  kind.loopLagMaxMs.push(lag.max);
  kind.loopLagP99Ms.push(lag.p99);
  if (before === null || after === null) throw new Error('cannot read the server process’s CPU time from /proc');
  kind.cpuMs += after - before;
  kind.seconds += (performance.now() - started) / 1000;
  const failed = Object.values(result.failures).reduce((a, b) => a + b, 0);
  if (failed > 0) throw new Error(`upvotes failed: ${JSON.stringify(result.failures)}`);
  for (const v of viewers) {
    const sum = v.following ? kind.following : kind.watching;
    sum.messages += v.messages;
    sum.bytes += v.bytes;
    sum.viewerPhases += 1;
  }
}

async function main(): Promise<void> {
  startWatchdog(NAME, 30 * 60_000);
  requireOpenFiles(2 * env.AC_VIEWERS + 300, NAME);
  console.log(`${NAME}: ${env.AC_VIEWERS} viewers; ${env.AC_UPVOTES} upvotes/s for ${env.AC_SECONDS} s a phase, ${env.AC_ROUNDS} rounds; the host sends a command every ${PROBE_MS} ms`);
  console.log(`${NAME}: the server gets ${describeLimits(LIMITS)} (every client is on 127.0.0.1)`);
  const adminSecret = randomBytes(24).toString('base64url');
  const metricsSecret = randomBytes(24).toString('hex');
  const server = await startBenchServer({ name: NAME, adminSecret, env: { ...LIMITS, LOG_LEVEL: 'warn', METRICS_SECRET: metricsSecret } });
  const viewers: Viewer[] = [];
  let host: HostThread | null = null;
  try {
    const { roomId, hostInvite } = await createRoom(server, 1, { open: true });
    await openComments(server, roomId);
    const [link] = await issueInvites(server, roomId, 'public', 1);
    if (!link) throw new Error('no public link');
    const publicApi: Api = { url: server.url, roomId, token: link };
    const targets = await seedComments(publicApi, { url: server.url, roomId, token: hostInvite }, SEED);
    host = (await HostThread.join({ url: server.url, invite: hostInvite, name: '主持人' })).host;
    viewers.push(
      ...(await inBatches(Array.from({ length: env.AC_VIEWERS }, (_, i) => i), 50, async (n) => {
        // A crowd comes from many addresses: each viewer from a loopback address of its own.
        const socket = await connect(server.url, `127.${1 + Math.floor(n / 62_500)}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`);
        const viewer: Viewer = { socket, following: false, messages: 0, bytes: 0 };
        socket.on('comments:changed', (data: unknown) => {
          viewer.messages += 1;
          viewer.bytes += JSON.stringify(data).length;
        });
        await request(socket, 'audience:join', { protocolVersion: PROTOCOL_VERSION, invite: link });
        return viewer;
      })),
    );
    console.log(`${NAME}: ${viewers.length} viewers joined, ${SEED} approved comments`);
    const load: Load = { url: server.url, roomId, token: link, targets, commentsPerSecond: 1, upvotesPerSecond: env.AC_UPVOTES };
    const kind = (label: string, share: number): Kind => ({ label, share, cpuMs: 0, seconds: 0, probes: [], loopLagMaxMs: [], loopLagP99Ms: [], following: { messages: 0, bytes: 0, viewerPhases: 0 }, watching: { messages: 0, bytes: 0, viewerPhases: 0 } });
    const everyone = kind('every viewer follows (baseline: as before)', 1);
    const some = kind(`${Math.round(env.AC_SHARE * 100)} % follow, the rest watch 直播`, env.AC_SHARE);
    // Unmeasured: warms the server's code and statements.
    await phase(server, metricsSecret, host, publicApi, { ...load, upvotesPerSecond: Math.min(100, env.AC_UPVOTES) }, viewers, kind('warm-up', 1));
    for (let r = 0; r < env.AC_ROUNDS; r++) for (const k of r % 2 === 0 ? [everyone, some] : [some, everyone]) await phase(server, metricsSecret, host, publicApi, load, viewers, k);

    const figures = (k: Kind) => {
      const probe = summarize(k.probes);
      const per = (s: Kind['following']) => (s.viewerPhases === 0 ? null : { messages: s.messages / s.viewerPhases, kb: s.bytes / s.viewerPhases / 1024 });
      return { cpuPerS: k.cpuMs / k.seconds, probe, lagMax: Math.max(...k.loopLagMaxMs), lagP99: Math.max(...k.loopLagP99Ms), following: per(k.following), watching: per(k.watching) };
    };
    const e = figures(everyone);
    const s = figures(some);
    for (const [k, f] of [[everyone, e], [some, s]] as const) {
      const received = (label: string, r: ReturnType<typeof figures>['following']) => (r ? `${label} ${r.messages.toFixed(1)} messages, ${r.kb.toFixed(0)} KB` : null);
      console.log(
        `${NAME}: ${k.label}: server CPU ${f.cpuPerS.toFixed(0)} ms per s; event-loop delay p99 ${ms(f.lagP99)} ms, max ${ms(f.lagMax)} ms; ` +
          `host command p50 ${ms(f.probe.p50)} ms, p99 ${ms(f.probe.p99)} ms; per viewer and phase: ` +
          [received('following', f.following), received('watching', f.watching)].filter((x) => x !== null).join('; '),
      );
    }
    console.log(
      `${NAME}: ${some.label}, against every viewer following: server CPU ${times(s.cpuPerS, e.cpuPerS)}×, event-loop delay max ${times(s.lagMax, e.lagMax)}×, ` +
        `host command p99 ${times(s.probe.p99, e.probe.p99)}×, p50 ${times(s.probe.p50, e.probe.p50)}×`,
    );
  } finally {
    for (const v of viewers) v.socket.disconnect();
    await host?.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`${NAME}: failed:`, error);
  process.exitCode = 1;
});
