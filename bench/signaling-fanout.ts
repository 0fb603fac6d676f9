/**
 * Signaling fan-out benchmark: how long a host's room command takes to reach every client of
 * a big room, against a bare Socket.IO broadcast of the same size measured in the same run.
 *
 * Ours: the real server (test/helpers/server.ts) in a worker thread; one room; a host and N
 * members, each a plain socket.io-client WebSocket in the main thread, joined to the lobby of a
 * closed room and admitted all at once by the host, which creates no media (the public are no
 * participants any more: a crowd of viewers is bench/audience.ts). The host sends `queue:setOpen`
 * toggles one at a time: each is parsed, decided, appended to SQLite, hash-chained, folded and
 * broadcast as one `room:events` batch (not viewer-dependent: one encoding for the channel).
 * Bare: a Socket.IO server with the same engine settings in the same worker thread
 * (lib/bareServer.ts), N more clients, and a trigger socket whose acked `bench:fire`
 * broadcasts a batch of the same JSON size as ours.
 * A sample is (command, client): from the emit of the command to that client's `room:events`
 * with the command's seq. Commands alternate between the paths (ours, bare, bare, ours, …), so
 * outside load falls on both alike; each waits until all N clients have the previous one.
 *
 * Reading the ratio (ours / bare, per percentile): 1.00 means the product adds nothing to a
 * plain Socket.IO broadcast; the excess is the product's per-command work (decide, SQLite,
 * hashing, media policy) on the one event loop that also writes the frames. Most of a
 * sample is the fan-out itself (N frames written, then N frames parsed by one client thread),
 * which both paths pay alike and which dilutes the ratio toward 1: the "first client"
 * percentiles printed too are closest to the per-command cost alone, "last client" to the
 * whole fan-out. The busy shares of the two threads tell which side was the bottleneck.
 *
 * Limits: every client connects from 127.0.0.1 and the host sends its commands back to back,
 * so our server gets the connections and joins per address and the commands and socket events
 * per 10 s raised (lib/oneAddress.ts, printed at the start), and clients join 10 at a time;
 * every other limit is the default. The bare server has no limits.
 *
 * Open files: each in-process connection costs two descriptors; 500 + 500 clients need ~2,300.
 * Raise the limit first if it is lower (`ulimit -n 8192`); the run checks and says so.
 *
 * Environment (optional): SIGNALING_CLIENTS (500), SIGNALING_COMMANDS (200 per path),
 * SIGNALING_WARMUP (20 per path), SIGNALING_BUDGET_S (300), SIGNALING_ROLE (member).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { ClientCommandPayload } from '../signaling/room/commands.js';
import { createRoom, issueInvites } from './lib/admin.js';
import {
  Arrivals,
  connect,
  connectMany,
  failOnDisconnect,
  inBatches,
  joinRoom,
  request,
  seqOf,
  wireEvents,
  type BenchSocket,
} from './lib/clients.js';
import { describeLimits, HOST_BACK_TO_BACK, JOINS_IN_FLIGHT_PER_ADDRESS, MANY_MEMBERS_ONE_ADDRESS } from './lib/oneAddress.js';
import { LoadMeter, ServerThread } from './lib/serverHost.js';
import { ms, percentiles, requireOpenFiles, startWatchdog, summarize, times } from './lib/stats.js';

const NAME = 'signaling-fanout';
const Env = z.object({
  SIGNALING_CLIENTS: z.coerce.number().int().min(1).max(2000).default(500),
  SIGNALING_COMMANDS: z.coerce.number().int().min(10).max(5000).default(200),
  SIGNALING_WARMUP: z.coerce.number().int().min(1).max(500).default(20),
  SIGNALING_BUDGET_S: z.coerce.number().min(30).max(3600).default(300),
  SIGNALING_ROLE: z.enum(['member']).default('member'),
});
/** One command must reach every client within this, or the run fails. */
const ROUND_TIMEOUT_MS = 30_000;

/** One way of getting a batch to every client. */
type Path = {
  name: 'ours' | 'bare';
  clients: BenchSocket[];
  arrivals: Arrivals;
  /** Sends one command; answers the seq its batch carries. */
  fire(): Promise<number>;
  /** Every (command, client) latency, ms. */
  samples: number[];
  /** Per command: to the first and to the last client, ms. */
  firsts: number[];
  lasts: number[];
};

