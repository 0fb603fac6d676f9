/**
 * Comments benchmark (issue 13): does a flood of public comments slow the meeting?
 *
 * Set-up: the real server in a worker thread (lib/serverHost.ts), one room with N members (200)
 * admitted and its host, comments open, SEED approved comments. The public's load runs in a
 * thread of its own (lib/commentLoad.ts): C comments/s (100) and U upvotes/s (500) over HTTP
 * for D seconds (30), from B browsers minted beforehand, every 20th upvote a repeat of a pair
 * already sent. Meanwhile the members run a vote storm: poll after poll, every member voting
 * once per poll, the votes spread over VOTE_SPREAD_MS.
 *
 * Measured in one run, in ROUNDS (2) rounds of two phases, D / ROUNDS seconds each:
 *   - baseline: the vote storm without comments;
 *   - with comments: the vote storm under the comment load (each round from browsers of its own).
 * Alternating, so that what drifts over a run (the store growing, the heap, the machine) weighs
 * on both sides, not only on the later phase as when one phase of each followed the other.
 * Printed: the members' vote ack p50/p99 of each phase, then of all phases of each kind
 * together and their ratio (goal: p99 ≤ 1.3×), the
 * comment and upvote acks, the server thread's time per comment or upvote request (its busy time
 * beyond the baseline's share, over the requests), and at the end the counts in the store (the staff's export with its
 * hash chain): every comment answered 201 is there once, the upvote entries equal the distinct
 * pairs answered 200 (repeats counted once), the comments' upvotes add up to them, and the chain
 * verifies. Any difference fails the run.
 *
 * Limits: every client is on 127.0.0.1, so the connection, join, comment, upvote and browser-id
 * budgets per address and per browser are raised (printed at the start); others are defaults.
 *
 * Environment (optional): COMMENTS_MEMBERS (200), COMMENTS_SECONDS (30), COMMENTS_PER_SECOND
 * (100), UPVOTES_PER_SECOND (500), COMMENTS_BROWSERS (400), COMMENTS_ROUNDS (2), COMMENTS_CPU_PROF (a
 * directory: a CPU profile of the server thread over each phase with comments), VOTE_SPREAD_MS (3000: 200 votes,
 * each fanned out to all 201 sockets, over 1 s already keep a 2-core machine's server thread
 * busy without any comment, and a saturated baseline measures queueing, not the comments).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { CommentExportSchema } from '../signaling/comments/api.js';
import type { ClientCommandPayload } from '../signaling/room/commands.js';
import { verifyCommentExport, type CommentExport } from '../server/comments/chain.js';
import { createRoom, issueInvites } from './lib/admin.js';
import { Arrivals, connect, failOnDisconnect, inBatches, joinRoom, request, seqOf, type BenchSocket } from './lib/clients.js';
import { runCommentLoad, type CommentLoadResult } from './lib/commentLoad.js';
import { http, openComments, type Api } from './lib/publicHttp.js';
import { describeLimits, JOINS_IN_FLIGHT_PER_ADDRESS, MANY_MEMBERS_ONE_ADDRESS, PUBLIC_ONE_ADDRESS } from './lib/oneAddress.js';
import { LoadMeter, ServerThread } from './lib/serverHost.js';
import { ms, percentiles, requireOpenFiles, startWatchdog, summarize, times } from './lib/stats.js';
import { storm } from './lib/storm.js';
import { eligibleCount, hostEvent, hostLogOf, pollIdOf, type HostLog } from './lib/voteEvents.js';

const NAME = 'comments';
const Env = z.object({
  COMMENTS_MEMBERS: z.coerce.number().int().min(1).max(2000).default(200),
  COMMENTS_SECONDS: z.coerce.number().min(1).max(600).default(30),
  COMMENTS_PER_SECOND: z.coerce.number().min(1).max(5000).default(100),
  UPVOTES_PER_SECOND: z.coerce.number().min(1).max(20_000).default(500),
  COMMENTS_BROWSERS: z.coerce.number().int().min(1).max(10_000).default(400),
  VOTE_SPREAD_MS: z.coerce.number().int().min(1).max(60_000).default(3000),
  COMMENTS_ROUNDS: z.coerce.number().int().min(1).max(10).default(2),
});
/** Approved comments the upvotes go to (pairs stay distinct up to SEED × browsers upvotes). */
const SEED = 50;
const STEP_TIMEOUT_MS = 60_000;

