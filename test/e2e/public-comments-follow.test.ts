/**
 * A phone on the public page, in Chromium, is sent the comments' news only while its 留言 tab is
 * shown: watching 直播 its socket receives none while comments are approved; on 留言 it shows
 * what was approved meanwhile and follows new approvals live; back on 直播 the news stops.
 *
 * How "none" is known: a second phone reads 留言 throughout and sees each approval, and then the
 * chair changes the stage, which the first phone's 直播 shows. Both go out on the same socket
 * of the first phone, in order: news of an approval would have come before the stage's change.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { PHONE_CONTEXT } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { openCommentsRoom, publishComment } from '../helpers/commentsBrowser.js';
import { TestPeer } from '../helpers/TestPeer.js';

let server: RunningServer;
let browser: Browser;
const closers: Array<{ close(): unknown }> = [];

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

afterAll(async () => {
  for (const c of closers) await c.close();
});

type Phone = {
  page: Page;
  /** The Socket.IO events its page received, by name, with the frame's text. */
  events: Array<{ name: string; text: string }>;
  /** What it asked with audience:comments, each with whether the server's answer came yet. */
  follows: Array<{ follow: boolean; answered: boolean }>;
};

/** A phone on the public link, its socket's frames read as they come and go. */
async function phoneOn(link: string): Promise<Phone> {
  const context = await browser.newContext(PHONE_CONTEXT);
  closers.push(context);
  const page = await context.newPage();
  const phone: Phone = { page, events: [], follows: [] };
  const asked = new Map<string, { follow: boolean; answered: boolean }>();
  const text = (payload: string | Buffer): string => (typeof payload === 'string' ? payload : payload.toString('utf8'));
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      // An event with an ack: 42<ack id>["audience:comments",{"follow":true}]
      const sent = /^42(\d+)\["audience:comments",\{"follow":(true|false)\}\]$/.exec(text(payload));
      if (sent?.[1] === undefined) return;
      const follow = { follow: sent[2] === 'true', answered: false };
      asked.set(sent[1], follow);
      phone.follows.push(follow);
    });
    ws.on('framereceived', ({ payload }) => {
      const frame = text(payload);
      // An event: 42["name",{…}]; an answer: 43<ack id>[…]
      const name = /^42\["([^"]+)"/.exec(frame)?.[1];
      if (name !== undefined) phone.events.push({ name, text: frame });
      const answered = /^43(\d+)\[/.exec(frame)?.[1];
      const follow = answered === undefined ? undefined : asked.get(answered);
      if (follow) follow.answered = true;
    });
  });
  await page.goto(`${server.url}/join?invite=${link}`);
  await page.getByTestId('audience-view').waitFor({ timeout: 20_000 });
  return phone;
}

const card = (page: Page, id: string) => page.locator(`[data-testid="comment"][data-comment-id="${id}"]`);

test('a phone watching 直播 is sent no comment news; on 留言 it catches up and follows live; back on 直播 the news stops', async () => {
  const room = await openCommentsRoom(server);
  const host = await TestPeer.connect(server.url);
  closers.push(host);
  await host.join(room.hostInvite, '主持人');

  const reader = await phoneOn(room.publicInvite);
  await reader.page.getByTestId('public-tab-comments').tap();
  await reader.page.getByTestId('comments-counts').waitFor();
  await expect.poll(() => reader.follows, { timeout: 10_000 }).toEqual([{ follow: true, answered: true }]);
  const watcher = await phoneOn(room.publicInvite);
  const newsTo = (phone: Phone, id: string): number => phone.events.filter((e) => e.name === 'comments:changed' && e.text.includes(id)).length;

  // Approved while the watcher watches 直播: the reader sees it live; the chair then puts it on stage.
  const first = await publishComment(room, '直播时通过的第一条');
  await card(reader.page, first).waitFor({ timeout: 10_000 });
  await host.command('comment:stage', { commentId: first });
  await expect.poll(() => watcher.page.getByTestId('audience-stage').textContent(), { timeout: 10_000 }).toContain('直播时通过的第一条');
  expect(newsTo(reader, first), 'the reader was sent the news').toBeGreaterThan(0);
  expect(watcher.events.filter((e) => e.name === 'comments:changed'), 'the phone on 直播 was sent no comment news').toEqual([]);
  expect(watcher.follows, 'the phone on 直播 asked for no news').toEqual([]);

  // On 留言: what was approved meanwhile is there, and a new approval comes live.
  await watcher.page.getByTestId('public-tab-comments').tap();
  await card(watcher.page, first).waitFor({ timeout: 10_000 });
  await expect.poll(() => watcher.follows, { timeout: 10_000 }).toEqual([{ follow: true, answered: true }]);
  const second = await publishComment(room, '打开留言以后通过的第二条');
  await card(watcher.page, second).waitFor({ timeout: 10_000 });
  await expect.poll(() => newsTo(watcher, second), { message: 'on 留言, the news came live', timeout: 10_000 }).toBeGreaterThan(0);

  // Back on 直播: the page asks the server to stop; once answered, no more news.
  await watcher.page.getByTestId('public-tab-live').tap();
  await expect.poll(() => watcher.follows, { timeout: 10_000 }).toEqual([
    { follow: true, answered: true },
    { follow: false, answered: true },
  ]);
  const third = await publishComment(room, '回到直播以后通过的第三条');
  await card(reader.page, third).waitFor({ timeout: 10_000 });
  await host.command('comment:unstage', {});
  await expect.poll(() => watcher.page.getByTestId('audience-stage').count(), { timeout: 10_000 }).toBe(0);
  expect(newsTo(watcher, third), 'back on 直播, no news').toBe(0);
}, 120_000);
