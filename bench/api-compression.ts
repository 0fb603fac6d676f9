/**
 * API compression benchmark: the public page of a topic's comments (the 100 the public list
 * sends) and the staff's moderation page, as a phone's browser and a staff page fetch them,
 * compressed against as they are, on the same server in the same run.
 *
 * Set-up: the real server; a room with comments open and COMMENTS (600) approved comments of
 * 20 to 120 characters drawn at random from common ones (variedText: a page of one sentence
 * repeated would compress far better than real comments), through the public API and the
 * host's moderation. Then ROUNDS (40) alternating pairs of each
 * answer fetched with Chromium's Accept-Encoding ("gzip, deflate, br, zstd": Brotli comes back)
 * and without one (the baseline: the answer as it was sent before), over raw HTTP on loopback.
 * Printed: bytes on the wire, and the median and p99 time to the last byte (which includes the
 * compression, done on the thread pool), each as a ratio to the baseline's. The public page is
 * fetched as a browser with an upvote of its own, whose page is compressed for it alone; a first
 * visit's is compressed once and kept for the next (bench/public-visits.ts).
 *
 * Limits: every client is on 127.0.0.1, so the comment and browser-id budgets per address and
 * per browser are raised (printed); others are defaults.
 *
 * Run: npm run bench -- bench/api-compression.ts   (API_COMMENTS, API_ROUNDS)
 */
import { z } from 'zod';
import { startCommentsTopic } from './lib/commentsTopic.js';
import { CHROMIUM_ACCEPT_ENCODING, http, seedComments, timedGet, variedText, type TimedAnswer } from './lib/publicHttp.js';
import { ms, summarize, times } from './lib/stats.js';

const NAME = 'api-compression';
const Env = z.object({
  API_COMMENTS: z.coerce.number().int().min(1).max(20_000).default(600),
  API_ROUNDS: z.coerce.number().int().min(5).max(1000).default(40),
});
async function compare(label: string, url: string, token: string, rounds: number, cookie?: string): Promise<void> {
  const compressed: TimedAnswer[] = [];
  const plain: TimedAnswer[] = [];
  // One pair unmeasured: the first answers warm the server's code and its statements.
  await timedGet(url, token, CHROMIUM_ACCEPT_ENCODING, cookie);
  await timedGet(url, token, null, cookie);
  for (let r = 0; r < rounds; r++) {
    const pair = r % 2 === 0 ? [CHROMIUM_ACCEPT_ENCODING, null] : [null, CHROMIUM_ACCEPT_ENCODING];
    for (const accept of pair) (accept === null ? plain : compressed).push(await timedGet(url, token, accept, cookie));
  }
  const bytes = (list: TimedAnswer[]): number => summarize(list.map((x) => x.bytes)).p50;
  const c = summarize(compressed.map((x) => x.ms));
  const p = summarize(plain.map((x) => x.ms));
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  console.log(`${NAME}: ${label}: as it is (baseline) ${kb(bytes(plain))}, p50 ${ms(p.p50)} ms, p99 ${ms(p.p99)} ms`);
  console.log(`${NAME}: ${label}: compressed (${compressed[0]?.encoding}) ${kb(bytes(compressed))}, p50 ${ms(c.p50)} ms, p99 ${ms(c.p99)} ms`);
  console.log(`api compression: ${label}: bytes ${times(bytes(compressed), bytes(plain))}, time to the last byte p50 ${times(c.p50, p.p50)}, p99 ${times(c.p99, p.p99)}`);
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  console.log(`${NAME}: ${env.API_COMMENTS} approved comments, ${env.API_ROUNDS} alternating pairs per answer`);
  const topic = await startCommentsTopic(NAME);
  try {
    const { server, roomId } = topic;
    const [upvoted] = await seedComments(topic.public, topic.host, env.API_COMMENTS, variedText);
    // A browser with an upvote of its own: its page is made and compressed for it alone.
    const { cookie } = await http(topic.public, 'GET', `/comments/${roomId}`);
    await http(topic.public, 'POST', `/comments/${roomId}/${upvoted}/upvote`, undefined, cookie);
    await compare('the public page (100 comments, 最热)', `${server.url}/api/comments/${roomId}?sort=hot`, topic.public.token, env.API_ROUNDS, cookie);
    await compare('the staff’s moderation page', `${server.url}/api/comments/${roomId}/moderation`, topic.secretary.token, env.API_ROUNDS);
  } finally {
    await topic.server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
