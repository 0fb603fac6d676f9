/**
 * Public comments page benchmark: what a phone's main thread spends to open the 留言 tab of a
 * topic with MANY (1,000) approved comments, and to follow live upvotes on it, against the same
 * page of a topic with FEW (20) in the same run and browser. (The page receives at most the 100
 * the public list sends, PUBLIC_PAGE_SIZE in server/comments/rules.ts.)
 *
 * Set-up: the real server and built client (`npm run setup` first); two open rooms with
 * comments open, one seeded with MANY approved comments, the other with FEW, through the public
 * API and the host's moderation, as the public and the staff would. For each room, ROUNDS (3)
 * times, alternating: a fresh phone-sized context (390×844, touch) in Debian's Chromium, its CPU
 * slowed 4× (DevTools' CPU throttling, a mid-range phone against this machine), opens the public
 * link; measured from Chromium's own count of the page's main-thread task time
 * (Performance.getMetrics, TaskDuration):
 *   - open: from the tap on 留言 until the comments and their count are shown;
 *   - live: while UPVOTES (30) upvotes from as many other browsers, 100 ms apart, go to the most
 *     upvoted comment, until the page shows its final count (the server's `comments:changed`
 *     reaches the page through its audience socket).
 * Printed: the medians (p50), and each as a ratio to the FEW room's. Before the board showed 20 at a
 * time (COMMENTS_PER_STEP in client/src/ui/comments/SteppedList.tsx) it laid out every
 * comment; PUBLIC_CLIENT_DIR=<dir> serves another build of the client to compare.
 *
 * Limits: every client is on 127.0.0.1, so the comment, upvote and browser-id budgets per
 * address and per browser are raised (printed); others are defaults.
 *
 * Run: npm run bench -- bench/public-comments.ts   (PUBLIC_MANY, PUBLIC_FEW, PUBLIC_ROUNDS, PUBLIC_UPVOTES)
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { z } from 'zod';
import { eventually, launchChromium, PHONE_CONTEXT } from '../test/helpers/browser.js';
import { createRoom, invite } from '../test/helpers/rooms.js';
import { startTestServer } from '../test/helpers/server.js';
import type { RunningServer } from '../server/app.js';
import { describeLimits, PUBLIC_ONE_ADDRESS } from './lib/oneAddress.js';
import { http, openComments, seedComments, type Api } from './lib/publicHttp.js';
import { summarize } from './lib/stats.js';

const NAME = 'public-comments';
const Env = z.object({
  PUBLIC_MANY: z.coerce.number().int().min(1).max(20_000).default(1000),
  PUBLIC_FEW: z.coerce.number().int().min(1).max(1000).default(20),
  PUBLIC_ROUNDS: z.coerce.number().int().min(1).max(20).default(3),
  PUBLIC_UPVOTES: z.coerce.number().int().min(1).max(500).default(30),
  PUBLIC_CLIENT_DIR: z.string().min(1).default('dist/client'),
});
const CPU_SLOWDOWN = 4;
const STEP_TIMEOUT_MS = 60_000;

type Topic = { label: string; roomId: string; publicInvite: string; top: { id: string; upvotes: number } };

/** As the public: the room's public invite. */
const publicApi = (server: RunningServer, topic: Pick<Topic, 'roomId' | 'publicInvite'>): Api => ({ url: server.url, roomId: topic.roomId, token: topic.publicInvite });

async function browserCookie(server: RunningServer, topic: Pick<Topic, 'roomId' | 'publicInvite'>): Promise<string> {
  const { cookie } = await http(publicApi(server, topic), 'GET', `/comments/${topic.roomId}`);
  if (cookie === undefined) throw new Error('no browser cookie');
  return cookie;
}

/** A room with comments open and `count` approved comments. */
async function seededTopic(server: RunningServer, label: string, count: number): Promise<Topic> {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  await openComments(server, roomId);
  const publicInvite = await invite(server, roomId, 'public');
  const ids = await seedComments(publicApi(server, { roomId, publicInvite }), { url: server.url, roomId, token: hostInvite }, count);
  const top = ids[0];
  if (top === undefined) throw new Error('no comment seeded');
  return { label, roomId, publicInvite, top: { id: top, upvotes: 0 } };
}

async function taskMs(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const task = metrics.find((m) => m.name === 'TaskDuration');
  if (task === undefined) throw new Error('Chromium reported no TaskDuration');
  return task.value * 1000;
}

