/**
 * Audience benchmark (issue 13): public viewers join one consultation with its public link,
 * as a crowd does after a QR code is shown — Socket.IO clients, AUDIENCE_BATCH at a time, no
 * WebRTC on their side (a phone's program transport is made when it asks to watch, which these
 * clients do not; bench/audience-media.ts measures the program's consumers).
 * The room has a host and AUDIENCE_MEMBERS members in it.
 *
 * Compared in the same run with a bare Socket.IO server (lib/bareAudienceServer.ts, a process
 * of its own with the product's engine settings) answering the same `audience:join` with the
 * same answer and nothing else:
 * - joins/s for AUDIENCE_VIEWERS viewers, connect to ack (goal: ≥ 0.8× bare);
 * - the host's command latency while they arrive, against the same room without arrivals just
 *   before (goal: p99 ≤ 1.5×). The host sends a queue:setOpen every AUDIENCE_PROBE_MS (10 ms)
 *   whether answered or not, each timed from when it was due (lib/hostThread.ts): PROBE_COMMANDS
 *   in the quiet window, and as many while crowds arrive — the crowd leaves and arrives again
 *   (fresh connections) until the host has sent that many during arrivals, since one crowd's
 *   arrival lasts a few seconds. A p99 over the hundred commands of one arrival was one stall;
 *   a faster rate to fit more commands into one arrival made the host's own commands the load
 *   (at 1.5 ms apart they queued behind each other's disk syncs, p99 ~30 ms without arrivals,
 *   and cut the crowd's joins/s by a third). The host runs in a worker thread of its own, as
 *   the chair's computer is apart from the crowd's phones: its acks do not wait behind the
 *   crowd's clients in this thread;
 * - server memory per viewer: the growth of the server process's heap over the viewers, read
 *   right after a full collection (lib/heapReading.ts: five readings, their median), against
 *   the bare server's per connection (goal: ≤ 1.3×); RSS growth printed beside it;
 * - events per viewer at 500 and at AUDIENCE_VIEWERS viewers: what each viewer receives for
 *   the same meeting activity (six floor changes), and from its arrival until the crowd is in
 *   (goal: independent of the audience size).
 *
 * AUDIENCE_CROWD_AT_BARE=1: while the host's commands go to the product, the crowd arrives at the
 * bare server, a process of its own, instead. The host then waits only for the machine's cores,
 * which the crowd's clients and its server share with it: the best the host's p99 could be if
 * the audience were served by another process. Only joins/s and the host's latency are printed.
 *
 * Run under the heavy lock: flock /tmp/heavy.lock npm run bench bench/audience.ts
 * (AUDIENCE_VIEWERS=2000, AUDIENCE_BATCH=50, AUDIENCE_MEMBERS=10). Every client comes from
 * 127.0.0.1: the per-address limits are raised (and printed), each viewer connects from a
 * loopback address of its own; the public link's joins per second are raised too, so that the
 * batch, not the limit, sets the pace.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { PROTOCOL_VERSION } from '../signaling/protocol.js';
import { createRoom, issueInvites } from './lib/admin.js';
import { connect, inBatches, isRecord, request, type BenchSocket } from './lib/clients.js';
import { HostThread } from './lib/hostHandle.js';
import { describeLimits, HOST_BACK_TO_BACK, MANY_MEMBERS_ONE_ADDRESS } from './lib/oneAddress.js';
import { forgetHeapProbe, HEAP_PROBE_ARGS, heapOf, type Heap } from './lib/heapReading.js';
import { startBenchServer } from './lib/serverProcess.js';
import { ms, requireOpenFiles, startWatchdog, summarize, times } from './lib/stats.js';

const env = z
  .object({
    AUDIENCE_VIEWERS: z.coerce.number().int().min(500).default(2000),
    AUDIENCE_BATCH: z.coerce.number().int().min(1).default(50),
    AUDIENCE_MEMBERS: z.coerce.number().int().min(2).default(10),
    AUDIENCE_BUDGET_S: z.coerce.number().int().min(60).default(900),
    /**
     * Where the server keeps its data. NOTE: in memory (tmpfs) by default: each of the host's
     * commands is synced to the disk before its ack, and on a disk that other work shares a
     * sync took from under a millisecond to 100 ms, in either window alike; what is compared here
     * is what the crowd costs the host. AUDIENCE_DATA_DIR=/tmp to include the disk.
     */
    AUDIENCE_DATA_DIR: z.string().default(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir()),
    /** The host's command interval, ms. */
    AUDIENCE_PROBE_MS: z.coerce.number().positive().default(10),
    /** The crowd arrives at the bare server while the host probes ours (see the top). */
    AUDIENCE_CROWD_AT_BARE: z.enum(['0', '1']).default('0').transform((v) => v === '1'),
  })
  .parse(process.env);