/** Polls opened and voted on one after the other until `untilMs` (performance.now()); answers every vote's ack latency. */
async function voteStorms(host: BenchSocket, voters: readonly BenchSocket[], hostLog: HostLog, arrivals: Arrivals, spreadMs: number, untilMs: number) {
  const latencies: number[] = [];
  const failures: Error[] = [];
  let polls = 0;
  const command = async <T extends 'poll:create' | 'poll:open' | 'poll:close'>(type: T, fields: Omit<ClientCommandPayload<T>, 'commandId'>): Promise<number> =>
    seqOf(await request(host, type, { ...fields, commandId: randomUUID() }));
  while (performance.now() < untilMs) {
    const created = await command('poll:create', { question: `第 ${polls + 1} 轮：是否同意？`, kind: 'yesno' });
    const pollId = pollIdOf(await hostEvent(hostLog, created));
    const opened = await command('poll:open', { pollId });
    if (eligibleCount(await hostEvent(hostLog, opened)) !== voters.length) throw new Error('the poll did not fix every member as a voter');
    await arrivals.waitFor(opened, voters.length, STEP_TIMEOUT_MS);
    const result = await storm(voters.length, spreadMs, async (i) => {
      const payload: ClientCommandPayload<'poll:vote'> = { pollId, choices: [i % 3], commandId: randomUUID() };
      return seqOf(await request(voters[i] ?? host, 'poll:vote', payload));
    });
    latencies.push(...result.latencies);
    failures.push(...result.failures);
    await command('poll:close', { pollId });
    polls++;
  }
  if (failures.length > 0) throw new Error(`${failures.length} votes failed, e.g. ${failures[0]?.message ?? ''}`);
  return { latencies, polls };
}

/** The loads of every round as one: their counts added, their latencies and failures together (each round had browsers of its own, so pairs add up). */
function combinedLoad(loads: readonly CommentLoadResult[]): CommentLoadResult {
  const failures: Record<string, number> = {};
  for (const load of loads) for (const [why, count] of Object.entries(load.failures)) failures[why] = (failures[why] ?? 0) + count;
  const sum = (field: 'commentsOk' | 'upvotesOk' | 'uniquePairs' | 'uniquePairsSent' | 'duplicatesSent'): number => loads.reduce((total, load) => total + load[field], 0);
  return {
    commentsOk: sum('commentsOk'),
    upvotesOk: sum('upvotesOk'),
    uniquePairs: sum('uniquePairs'),
    uniquePairsSent: sum('uniquePairsSent'),
    duplicatesSent: sum('duplicatesSent'),
    failures,
    commentLatencies: loads.flatMap((load) => load.commentLatencies),
    upvoteLatencies: loads.flatMap((load) => load.upvoteLatencies),
  };
}