/** One command of `path`, waited for at every client; answers its seq. */
async function round(path: Path, record: boolean): Promise<number> {
  const sentAt = performance.now();
  const seq = await path.fire();
  const arrived = await path.arrivals.waitFor(seq, path.clients.length, ROUND_TIMEOUT_MS);
  if (!record) return seq;
  let first = Infinity;
  let last = 0;
  for (const at of arrived) {
    path.samples.push(at - sentAt);
    first = Math.min(first, at - sentAt);
    last = Math.max(last, at - sentAt);
  }
  path.firsts.push(first);
  path.lasts.push(last);
  return seq;
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const n = env.SIGNALING_CLIENTS;
  requireOpenFiles(4 * (n + 2) + 256, NAME);
  startWatchdog(NAME, env.SIGNALING_BUDGET_S * 1000);
  console.log(
    `${NAME}: ${n} clients per path, ${env.SIGNALING_COMMANDS} commands per path after ${env.SIGNALING_WARMUP} warm-up, ` +
      `${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );

  const limits = { ...MANY_MEMBERS_ONE_ADDRESS, ...HOST_BACK_TO_BACK };
  console.log(`${NAME}: our server gets ${describeLimits(limits)} (every client connects from 127.0.0.1, the host sends back to back)`);
  const server = await ServerThread.start({ bare: true, env: limits });
  const sockets: BenchSocket[] = [];
  try {
    const bareUrl = server.bareUrl;
    if (bareUrl === null) throw new TypeError('the server thread started no bare server');
    const api = { url: server.url, adminSecret: server.adminSecret };
    const setupStart = performance.now();

    // Ours: the host, then N participants of SIGNALING_ROLE (members wait in the lobby: not open).
    const role = env.SIGNALING_ROLE;
    const { roomId, hostInvite } = await createRoom(api, 0, { open: false });
    const host = await connect(server.url);
    sockets.push(host);
    await joinRoom(host, hostInvite, '主持人');
    const invites = await issueInvites(api, roomId, role, n);
    const ourArrivals = new Arrivals();
    let withMedia = 0;
    const ourClients = await inBatches(invites, JOINS_IN_FLIGHT_PER_ADDRESS, async (invite, i) => {
      const socket = await connect(server.url);
      sockets.push(socket);
      ourArrivals.track(socket);
      if ((await joinRoom(socket, invite, `参会者${i + 1}`)).withMedia) withMedia++;
      return socket;
    });
    if (role === 'member') {
      // Lobby members have no media; admitted, they get none until they ask with media:join.
      if (withMedia > 0) throw new Error(`${withMedia} lobby members got media at join`);
      const admitted = seqOf(await request(host, 'lobby:admitAll', { commandId: randomUUID() }));
      await ourArrivals.waitFor(admitted, n, ROUND_TIMEOUT_MS);
    }

    // Bare: a trigger socket and N clients.
    const trigger = await connect(bareUrl);
    sockets.push(trigger);
    const bareClients = await connectMany(bareUrl, n);
    sockets.push(...bareClients);
    const bareArrivals = new Arrivals();
    for (const socket of bareClients) bareArrivals.track(socket);

    let open = true;
    const ours: Path = {
      name: 'ours',
      clients: ourClients,
      arrivals: ourArrivals,
      samples: [],
      firsts: [],
      lasts: [],
      fire: async () => {
        open = !open;
        const payload: ClientCommandPayload<'queue:setOpen'> = { open, commandId: randomUUID() };
        return seqOf(await request(host, 'queue:setOpen', payload));
      },
    };
    // The size of ours' batch as a client receives it: the bare server sends as many bytes.
    const sizes = new Map<number, number>();
    const measureSize = (payload: unknown): void => {
      try {
        for (const event of wireEvents(payload)) sizes.set(event.seq, Buffer.byteLength(JSON.stringify(payload)));
      } catch (error) {
        ourArrivals.fail(error instanceof Error ? error : new Error(String(error)));
      }
    };
    ourClients[0]?.on('room:events', measureSize);
    const sizedSeq = await round(ours, false);
    ourClients[0]?.off('room:events', measureSize);
    const bytes = sizes.get(sizedSeq);
    if (bytes === undefined) throw new Error(`client 0 did not see seq ${sizedSeq}`);
    const watch = failOnDisconnect([...ourClients, ...bareClients], [ourArrivals, bareArrivals]);
    const bare: Path = {
      name: 'bare',
      clients: bareClients,
      arrivals: bareArrivals,
      samples: [],
      firsts: [],
      lasts: [],
      fire: async () => seqOf(await request(trigger, 'bench:fire', { bytes })),
    };
    for (let i = 1; i < env.SIGNALING_WARMUP * 2; i++) await round(i % 2 === 0 ? ours : bare, false);
    console.log(
      `${NAME}: set up in ${ms((performance.now() - setupStart) / 1000)} s; ${withMedia} of ${n} ${role} clients got ` +
        `WebRTC transports at join; room:events batch ${bytes} bytes of JSON`,
    );

    const meter = new LoadMeter(server);
    await meter.start();
    const measureStart = performance.now();
    for (let i = 0; i < env.SIGNALING_COMMANDS; i++) {
      // ABBA: ours, bare, bare, ours, …
      const pair = i % 2 === 0 ? [ours, bare] : [bare, ours];
      for (const path of pair) await round(path, true);
    }
    const measureS = (performance.now() - measureStart) / 1000;
    const load = await meter.stop();
    meter.close();
    watch.stop();

    const o = summarize(ours.samples);
    const b = summarize(bare.samples);
    for (const [path, s] of [[ours, o], [bare, b]] as const) {
      console.log(
        `${NAME}: ${path.name} all ${percentiles(s)} max ${ms(s.max)} ms (${s.n} samples); ` +
          `first client ${percentiles(summarize(path.firsts))}; last client ${percentiles(summarize(path.lasts))}`,
      );
    }
    console.log(`${NAME}: measured ${ms(measureS)} s; ${load}`);
    console.log(
      `signaling fan-out: ${n} clients, p50 ${ms(o.p50)} ms p99 ${ms(o.p99)} ms; ` +
        `bare Socket.IO p50 ${ms(b.p50)} ms p99 ${ms(b.p99)} ms; ratio p50 ${times(o.p50, b.p50)} p99 ${times(o.p99, b.p99)}`,
    );
  } finally {
    // Server first: N disconnects recorded one by one would fan out N² events.
    await server.close();
    for (const socket of sockets) socket.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`${NAME}: failed:`, error);
  process.exitCode = 1;
});
