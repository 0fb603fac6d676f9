/**
 * 群众留言上屏 in the browser: the chair puts an approved comment on the stage from the 留言
 * tab and asks the department present to answer; the card shows on the chair's desktop, on a
 * member's phone (no sideways scrolling) and on the department's page, with hostile text
 * shown as text; 撤下 takes it down everywhere. Screenshots in test-output/comment-stage-*.png.
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

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

async function openPhone(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' });
  return context.newPage();
}

test('the chair stages a comment, every page shows it (a phone too), 撤下 takes it down', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const now = Date.now();
  await server.comments.setSettings(roomId, { opensAt: now - 60_000, closesAt: now + 3_600_000, background: '', themes: ['出行'], heldWords: [] });
  const comment = await server.comments.submit(
    roomId,
    { name: `王阿姨${HOSTILE}`, place: '幸福街道', text: `我家住六楼，老人每天上下楼很吃力。\n希望小区尽快加装电梯，费用能否按楼层分摊？${HOSTILE}` },
    'browser-a',
    now,
  );
  await server.comments.moderate(roomId, comment.id, { action: 'approve' }, now);
  await server.comments.moderate(roomId, comment.id, { action: 'tag', themes: ['出行'] }, now);
  await server.comments.answer(roomId, comment.id, { department: '区住建局', text: '已纳入今年加装计划，分摊方案将于下月公示。' }, now);

  const host = await openPage(browser);
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });
  const dept = await openPage(browser);
  await joinByInvite(dept, server, await invite(server, roomId, 'department', 'city', '区住建局'));
  await dept.getByTestId('room').waitFor({ timeout: 30_000 });
  const phone = await openPhone();
  await joinByInvite(phone, server, await invite(server, roomId, 'member', 'd1'), '李委员');
  await phone.getByTestId('room').waitFor({ timeout: 30_000 });

  // The chair, from the 留言 tab: 上屏, asking the department present.
  await host.getByTestId('tab-comments').click();
  const card = host.locator(`[data-testid="moderation-comment"][data-comment-id="${comment.id}"]`);
  await card.getByTestId('moderation-stage').click();
  await host.getByTestId('stage-ask').selectOption({ label: '区住建局' });
  await host.getByTestId('stage-dialog-confirm').click();

  for (const page of [host, dept, phone]) {
    const stage = page.getByTestId('stage-comment');
    await stage.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('stage-comment-text').textContent()).toContain(`费用能否按楼层分摊？${HOSTILE}`);
    expect(await page.getByTestId('stage-comment-author').textContent()).toBe(`王阿姨${HOSTILE} · 幸福街道`);
    expect(await page.getByTestId('stage-comment-asked').textContent()).toBe(page === dept ? '主持人请您答复此留言' : '请区住建局答复');
    expect(await page.getByTestId('stage-comment-answer').textContent()).toContain('已纳入今年加装计划');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  }
  // Only the chair has 撤下.
  expect(await phone.getByTestId('stage-comment-unstage').count()).toBe(0);
  expect(await dept.getByTestId('stage-comment-unstage').count()).toBe(0);
  const { scrollWidth, innerWidth } = await scrollsSideways(phone);
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  const box = await phone.getByTestId('stage-comment').boundingBox();
  expect(box !== null && box.x >= 0 && box.x + box.width <= innerWidth + 0.5).toBe(true);
  await screenshot(host, 'comment-stage-01-chair');
  await screenshot(dept, 'comment-stage-02-department');
  await screenshot(phone, 'comment-stage-03-phone');

  await host.getByTestId('stage-comment-unstage').click();
  for (const page of [host, dept, phone]) await page.getByTestId('stage-comment').waitFor({ state: 'detached', timeout: 10_000 });
  const state = await server.rooms.state(roomId);
  expect(state?.stage).toBeNull();
  expect(state?.comments.staged.map((s) => s.commentId)).toEqual([comment.id]);
});
