/**
 * A topic with more published comments than the server sends at once (100), on a phone in
 * Chromium: the page counts the whole topic (已公开 130 条), 显示更多 goes on past the first
 * hundred in the order shown, a comment approved meanwhile arrives live with the new count, and
 * 最新 shows the newest of the topic. The limits on comments are raised for this file, as an
 * operator would: every browser here comes from one address.
 */
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { PHONE_CONTEXT, screenshot } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { openCommentsRoom, publishComment } from '../helpers/commentsBrowser.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser(
  (s, b) => {
    server = s;
    browser = b;
  },
  {
    LIMIT_COMMENTS_PER_10_MINUTES_PER_BROWSER: '1000',
    LIMIT_COMMENTS_PER_10_MINUTES_PER_ADDRESS: '1000',
    LIMIT_BROWSER_IDS_PER_MINUTE_PER_ADDRESS: '1000',
  },
);

const PUBLISHED = 130;

const cardIds = (page: Page): Promise<string[]> => page.$$eval('[data-testid="comment"]', (els) => els.map((el) => el.getAttribute('data-comment-id') ?? ''));

test('a phone reads a topic of 130 comments past the first hundred, counts them all, and follows a new approval', async () => {
  const room = await openCommentsRoom(server);
  const publish = (text: string): Promise<string> => publishComment(room, text, '居民');
  const ids: string[] = [];
  for (let i = 0; i < PUBLISHED; i++) ids.push(await publish(`第 ${i + 1} 条留言`));
  // 最热 with no upvotes: the newest first, so the first hundred are the newest hundred.
  const newestFirst = [...ids].reverse();

  const context = await browser.newContext(PHONE_CONTEXT);
  const phone = await context.newPage();
  await phone.goto(`${server.url}/join?invite=${room.publicInvite}`);
  await phone.getByTestId('public-tab-comments').tap();
  const counts = phone.getByTestId('comments-counts');
  await expect.poll(() => counts.textContent()).toBe(`已公开 ${PUBLISHED} 条 · 已答复 0 条`);
  const more = phone.getByTestId('comments-more');
  await expect.poll(() => more.textContent()).toBe(`显示更多留言（还有 ${PUBLISHED - 20} 条）`);

  for (let shown = 40; shown <= 120; shown += 20) {
    await more.tap();
    await expect.poll(() => cardIds(phone)).toHaveLength(shown);
  }
  // The 101st to the 120th came from the server's second page, in their place.
  expect(await cardIds(phone)).toEqual(newestFirst.slice(0, 120));
  expect(await more.textContent()).toBe('显示更多留言（还有 10 条）');
  await screenshot(phone, 'comments-paging-120');

  // Approved now: it reaches the page live, and the count is the topic's again.
  const late = await publish('刚刚批准的一条');
  await expect.poll(() => counts.textContent()).toBe(`已公开 ${PUBLISHED + 1} 条 · 已答复 0 条`);
  await phone.getByTestId('comments-sort-new').tap();
  await expect.poll(async () => (await cardIds(phone))[0]).toBe(late);

  // 120 were shown; the next step fetches the rest of 最新 from where its own first page ended.
  await more.tap();
  await expect.poll(() => cardIds(phone)).toEqual([late, ...newestFirst]);
  expect(await phone.getByTestId('comments-more').count()).toBe(0);
  await context.close();
}, 120_000);
