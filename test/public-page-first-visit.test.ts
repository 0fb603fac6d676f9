/**
 * The public page as a crowd of first visits gets it (a QR poster, a broadcast): the server keeps
 * the page between readers (server/http/publicPages.ts), so these tests hold it to what a reader
 * must see regardless. Every change to the topic is on the very next first visit's page; what
 * one browser has of its own (its pending comment, its upvotes) is on its page and on no other;
 * a crowd arriving at once all get the same, whole page; and with two processes behind Redis, a
 * change made on one is on the next first visit's page on the other.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { PublicCommentsPageSchema } from '../signaling/comments/api.js';
import type { RunningServer } from '../server/app.js';
import { CommentsBrowser, openCommentsRoom, publishComment, putCommentSettings, type CommentsRoom } from './helpers/commentsBrowser.js';
import { startCluster, type TestCluster } from './helpers/cluster.js';
import type { ServerProcess } from './helpers/processServer.js';
import { invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';

let server: RunningServer;
let topic: CommentsRoom & { hostInvite: string };

/** A browser that has never been here: no cookie. */
const firstVisit = () => new CommentsBrowser(server.url, topic.publicInvite);

async function pageOf(browser: CommentsBrowser, query = 'sort=hot') {
  const res = await browser.call('GET', `/comments/${topic.roomId}?${query}`);
  return res.parse(PublicCommentsPageSchema);
}

