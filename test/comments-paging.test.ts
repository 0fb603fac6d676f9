/**
 * A topic with more published comments than one page of the public list (the server sends 100
 * at a time): the next pages in either order, the published count the live changes carry (a
 * page holding part of the list cannot count the rest), and offsets a hostile client makes up.
 * And a topic with more than the staff's lists hold (500 of each status): the queue still shows
 * the comments that arrive last, and the published list the most upvoted as well as the newest.
 * The limits on comments are raised here, as an operator would, because every browser of this
 * test comes from one address.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ModerationPageSchema, PublicCommentsPageSchema } from '../signaling/comments/api.js';
import type { CommentsChanged } from '../signaling/audience.js';
import type { RunningServer } from '../server/app.js';
import { eventually } from './helpers/cluster.js';
import { CommentsBrowser, openCommentsRoom, publishComment, submitComment, type CommentsRoom } from './helpers/commentsBrowser.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';

/** One page of the public list, as the product promises it (written here, not read from the code). */
const PAGE = 100;
const PUBLISHED = 130;
/** What a staff list holds of each status, as the product promises it. */
const STAFF_LIST = 500;

let server: RunningServer;
let topic: CommentsRoom & { hostInvite: string };
/** The published comments' ids, oldest first. */
const ids: string[] = [];

const reader = (): CommentsBrowser => new CommentsBrowser(server.url, topic.publicInvite);
const publish = (text: string): Promise<string> => publishComment(topic, text);

async function page(query: string) {
  return (await reader().call('GET', `/comments/${topic.roomId}?${query}`)).parse(PublicCommentsPageSchema);
}

beforeAll(async () => {
  server = await startTestServer({
    LIMIT_COMMENTS_PER_10_MINUTES_PER_BROWSER: '1000',
    LIMIT_COMMENTS_PER_10_MINUTES_PER_ADDRESS: '1000',
    LIMIT_UPVOTES_PER_MINUTE_PER_ADDRESS: '1000',
    LIMIT_BROWSER_IDS_PER_MINUTE_PER_ADDRESS: '1000',
  });
  topic = await openCommentsRoom(server);
  for (let i = 0; i < PUBLISHED; i++) ids.push(await publish(`第 ${i} 条留言`));
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('the public list past its first page', () => {
  test('最新: the first page is the newest 100, the next the 30 before them, then nothing; the count is the whole topic', async () => {
    const newest = [...ids].reverse();
    const first = await page('sort=new');
    expect(first.comments.map((c) => c.id)).toEqual(newest.slice(0, PAGE));
    expect(first.counts.approved).toBe(PUBLISHED);
    const second = await page(`sort=new&offset=${PAGE}`);
    expect(second.comments.map((c) => c.id)).toEqual(newest.slice(PAGE));
    expect((await page(`sort=new&offset=${PUBLISHED}`)).comments).toEqual([]);
  });

  test('最热: the pages follow the upvotes, most first and newest first among equals, with no comment twice', async () => {
    // Three of the oldest comments (which 最新 puts on the second page) are upvoted.
    const upvoted = [ids[0], ids[1], ids[2]] as string[];
    for (const [n, id] of upvoted.entries()) {
      for (let k = 0; k <= n; k++) expect((await reader().call('POST', `/comments/${topic.roomId}/${id}/upvote`)).status).toBe(200);
    }
    const expected = [ids[2], ids[1], ids[0], ...[...ids].reverse().filter((id) => !upvoted.includes(id))];
    const first = await page('sort=hot');
    const second = await page(`sort=hot&offset=${PAGE}`);
    expect([...first.comments, ...second.comments].map((c) => c.id)).toEqual(expected);
    expect(first.comments[0]?.upvotes).toBe(3);
  });

  test('offsets a client makes up are refused with 400; the server goes on serving', async () => {
    for (const offset of ['-1', '1.5', 'abc', '1e3', '', '99999999', '0x10']) {
      const res = await reader().call('GET', `/comments/${topic.roomId}?sort=new&offset=${encodeURIComponent(offset)}`);
      expect(res.status, `offset=${offset}`).toBe(400);
      expect(res.json, `offset=${offset}`).toMatchObject({ error: 'BAD_REQUEST' });
    }
    expect((await reader().call('GET', `/comments/${topic.roomId}?sort=new&offset=${PAGE}&offset=0`)).status).toBe(400);
    expect((await page('sort=new&offset=9999999')).comments).toEqual([]);
    expect((await page('sort=new')).comments).toHaveLength(PAGE);
  });

  test('live changes carry the published and answered counts of the whole topic', async () => {
    const host = await TestPeer.connect(server.url);
    try {
      await host.join(topic.hostInvite, '主持人');
      const heard: CommentsChanged[] = [];
      host.socket.on('comments:changed', (change) => heard.push(change));
      const before = (await page('sort=new')).counts.approved;
      const id = await publish('会上新批准的一条');
      await eventually(() => heard.some((h) => h.comments.some((c) => c.id === id)), 'the approval heard live');
      const change = heard.find((h) => h.comments.some((c) => c.id === id));
      expect(change?.counts).toEqual({ approved: before + 1, answered: 0 });
    } finally {
      host.close();
    }
  });
});

describe('the staff lists of a topic with more comments than they hold', () => {
  test('the queue shows the comments that arrive after 500 were published; the published list holds its newest 500 and its most upvoted', async () => {
    const large = await openCommentsRoom(server);
    const published: string[] = [];
    for (let i = 0; i <= STAFF_LIST; i++) published.push(await publishComment(large, `已公开第 ${i} 条`));
    const waiting = [await submitComment(large, '新来的第一条'), await submitComment(large, '新来的第二条')];
    // The oldest published comment is the most upvoted: the staff's 最热 must still have it.
    const oldest = published[0] ?? '';
    expect((await new CommentsBrowser(server.url, large.publicInvite).call('POST', `/comments/${large.roomId}/${oldest}/upvote`)).status).toBe(200);
    const staff = new CommentsBrowser(server.url, large.staffInvite);
    const all = (await staff.call('GET', `/comments/${large.roomId}/moderation`)).parse(ModerationPageSchema);
    expect(all.counts).toMatchObject({ pending: 2, approved: STAFF_LIST + 1 });
    expect(all.comments.filter((c) => c.status === 'pending').map((c) => c.id)).toEqual(waiting);
    expect(all.comments.filter((c) => c.status === 'approved').map((c) => c.id)).toEqual([...[...published].reverse().slice(0, STAFF_LIST), oldest]);
    const queue = (await staff.call('GET', `/comments/${large.roomId}/moderation?status=pending`)).parse(ModerationPageSchema);
    expect(queue.comments.map((c) => c.id)).toEqual(waiting);
  }, 120_000);
});
