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
 * - the host's command latency (ack of queue:setOpen, one at a time) while they arrive, against
 *   the same room without arrivals just before (goal: p99 ≤ 1.5×). The host runs in a worker
 *   thread of its own (lib/hostThread.ts), as the chair's computer is apart from the crowd's
 *   phones: its acks do not wait behind the crowd's clients in this thread;
 * - server memory per viewer: the server process's RSS growth over the viewers, against the
 *   bare server's per connection (goal: ≤ 1.3×);
 * - events per viewer at 500 and at AUDIENCE_VIEWERS viewers: what each viewer receives for
 *   the same meeting activity (six floor changes), and from its arrival until the crowd is in
 *   (goal: independent of the audience size).
 *
 * Run under the heavy lock: flock /tmp/heavy.lock npm run bench bench/audience.ts
 * (AUDIENCE_VIEWERS=2000, AUDIENCE_BATCH=50, AUDIENCE_MEMBERS=10). Every client comes from
 * 127.0.0.1: the per-address limits are raised (and printed), each viewer connects from a
 * loopback address of its own; the public link's joins per second are raised too, so that the
 * batch, not the limit, sets the pace.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { PROTOCOL_VERSION } from '../signaling/protocol.js';
import { createRoom, issueInvites } from './lib/admin.js';
import { connect, inBatches, isRecord, request, type BenchSocket } from './lib/clients.js';
import { HostThread } from './lib/hostHandle.js';
import { describeLimits, HOST_BACK_TO_BACK, MANY_MEMBERS_ONE_ADDRESS } from './lib/oneAddress.js';
import { startBenchServer } from './lib/serverProcess.js';
import { ms, requireOpenFiles, startWatchdog, summarize, times } from './lib/stats.js';

const env = z
  .object({
    AUDIENCE_VIEWERS: z.coerce.number().int().min(500).default(2000),
    AUDIENCE_BATCH: z.coerce.number().int().min(1).default(50),
    AUDIENCE_MEMBERS: z.coerce.number().int().min(2).default(10),
    AUDIENCE_BUDGET_S: z.coerce.number().int().min(60).default(900),
  })
  .parse(process.env);

const FIRST = 500;
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

/** RSS once the process has settled (the joins' garbage collected or not, as a server runs). */
async function settledRss(pid: number): Promise<number> {
  await sleep(2000);
  return rssKb(pid);
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
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('bench/lib/bareAudienceServer.ts')], {
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
  const server = await startBenchServer({ name: 'ours', adminSecret: 'bench-admin-secret-audience', env: LIMITS });
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
    const bareBefore = await settledRss(bare.pid);
    const bareRun = await arrive(bare.url, link, env.AUDIENCE_VIEWERS, env.AUDIENCE_BATCH);
    const bareAfter = await settledRss(bare.pid);
    for (const v of bareRun.viewers) v.socket.disconnect();
    bare.stop();
    bare = null;
    const bareJoinsPerS = env.AUDIENCE_VIEWERS / bareRun.seconds;
    const bareKbPerConnection = (bareAfter - bareBefore) / env.AUDIENCE_VIEWERS;

    // The host's commands in the room without arrivals.
    host.startProbe();
    await sleep(5000);
    const quiet = summarize(await host.stopProbe());

    const oursBefore = await settledRss(server.pid);
    // The crowd arrives in two waves: 500, the activity, then the rest, the activity again.
    host.startProbe();
    const first = await arrive(server.url, link, FIRST, env.AUDIENCE_BATCH);
    const busyFirst = await host.stopProbe();
    await sleep(COUNTS_MS + 500);
    const arrivalEvents500 = first.viewers.reduce((a, v) => a + v.events, 0) / first.viewers.length;
    const at500 = await floorChanges(host, speakers, first.viewers);

    host.startProbe();
    const rest = await arrive(server.url, link, env.AUDIENCE_VIEWERS - FIRST, env.AUDIENCE_BATCH, FIRST);
    const busy = summarize([...busyFirst, ...(await host.stopProbe())]);
    await sleep(COUNTS_MS + 500);
    const all = [...first.viewers, ...rest.viewers];
    const arrivalEventsAll = rest.viewers.reduce((a, v) => a + v.events, 0) / rest.viewers.length;
    const atAll = await floorChanges(host, speakers, all);
    const oursAfter = await settledRss(server.pid);
    sockets.push(...all.map((v) => v.socket));

    const oursJoinsPerS = env.AUDIENCE_VIEWERS / (first.seconds + rest.seconds);
    const oursKbPerViewer = (oursAfter - oursBefore) / env.AUDIENCE_VIEWERS;
    const withMedia = all.filter((v) => v.withMedia).length;
    const n = env.AUDIENCE_VIEWERS;
    // The machine's load (1 min) says how far other work may have moved the figures.
    console.log(`\nload average at the end: ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`);
    console.log(`\nviewers offered the program: ${withMedia} of ${n} (they do not watch over WebRTC here, so no transport is made for them: that happens at audience:watch)`);
    console.log(`joins/s: ours ${oursJoinsPerS.toFixed(0)} (${n} in ${(first.seconds + rest.seconds).toFixed(1)} s); bare Socket.IO ${bareJoinsPerS.toFixed(0)} (${bareRun.seconds.toFixed(1)} s); ratio ${times(oursJoinsPerS, bareJoinsPerS)} (goal ≥ 0.80)`);
    console.log(
      `host command latency: while viewers arrive p50 ${ms(busy.p50)} ms p99 ${ms(busy.p99)} ms (${busy.n} commands); without arrivals p50 ${ms(quiet.p50)} ms p99 ${ms(quiet.p99)} ms (${quiet.n}); ratio p99 ${times(busy.p99, quiet.p99)} (goal ≤ 1.50)`,
    );
    console.log(`memory per viewer: ours ${oursKbPerViewer.toFixed(1)} KB (RSS +${((oursAfter - oursBefore) / 1024).toFixed(0)} MB); bare Socket.IO ${bareKbPerConnection.toFixed(1)} KB per connection; ratio ${times(oursKbPerViewer, bareKbPerConnection)} (goal ≤ 1.30)`);
    console.log(`events per viewer for six floor changes: at ${FIRST} viewers ${at500.toFixed(2)}, at ${n} viewers ${atAll.toFixed(2)}; ratio ${times(atAll, at500)} (goal: 1.00, independent of the audience)`);
    console.log(`events per viewer from its arrival until the crowd was in (+ one counts round): first ${FIRST} ${arrivalEvents500.toFixed(2)}, the next ${n - FIRST} ${arrivalEventsAll.toFixed(2)}`);
  } finally {
    await host?.close();
    bare?.stop();
    for (const s of sockets) s.disconnect();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
