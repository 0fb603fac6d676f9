/**
 * 核稿 through the real UI in Debian's Chromium (issue 5, item 4), as people do it: two members
 * speak (hand raised, floor granted, speech ended; they are protocol clients during the
 * meeting) and leave; the chair ends the
 * meeting; the secretary, on the end screen, writes both passages (the page reloaded half-way
 * through the second, which keeps the typing), saves them and sends each to its speaker. Each speaker then opens their own invite link in a fresh browser (nothing kept
 * from the meeting) and lands on the minutes rather than a dead "meeting ended" page: the first
 * proposes a correction, which the secretary accepts; the second confirms as written. The
 * secretary sees 已确认 on both and locks. The join page they open says the meeting has ended
 * and offers 查看纪要, without a camera preview or any request for camera or microphone.
 * Screenshots in test-output/confirmation-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { joinByInvite } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { TestPeer } from '../helpers/TestPeer.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const shot = (page: Page, step: string) => screenshot(page, `confirmation-${step}`);

/** The secretary's editor of the n-th speech (0-based). */
const speech = (page: Page, index: number) => page.getByTestId('minutes-speech').nth(index);

/**
 * A member raises their hand, the chair gives them the floor, they end their speech. The member
 * is a protocol client: their page during the meeting is not what this test is about.
 */
async function speak(host: Page, member: TestPeer, note: string): Promise<void> {
  await member.command('queue:raise', { speechType: 'statement', note });
  await host.getByTestId('queue-entry').waitFor({ timeout: 10_000 });
  await host.getByTestId('queue-grant-next').click();
  await member.waitForRoom((room) => room.floor !== null);
  await member.command('floor:yield', {});
  await host.getByTestId('floor-stage').waitFor({ state: 'detached', timeout: 10_000 });
}

/** The secretary writes a passage, saves it and sends it to its speaker. */
async function writeAndSend(secretary: Page, index: number, text: string): Promise<void> {
  const box = speech(secretary, index).getByTestId('minutes-section-text');
  await box.fill(text);
  await speech(secretary, index).getByTestId('minutes-save').click();
  await expect.poll(() => speech(secretary, index).getByTestId('minutes-save-status').innerText(), { timeout: 10_000 }).toContain('已保存');
  await speech(secretary, index).getByTestId('minutes-request-confirmation').click();
  await expect.poll(() => speech(secretary, index).getByTestId('minutes-confirmation').innerText(), { timeout: 10_000 }).toBe('待确认');
}

/** Counts the page's requests for camera or microphone in `window.__getUserMediaCalls`. */
const COUNT_GET_USER_MEDIA = `
  (() => {
    const devices = navigator.mediaDevices;
    if (!devices) return;
    const native = devices.getUserMedia.bind(devices);
    window.__getUserMediaCalls = 0;
    devices.getUserMedia = (constraints) => { window.__getUserMediaCalls += 1; return native(constraints); };
  })();
`;

const getUserMediaCalls = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { __getUserMediaCalls: number }).__getUserMediaCalls);

/**
 * The join page of an ended meeting, before anyone clicks: it says so and offers the minutes
 * (查看纪要), with no camera preview, device pickers or network check.
 */
async function expectEndedJoinPage(page: Page): Promise<void> {
  await page.getByTestId('invite-summary').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('join-ended').innerText()).toContain('会议已结束。您可以查看并确认会议纪要。');
  expect(await page.getByTestId('join-submit').innerText()).toBe('查看纪要');
  expect(await page.getByTestId('join-preview').count()).toBe(0);
  expect(await page.locator('video').count()).toBe(0);
  expect(await page.getByTestId('network-check').count()).toBe(0);
}

