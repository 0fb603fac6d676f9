/**
 * Public comments (码上商量) in Chromium: a phone-sized page opens the room's public link and
 * comments with hostile text in every field, and sees it as its own, marked 待审核; the
 * secretary, in the meeting on a desktop, approves it and tags it with a theme in the 留言 tab;
 * the public page then shows it published with its theme, and its upvote stays used after a
 * reload (the browser's cookie); a department answers it in its 留言 tab and the phone shows the
 * answer; the chair puts it on the stage and the public's 直播 tab shows it with the answer; the
 * staff's CSV carries it all. The hostile text stays text on every page (no element made of it,
 * no script run). Screenshots: test-output/comments-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { joinByInvite, scrollsSideways } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const PHONE = { width: 390, height: 844 };

/**
 * Each field carries markup that would set a flag if it ever ran, a long line, right-to-left
 * text and emoji; the name and place within their 40 characters, the text within its 1,000.
 */
const HOSTILE = {
  name: '<img src=x onerror="__xss=1">مرحبا',
  place: '<script>window.__xss=2</script>‮区',
  text: `<b>加装</b><svg onload="window.__xss=3"></svg> ${'电梯'.repeat(5)}${'W'.repeat(300)} שלום 👍🏽👨‍👩‍👧 &amp; {{t}}`,
};
const THEME = '<i>交通出行</i>';

async function adminPut(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${server.url}/api${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${server.adminSecret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
}

/** Nothing typed by the public became an element or ran. */
async function expectOnlyText(page: Page, within: string, step: string): Promise<void> {
  const found = await page.$$eval(`${within} img, ${within} script, ${within} svg, ${within} b, ${within} i`, (els) => els.map((e) => e.outerHTML));
  expect(found, `${step}: elements made of comment text`).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), `${step}: a script ran`).toBeUndefined();
}