const FIRST = 500;
/** Commands the host sends in the quiet window (and at least as many while crowds arrive). */
const PROBE_COMMANDS = 1200;
/** The most arrivals of the crowd for the host's commands (the first, in two waves, included). */
const MAX_ARRIVALS = 10;
/** The production rhythm of the counts (config.ts AUDIENCE_COUNTS_MS). */
const COUNTS_MS = 3000;
const LIMITS = {
  ...MANY_MEMBERS_ONE_ADDRESS,
  ...HOST_BACK_TO_BACK,
  LIMIT_JOINS_PER_SECOND_PER_INVITE: '1000000',
};

type Viewer = { socket: BenchSocket; events: number; withMedia: boolean };

const sleep = (msToWait: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msToWait));

/** A process's resident memory, in KB (Linux). */
function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** The process's memory once it has settled: heap after a full collection (median of five), and RSS. */
async function settled(pid: number): Promise<Heap & { rssKb: number }> {
  await sleep(2000);
  const rss = rssKb(pid);
  return { ...(await heapOf(pid)), rssKb: rss };
}

/** `count` viewers join, `batch` at a time; answers them, the time it took and the latency of each join. */
async function arrive(url: string, invite: string, count: number, batch: number, from = 0): Promise<{ viewers: Viewer[]; seconds: number; firstAnswer: unknown }> {
  let firstAnswer: unknown = null;
  const started = performance.now();
  const viewers = await inBatches(
    Array.from({ length: count }, (_, i) => i),
    batch,
    async (i) => {
      // NOTE: a crowd comes from many addresses, and the server checks at most 10 invites of one
      // address at a time: each viewer gets its own loopback address (any 127.x.y.z reaches 127.0.0.1).
      const n = from + i;
      const socket = await connect(url, `127.${1 + Math.floor(n / 62_500)}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`);
      const viewer: Viewer = { socket, events: 0, withMedia: false };
      socket.onAny(() => {
        viewer.events += 1;
      });
      const answer = await request(socket, 'audience:join', { protocolVersion: PROTOCOL_VERSION, invite });
      firstAnswer ??= answer;
      viewer.withMedia = isRecord(answer) && answer.media !== null && answer.media !== undefined;
      return viewer;
    },
  );
  return { viewers, seconds: (performance.now() - started) / 1000, firstAnswer };
}

/** Six floor changes, each in a batch of its own; answers the events each viewer got meanwhile. */
async function floorChanges(host: HostThread, speakers: string[], viewers: Viewer[]): Promise<number> {
  const before = viewers.map((v) => v.events);
  for (let i = 0; i < 6; i++) {
    const speaker = speakers[i % speakers.length];
    if (speaker === undefined) throw new TypeError('no speakers');
    await host.grant(speaker, 60, `grant-${viewers.length}-${i}-${Date.now()}`);
    await sleep(400);
  }
  // One counts round after, so that a round's view falls in every measurement alike.
  await sleep(COUNTS_MS + 500);
  const got = viewers.map((v, i) => v.events - (before[i] ?? 0));
  return got.reduce((a, b) => a + b, 0) / got.length;
}

/** The bare baseline as a process: answers like the product did. */
async function startBare(answer: unknown): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...HEAP_PROBE_ARGS, path.resolve('bench/lib/bareAudienceServer.ts')], {
    env: { ...process.env, BARE_ANSWER: JSON.stringify(answer) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m?.[1]) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`bare server exited (${code})`)));
  });
  if (child.pid === undefined) throw new Error('bare server: no pid');
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill('SIGKILL') };
}

