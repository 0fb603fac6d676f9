/**
 * Worker-thread entry of bench/comments.ts: the public's HTTP load on the comment routes, paced
 * (comments and upvotes per second for a duration), in a thread of its own so that its requests
 * do not share an event loop with the members whose vote acks are measured.
 *
 * Upvotes go to distinct (browser, comment) pairs, and every DUPLICATE_EVERY-th upvote repeats
 * an earlier pair: the store must count each pair once. Started through runCommentLoad().
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { z } from 'zod';

export const CommentLoadOptions = z.object({
  url: z.string(),
  roomId: z.string(),
  token: z.string(),
  /** Browser cookies (`wsl_browser=…`) minted beforehand. */
  cookies: z.array(z.string()).min(1),
  /** Approved comments to upvote. */
  targets: z.array(z.string()).min(1),
  commentsPerSecond: z.number().positive(),
  upvotesPerSecond: z.number().positive(),
  durationMs: z.number().positive(),
});
export type CommentLoadOptions = z.infer<typeof CommentLoadOptions>;

export const CommentLoadResult = z.object({
  commentsOk: z.number(),
  upvotesOk: z.number(),
  /** Distinct (browser, comment) pairs among the upvotes answered 200, and among those sent. */
  uniquePairs: z.number(),
  uniquePairsSent: z.number(),
  duplicatesSent: z.number(),
  failures: z.record(z.string(), z.number()),
  commentLatencies: z.array(z.number()),
  upvoteLatencies: z.array(z.number()),
});
export type CommentLoadResult = z.infer<typeof CommentLoadResult>;

/** Connections the public's requests share (keep-alive). */
const MAX_CONNECTIONS = 64;

/** One upvote in this many repeats a pair already sent. */
const DUPLICATE_EVERY = 20;

async function run(o: CommentLoadOptions): Promise<CommentLoadResult> {
  const failures: Record<string, number> = {};
  const fail = (why: string): void => {
    failures[why] = (failures[why] ?? 0) + 1;
  };
  const result = { commentsOk: 0, upvotesOk: 0, duplicatesSent: 0, commentLatencies: [] as number[], upvoteLatencies: [] as number[] };
  const pairs = new Set<string>();
  const sentPairs: Array<[number, number]> = [];
  // node:http with a bounded keep-alive pool: fetch (undici) costs the generator about as much
  // CPU per request as the server spends answering it, on the same two cores; and a phone
  // population reaches the server through a bounded number of connections of the proxy anyway.
  // FIFO: every pooled connection takes its turn. The default (LIFO) leaves the connections a
  // burst opened idle at the bottom of the pool until the server's keep-alive timeout closes
  // them, and a request that picks one as it closes fails with ECONNRESET, unanswered.
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_CONNECTIONS, scheduling: 'fifo' });
  const target = new URL(o.url);
  const post = (path: string, cookie: string, body?: unknown): Promise<number> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: `/api/comments/${o.roomId}${path}`,
          headers: {
            authorization: `Bearer ${o.token}`,
            cookie,
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const pending: Array<Promise<void>> = [];
  let comments = 0;
  let upvotes = 0;
  const sendComment = (i: number): void => {
    const cookie = o.cookies[i % o.cookies.length] ?? '';
    const at = performance.now();
    pending.push(
      post('', cookie, { name: `市民${i}`, place: '基准街道', text: `第 ${i} 条留言：希望加装电梯的费用分摊更透明。` }).then(
        (status) => {
          if (status === 201) {
            result.commentsOk++;
            result.commentLatencies.push(performance.now() - at);
          } else fail(`comment ${status}`);
        },
        (error: unknown) => fail(`comment ${String(error)}`),
      ),
    );
  };
  const sendUpvote = (i: number): void => {
    let pair: [number, number];
    const earlier = sentPairs[(i * 7) % Math.max(1, sentPairs.length)];
    if (i % DUPLICATE_EVERY === DUPLICATE_EVERY - 1 && earlier !== undefined) {
      pair = earlier;
      result.duplicatesSent++;
    } else {
      // Pair k: comment k mod T, browser ⌊k / T⌋: distinct while k < T × browsers.
      const k = sentPairs.length;
      pair = [k % o.targets.length, Math.floor(k / o.targets.length) % o.cookies.length];
      sentPairs.push(pair);
    }
    const [target, browser] = pair;
    const at = performance.now();
    pending.push(
      post(`/${o.targets[target] ?? ''}/upvote`, o.cookies[browser] ?? '').then(
        (status) => {
          if (status === 200) {
            result.upvotesOk++;
            result.upvoteLatencies.push(performance.now() - at);
            pairs.add(`${target}:${browser}`);
          } else fail(`upvote ${status}`);
        },
        (error: unknown) => fail(`upvote ${String(error)}`),
      ),
    );
  };
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const elapsed = performance.now() - start;
      const t = Math.min(elapsed, o.durationMs) / 1000;
      // Everything due by now goes out, so a late timer catches up instead of stretching the run.
      while (comments < Math.floor(t * o.commentsPerSecond)) sendComment(comments++);
      while (upvotes < Math.floor(t * o.upvotesPerSecond)) sendUpvote(upvotes++);
      if (elapsed < o.durationMs) setTimeout(tick, 2);
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  agent.destroy();
  return { ...result, uniquePairs: pairs.size, uniquePairsSent: sentPairs.length, failures };
}

/** Runs the load in a worker thread and answers what it did. */
export function runCommentLoad(options: CommentLoadOptions): Promise<CommentLoadResult> {
  const entry = new URL('./commentLoad.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  // As lib/serverHost.ts: the worker registers tsx itself, then imports its entry.
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { commentLoad: options } });
  return new Promise<CommentLoadResult>((resolve, reject) => {
    worker.once('message', (raw: unknown) => {
      resolve(CommentLoadResult.parse(raw));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`comment load thread exited (${code})`)));
  });
}

const data: unknown = workerData;
if (parentPort && typeof data === 'object' && data !== null && 'commentLoad' in data) {
  const port = parentPort;
  run(CommentLoadOptions.parse(data.commentLoad)).then(
    (result) => port.postMessage(result),
    (error: unknown) => {
      throw error;
    },
  );
}