test('a comment from a phone with hostile text is held for review, approved and tagged by the secretary, then published with its theme', async () => {
  // Open: the department comes straight in (the lobby has its own tests).
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  await adminPut(`/admin/rooms/${roomId}/comments`, {
    opensAt: Date.now() - 60_000,
    closesAt: Date.now() + 7 * 86_400_000,
    background: '本小区共有 12 栋 6 层住宅，均无电梯。\n'.repeat(8),
    themes: [THEME, '资金分摊'],
    heldWords: [],
  });

  // --- the public link on a phone: the topic, the background folded, the form ---------------
  const phoneContext = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' });
  const phone = await phoneContext.newPage();
  await phone.goto(`${server.url}/join?invite=${await invite(server, roomId, 'public')}`);
  // The public page opens on 直播; 留言 is its other tab.
  await phone.getByTestId('public-tab-comments').tap();
  const board = phone.getByTestId('comments-board');
  await board.getByTestId('comment-form').waitFor({ timeout: 20_000 });
  expect(await board.getByTestId('comments-state').getAttribute('data-open')).toBe('true');
  await screenshot(phone, 'comments-01-public-form');

  await board.getByTestId('comment-form-name').fill(HOSTILE.name);
  await board.getByTestId('comment-form-place').fill(HOSTILE.place);
  await board.getByTestId('comment-form-text').fill(HOSTILE.text);
  expect(await board.getByTestId('comment-form-count').textContent()).toBe(`${[...HOSTILE.text].length} / 1000 字`);
  await board.getByTestId('comment-form-submit').tap();

  // --- its own comment, on top, marked 待审核, as typed ------------------------------------
  const mine = board.getByTestId('comment-mine');
  await mine.waitFor({ timeout: 20_000 });
  expect(await mine.getByTestId('comment-pending').textContent()).toBe('待审核');
  expect(await mine.getByTestId('comment-name').textContent()).toBe(HOSTILE.name);
  expect(await mine.getByTestId('comment-place').textContent()).toBe(HOSTILE.place);
  expect(await mine.getByTestId('comment-text').textContent()).toBe(HOSTILE.text);
  expect(await board.getByTestId('comment-form-status').textContent()).toContain('等待审核');
  expect(await board.getByTestId('comment').count()).toBe(0);
  await expectOnlyText(phone, '[data-testid="comments-board"]', 'public, pending');
  const { scrollWidth, innerWidth } = await scrollsSideways(phone);
  expect(scrollWidth, 'the long line makes the phone page scroll sideways').toBeLessThanOrEqual(innerWidth);
  await mine.scrollIntoViewIfNeeded();
  await screenshot(phone, 'comments-02-public-pending');

  // --- the secretary approves and tags it in the 留言 tab -----------------------------------
  const secretary = await openPage(browser);
  await joinByInvite(secretary, server, await invite(server, roomId, 'secretary'), '王记录');
  await secretary.getByTestId('room').waitFor({ timeout: 30_000 });
  const tab = secretary.getByTestId('tab-comments');
  await tab.waitFor();
  await expect.poll(() => tab.textContent(), { timeout: 10_000 }).toContain('1');
  await tab.click();
  const queued = secretary.getByTestId('moderation-pending').getByTestId('moderation-comment');
  await queued.waitFor({ timeout: 10_000 });
  expect(await queued.getByTestId('comment-text').textContent()).toBe(HOSTILE.text);
  await expectOnlyText(secretary, '[data-testid="side-panel"]', 'moderation');
  await screenshot(secretary, 'comments-03-moderation-pending');

  await queued.getByTestId('moderation-approve').click();
  const published = secretary.getByTestId('moderation-approved').getByTestId('moderation-comment');
  await published.waitFor({ timeout: 10_000 });
  await published.getByTestId('moderation-theme').filter({ hasText: THEME }).click();
  await expect.poll(() => published.getByTestId('comment-theme').allTextContents(), { timeout: 10_000 }).toEqual([THEME]);
  expect(await secretary.getByTestId('moderation-pending').count()).toBe(0);
  await screenshot(secretary, 'comments-04-moderation-approved');

  // --- the public page shows it published, with its theme, and no longer as 待审核 ------------
  await phone.bringToFront();
  const shown = board.getByTestId('comment');
  await expect.poll(() => shown.getByTestId('comment-theme').allTextContents(), { timeout: 20_000 }).toEqual([THEME]);
  expect(await shown.getByTestId('comment-name').textContent()).toBe(HOSTILE.name);
  expect(await shown.getByTestId('comment-text').textContent()).toBe(HOSTILE.text);
  expect(await board.getByTestId('comment-mine').count()).toBe(0);
  await expectOnlyText(phone, '[data-testid="comments-board"]', 'public, published');
  await shown.scrollIntoViewIfNeeded();
  await screenshot(phone, 'comments-05-public-approved');

  // --- one upvote per browser: counted, shown as used, and still used after a reload ----------
  await shown.getByTestId('comment-upvote').tap();
  await expect.poll(() => shown.getByTestId('comment-upvote').textContent(), { timeout: 10_000 }).toBe('已赞同 1');
  await phone.reload();
  await phone.getByTestId('public-tab-comments').tap();
  const again = board.getByTestId('comment').getByTestId('comment-upvote');
  await again.waitFor({ timeout: 20_000 });
  expect(await again.getAttribute('aria-pressed')).toBe('true');
  expect(await again.isDisabled()).toBe(true);
  expect(await again.textContent()).toBe('已赞同 1');
  await again.scrollIntoViewIfNeeded();
  await screenshot(phone, 'comments-06-public-upvoted');

  // --- a department answers in its own 留言 tab; the phone shows the answer live --------------
  const ANSWER = '<b>已纳入</b>今年加装计划，分摊方案下月公示。';
  const department = await openPage(browser);
  await joinByInvite(department, server, await invite(server, roomId, 'department', 'city', '区住建局'));
  await department.getByTestId('room').waitFor({ timeout: 30_000 });
  await department.getByTestId('tab-comments').click();
  const toAnswer = department.getByTestId('answers-open').getByTestId('answer-comment');
  await toAnswer.waitFor({ timeout: 10_000 });
  expect(await toAnswer.getByTestId('comment-text').textContent()).toBe(HOSTILE.text);
  await toAnswer.getByTestId('answer-text').fill(ANSWER);
  await toAnswer.getByTestId('answer-submit').click();
  await department.getByTestId('answers-done').getByTestId('answer-comment').waitFor({ timeout: 10_000 });
  await screenshot(department, 'comments-07-department-answered');
  const answer = board.getByTestId('comment').getByTestId('comment-answer');
  await answer.waitFor({ timeout: 20_000 });
  expect(await answer.textContent()).toContain('区住建局');
  expect(await answer.textContent()).toContain(ANSWER);
  await expectOnlyText(phone, '[data-testid="comments-board"]', 'public, answered');

  // --- the chair puts it on the stage: the public's 直播 tab shows it with its answer ---------
  const host = await openPage(browser);
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });
  await host.getByTestId('tab-comments').click();
  await host.getByTestId('moderation-approved').getByTestId('moderation-stage').click();
  await host.getByTestId('stage-dialog-confirm').click();
  await host.getByTestId('stage-comment').waitFor({ timeout: 10_000 });
  expect(await host.getByTestId('stage-comment-text').textContent()).toContain(HOSTILE.text);
  await phone.getByTestId('public-tab-live').tap();
  const onStage = phone.getByTestId('audience-stage');
  await onStage.waitFor({ timeout: 20_000 });
  expect(await onStage.locator('.comment-text').first().textContent()).toBe(HOSTILE.text);
  expect(await onStage.locator('.comment-name').textContent()).toBe(HOSTILE.name);
  expect(await onStage.textContent()).toContain(ANSWER);
  await expectOnlyText(phone, '[data-testid="audience-stage"]', 'public, on stage');
  await screenshot(phone, 'comments-08-public-on-stage');

  // --- the staff's CSV carries the comment as typed, its theme, upvote and answer --------------
  const csv = await fetch(`${server.url}/api/comments/${roomId}/export.csv`, {
    headers: { authorization: `Bearer ${await invite(server, roomId, 'secretary')}` },
  });
  expect(csv.status).toBe(200);
  const bytes = new Uint8Array(await csv.arrayBuffer());
  // (A decoder drops the BOM: it is checked in the bytes.)
  expect([...bytes.subarray(0, 3)], 'a BOM, for Excel to read the Chinese').toEqual([0xef, 0xbb, 0xbf]);
  const body = new TextDecoder().decode(bytes);
  // RFC 4180: a field with a quote is quoted, its quotes doubled.
  expect(body).toContain(`"${HOSTILE.name.replaceAll('"', '""')}"`);
  expect(body).toContain(`"${HOSTILE.text.replaceAll('"', '""')}"`);
  for (const part of [HOSTILE.place, THEME, '区住建局', ANSWER]) expect(body).toContain(part);
});
