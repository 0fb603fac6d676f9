/**
 * The roll call checked by media in Debian's Chromium, whose fake microphone beeps (so it
 * carries sound): a member who answers with the microphone on is present; one who muted it is
 * told on their banner to turn it on and say a word, and the chair sees 已应答·未听到声音
 * until the server hears it. A district hall's terminal reports its members and the quorum
 * chip turns from 未达 to 已达法定人数.
 */
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { joinByInvite } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

async function inRoom(token: string, name?: string): Promise<Page> {
  const page = await openPage(browser);
  await joinByInvite(page, server, token, name);
  await page.getByTestId('room').waitFor({ timeout: 30_000 });
  return page;
}

/** The answer the chair's list shows beside one participant. */
const answerOf = (host: Page, name: string) =>
  host.locator('[data-testid="participant-entry"]', { hasText: name }).getByTestId('rollcall-state').getAttribute('data-answer');
const overallChip = (page: Page) => page.locator('[data-testid="quorum-gauge"][data-venue="*"] [data-testid="quorum-chip"]');

test('present needs 到 and a microphone heard; the chair sees who was not heard; a hall reports its members and the quorum counts them', async () => {
  // 应到 5 (主会场 2, 一区 2, 二区 1); quorum 70 %.
  const { roomId, hostInvite } = await createRoom(server, { open: true, quorumPercent: 70 });
  const host = await inRoom(hostInvite, '周主持');
  const zhang = await inRoom(await invite(server, roomId, 'member', 'city'), '张委员');
  const wang = await inRoom(await invite(server, roomId, 'member', 'city'), '王委员');
  const hall = await inRoom(await invite(server, roomId, 'venue', 'd1'));
  await host.getByTestId('tab-people').click();
  // 实到 3 of 5 (the hall's terminal counts as one until it reports): 60 %, short of 70 %.
  await expect.poll(() => overallChip(host).getAttribute('data-met'), { timeout: 15_000 }).toBe('false');
  expect(await overallChip(host).innerText()).toBe('未达法定人数');

  // 王 mutes the microphone before the roll call.
  await wang.getByTestId('toggle-mic').click();
  await host.getByTestId('rollcall-start').click();

  await zhang.getByTestId('rollcall-confirm').click();
  await wang.getByTestId('rollcall-confirm').click();
  await hall.getByTestId('rollcall-confirm').click();

  // 张's beeping microphone is heard on the server although the floor keeps it paused there.
  await zhang.getByTestId('rollcall-confirmed').waitFor({ timeout: 15_000 });
  await expect.poll(() => answerOf(host, '张委员'), { timeout: 15_000 }).toBe('present');
  // 王 answered, but nothing was heard: their own banner asks for a word, the chair sees it.
  await wang.getByTestId('rollcall-unheard').waitFor({ timeout: 15_000 });
  expect(await wang.getByTestId('rollcall-unheard').innerText()).toContain('请打开麦克风说一句话');
  expect(await answerOf(host, '王委员')).toBe('silent');
  await expect.poll(() => answerOf(host, '一区分会场'), { timeout: 15_000 }).toBe('present');
  await expect
    .poll(() => host.getByTestId('rollcall-count').evaluateAll((els) => els.map((el) => `${el.getAttribute('data-answer')}=${el.getAttribute('data-count')}`)))
    .toEqual(['present=2', 'silent=1', 'noMic=0', 'heard=0', 'none=0']);
  await screenshot(wang, 'roll-call-01-member-not-heard');
  await host.locator('[data-testid="participant-entry"]', { hasText: '王委员' }).scrollIntoViewIfNeeded();
  await screenshot(host, 'roll-call-02-chair-sees-who-was-not-heard');

  // The hall reports 2 members in its banner: 实到 2 + 2 of 5, 80 %: the quorum is met.
  await hall.getByTestId('headcount-input').fill('2');
  await hall.getByTestId('headcount-report').click();
  await hall.getByTestId('headcount-reported').waitFor();
  await expect.poll(() => host.locator('[data-testid="hall-count"]').getAttribute('data-count'), { timeout: 10_000 }).toBe('2');
  await expect.poll(() => overallChip(host).getAttribute('data-met')).toBe('true');
  expect(await host.locator('[data-testid="quorum-gauge"][data-venue="*"] .gauge-figures').innerText()).toBe('实到 4 / 应到 5');
  await screenshot(hall, 'roll-call-03-hall-reports-its-members');

  // 王 turns the microphone on from the banner: heard, and present.
  await wang.getByTestId('rollcall-open-mic').click();
  await wang.getByTestId('rollcall-confirmed').waitFor({ timeout: 15_000 });
  await expect.poll(() => answerOf(host, '王委员'), { timeout: 15_000 }).toBe('present');
  await host.getByTestId('attendance').scrollIntoViewIfNeeded();
  await screenshot(host, 'roll-call-04-chair-quorum-met');
});