/** A speaker opens their invite link in a browser that has never seen the meeting. */
async function comeBack(token: string, who: string): Promise<Page> {
  const page = await openPage(browser);
  await page.context().addInitScript(COUNT_GET_USER_MEDIA);
  // Nothing of the meeting is kept in this browser: no resume token to lean on.
  expect((await page.context().storageState()).origins).toEqual([]);
  await page.goto(`${server.url}/join?invite=${token}`);
  await expectEndedJoinPage(page);
  await shot(page, `00-join-ended-${who}`);
  await page.getByTestId('join-submit').click();
  await page.getByTestId('review-minutes').waitFor({ timeout: 30_000 });
  // Let a late failure (a refused request for media, say) surface before checking for it.
  await page.getByTestId('minutes-my-passage').first().waitFor({ timeout: 10_000 });
  expect(await page.getByTestId('error').count()).toBe(0);
  // Neither the join page nor the review asked for the camera or microphone.
  expect(await getUserMediaCalls(page)).toBe(0);
  return page;
}

test('speakers confirm their passages from their own invite links after the meeting; the secretary accepts a correction and locks', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const host = await openPage(browser);
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });
  const secretary = await openPage(browser);
  await joinByInvite(secretary, server, await invite(server, roomId, 'secretary', 'city', '赵记录'));
  await secretary.getByTestId('room').waitFor({ timeout: 30_000 });
  const tokens = {
    li: await invite(server, roomId, 'member', 'd1', '李委员'),
    wang: await invite(server, roomId, 'member', 'd2', '王委员'),
  };
  const li = await TestPeer.connect(server.url);
  await li.join(tokens.li);
  const wang = await TestPeer.connect(server.url);
  await wang.join(tokens.wang);

  // --- two speeches, then both speakers leave -------------------------------------------------
  await host.getByTestId('tab-queue').click();
  await speak(host, li, '关于费用分摊');
  await speak(host, wang, '关于施工期安排');
  li.close();
  wang.close();

  // --- the chair ends the meeting --------------------------------------------------------------
  await host.getByTestId('tab-people').click();
  await host.getByTestId('room-end').click();
  // Asked in the page, not by the browser.
  await host.getByTestId('room-end-dialog-confirm').click();
  await secretary.getByTestId('review-minutes').waitFor({ timeout: 20_000 });

  // --- the secretary writes both passages and sends them for 核稿 ------------------------------
  await speech(secretary, 1).waitFor({ timeout: 10_000 });
  expect(await speech(secretary, 0).innerText()).toContain('李委员');
  expect(await speech(secretary, 1).innerText()).toContain('王委员');
  const liText = '李委员建议按楼层分摊加装电梯费用。';
  const liCorrected = '李委员建议按楼层分摊加装电梯费用，低层住户适当减免。';
  const wangText = '王委员提出施工期间应保障住户出行安全。';
  await writeAndSend(secretary, 0, liText);
  // Half-way through the second passage the secretary's page is reloaded: the typing is kept
  // in the tab and comes back, unsaved, once they are back on the minutes.
  await speech(secretary, 1).getByTestId('minutes-section-text').fill(wangText);
  await expect.poll(() => speech(secretary, 1).getByTestId('minutes-save-status').innerText()).toBe('有未保存的修改');
  // The page asks before leaving with unsaved typing; the secretary goes on.
  secretary.on('dialog', (dialog) => void dialog.accept());
  await secretary.reload();
  await expectEndedJoinPage(secretary);
  await secretary.getByTestId('join-submit').click();
  await secretary.getByTestId('review-minutes').waitFor({ timeout: 30_000 });
  await expect.poll(() => speech(secretary, 1).getByTestId('minutes-section-text').inputValue(), { timeout: 10_000 }).toBe(wangText);
  expect(await speech(secretary, 1).getByTestId('minutes-save-status').innerText()).toBe('有未保存的修改');
  expect(await speech(secretary, 0).getByTestId('minutes-confirmation').innerText()).toBe('待确认');
  await writeAndSend(secretary, 1, wangText);
  await shot(secretary, '01-secretary-sent');

  // --- 李委员 comes back by their invite link and proposes a correction ------------------------
  const liAgain = await comeBack(tokens.li, 'li');
  // The end screen says the meeting is over, and is no dead end: the minutes are below.
  expect(await liAgain.getByTestId('exit-screen').getAttribute('data-reason')).toBe('ended');
  expect(await liAgain.getByTestId('join-blocked').count()).toBe(0);
  const liPassage = liAgain.getByTestId('minutes-my-passage');
  await liPassage.waitFor({ timeout: 10_000 });
  // Only their own speech, with the secretary's text, waiting for them.
  expect(await liPassage.count()).toBe(1);
  expect(await liPassage.getByTestId('minutes-my-passage-text').innerText()).toBe(liText);
  expect(await liPassage.getByTestId('minutes-confirmation').innerText()).toBe('待确认');
  await liPassage.getByTestId('minutes-propose').click();
  const proposal = liPassage.getByTestId('minutes-proposal-text');
  // The form starts from the secretary's text.
  expect(await proposal.inputValue()).toBe(liText);
  await proposal.fill(liCorrected);
  await liPassage.getByTestId('minutes-proposal-submit').click();
  await expect.poll(() => liPassage.getByTestId('minutes-confirmation').innerText(), { timeout: 10_000 }).toBe('提出修改');
  expect(await liPassage.getByTestId('minutes-my-proposal').innerText()).toBe(liCorrected);
  await shot(liAgain, '02-speaker-proposed');

  // --- the secretary sees the proposal and accepts it ------------------------------------------
  const correction = speech(secretary, 0).getByTestId('minutes-correction');
  await correction.waitFor({ timeout: 10_000 });
  expect(await correction.getByTestId('minutes-correction-text').innerText()).toBe(liCorrected);
  await shot(secretary, '03-secretary-correction');
  await correction.getByTestId('minutes-correction-accept').click();
  await expect.poll(() => speech(secretary, 0).getByTestId('minutes-confirmation').innerText(), { timeout: 10_000 }).toBe('已确认');
  await expect.poll(() => speech(secretary, 0).getByTestId('minutes-section-text').inputValue()).toBe(liCorrected);
  // The speaker's page follows: their wording is now the record, confirmed.
  await expect.poll(() => liPassage.getByTestId('minutes-confirmation').innerText(), { timeout: 10_000 }).toBe('已确认');
  expect(await liPassage.getByTestId('minutes-my-passage-text').innerText()).toBe(liCorrected);

  // --- 王委员 comes back and confirms as written -----------------------------------------------
  const wangAgain = await comeBack(tokens.wang, 'wang');
  const wangPassage = wangAgain.getByTestId('minutes-my-passage');
  await wangPassage.waitFor({ timeout: 10_000 });
  expect(await wangPassage.count()).toBe(1);
  expect(await wangPassage.getByTestId('minutes-my-passage-text').innerText()).toBe(wangText);
  await wangPassage.getByTestId('minutes-confirm').click();
  await expect.poll(() => wangPassage.getByTestId('minutes-confirmation').innerText(), { timeout: 10_000 }).toBe('已确认');
  await shot(wangAgain, '04-speaker-confirmed');

  // --- the secretary sees both confirmed and locks ---------------------------------------------
  await expect.poll(() => speech(secretary, 1).getByTestId('minutes-confirmation').innerText(), { timeout: 10_000 }).toBe('已确认');
  expect(await speech(secretary, 0).getByTestId('minutes-confirmation').innerText()).toBe('已确认');
  const lock = secretary.getByTestId('minutes-lock');
  await lock.click();
  await expect.poll(() => lock.getAttribute('data-confirming')).toBe('true');
  await secretary.getByTestId('minutes-lock-dialog-confirm').click();
  await expect.poll(() => secretary.getByTestId('minutes-version-state').innerText(), { timeout: 10_000 }).toBe('已锁定');
  await shot(secretary, '05-secretary-locked');
  // The speakers' pages follow the lock: nothing more can be added to this version.
  await expect.poll(() => wangAgain.getByTestId('review-minutes').innerText(), { timeout: 10_000 }).toContain('纪要已锁定');
  expect(await liAgain.getByTestId('minutes-propose').count()).toBe(0);
  expect(await liPassage.getByTestId('minutes-confirmation').innerText()).toBe('已确认');
});
