/**
 * A member on a phone-sized touch screen (390×844): the invite's join page, the lobby, the
 * room, and a vote, with the chair on a desktop. Nothing may need sideways scrolling, and the
 * ballot and the "vote recorded" notice must be on screen. Screenshots in test-output/phone-*.png.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { eventually, openPage, screenshot } from '../helpers/browser.js';
import { joinByInvite, scrollsSideways } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const PHONE = { width: 390, height: 844 };

async function openPhone(): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' });
  return context.newPage();
}

/** The page fits the screen's width (no sideways scrolling). */
async function expectNoSidewaysScroll(page: Page, step: string): Promise<void> {
  const { scrollWidth, innerWidth } = await scrollsSideways(page);
  expect(scrollWidth, `${step}: page is ${scrollWidth}px wide on a ${innerWidth}px screen`).toBeLessThanOrEqual(innerWidth);
}

/** The element is shown, whole, within the screen's width, and in view once scrolled to. */
async function expectOnScreen(page: Page, element: Locator, step: string): Promise<void> {
  await element.scrollIntoViewIfNeeded();
  expect(await element.isVisible(), `${step}: hidden`).toBe(true);
  const box = await element.boundingBox();
  expect(box, `${step}: no box`).not.toBeNull();
  const { innerWidth, innerHeight } = await page.evaluate(() => ({ innerWidth: window.innerWidth, innerHeight: window.innerHeight }));
  expect(box!.x, `${step}: starts off the left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${step}: runs off the right edge`).toBeLessThanOrEqual(innerWidth + 0.5);
  expect(box!.y, `${step}: above the screen`).toBeGreaterThanOrEqual(0);
  expect(box!.y + Math.min(box!.height, innerHeight), `${step}: below the screen`).toBeLessThanOrEqual(innerHeight + 0.5);
}

test('a member on a phone joins by the invite link, waits in the lobby, and votes', async () => {
  const { roomId, hostInvite } = await createRoom(server);
  const host = await openPage(browser);
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });

  // The join page: what the invite is for, a camera preview, the name, one big button.
  const phone = await openPhone();
  await phone.goto(`${server.url}/join?invite=${await invite(server, roomId, 'member', 'd1')}`);
  await phone.getByTestId('invite-summary').waitFor({ timeout: 20_000 });
  await phone.getByTestId('join-preview').waitFor({ timeout: 10_000 });
  await expectNoSidewaysScroll(phone, 'join');
  await expectOnScreen(phone, phone.getByTestId('join-room'), 'join: topic');
  await screenshot(phone, 'phone-01-join');
  await phone.getByTestId('join-name').tap();
  await phone.getByTestId('join-name').fill('李委员');
  await expectOnScreen(phone, phone.getByTestId('join-submit'), 'join: button');
  await phone.getByTestId('join-submit').tap();

  await phone.getByTestId('lobby-waiting').waitFor({ timeout: 30_000 });
  await expectNoSidewaysScroll(phone, 'lobby');
  await screenshot(phone, 'phone-02-lobby');

  await host.getByTestId('tab-people').click();
  await host.getByTestId('lobby-admit').click();
  await phone.getByTestId('room').waitFor({ timeout: 30_000 });
  // The chair's camera arrives on the phone.
  await eventually(
    () => phone.$$eval('video[data-testid="remote-video"]', (vs) => vs.map((v) => (v as HTMLVideoElement).videoWidth)),
    (widths) => widths.length === 1 && widths[0]! > 0,
    30_000,
  );
  await expectNoSidewaysScroll(phone, 'room');
  await expectOnScreen(phone, phone.getByTestId('toggle-mic'), 'room: microphone button');
  await screenshot(phone, 'phone-03-room');

  // The chair opens a yes/no vote.
  const question = '是否同意加装电梯方案？';
  await host.getByTestId('tab-polls').click();
  await host.getByTestId('poll-create').click();
  await host.getByTestId('poll-question').fill(question);
  await host.getByTestId('poll-submit-create').click();
  await host.getByTestId('poll-open').click();

  // The tab bar opens the votes sheet; the ballot fits the screen.
  await phone.getByTestId('tab-polls').tap();
  const ballot = phone.getByTestId('poll-ballot');
  await ballot.waitFor({ timeout: 10_000 });
  await expectNoSidewaysScroll(phone, 'ballot');
  await expectOnScreen(phone, ballot, 'ballot');
  expect(await phone.getByTestId('poll').innerText()).toContain(question);
  for (const option of await phone.getByTestId('poll-option').all()) {
    // Each choice is a comfortable touch target (its label row at least 40 px tall).
    const row = await option.locator('xpath=ancestor::label').boundingBox();
    expect(row?.height ?? 0).toBeGreaterThanOrEqual(40);
  }
  await screenshot(phone, 'phone-04-ballot');
  await phone.locator('[data-testid="poll-option"][data-index="2"]').tap();
  await expectOnScreen(phone, phone.getByTestId('poll-vote-submit'), 'ballot: cast button');
  await phone.getByTestId('poll-vote-submit').tap();

  const voted = phone.getByTestId('poll-voted');
  await voted.waitFor({ timeout: 10_000 });
  expect(await voted.innerText()).toContain('弃权');
  await expectNoSidewaysScroll(phone, 'voted');
  await expectOnScreen(phone, voted, 'voted');
  await screenshot(phone, 'phone-05-voted');
  await expect.poll(() => host.getByTestId('poll-turnout').getAttribute('data-voted'), { timeout: 10_000 }).toBe('1');

  // Results on the phone once published.
  await host.getByTestId('poll-close').click();
  await host.getByTestId('poll-publish').click();
  const bars = phone.getByTestId('poll-result-bar');
  await eventually(() => bars.count(), (n) => n === 3, 10_000);
  expect(await bars.evaluateAll((els) => els.map((el) => el.getAttribute('data-count')))).toEqual(['0', '0', '1']);
  await expectNoSidewaysScroll(phone, 'results');
  await expectOnScreen(phone, phone.getByTestId('poll-results'), 'results');
  await screenshot(phone, 'phone-06-results');
});
