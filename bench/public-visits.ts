/**
 * Public visits benchmark: what the server spends on each phone that opens a topic's public
 * page, when a QR poster or a broadcast sends a crowd to it. A first visit (a browser with
 * nothing of its own) is answered from the page the server keeps between readers
 * (server/http/publicPages.ts); the baseline, measured in the same run on the same server, is a
 * returning browser with an upvote of its own, whose answer is made and compressed for it alone,
 * as every answer was before the page was kept.
 *
 * Set-up: the real server as a process of its own (its CPU time, all threads, is read from
 * /proc); a room with comments open and COMMENTS (600) approved comments of varied text
 * (lib/publicHttp.ts: variedText), through the public API and the host's moderation; RETURNING
 * browsers that have each upvoted one comment. Then ROUNDS (6) alternating batches of VISITS
 * (200) GETs of the first page of 最热 of each kind, CROWD (10) in flight at a time, each with
 * Chromium's Accept-Encoding.
 * Printed: the server's CPU time per visit (process, all threads: the event loop and the thread
 * pool that compresses) and the time to the last byte, p50 and p99, of each kind, and the
 * ratios of first visits to the baseline.
 *
 * Limits: every client is on 127.0.0.1, so the comment, upvote and browser-id budgets per
 * address and per browser are raised (printed); others are defaults.
 *
 * Run: npm run bench -- bench/public-visits.ts   (VISITS_COMMENTS, VISITS_ROUNDS, VISITS_PER_BATCH, VISITS_CROWD, VISITS_RETURNING)
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createRoom, invite } from '../test/helpers/rooms.js';
import { processCpuMs } from './lib/cpuTime.js';
import { describeLimits, PUBLIC_ONE_ADDRESS } from './lib/oneAddress.js';
import { CHROMIUM_ACCEPT_ENCODING, http, openComments, seedComments, timedGet, variedText, type Api, type TimedAnswer } from './lib/publicHttp.js';
import { startBenchServer, type BenchServer } from './lib/serverProcess.js';
import { ms, summarize, times } from './lib/stats.js';

const NAME = 'public-visits';
const Env = z.object({
  VISITS_COMMENTS: z.coerce.number().int().min(1).max(20_000).default(600),
  VISITS_ROUNDS: z.coerce.number().int().min(1).max(100).default(6),
  VISITS_PER_BATCH: z.coerce.number().int().min(10).max(10_000).default(200),
  VISITS_CROWD: z.coerce.number().int().min(1).max(200).default(10),
  VISITS_RETURNING: z.coerce.number().int().min(1).max(1000).default(50),
});

type Kind = { label: string; cookie: (i: number) => string | undefined; answers: TimedAnswer[]; cpuMs: number; visits: number };

/** `count` GETs of `url` as `kind`, `crowd` in flight at a time; adds their answers and the server's CPU time over them to `kind`. */
async function batch(server: BenchServer, url: string, token: string, kind: Kind, count: number, crowd: number): Promise<void> {
  const before = await processCpuMs(server.pid);
  let next = 0;
  await Promise.all(
    Array.from({ length: crowd }, async () => {
      while (next < count) {
        const i = next++;
        kind.answers.push(await timedGet(url, token, CHROMIUM_ACCEPT_ENCODING, kind.cookie(i)));
      }
    }),
  );
  const after = await processCpuMs(server.pid);
  if (before === null || after === null) throw new Error('cannot read the server process’s CPU time from /proc');
  kind.cpuMs += after - before;
  kind.visits += count;
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  console.log(
    `${NAME}: ${env.VISITS_COMMENTS} approved comments; ${env.VISITS_ROUNDS} alternating batches of ${env.VISITS_PER_BATCH} visits of each kind, ` +
      `${env.VISITS_CROWD} in flight; ${env.VISITS_RETURNING} returning browsers`,
  );
  console.log(`${NAME}: the server gets ${describeLimits(PUBLIC_ONE_ADDRESS)} (every client is on 127.0.0.1)`);
  const adminSecret = randomBytes(24).toString('base64url');
  const server = await startBenchServer({ name: NAME, adminSecret, env: { ...PUBLIC_ONE_ADDRESS, LOG_LEVEL: 'warn' } });
  try {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    await openComments(server, roomId);
    const publicApi: Api = { url: server.url, roomId, token: await invite(server, roomId, 'public') };
    const ids = await seedComments(publicApi, { url: server.url, roomId, token: hostInvite }, env.VISITS_COMMENTS, variedText);
    // Browsers that came before and upvoted one comment each: their page is their own.
    const returning: string[] = [];
    for (let i = 0; i < env.VISITS_RETURNING; i++) {
      const { cookie } = await http(publicApi, 'GET', `/comments/${roomId}`);
      if (cookie === undefined) throw new Error('no browser cookie');
      await http(publicApi, 'POST', `/comments/${roomId}/${ids[i % ids.length]}/upvote`, undefined, cookie);
      returning.push(cookie);
    }
    const url = `${server.url}/api/comments/${roomId}?sort=hot`;
    const first: Kind = { label: 'first visit (the kept page)', cookie: () => undefined, answers: [], cpuMs: 0, visits: 0 };
    const own: Kind = { label: 'returning browser with its own upvote (baseline)', cookie: (i) => returning[i % returning.length], answers: [], cpuMs: 0, visits: 0 };
    // Unmeasured: the first answers warm the server's code, its statements and the kept page.
    for (const kind of [first, own]) await batch(server, url, publicApi.token, { ...kind, answers: [], cpuMs: 0, visits: 0 }, 20, env.VISITS_CROWD);
    for (let r = 0; r < env.VISITS_ROUNDS; r++) {
      for (const kind of r % 2 === 0 ? [first, own] : [own, first]) await batch(server, url, publicApi.token, kind, env.VISITS_PER_BATCH, env.VISITS_CROWD);
    }
    const figures = (kind: Kind) => ({ cpu: kind.cpuMs / kind.visits, time: summarize(kind.answers.map((a) => a.ms)), kb: summarize(kind.answers.map((a) => a.bytes)).p50 / 1024 });
    const f = figures(first);
    const o = figures(own);
    for (const [kind, fig] of [[own, o], [first, f]] as const) {
      console.log(`${NAME}: ${kind.label}: ${fig.cpu.toFixed(3)} ms of server CPU per visit, ${fig.kb.toFixed(1)} KB, time to the last byte p50 ${ms(fig.time.p50)} ms p99 ${ms(fig.time.p99)} ms`);
    }
    console.log(
      `public visits: first visits against a browser's own page: server CPU per visit ${times(f.cpu, o.cpu)}×, ` +
        `time to the last byte p50 ${times(f.time.p50, o.time.p50)}×, p99 ${times(f.time.p99, o.time.p99)}×`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`${NAME}: failed:`, error);
  process.exitCode = 1;
});