beforeAll(async () => {
  server = await startTestServer({
    LIMIT_COMMENTS_PER_10_MINUTES_PER_ADDRESS: '1000',
    LIMIT_UPVOTES_PER_MINUTE_PER_ADDRESS: '1000',
    LIMIT_BROWSER_IDS_PER_MINUTE_PER_ADDRESS: '1000',
  });
  topic = await openCommentsRoom(server);
  // More than the 4 KB from which answers are compressed.
  for (let i = 0; i < 30; i++) await publishComment(topic, `第 ${i} 条：小区加装电梯的资金如何分摊，希望早日公示方案。`);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('a first visit sees the topic as it is now', () => {
  test('two first visits get the same page, compressed or not', async () => {
    const a = await pageOf(firstVisit());
    const b = await pageOf(firstVisit());
    expect(b).toEqual(a);
    expect(a.comments).toHaveLength(30);
    expect(a.counts.approved).toBe(30);
    const raw = await fetch(`${server.url}/api/comments/${topic.roomId}?sort=hot`, { headers: { authorization: `Bearer ${topic.publicInvite}`, 'accept-encoding': 'br' } });
    expect(raw.headers.get('content-encoding')).toBe('br');
    expect(PublicCommentsPageSchema.parse(await raw.json())).toEqual(a);
  });

  test('a comment published, upvoted, answered, or no longer published is on the next first visit’s page', async () => {
    await pageOf(firstVisit());
    const id = await publishComment(topic, '新通过的一条留言');
    let page = await pageOf(firstVisit(), 'sort=new');
    expect(page.comments[0]?.id).toBe(id);
    expect(page.counts.approved).toBe(31);

    expect((await firstVisit().call('POST', `/comments/${topic.roomId}/${id}/upvote`)).status).toBe(200);
    page = await pageOf(firstVisit(), 'sort=hot');
    expect(page.comments[0]).toMatchObject({ id, upvotes: 1 });

    const department = new CommentsBrowser(server.url, await invite(server, topic.roomId, 'department', 'city', '住建局'));
    expect((await department.call('POST', `/comments/${topic.roomId}/${id}/answer`, { body: { text: '已列入今年计划。' } })).status).toBe(200);
    page = await pageOf(firstVisit(), 'sort=hot');
    expect(page.comments[0]?.answer).toMatchObject({ department: '住建局', text: '已列入今年计划。' });
    expect(page.counts.answered).toBe(1);

    const staff = new CommentsBrowser(server.url, topic.staffInvite);
    const rejected = await staff.call('POST', `/comments/${topic.roomId}/${id}/moderate`, { body: { action: 'reject', reason: 'duplicate' } });
    expect(rejected.status, rejected.text).toBe(200);
    page = await pageOf(firstVisit(), 'sort=hot');
    expect(page.comments.map((c) => c.id)).not.toContain(id);
    expect(page.counts.approved).toBe(30);
  });

  test('a change of the settings is on the next first visit’s page', async () => {
    await pageOf(firstVisit());
    const closesAt = Date.now() - 1000;
    await putCommentSettings(server, topic.roomId, { opensAt: Date.now() - 60_000, closesAt, background: '背景：老旧小区改造', themes: ['资金'], heldWords: [] });
    const page = await pageOf(firstVisit());
    expect(page.settings).toMatchObject({ background: '背景：老旧小区改造', themes: ['资金'], closesAt });
    expect(page.open).toBe(false);
    await putCommentSettings(server, topic.roomId, { opensAt: Date.now() - 60_000, closesAt: Date.now() + 3_600_000, background: '', themes: [], heldWords: [] });
    expect((await pageOf(firstVisit())).open).toBe(true);
  });
});

describe('what a browser has of its own stays its own', () => {
  test('its pending comment and its upvote are on its page, and on no first visit’s before or after', async () => {
    const before = await pageOf(firstVisit());
    const own = firstVisit();
    const submitted = await own.call('POST', `/comments/${topic.roomId}`, { body: { name: '王女士', text: '我自己的留言，还在审核' } });
    expect(submitted.status, submitted.text).toBe(201);
    const target = before.comments[5]?.id;
    expect((await own.call('POST', `/comments/${topic.roomId}/${target}/upvote`)).status).toBe(200);

    const mine = await pageOf(own);
    expect(mine.mine.map((c) => c.text)).toEqual(['我自己的留言，还在审核']);
    expect(mine.upvoted).toEqual([target]);
    const stranger = await pageOf(firstVisit());
    expect(stranger.mine).toEqual([]);
    expect(stranger.upvoted).toEqual([]);
    expect(stranger.comments).toEqual(mine.comments);
    // And the browser's own page again, after the stranger's.
    expect((await pageOf(own)).mine).toHaveLength(1);
  });

  test('a browser that was here before without commenting or upvoting gets the shared page and keeps its cookie', async () => {
    const returning = firstVisit();
    const first = await returning.call('GET', `/comments/${topic.roomId}?sort=hot`);
    expect(first.setCookie).not.toBeNull();
    const again = await returning.call('GET', `/comments/${topic.roomId}?sort=hot`);
    expect(again.setCookie).toBeNull();
    expect(again.parse(PublicCommentsPageSchema)).toEqual(await pageOf(firstVisit()));
  });

  test('a returning browser\'s read of a kept page is one trip to the comment store\'s thread', async () => {
    const returning = firstVisit();
    const path = `/comments/${topic.roomId}?sort=hot`;
    await returning.call('GET', path);
    // The page is kept now (nothing changed since): only the head and the browser's own are read.
    await returning.call('GET', path);
    const trips = vi.spyOn(Worker.prototype, 'postMessage');
    try {
      const res = await returning.call('GET', path);
      expect(res.status).toBe(200);
      // Other trips may fall into this request's time: the organiser's settings, read again once
      // a second, and the counts the comment news reads when it goes out (up to half a second
      // after the previous test's upvote, on a slow machine during this request). Only the calls
      // that make a page are looked at: the head, the browser's own, and a page's comments.
      const pageCalls = new Set(['head', 'pendingOf', 'upvotedBy', 'listApproved']);
      const methods = trips.mock.calls
        .map(([calls]) => (calls as Array<{ method: string }>).map((call) => call.method).filter((m) => pageCalls.has(m)))
        .filter((batch) => batch.length > 0);
      // The head and the browser's own comments and upvotes, together; the kept page's comments are not read again.
      expect(methods).toEqual([['pendingOf', 'upvotedBy', 'head']]);
    } finally {
      trips.mockRestore();
    }
  });
});

test('a crowd of 40 first visits at once, while comments are published, each gets a whole page of one moment', async () => {
  const publishing = (async () => {
    for (let i = 0; i < 5; i++) await publishComment(topic, `人群到达时通过的第 ${i} 条`);
  })();
  const pages = await Promise.all(Array.from({ length: 40 }, () => pageOf(firstVisit(), 'sort=new')));
  await publishing;
  for (const page of pages) {
    // The count and the list agree: each page is of one moment, whichever.
    expect(page.comments).toHaveLength(Math.min(100, page.counts.approved));
    expect(page.mine).toEqual([]);
  }
  const latest = await pageOf(firstVisit(), 'sort=new');
  expect(latest.comments[0]?.text).toBe('人群到达时通过的第 4 条');
});

describe('on two processes behind Redis', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster(2);
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  test('a comment published or upvoted through one process is on the next first visit’s page on the other', async () => {
    const [a, b] = cluster.servers as [ServerProcess, ServerProcess];
    const onB = await openCommentsRoom(b);
    const onA = { ...onB, url: a.url };
    const visitA = async () => (await new CommentsBrowser(a.url, onB.publicInvite).call('GET', `/comments/${onB.roomId}?sort=hot`)).parse(PublicCommentsPageSchema);
    expect((await visitA()).comments).toEqual([]);
    const first = await publishComment(onB, '在乙进程通过的留言');
    let page = await visitA();
    expect(page.comments.map((c) => c.id)).toEqual([first]);
    const second = await publishComment(onA, '在甲进程通过的留言');
    expect((await new CommentsBrowser(b.url, onB.publicInvite).call('POST', `/comments/${onB.roomId}/${first}/upvote`)).status).toBe(200);
    page = await visitA();
    expect(page.comments.map((c) => [c.id, c.upvotes])).toEqual([
      [first, 1],
      [second, 0],
    ]);
    expect(page.counts.approved).toBe(2);
  });
});
