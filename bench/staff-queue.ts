/**
 * Staff queue benchmark: what the staff's 留言 tab costs the server and the network each time
 * the server's news of the queue (`comments:pending`, at most twice a second in a flood of
 * comments) makes it fetch again, in a large consultation.
 *
 * Set-up: the real server; a room with comments open, PUBLISHED (600) approved comments and
 * PENDING (30) awaiting review, through the public API and the host's moderation. Then ROUNDS
 * (40) alternating pairs of the two fetches a staff page can make, as the secretary:
 *   - the whole moderation page (GET /comments/:roomId/moderation: up to 500 comments of each
 *     status), which the tab fetched at every such news before (the baseline);
 *   - the queue alone (…/moderation?status=pending), which it fetches now.
 * Both with Chromium's Accept-Encoding, as the page sends it (the answers come compressed).
 * Printed: bytes of each answer on the wire, and the median and p99 time to the last byte on
 * loopback (the server's work: reading, serialising, compressing and sending), each as a ratio
 * to the whole page's; and
 * what the news of a minute's flood (120 fetches) costs one staff page either way.
 *
 * Limits: every client is on 127.0.0.1, so the comment and browser-id budgets per address and
 * per browser are raised (printed); others are defaults.
 *
 * Run: npm run bench -- bench/staff-queue.ts   (STAFF_PUBLISHED, STAFF_PENDING, STAFF_ROUNDS)
 */
import { z } from 'zod';
import { startCommentsTopic } from './lib/commentsTopic.js';
import { CHROMIUM_ACCEPT_ENCODING, seedComments, timedGet, variedText, type Api, type TimedAnswer } from './lib/publicHttp.js';
import { ms, summarize, times } from './lib/stats.js';

const NAME = 'staff-queue';
const Env = z.object({
  STAFF_PUBLISHED: z.coerce.number().int().min(1).max(20_000).default(600),
  STAFF_PENDING: z.coerce.number().int().min(1).max(500).default(30),
  STAFF_ROUNDS: z.coerce.number().int().min(5).max(1000).default(40),
});
/** The news of the queue at most twice a second (THROTTLE_MS in server/comments/CommentNotifier.ts): a minute of a flood. */
const FETCHES_PER_MINUTE = 120;

/** One fetch as the staff page makes it in Chromium (compressed): the answer's size on the wire and the time to its last byte. */
const staffFetch = (api: Api, query: string): Promise<TimedAnswer> => timedGet(`${api.url}/api/comments/${api.roomId}/moderation${query}`, api.token, CHROMIUM_ACCEPT_ENCODING);

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  console.log(`${NAME}: ${env.STAFF_PUBLISHED} published and ${env.STAFF_PENDING} pending comments, ${env.STAFF_ROUNDS} alternating pairs`);
  const topic = await startCommentsTopic(NAME);
  try {
    await seedComments(topic.public, topic.host, env.STAFF_PUBLISHED, variedText);
    await seedComments(topic.public, null, env.STAFF_PENDING, (i) => variedText(env.STAFF_PUBLISHED + i));
    const staffApi = topic.secretary;

    const whole: TimedAnswer[] = [];
    const queue: TimedAnswer[] = [];
    // A first pair unmeasured: the first answers warm the server's code and its statements.
    await staffFetch(staffApi, '');
    await staffFetch(staffApi, '?status=pending');
    for (let r = 0; r < env.STAFF_ROUNDS; r++) {
      if (r % 2 === 0) {
        whole.push(await staffFetch(staffApi, ''));
        queue.push(await staffFetch(staffApi, '?status=pending'));
      } else {
        queue.push(await staffFetch(staffApi, '?status=pending'));
        whole.push(await staffFetch(staffApi, ''));
      }
    }
    const size = (list: Array<{ bytes: number }>): number => summarize(list.map((x) => x.bytes)).p50;
    const w = summarize(whole.map((x) => x.ms));
    const q = summarize(queue.map((x) => x.ms));
    const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(`${NAME}: whole page (baseline) ${kb(size(whole))}, p50 ${ms(w.p50)} ms, p99 ${ms(w.p99)} ms`);
    console.log(`${NAME}: queue alone           ${kb(size(queue))}, p50 ${ms(q.p50)} ms, p99 ${ms(q.p99)} ms`);
    console.log(
      `staff queue: one fetch at the news of the queue, the queue alone against the whole page: ` +
        `bytes ${times(size(queue), size(whole))}, time p50 ${times(q.p50, w.p50)}, p99 ${times(q.p99, w.p99)}; ` +
        `a minute of a flood (${FETCHES_PER_MINUTE} fetches) ${kb(size(queue) * FETCHES_PER_MINUTE)} against ${kb(size(whole) * FETCHES_PER_MINUTE)} per staff page`,
    );
  } finally {
    await topic.server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
