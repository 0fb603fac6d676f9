/**
 * The chair's 会议设置 and the next speaker on deck, in Debian's Chromium: the chair sets the
 * quorum, the warning, the grace and the speeches per venue in the dialog (the quorum chip
 * appears); the next in line sees and hears 请准备发言 when the speech reaches its warning, with
 * their own camera and microphone level, while the server keeps their microphone paused; a
 * grant past the venue's quota asks the chair first, and the override gives the floor. The
 * first speaker is a protocol client (one browser page fewer on two cores). Screenshots in
 * test-output/settings-on-deck-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { eventually, openPage, screenshot } from '../helpers/browser.js';
import { audioContexts, countTones, micPausedOnServer, tones } from '../helpers/pageProbes.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { joinByInvite } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { TestPeer } from '../helpers/TestPeer.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

let peers: TestPeer[] = [];
afterEach(() => {
  for (const peer of peers) peer.close();
  peers = [];
});

async function inRoom(token: string, name: string): Promise<Page> {
  const page = await openPage(browser);
  await countTones(page);
  await joinByInvite(page, server, token, name);
  await page.getByTestId('room').waitFor({ timeout: 30_000 });
  return page;
}

test('the chair sets quorum, warning, grace and the quota; the next speaker gets 请准备发言; a grant past the quota asks first', async () => {
  // 20 s speeches, so that a 15 s warning comes 5 s into the speech.
  const { roomId, hostInvite } = await createRoom(server, { open: true, defaultSpeechSeconds: 20 });
  const host = await inRoom(hostInvite, '周主持');

  // --- 会议设置 -----------------------------------------------------------------------------
  await host.getByTestId('tab-people').click();
  await host.getByTestId('room-settings-open').click();
  const dialog = host.getByTestId('room-settings-dialog');
  await dialog.getByLabel('法定人数').selectOption({ label: '半数（50%）' });
  await dialog.getByLabel('提前提醒').selectOption({ label: '15 秒' });
  await dialog.getByLabel('超时宽限').selectOption({ label: '到时立即结束' });
  await dialog.getByLabel('每个会场发言次数').selectOption({ label: '1 次' });
  await screenshot(host, 'settings-on-deck-01-chair-settings');
  await dialog.getByTestId('room-settings-save').click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 });
  await expect
    .poll(() => host.getByTestId('room-settings-summary').innerText(), { timeout: 10_000 })
    .toBe('默认发言：20 秒；提前提醒：15 秒；超时宽限：到时立即结束；每会场发言：1 次；法定人数：半数（50%）');
  // The quorum now has a rule: the meeting's chip says whether it is met (nobody of 5 is here yet).
  await expect.poll(() => host.locator('[data-testid="quorum-gauge"][data-venue="*"] .chip').innerText(), { timeout: 10_000 }).toBe('未达法定人数');

  // --- the list: a member of 一区 on a protocol client, then 李委员 of 一区 in the browser ---
  const first = await TestPeer.connect(server.url);
  peers.push(first);
  await first.join(await invite(server, roomId, 'member', 'd1'), '王委员');
  await first.command('queue:raise', { speechType: 'statement', note: '' });
  const li = await inRoom(await invite(server, roomId, 'member', 'd1'), '李委员');
  await expect.poll(() => li.getByTestId('mic-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('waitingFloor');
  await li.getByTestId('toolbar-hand').click();
  await host.getByTestId('tab-queue').click();
  const entries = host.getByTestId('queue-entry');
  await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(2);
  const liId = (await entries.nth(1).getAttribute('data-participant-id')) ?? '';

  // 一区 has its one speech left: the first grant asks nothing.
  await host.getByTestId('queue-grant-next').click();
  await host.getByTestId('floor-stage').waitFor({ timeout: 10_000 });
  expect(await host.getByTestId('queue-grant-next-dialog').count()).toBe(0);

  // --- 请准备发言: 5 s into the speech, 李委员 is next and the speech at its warning ---------
  await li.getByTestId('floor-stage').waitFor({ timeout: 10_000 });
  // Not before the warning: the speech has 20 s, the warning comes at 15 s left.
  expect(await li.getByTestId('on-deck').count()).toBe(0);
  const tonesBefore = await tones(li);
  const onDeck = li.getByTestId('on-deck');
  await onDeck.waitFor({ timeout: 15_000 });
  expect(await onDeck.innerText()).toContain('请准备发言');
  await eventually(() => tones(li), (n) => n > tonesBefore, 15_000);
  // The countdown on the stage is in its warning as the card shows.
  expect(await li.getByTestId('floor-countdown').getAttribute('data-phase')).toMatch(/warning|grace|over/);
  // The camera preview plays, the level meter is there, and the card says nobody hears yet.
  expect(await onDeck.getByTestId('on-deck-camera').getAttribute('data-state')).toBe('on');
  await eventually(() => onDeck.locator('video').evaluate((v) => (v as HTMLVideoElement).videoWidth), (w) => w > 0, 10_000);
  expect(await onDeck.getByTestId('on-deck-mic').getAttribute('data-state')).toBe('waitingFloor');
  // The level meter hears the (fake) microphone's beeps, without Web Audio (media/useAudioLevel.ts).
  await eventually(() => onDeck.getByTestId('on-deck-mic-level').getAttribute('aria-valuenow'), (v) => Number(v) > 0, 10_000);
  expect(await audioContexts(li)).toBe(0);
  expect(await onDeck.innerText()).toContain('获得发言前，其他人听不到您');
  // Being on deck unmutes nobody: the server holds 李委员's microphone until the floor comes.
  expect(await micPausedOnServer(server, roomId, liId)).toBe(true);
  await screenshot(li, 'settings-on-deck-02-next-speaker-on-deck');

  // --- a grant past the quota: the chair is asked, and the override gives the floor --------
  await host.getByTestId('floor-revoke').click();
  await host.getByTestId('floor-stage').waitFor({ state: 'detached', timeout: 10_000 });
  // The speech ended; the card stays until the floor comes.
  expect(await onDeck.count()).toBe(1);
  await host.getByTestId('queue-grant-next').click();
  const ask = host.getByTestId('queue-grant-next-dialog');
  await ask.waitFor({ timeout: 10_000 });
  expect(await ask.getByRole('heading').innerText()).toBe('一区分会场已用完发言名额（1 次），仍要给予发言？');
  await screenshot(host, 'settings-on-deck-03-chair-quota-override');
  await ask.getByTestId('queue-grant-next-dialog-confirm').click();
  await li.locator('[data-testid="notice"][data-kind="floorGranted"]').waitFor({ timeout: 10_000 });
  await onDeck.waitFor({ state: 'detached', timeout: 10_000 });
  await eventually(() => micPausedOnServer(server, roomId, liId), (paused) => paused === false, 10_000);
});