/** The number on the top comment's upvote button (赞同 N). */
async function topCount(page: Page, commentId: string): Promise<number> {
  const text = await page.locator(`[data-testid="comment"][data-comment-id="${commentId}"] [data-testid="comment-upvote"]`).textContent({ timeout: STEP_TIMEOUT_MS });
  return Number(/(\d+)\s*$/.exec(text ?? '')?.[1] ?? NaN);
}

async function round(browser: Browser, server: RunningServer, topic: Topic, upvotes: number): Promise<{ openMs: number; liveMs: number }> {
  const context = await browser.newContext(PHONE_CONTEXT);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.goto(`${server.url}/join?invite=${topic.publicInvite}`);
    const tab = page.getByTestId('public-tab-comments');
    await tab.waitFor({ timeout: STEP_TIMEOUT_MS });
    const beforeOpen = await taskMs(cdp);
    await tab.tap();
    await page.getByTestId('comments-counts').waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.locator('[data-testid="comment"]').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    const openMs = (await taskMs(cdp)) - beforeOpen;

    // Cookies first, so the upvotes are all that happens while the live time is counted.
    const cookies = await Promise.all(Array.from({ length: upvotes }, () => browserCookie(server, topic)));
    const expected = topic.top.upvotes + upvotes;
    const beforeLive = await taskMs(cdp);
    for (const cookie of cookies) {
      await http(publicApi(server, topic), 'POST', `/comments/${topic.roomId}/${topic.top.id}/upvote`, undefined, cookie);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    topic.top.upvotes = expected;
    await eventually(() => topCount(page, topic.top.id), (count) => count === expected, STEP_TIMEOUT_MS);
    const liveMs = (await taskMs(cdp)) - beforeLive;
    return { openMs, liveMs };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  console.log(`${NAME}: ${env.PUBLIC_MANY} comments against ${env.PUBLIC_FEW}, ${env.PUBLIC_ROUNDS} rounds, ${env.PUBLIC_UPVOTES} live upvotes a round, CPU slowed ${CPU_SLOWDOWN}×, client ${env.PUBLIC_CLIENT_DIR}`);
  console.log(`${NAME}: the server gets ${describeLimits(PUBLIC_ONE_ADDRESS)} (every client is on 127.0.0.1)`);
  const server = await startTestServer({ ...PUBLIC_ONE_ADDRESS, CLIENT_DIR: env.PUBLIC_CLIENT_DIR });
  const browser = await launchChromium();
  try {
    const many = await seededTopic(server, `${env.PUBLIC_MANY} comments`, env.PUBLIC_MANY);
    const few = await seededTopic(server, `${env.PUBLIC_FEW} comments`, env.PUBLIC_FEW);
    const results = new Map<Topic, Array<{ openMs: number; liveMs: number }>>([
      [many, []],
      [few, []],
    ]);
    for (let r = 0; r < env.PUBLIC_ROUNDS; r += 1) {
      for (const topic of r % 2 === 0 ? [few, many] : [many, few]) {
        const result = await round(browser, server, topic, env.PUBLIC_UPVOTES);
        results.get(topic)?.push(result);
        console.log(`${NAME}:   round ${r + 1}, ${topic.label}: open ${result.openMs.toFixed(0)} ms, live ${result.liveMs.toFixed(0)} ms of main thread`);
      }
    }
    const figures = (topic: Topic) => {
      const list = results.get(topic) ?? [];
      return { open: summarize(list.map((x) => x.openMs)).p50, live: summarize(list.map((x) => x.liveMs)).p50 };
    };
    const m = figures(many);
    const f = figures(few);
    console.log(
      `public comments: the phone's main thread (CPU ${CPU_SLOWDOWN}× slower), medians of ${env.PUBLIC_ROUNDS}: ` +
        `opening 留言 ${m.open.toFixed(0)} ms with ${env.PUBLIC_MANY} comments against ${f.open.toFixed(0)} ms with ${env.PUBLIC_FEW} (ratio ${(m.open / f.open).toFixed(2)}); ` +
        `following ${env.PUBLIC_UPVOTES} live upvotes ${m.live.toFixed(0)} ms against ${f.live.toFixed(0)} ms (ratio ${(m.live / f.live).toFixed(2)})`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