async function main(): Promise<void> {
  startWatchdog('audience', env.AUDIENCE_BUDGET_S * 1000);
  requireOpenFiles(2 * env.AUDIENCE_VIEWERS + 200, 'audience');
  console.log(`audience: ${env.AUDIENCE_VIEWERS} viewers, ${env.AUDIENCE_BATCH} at a time; a host and ${env.AUDIENCE_MEMBERS} members`);
  console.log(`raised limits (one address for every client): ${describeLimits(LIMITS)}`);
  console.log(`the server's data in ${env.AUDIENCE_DATA_DIR}; the host sends a command every ${env.AUDIENCE_PROBE_MS} ms`);
  const server = await startBenchServer({ name: 'ours', adminSecret: 'bench-admin-secret-audience', env: LIMITS, nodeArgs: HEAP_PROBE_ARGS, dataParent: env.AUDIENCE_DATA_DIR });
  const sockets: BenchSocket[] = [];
  let host: HostThread | null = null;
  let bare: Awaited<ReturnType<typeof startBare>> | null = null;
  try {
    const { roomId, hostInvite } = await createRoom(server, env.AUDIENCE_MEMBERS, { open: true });
    const join = async (invite: string, name: string): Promise<{ socket: BenchSocket; id: string }> => {
      const socket = await connect(server.url);
      sockets.push(socket);
      const joined = await request(socket, 'room:join', { protocolVersion: PROTOCOL_VERSION, invite, name, rtpCapabilities: {} });
      if (!isRecord(joined) || typeof joined.participantId !== 'string') throw new TypeError('room:join: malformed answer');
      return { socket, id: joined.participantId };
    };
    host = (await HostThread.join({ url: server.url, invite: hostInvite, name: '主持人' })).host;
    const members = await inBatches(await issueInvites(server, roomId, 'member', env.AUDIENCE_MEMBERS), 5, (invite, i) => join(invite, `委员${i + 1}`));
    const speakers = members.slice(0, 2).map((m) => m.id);
    const [link] = await issueInvites(server, roomId, 'public', 1);
    if (!link) throw new Error('no public link');

    // The answer the bare server repeats: the product's own, for one viewer.
    const sample = await arrive(server.url, link, 1, 1);
    for (const v of sample.viewers) v.socket.disconnect();

    // Baseline: the bare server, alone on the machine's cores.
    bare = await startBare(sample.firstAnswer);
    const bareBefore = await settled(bare.pid);
    const bareRun = await arrive(bare.url, link, env.AUDIENCE_VIEWERS, env.AUDIENCE_BATCH);
    const bareAfter = await settled(bare.pid);
    for (const v of bareRun.viewers) v.socket.disconnect();
    const crowdElsewhere = env.AUDIENCE_CROWD_AT_BARE;
    const crowdUrl = crowdElsewhere ? bare.url : server.url;
    if (!crowdElsewhere) {
      bare.stop();
      forgetHeapProbe(bare.pid);
      bare = null;
    }
    const bareJoinsPerS = env.AUDIENCE_VIEWERS / bareRun.seconds;

    // The host's commands in the room without arrivals.
    const probeMs = env.AUDIENCE_PROBE_MS;
    host.startProbe(probeMs);
    await sleep(PROBE_COMMANDS * probeMs);
    const quietSamples = await host.stopProbe();
    const quiet = summarize(quietSamples);

    const oursBefore = await settled(server.pid);
    // The crowd arrives in two waves: 500, the activity, then the rest, the activity again.
    host.startProbe(probeMs);
    const first = await arrive(crowdUrl, link, FIRST, env.AUDIENCE_BATCH);
    const busyFirst = await host.stopProbe();
    await sleep(COUNTS_MS + 500);
    const arrivalEvents500 = first.viewers.reduce((a, v) => a + v.events, 0) / first.viewers.length;
    const at500 = crowdElsewhere ? NaN : await floorChanges(host, speakers, first.viewers);

    host.startProbe(probeMs);
    const rest = await arrive(crowdUrl, link, env.AUDIENCE_VIEWERS - FIRST, env.AUDIENCE_BATCH, FIRST);
    const busySamples = [...busyFirst, ...(await host.stopProbe())];
    await sleep(COUNTS_MS + 500);
    const all = [...first.viewers, ...rest.viewers];
    const arrivalEventsAll = rest.viewers.reduce((a, v) => a + v.events, 0) / rest.viewers.length;
    const atAll = crowdElsewhere ? NaN : await floorChanges(host, speakers, all);
    const oursAfter = await settled(server.pid);
    sockets.push(...all.map((v) => v.socket));

    // The crowd leaves and arrives again until the host has sent as many commands during
    // arrivals as without: each time on a settled server (the departures counted in a round).
    let arrivals = 1;
    let crowd = all;
    let arrivalSeconds = first.seconds + rest.seconds;
    while (busySamples.length < quietSamples.length && arrivals < MAX_ARRIVALS) {
      for (const v of crowd) v.socket.disconnect();
      await sleep(COUNTS_MS + 500);
      host.startProbe(probeMs);
      const again = await arrive(crowdUrl, link, env.AUDIENCE_VIEWERS, env.AUDIENCE_BATCH);
      busySamples.push(...(await host.stopProbe()));
      sockets.push(...again.viewers.map((v) => v.socket));
      crowd = again.viewers;
      arrivals += 1;
      arrivalSeconds += again.seconds;
    }
    const busy = summarize(busySamples);

    const oursJoinsPerS = env.AUDIENCE_VIEWERS / (first.seconds + rest.seconds);
    const n = env.AUDIENCE_VIEWERS;
    const perViewer = (before: Heap, after: Heap, key: keyof Heap): number => (after[key] - before[key]) / 1024 / n;
    const oursKb = perViewer(oursBefore, oursAfter, 'heapUsed');
    const bareKb = perViewer(bareBefore, bareAfter, 'heapUsed');
    const oursRssKb = (oursAfter.rssKb - oursBefore.rssKb) / n;
    const bareRssKb = (bareAfter.rssKb - bareBefore.rssKb) / n;
    const withMedia = all.filter((v) => v.withMedia).length;
    // The machine's load (1 min) says how far other work may have moved the figures.
    console.log(`\nload average at the end: ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`);
    console.log(`\nviewers offered the program: ${withMedia} of ${n} (they do not watch over WebRTC here, so no transport is made for them: that happens at audience:watch)`);
    console.log(`joins/s: ${crowdElsewhere ? 'the bare server again, the host on ours' : 'ours'} ${oursJoinsPerS.toFixed(0)} (${n} in ${(first.seconds + rest.seconds).toFixed(1)} s); bare Socket.IO ${bareJoinsPerS.toFixed(0)} (${bareRun.seconds.toFixed(1)} s); ratio ${times(oursJoinsPerS, bareJoinsPerS)} (goal ≥ 0.80)`);
    console.log(
      `host command latency (one every ${probeMs} ms): while viewers arrive p50 ${ms(busy.p50)} ms p99 ${ms(busy.p99)} ms max ${ms(busy.max)} ms (${busy.n} commands over ${arrivals} arrivals of the crowd, ${arrivalSeconds.toFixed(1)} s); ` +
        `without arrivals p50 ${ms(quiet.p50)} ms p99 ${ms(quiet.p99)} ms max ${ms(quiet.max)} ms (${quiet.n}); ratio p99 ${times(busy.p99, quiet.p99)} (goal ≤ 1.50)`,
    );
    if (crowdElsewhere) {
      console.log('the crowd arrived at the bare server, a process of its own, while the host probed ours: memory and events per viewer are not measured in this mode');
      return;
    }
    console.log(
      `memory per viewer (heap after a full collection, median of 5): ours ${oursKb.toFixed(1)} KB; bare Socket.IO ${bareKb.toFixed(1)} KB per connection; ratio ${times(oursKb, bareKb)} (goal ≤ 1.30)` +
        `; external ours ${perViewer(oursBefore, oursAfter, 'external').toFixed(1)} KB, bare ${perViewer(bareBefore, bareAfter, 'external').toFixed(1)} KB` +
        `; RSS ours ${oursRssKb.toFixed(1)} KB, bare ${bareRssKb.toFixed(1)} KB, ratio ${times(oursRssKb, bareRssKb)}`,
    );
    console.log(`events per viewer for six floor changes: at ${FIRST} viewers ${at500.toFixed(2)}, at ${n} viewers ${atAll.toFixed(2)}; ratio ${times(atAll, at500)} (goal: 1.00, independent of the audience)`);
    console.log(`events per viewer from its arrival until the crowd was in (+ one counts round): first ${FIRST} ${arrivalEvents500.toFixed(2)}, the next ${n - FIRST} ${arrivalEventsAll.toFixed(2)}`);
  } finally {
    await host?.close();
    if (bare) {
      bare.stop();
      forgetHeapProbe(bare.pid);
    }
    for (const s of sockets) s.disconnect();
    await server.stop();
    forgetHeapProbe(server.pid);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