function storeCheck(exported: CommentExport, load: CommentLoadResult, commentsBefore: number): string[] {
  const problems: string[] = [];
  const upvoteEntries = exported.chain.filter((e) => e.type === 'upvoted').length;
  const submitted = exported.chain.filter((e) => e.type === 'submitted').length;
  const ids = new Set(exported.comments.map((c) => c.id));
  const upvoteSum = exported.comments.reduce((sum, c) => sum + c.upvotes, 0);
  if (ids.size !== exported.comments.length) problems.push('a comment id is there twice');
  const failedComments = Object.entries(load.failures).some(([why]) => why.startsWith('comment'));
  if (!failedComments && exported.comments.length !== commentsBefore + load.commentsOk) problems.push(`${exported.comments.length} comments stored, ${commentsBefore} + ${load.commentsOk} answered 201`);
  if (submitted !== exported.comments.length) problems.push(`${submitted} submissions in the chain for ${exported.comments.length} comments`);
  // A request that failed at the client may still have been stored: then only bounds hold.
  const failedUpvotes = Object.entries(load.failures).some(([why]) => why.startsWith('upvote'));
  if (failedUpvotes ? upvoteEntries < load.uniquePairs || upvoteEntries > load.uniquePairsSent : upvoteEntries !== load.uniquePairs) {
    problems.push(`${upvoteEntries} upvote entries, ${load.uniquePairs} distinct (browser, comment) pairs answered 200 of ${load.uniquePairsSent} sent`);
  }
  if (upvoteSum !== upvoteEntries) problems.push(`the comments' upvotes add up to ${upvoteSum}, the chain has ${upvoteEntries}`);
  const broken = verifyCommentExport(exported);
  if (broken) problems.push(`the chain breaks at seq ${broken.seq}: ${broken.reason}`);
  return problems;
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const n = env.COMMENTS_MEMBERS;
  const durationMs = env.COMMENTS_SECONDS * 1000;
  requireOpenFiles(2 * (n + 1) + 512, NAME);
  startWatchdog(NAME, 4 * durationMs + 300_000);
  const limits = { ...MANY_MEMBERS_ONE_ADDRESS, ...PUBLIC_ONE_ADDRESS };
  console.log(
    `${NAME}: ${n} members voting (spread ${env.VOTE_SPREAD_MS} ms a poll) for ${env.COMMENTS_SECONDS} s without and as long with ` +
      `${env.COMMENTS_PER_SECOND} comments/s and ${env.UPVOTES_PER_SECOND} upvotes/s from ${env.COMMENTS_BROWSERS} browsers, in ${env.COMMENTS_ROUNDS} alternating rounds; ` +
      `${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(`${NAME}: the server gets ${describeLimits(limits)} (every client is on 127.0.0.1)`);
  const server = await ServerThread.start({ bare: false, env: limits });
  const meter = new LoadMeter(server);
  const sockets: BenchSocket[] = [];
  let ok = false;
  try {
    const admin = { url: server.url, adminSecret: server.adminSecret };
    const { roomId, hostInvite } = await createRoom(admin, n, { open: true });
    await openComments(server, roomId, { background: '基准测试', themes: ['资金'], heldWords: ['广告'] });
    const [publicInvite] = await issueInvites(admin, roomId, 'public', 1);
    if (publicInvite === undefined) throw new Error('no public invite');
    const hostApi: Api = { url: server.url, roomId, token: hostInvite };
    const publicApi: Api = { url: server.url, roomId, token: publicInvite };

    // The members and the host, admitted, without media.
    const arrivals = new Arrivals();
    const host = await connect(server.url);
    sockets.push(host);
    const hostLog = hostLogOf(host, arrivals);
    await joinRoom(host, hostInvite, '主持人');
    const invites = await issueInvites(admin, roomId, 'member', n);
    const voters = await inBatches(invites, JOINS_IN_FLIGHT_PER_ADDRESS, async (invite, i) => {
      const socket = await connect(server.url);
      sockets.push(socket);
      arrivals.track(socket);
      await joinRoom(socket, invite, `委员${i + 1}`);
      return socket;
    });
    const disconnects = failOnDisconnect([host, ...voters], [arrivals]);
    // The host's page follows the comments live; members' pages show none, so they are sent none.
    let changedAtHost = 0;
    let changedAtMembers = 0;
    host.on('comments:changed', () => changedAtHost++);
    for (const socket of voters) socket.on('comments:changed', () => changedAtMembers++);

    // The browsers and the approved comments they upvote.
    const cookies = await inBatches(Array.from({ length: env.COMMENTS_BROWSERS }), 20, async () => {
      const { cookie } = await http(publicApi, 'GET', `/comments/${roomId}`);
      if (cookie === undefined) throw new Error('no browser cookie');
      return cookie;
    });
    const targets: string[] = [];
    for (let i = 0; i < SEED; i++) {
      const { json } = await http(publicApi, 'POST', `/comments/${roomId}`, { name: '种子', text: `已通过的留言 ${i}` }, cookies[i % cookies.length]);
      const id = z.object({ comment: z.object({ id: z.string() }) }).parse(json).comment.id;
      await http(hostApi, 'POST', `/comments/${roomId}/${id}/moderate`, { action: 'approve' });
      targets.push(id);
    }
    console.log(`${NAME}: ${n} members admitted, ${cookies.length} browsers, ${SEED} approved comments`);

    // Rounds of a phase without comments, then one with: a drift over the run (the store
    // growing, the heap, the machine) then weighs on both sides alike, not on the second phase.
    const phaseMs = durationMs / env.COMMENTS_ROUNDS;
    const browsersPerRound = Math.floor(cookies.length / env.COMMENTS_ROUNDS);
    if (env.UPVOTES_PER_SECOND * (phaseMs / 1000) > SEED * browsersPerRound) {
      throw new Error(`a round's upvotes outnumber its distinct (browser, comment) pairs (${SEED} × ${browsersPerRound}): raise COMMENTS_BROWSERS`);
    }
    const profileDir = process.env['COMMENTS_CPU_PROF'];
    const baselineLatencies: number[] = [];
    const withLatencies: number[] = [];
    const loads: CommentLoadResult[] = [];
    let extraBusyMs = 0;
    const changedBefore = { host: changedAtHost, members: changedAtMembers };
    for (let round = 0; round < env.COMMENTS_ROUNDS; round++) {
      const label = `round ${round + 1} of ${env.COMMENTS_ROUNDS}`;
      await meter.start();
      const baselineFrom = performance.now();
      const baseline = await voteStorms(host, voters, hostLog, arrivals, env.VOTE_SPREAD_MS, performance.now() + phaseMs);
      const baselineLoad = await meter.stop();
      const baselineBusyPerMs = meter.serverActiveMs / (performance.now() - baselineFrom);
      baselineLatencies.push(...baseline.latencies);
      console.log(`${NAME}: ${label}, without comments: ${baseline.polls} polls, vote ack ${percentiles(summarize(baseline.latencies))}; ${baselineLoad}`);

      if (profileDir) await server.profile(null);
      await meter.start();
      const withFrom = performance.now();
      const loadRun = runCommentLoad({
        url: server.url, roomId, token: publicInvite, targets,
        // Browsers of their own each round: every (browser, comment) pair stays new.
        cookies: cookies.slice(round * browsersPerRound, (round + 1) * browsersPerRound),
        commentsPerSecond: env.COMMENTS_PER_SECOND, upvotesPerSecond: env.UPVOTES_PER_SECOND, durationMs: phaseMs,
      });
      // A failed storm must not leave the load's promise unhandled.
      loadRun.catch(() => undefined);
      const withComments = await voteStorms(host, voters, hostLog, arrivals, env.VOTE_SPREAD_MS, performance.now() + phaseMs);
      const load = await loadRun;
      const withLoad = await meter.stop();
      // The server thread's time beyond the storm's own (the baseline's busy share over this phase).
      extraBusyMs += meter.serverActiveMs - baselineBusyPerMs * (performance.now() - withFrom);
      if (profileDir) await server.profile(path.resolve(profileDir, `comments-${Date.now()}.cpuprofile`));
      withLatencies.push(...withComments.latencies);
      loads.push(load);
      console.log(`${NAME}: ${label}, with comments:    ${withComments.polls} polls, vote ack ${percentiles(summarize(withComments.latencies))}; ${withLoad}`);
    }
    disconnects.stop();
    const load = combinedLoad(loads);
    const b = summarize(baselineLatencies);
    const w = summarize(withLatencies);
    const c = summarize(load.commentLatencies);
    const u = summarize(load.upvoteLatencies);
    const failed = Object.entries(load.failures).map(([why, count]) => `${count} × ${why}`).join('; ');
    console.log(`${NAME}: all rounds: vote ack without comments ${percentiles(b)}, with comments ${percentiles(w)}`);
    console.log(
      `${NAME}:   comments ${load.commentsOk} answered 201 (${(load.commentsOk / env.COMMENTS_SECONDS).toFixed(0)}/s), ack ${percentiles(c)}; ` +
        `upvotes ${load.upvotesOk} answered 200 (${(load.upvotesOk / env.COMMENTS_SECONDS).toFixed(0)}/s, ${load.duplicatesSent} repeats), ack ${percentiles(u)}` +
        `${failed ? `; FAILED: ${failed}` : ''}`,
    );
    const requests = load.commentsOk + load.upvotesOk;
    console.log(`${NAME}:   the server thread's time per comment or upvote request, beyond the storm's: ${(extraBusyMs / Math.max(1, requests)).toFixed(3)} ms`);
    console.log(
      `${NAME}:   comments:changed messages at the host: ${changedAtHost - changedBefore.host} in ${env.COMMENTS_SECONDS} s (coalesced, ≤ 2/s); ` +
        `at all ${voters.length} members together: ${changedAtMembers - changedBefore.members}`,
    );

    const { json } = await http(hostApi, 'GET', `/comments/${roomId}/export.json`);
    const exported = CommentExportSchema.parse(json);
    const problems = storeCheck(exported, load, SEED);
    const upvoteEntries = exported.chain.filter((e) => e.type === 'upvoted').length;
    console.log(
      `${NAME}:   in the store: ${exported.comments.length} comments (${SEED} seeded + ${load.commentsOk}), ${upvoteEntries} upvotes ` +
        `(${load.uniquePairs} distinct pairs), chain of ${exported.chain.length} entries ${problems.length === 0 ? 'verifies' : 'DIFFERS'}`,
    );
    for (const p of problems) console.log(`${NAME}:   PROBLEM: ${p}`);
    console.log(
      `comments: ${n} members, ${env.COMMENTS_PER_SECOND} comments/s + ${env.UPVOTES_PER_SECOND} upvotes/s for ${env.COMMENTS_SECONDS} s; ` +
        `vote ack p99 ${ms(w.p99)} ms with vs ${ms(b.p99)} ms without = ${times(w.p99, b.p99)}× (goal ≤ 1.3×), p50 ${times(w.p50, b.p50)}×; ` +
        `stored exactly once: ${problems.length === 0 && !failed ? 'yes' : 'NO'}`,
    );
    ok = problems.length === 0 && failed === '';
  } finally {
    // Server first: N disconnects recorded one by one would fan out N² events.
    meter.close();
    await server.close();
    for (const socket of sockets) socket.disconnect();
  }
  if (!ok) throw new Error('the store does not hold every comment and upvote exactly once, or requests failed');
}

main().catch((error: unknown) => {
  console.error(`${NAME}: failed:`, error);
  process.exitCode = 1;
});
