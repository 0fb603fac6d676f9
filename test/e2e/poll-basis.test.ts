/**
 * "过半数" says what it counts, in Debian's Chromium: the chair drafts a yes/no vote and chooses
 * to count abstentions; a member on a phone sees the rule on the card before voting, and after
 * 1 赞成 and 1 弃权 of 3 both read the rule with its basis, the two numbers it compared and
 * 未通过 (the case that used to read 50 % and 通过). Screenshots in test-output/poll-basis-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { joinByInvite } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { TestPeer } from '../helpers/TestPeer.js';

let server: RunningServer;
let browser: Browser;
const peers: TestPeer[] = [];

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});
afterAll(() => peers.forEach((p) => p.close()));

const shot = (page: Page, step: string) => screenshot(page, `poll-basis-${step}`);

test('the chair chooses what the majority counts; the chair and a member on a phone read it with the result', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const host = await openPage(browser);
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' });
  const phone = await context.newPage();
  await joinByInvite(phone, server, await invite(server, roomId, 'member', 'd1', '李委员'));
  await phone.getByTestId('room').waitFor({ timeout: 30_000 });
  const zhang = await TestPeer.connect(server.url);
  const wang = await TestPeer.connect(server.url);
  peers.push(zhang, wang);
  await zhang.join(await invite(server, roomId, 'member', 'city', '张委员'));
  await wang.join(await invite(server, roomId, 'member', 'd2', '王委员'));

  // --- the chair drafts the vote and says what its majority counts ------------------------------
  await host.getByTestId('tab-polls').click();
  await host.getByTestId('poll-create').click();
  await host.getByTestId('poll-question').fill('是否同意加装电梯方案？');
  await host.getByTestId('poll-kind').selectOption('yesno');
  expect(await host.getByTestId('poll-basis').count()).toBe(0);
  await host.getByTestId('poll-threshold').selectOption('simple');
  const basis = host.getByTestId('poll-basis');
  expect(await basis.locator('option').allInnerTexts()).toEqual(['实际投票数（弃权不计）', '实际投票数（弃权计入）', '应投人数（含未投票者）']);
  await basis.selectOption('castWithAbstentions');
  expect(await host.getByTestId('poll-basis-hint').innerText()).toBe(
    '弃权票也算在总票数内，作用与反对票相同。例：1 票赞成、1 票弃权，算作 2 票中有 1 票赞成，未过半数。',
  );
  await shot(host, '01-host-form');
  await host.getByTestId('poll-submit-create').click();
  await host.getByTestId('poll-open').click();
  await expect.poll(() => host.getByTestId('poll-turnout').getAttribute('data-eligible'), { timeout: 10_000 }).toBe('3');
  const pollId = (await zhang.waitForRoom((room) => room.pollOrder.length === 1)).pollOrder[0] ?? '';

  // --- the member on the phone reads the rule on the card, then votes 赞成 ----------------------
  await phone.getByTestId('tab-polls').tap();
  await phone.getByTestId('poll-ballot').waitFor({ timeout: 10_000 });
  expect(await phone.getByTestId('poll-rule-chip').innerText()).toBe('过半数（以实际投票计，弃权计入）');
  await shot(phone, '02-phone-ballot');
  await phone.locator('[data-testid="poll-option"][data-index="0"]').tap();
  await phone.getByTestId('poll-vote-submit').tap();
  await phone.getByTestId('poll-voted').waitFor({ timeout: 10_000 });
  await zhang.command('poll:vote', { pollId, choices: [2] }); // 弃权; 王委员 does not vote
  await expect.poll(() => host.getByTestId('poll-turnout').getAttribute('data-voted'), { timeout: 10_000 }).toBe('2');

  // --- the result, as the chair and the member read it ------------------------------------------
  await host.getByTestId('poll-close').click();
  await host.getByTestId('poll-publish').click();
  for (const [page, name] of [[host, '03-host-result'], [phone, '04-phone-result']] as const) {
    const rule = page.getByTestId('poll-rule');
    await rule.waitFor({ timeout: 10_000 });
    await rule.scrollIntoViewIfNeeded();
    expect(await rule.isVisible()).toBe(true);
    expect(await rule.innerText()).toBe('通过标准：过半数（以实际投票计，弃权计入） · 支持 1 票，计票基数 2 票');
    expect(await page.getByTestId('poll-passed').innerText()).toBe('未通过');
    await shot(page, name);
  }
});
