/**
 * Public requests benchmark (issue 13): what one request of the public costs the server's event
 * loop, the thread the meeting's commands wait for. A topic that draws thousands of phones
 * sends hundreds of upvotes and page reads a second to the process that runs the meeting.
 *
 * Set-up: the real server as a process of its own (lib/serverProcess.ts, SQLite, the public's
 * limits raised: every client is on 127.0.0.1), a room with comments open and TARGETS (50)
 * approved comments; BROWSERS (1,000) browsers, each with its cookie. Beside it, in a process of
 * its own, a bare node:http server that reads the same request and answers a small JSON: the
 * least any HTTP request can cost on this machine (the baseline).
 *
 * A warm-up round (not counted: the JIT compiles the paths), then ROUNDS (5) rounds; in each, for every kind in turn, REQUESTS (3,000) requests, IN_FLIGHT (16)
 * at a time over keep-alive connections (as a proxy in front would pass them):
 *   - bare: POST to the bare server;
 *   - health: GET /healthz (express and the headers every answer carries, no work);
 *   - upvote: POST …/:commentId/upvote, every pair of browser and comment new;
 *   - page: GET the public page of 最热 as a returning browser with nothing of its own (the
 *     page kept for every such browser: publicPages.ts).
 * Measured from /proc: the CPU time of the server's main thread (its event loop) and of the
 * whole process (the comment store's thread too), per request. Printed: each kind's median
 * over the rounds, and its ratio to the bare server's.
 *
 * Run: npm run bench -- bench/public-requests.ts   (PR_REQUESTS, PR_IN_FLIGHT, PR_ROUNDS)
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { createRoom, issueInvites } from './lib/admin.js';
import { processCpuMs, threadCpuMs } from './lib/cpuTime.js';
import { describeLimits, PUBLIC_ONE_ADDRESS } from './lib/oneAddress.js';
import { http, openComments, seedComments, type Api } from './lib/publicHttp.js';
import { startBenchServer } from './lib/serverProcess.js';
import { inBatches } from './lib/clients.js';
import { summarize, times } from './lib/stats.js';

const NAME = 'public-requests';
const Env = z.object({
  PR_REQUESTS: z.coerce.number().int().min(100).max(100_000).default(3000),
  PR_IN_FLIGHT: z.coerce.number().int().min(1).max(256).default(16),
  PR_ROUNDS: z.coerce.number().int().min(1).max(20).default(5),
});
const TARGETS = 50;
const BROWSERS = 1000;

/** The bare server: reads the request's body, answers a JSON of an upvote's size. */
const BARE_SERVER = `
const http = require('node:http');
const body = JSON.stringify({ commentId: 'c0000000000000000', upvotes: 12 });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** A CPU reading; the figures mean nothing without one, so the run stops (Linux's /proc only). */
async function readCpu(reading: Promise<number | null>): Promise<number> {
  const ms = await reading;
  if (ms === null) throw new Error('cannot read CPU time from /proc: this benchmark runs on Linux');
  return ms;
}

type Kind = { name: string; pid: number; send: (i: number) => Promise<number>; ok: number };

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  console.log(`${NAME}: the server gets ${describeLimits(PUBLIC_ONE_ADDRESS)} (every client is on 127.0.0.1)`);
  const server = await startBenchServer({ name: 'a', adminSecret: 'bench-admin-secret-0123456789', env: { ...PUBLIC_ONE_ADDRESS } });
  const bare = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const barePort = await new Promise<number>((resolve, reject) => {
      createInterface({ input: bare.stdout }).once('line', (line) => resolve(Number(line)));
      bare.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
    });
    const admin = { url: server.url, adminSecret: server.adminSecret };
    const { roomId, hostInvite } = await createRoom(admin, 1, { open: true });
    await openComments(server, roomId);
    const [publicInvite] = await issueInvites(admin, roomId, 'public', 1);
    if (publicInvite === undefined) throw new Error('no public invite');
    const publicApi: Api = { url: server.url, roomId, token: publicInvite };
    const targets = await seedComments(publicApi, { url: server.url, roomId, token: hostInvite }, TARGETS);
    const cookies = await inBatches(Array.from({ length: BROWSERS }), 20, async () => {
      const { cookie } = await http(publicApi, 'GET', `/comments/${roomId}`);
      if (cookie === undefined) throw new Error('no browser cookie');
      return cookie;
    });
    // A reader: a browser that comes back to the page and has neither commented nor upvoted.
    const { cookie: reader } = await http(publicApi, 'GET', `/comments/${roomId}`);
    if (reader === undefined) throw new Error('no browser cookie');
    if (env.PR_REQUESTS * (env.PR_ROUNDS + 1) > TARGETS * BROWSERS) throw new Error(`at most ${TARGETS * BROWSERS} distinct upvotes: lower PR_REQUESTS × (PR_ROUNDS + 1)`);
    console.log(`${NAME}: ${TARGETS} approved comments, ${BROWSERS} browsers; ${env.PR_REQUESTS} requests of each kind a round, ${env.PR_IN_FLIGHT} in flight`);

    const agent = new Agent({ keepAlive: true, maxSockets: env.PR_IN_FLIGHT, scheduling: 'fifo' });
    const send = (port: number, method: string, path: string, headers: Record<string, string>): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request({ agent, host: '127.0.0.1', port, method, path, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    const serverPort = Number(new URL(server.url).port);
    const auth = { authorization: `Bearer ${publicInvite}` };
    let upvotes = 0;
    const kinds: Kind[] = [
      { name: 'bare', pid: bare.pid ?? 0, ok: 200, send: () => send(barePort, 'POST', `/api/comments/${roomId}/x/upvote`, { ...auth, cookie: cookies[0] ?? '' }) },
      { name: 'health', pid: server.pid, ok: 200, send: () => send(serverPort, 'GET', '/healthz', {}) },
      {
        name: 'upvote',
        pid: server.pid,
        ok: 200,
        send: () => {
          // Pair k: comment k mod T, browser ⌊k / T⌋: every pair new.
          const k = upvotes++;
          return send(serverPort, 'POST', `/api/comments/${roomId}/${targets[k % TARGETS] ?? ''}/upvote`, { ...auth, cookie: cookies[Math.floor(k / TARGETS) % BROWSERS] ?? '' });
        },
      },
      { name: 'page', pid: server.pid, ok: 200, send: () => send(serverPort, 'GET', `/api/comments/${roomId}?sort=hot`, { ...auth, cookie: reader }) },
    ];
    const perRequest = new Map<string, { thread: number[]; process: number[] }>(kinds.map((k) => [k.name, { thread: [], process: [] }]));
    for (let round = 0; round <= env.PR_ROUNDS; round++) {
      for (const kind of kinds) {
        const threadBefore = await readCpu(threadCpuMs(kind.pid));
        const processBefore = await readCpu(processCpuMs(kind.pid));
        let next = 0;
        let failed = 0;
        await Promise.all(
          Array.from({ length: env.PR_IN_FLIGHT }, async () => {
            while (next < env.PR_REQUESTS) {
              const status = await kind.send(next++);
              if (status !== kind.ok) failed++;
            }
          }),
        );
        if (failed > 0) throw new Error(`${kind.name}: ${failed} of ${env.PR_REQUESTS} requests not answered ${kind.ok}`);
        const thread = ((await readCpu(threadCpuMs(kind.pid))) - threadBefore) / env.PR_REQUESTS;
        const whole = ((await readCpu(processCpuMs(kind.pid))) - processBefore) / env.PR_REQUESTS;
        if (round === 0) continue;
        perRequest.get(kind.name)?.thread.push(thread);
        perRequest.get(kind.name)?.process.push(whole);
        console.log(`${NAME}: round ${round}, ${kind.name.padEnd(6)}: main thread ${(thread * 1000).toFixed(0)} µs, process ${(whole * 1000).toFixed(0)} µs a request`);
      }
    }
    agent.destroy();
    const median = (values: number[]): number => summarize(values).p50;
    const bareThread = median(perRequest.get('bare')?.thread ?? []);
    const summary = kinds.map((k) => {
      const thread = median(perRequest.get(k.name)?.thread ?? []);
      const whole = median(perRequest.get(k.name)?.process ?? []);
      return `${k.name} ${(thread * 1000).toFixed(0)} µs (${times(thread, bareThread)}×; process ${(whole * 1000).toFixed(0)} µs)`;
    });
    console.log(`${NAME}: main thread per request, median of ${env.PR_ROUNDS} rounds, against the bare node:http server: ${summary.join('; ')}`);
  } finally {
    bare.kill();
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
