/**
 * What a chair, a member and a hall who know only 腾讯会议 expect to be told, in Debian's
 * Chromium: the chair hears and sees someone knocking (with 准入 on the notice) and a raised
 * hand (marked on the tile and in the list); a member on a phone has 举手 and labelled buttons
 * in the toolbar, one microphone state shown the same on the button bar and on the tile, a word
 * when the floor comes and when it ends, and the ballot comes to them; a venue terminal is not
 * asked for a name and keeps its own camera in view. One meeting walks through all of it (a
 * room and its pages cost seconds each on two cores). Screenshots in test-output/notices-*.png.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { eventually, openPage, screenshot } from '../helpers/browser.js';
import { audioContexts, countTones, tones } from '../helpers/pageProbes.js';
import { joinByInvite } from '../helpers/meeting.js';
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

/** Whole and inside the viewport as it is, without scrolling. */
async function inView(page: Page, element: Locator): Promise<boolean> {
  const box = await element.boundingBox();
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5;
}

async function noticeOf(page: Page, kind: string): Promise<Locator> {
  const notice = page.locator(`[data-testid="notice"][data-kind="${kind}"]`);
  await notice.waitFor({ timeout: 15_000 });
  return notice;
}

test('the chair is told who knocks and who raises a hand; the member is told the floor and the ballot; a hall joins by its name', async () => {
  const { roomId, hostInvite } = await createRoom(server);
  const host = await openPage(browser);
  await countTones(host);
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });
  // The chair is heard all meeting: the bar and the tile say so in the same words.
  await expect.poll(() => host.getByTestId('mic-status').innerText(), { timeout: 15_000 }).toBe('可以发言');
  expect(await host.getByTestId('local-mic-state').innerText()).toBe('可以发言');

  // The join page on a phone: 进入会议 is on screen as the page opens, no scrolling.
  const phone = await openPhone();
  await phone.goto(`${server.url}/join?invite=${await invite(server, roomId, 'member', 'd1')}`);
  await phone.getByTestId('join-preview').waitFor({ timeout: 20_000 });
  expect(await inView(phone, phone.getByTestId('join-submit')), '进入会议 in view on the phone').toBe(true);
  // The level meter hears the (fake) microphone's beeps.
  await eventually(() => phone.getByTestId('mic-level').getAttribute('aria-valuenow'), (v) => Number(v) > 0, 10_000);
  await screenshot(phone, 'notices-01-phone-join');
  await phone.getByTestId('join-name').fill('李委员');
  const tonesBefore = await tones(host);
  await phone.getByTestId('join-submit').tap();
  await phone.getByTestId('lobby-waiting').waitFor({ timeout: 30_000 });

  // Someone knocks: the chair sees who, with 准入 on the notice, and hears a chime.
  const knock = await noticeOf(host, 'lobbyWaiting');
  expect(await knock.innerText()).toContain('李委员 正在等候入会');
  expect(await knock.getAttribute('role')).toBe('alert');
  await eventually(() => tones(host), (n) => n > tonesBefore, 15_000);
  // The chime is no Web Audio: an AudioContext would hold the page's main thread while the
  // browser's audio service answers (20 s when it is stuck).
  expect(await audioContexts(host)).toBe(0);
  await screenshot(host, 'notices-02-chair-knock');
  await knock.getByTestId('notice-admit').click();
  await phone.getByTestId('room').waitFor({ timeout: 30_000 });
  // Admitted: the notice has done its work and goes.
  await eventually(() => host.locator('[data-testid="notice"][data-kind="lobbyWaiting"]').count(), (n) => n === 0, 10_000);

  // The phone's toolbar: every button says what it does, 举手 is there, leaving is set apart.
  // Each button's visible word (innerText leaves out what CSS hides), and how wide it shows.
  const labels = await phone.locator('.controls button:not([disabled])').evaluateAll((buttons) =>
    buttons.map((button) => ({
      text: (button as HTMLElement).innerText.trim(),
      width: Math.max(0, ...[...button.querySelectorAll('.control-label')].map((l) => l.getBoundingClientRect().width)),
    })),
  );
  expect(labels.map((l) => l.text)).toEqual(expect.arrayContaining(['举手', '离开会议']));
  for (const label of labels) {
    expect(label.text, 'every button has a word').not.toBe('');
    expect(label.width, `label ${label.text} shown`).toBeGreaterThan(10);
  }
  const colour = (id: string) => phone.getByTestId(id).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await colour('toggle-mic'), 'the microphone button does not look like the leave button').not.toBe(await colour('leave'));

  // One microphone state: waiting for the floor, in the same words on the bar and on my tile.
  await expect.poll(() => phone.getByTestId('mic-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('waitingFloor');
  expect(await phone.getByTestId('toggle-mic').innerText()).toBe('等待发言');
  expect(await phone.getByTestId('local-mic-state').innerText()).toBe('等待发言');
  expect(await phone.getByTestId('toggle-mic').getAttribute('data-mic-status')).toBe('waitingFloor');

  // 举手 in one tap: the chair is told and hears it; the tile and the list show the hand.
  const tonesBeforeHand = await tones(host);
  await phone.getByTestId('toolbar-hand').tap();
  await expect.poll(() => phone.getByTestId('toolbar-hand').getAttribute('data-state'), { timeout: 10_000 }).toBe('raised');
  const hand = await noticeOf(host, 'handRaised');
  expect(await hand.innerText()).toContain('李委员 举手申请发言');
  await eventually(() => tones(host), (n) => n > tonesBeforeHand, 15_000);
  const tileHand = host.locator('[data-testid="peer-tile"] [data-testid="hand-indicator"]');
  await tileHand.waitFor({ timeout: 10_000 });
  expect(await tileHand.getAttribute('data-place')).toBe('1');
  await host.getByTestId('tab-people').click();
  expect(await host.getByTestId('hand-chip').innerText()).toContain('第 1 位');
  await screenshot(phone, 'notices-03-phone-hand');
  await screenshot(host, 'notices-04-chair-hand');

  // The floor: the member is told it came, and the state reads 可以发言 everywhere.
  await host.getByTestId('tab-queue').click();
  await host.getByTestId('queue-grant').click();
  const granted = await noticeOf(phone, 'floorGranted');
  expect(await granted.innerText()).toContain('轮到您发言了');
  await expect.poll(() => phone.getByTestId('local-mic-state').innerText(), { timeout: 10_000 }).toBe('可以发言');
  // Heard: the phone's button offers 静音 again; the desktop bar's chip says the state.
  expect(await phone.getByTestId('toggle-mic').innerText()).toBe('静音');
  // The hand is down now that the floor is given: the chair's hand notice and tile mark go.
  await eventually(() => host.locator('[data-testid="hand-indicator"]').count(), (n) => n === 0, 10_000);
  await screenshot(phone, 'notices-05-phone-floor');

  // The chair ends the speech: the member is told, not left with a vanished stage.
  await host.getByTestId('floor-revoke').click();
  const ended = await noticeOf(phone, 'floorEnded');
  expect(await ended.innerText()).toContain('主持人已结束您的发言');
  await expect.poll(() => phone.getByTestId('local-mic-state').innerText(), { timeout: 10_000 }).toBe('等待发言');
  expect(await phone.getByTestId('toggle-mic').innerText()).toBe('等待发言');
  await screenshot(phone, 'notices-06-phone-floor-ended');

  // A new poll: the ballot opens on the phone by itself, on screen, and a notice says so.
  const question = '是否同意加装电梯方案？';
  await host.getByTestId('tab-polls').click();
  await host.getByTestId('poll-create').click();
  await host.getByTestId('poll-question').fill(question);
  await host.getByTestId('poll-submit-create').click();
  await host.getByTestId('poll-open').click();
  const ballot = phone.getByTestId('poll-ballot');
  await ballot.waitFor({ timeout: 15_000 });
  expect(await ballot.isVisible()).toBe(true);
  expect(await inView(phone, phone.getByTestId('poll-vote-submit')), 'the cast button is on screen without scrolling').toBe(true);
  expect(await (await noticeOf(phone, 'pollOpened')).innerText()).toContain(question);
  await screenshot(phone, 'notices-07-phone-ballot');
  await phone.locator('[data-testid="poll-option"][data-index="0"]').tap();
  await phone.getByTestId('poll-vote-submit').tap();
  await phone.getByTestId('poll-voted').waitFor({ timeout: 10_000 });
  // Voted: the notice goes, and no banner asks again.
  await eventually(() => phone.locator('[data-testid="notice"][data-kind="pollOpened"]').count(), (n) => n === 0, 10_000);
  expect(await phone.getByTestId('vote-banner').count()).toBe(0);

  // A point of order: the chair's notice is urgent (an alert, set apart), and rings.
  const tonesBeforeOrder = await tones(host);
  await phone.getByTestId('tab-queue').tap();
  await phone.getByTestId('queue-type').selectOption('order');
  await phone.getByTestId('queue-raise').tap();
  const order = host.locator('[data-testid="notice"][data-kind="handRaised"].urgent');
  await order.waitFor({ timeout: 15_000 });
  expect(await order.innerText()).toContain('李委员 提出程序性问题');
  expect(await order.getAttribute('role')).toBe('alert');
  await eventually(() => tones(host), (n) => n > tonesBeforeOrder, 15_000);
  await screenshot(host, 'notices-10-chair-point-of-order');

  // A ballot set aside: closing the sheet without voting leaves a banner with 去投票.
  await host.getByTestId('poll-close').click();
  await host.getByTestId('poll-create').click();
  await host.getByTestId('poll-question').fill('是否同意第二期方案？');
  await host.getByTestId('poll-submit-create').click();
  await host.getByTestId('poll-open').click();
  await phone.getByTestId('poll-ballot').waitFor({ timeout: 15_000 });
  expect(await phone.getByTestId('vote-banner').count(), 'no banner while the ballot is shown').toBe(0);
  await phone.getByTestId('sheet-toggle').tap();
  // The new-poll notice offers 去投票 itself; closed, the banner takes over.
  const pollNotice = phone.locator('[data-testid="notice"][data-kind="pollOpened"]');
  expect(await pollNotice.innerText()).toContain('是否同意第二期方案？');
  expect(await phone.getByTestId('vote-banner').count(), 'one reminder at a time').toBe(0);
  await pollNotice.getByRole('button', { name: '关闭提示' }).tap();
  const banner = phone.getByTestId('vote-banner');
  await banner.waitFor({ timeout: 10_000 });
  expect(await banner.innerText()).toContain('有 1 项表决等待您投票');
  expect(await inView(phone, phone.getByTestId('vote-banner-go'))).toBe(true);
  await screenshot(phone, 'notices-08-vote-banner');
  await phone.getByTestId('vote-banner-go').tap();
  await phone.getByTestId('poll-ballot').waitFor({ timeout: 10_000 });
  expect(await banner.count()).toBe(0);

  // A venue terminal: no 您的姓名 on its join page; it knocks under its venue's name and, once
  // let in, keeps its own camera in view on a 1280×720 hall screen.
  const hall = await openPage(browser, { width: 1280, height: 720 });
  await hall.goto(`${server.url}/join?invite=${await invite(server, roomId, 'venue', 'd2')}`);
  await hall.getByTestId('invite-summary').waitFor({ timeout: 20_000 });
  expect(await hall.getByTestId('join-name').count()).toBe(0);
  await hall.getByTestId('join-submit').click();
  const hallKnock = host.locator('[data-testid="notice"][data-kind="lobbyWaiting"]');
  await hallKnock.waitFor({ timeout: 15_000 });
  expect(await hallKnock.innerText()).toContain('二区分会场 正在等候入会');
  await hallKnock.getByTestId('notice-admit').click();
  await hall.getByTestId('room').waitFor({ timeout: 30_000 });
  const self = hall.getByTestId('self-view');
  await eventually(
    () => self.locator('video').evaluate((v) => (v as HTMLVideoElement).videoWidth),
    (width) => width > 0,
    30_000,
  );
  expect(await inView(hall, self), 'own camera in view').toBe(true);
  await screenshot(hall, 'notices-09-hall');

  await hall.context().close();
  await phone.context().close();
  await host.context().close();
});
