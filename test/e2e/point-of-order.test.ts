/**
 * A point of order interrupts the speech, in Debian's Chromium: a member speaks; another raises
 * a point of order and the chair sees it on the stage and on a notice, and hears it; one click
 * (暂停发言，处理程序性问题) pauses the speech — the server stops the speaker's microphone — and
 * gives the point of order the floor; when it ends, the speech is back with the time it had
 * left. Times are read from the room's server timestamps (the pages' data attributes and the
 * server's state), never by sampling a clock. The one raising the point of order is a protocol
 * client (one browser page fewer on two cores). Screenshots in test-output/point-of-order-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { floorClock, waitingClock } from '../../signaling/room/floorClock.js';
import { eventually, openPage, screenshot } from '../helpers/browser.js';
import { countTones, micPausedOnServer, tones } from '../helpers/pageProbes.js';
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

test('speech → paused → point of order → the speech resumes with its remaining time; the chair is alerted and takes it in one click', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true, defaultSpeechSeconds: 300 });
  const host = await inRoom(hostInvite, '周主持');
  const speaker = await inRoom(await invite(server, roomId, 'member', 'd1'), '李委员');
  const raiser = await TestPeer.connect(server.url);
  peers.push(raiser);
  const raiserId = (await raiser.join(await invite(server, roomId, 'member', 'city'), '王委员')).participantId;
  const roomNow = async () => {
    const state = await server.rooms.state(roomId);
    if (!state) throw new Error('no room');
    return state;
  };

  // --- the speech -----------------------------------------------------------------------------
  await speaker.getByTestId('toolbar-hand').click();
  await host.getByTestId('tab-queue').click();
  await host.getByTestId('queue-entry').waitFor({ timeout: 15_000 });
  await host.getByTestId('queue-grant-next').click();
  await expect.poll(() => host.getByTestId('floor-holder').innerText(), { timeout: 15_000 }).toBe('李委员');
  const speech = (await roomNow()).floor;
  if (speech === null || speech.holder.kind !== 'participant') throw new Error('the floor was not given');
  const speakerId = speech.holder.participantId;
  await eventually(() => micPausedOnServer(server, roomId, speakerId), (paused) => paused === false, 15_000);
  // The countdown's limit, in server time: the speech's start plus its 300 s.
  const limitAt = Number(await host.getByTestId('floor-countdown').getAttribute('data-limit-at'));
  expect(limitAt).toBe(speech.grantedAt + 300_000);

  // --- a point of order is raised: the chair sees it at once, and hears it ---------------------
  const tonesBefore = await tones(host);
  await raiser.command('queue:raise', { speechType: 'order', note: '发言偏离本次议题' });
  const alert = host.getByTestId('point-of-order-alert');
  await alert.waitFor({ timeout: 15_000 });
  expect(await alert.innerText()).toContain('王委员 提出程序性问题');
  expect(await alert.innerText()).toContain('事由：发言偏离本次议题');
  expect(await alert.getAttribute('role')).toBe('alert');
  const notice = host.locator('[data-testid="notice"][data-kind="handRaised"]');
  await notice.waitFor({ timeout: 15_000 });
  expect(await notice.innerText()).toContain('王委员 提出程序性问题');
  expect(await notice.getByTestId('notice-interrupt').innerText()).toBe('暂停发言，处理程序性问题');
  // A point of order rings three tones, not the knock's two.
  expect(await eventually(() => tones(host), (n) => n >= tonesBefore + 3, 15_000)).toBe(tonesBefore + 3);
  // The speaker is not disturbed by it: the chair decides.
  expect(await speaker.getByTestId('point-of-order-alert').count()).toBe(0);
  await screenshot(host, 'point-of-order-01-chair-alert');

  // --- one click: the speech pauses, the point of order has the floor ------------------------
  await alert.getByTestId('point-of-order-interrupt').click();
  await expect.poll(() => host.getByTestId('floor-holder').innerText(), { timeout: 15_000 }).toBe('王委员');
  const during = await roomNow();
  const waiting = during.floor?.interrupted;
  if (!waiting) throw new Error('no speech waits');
  expect(during.floor?.holder).toEqual({ kind: 'participant', participantId: raiserId });
  expect(during.floor?.type).toBe('order');
  // Its time left, from the server's timestamps: 300 s less what was spoken until the interruption.
  const left = waitingClock(waiting, during.settings).remainingMs;
  expect(left).toBe(300_000 - (waiting.at - speech.grantedAt));
  const waitingBar = host.getByTestId('waiting-speech');
  await waitingBar.waitFor({ timeout: 10_000 });
  expect(Number(await waitingBar.getAttribute('data-remaining-ms'))).toBe(left);
  expect(await waitingBar.innerText()).toContain('李委员的发言已暂停');
  // Everybody sees it, the speaker too, and is told their speech waits; the server stopped their microphone.
  await speaker.getByTestId('waiting-speech').waitFor({ timeout: 10_000 });
  expect(Number(await speaker.getByTestId('waiting-speech').getAttribute('data-remaining-ms'))).toBe(left);
  const paused = speaker.locator('[data-testid="notice"][data-kind="floorInterrupted"]');
  await paused.waitFor({ timeout: 10_000 });
  expect(await paused.innerText()).toContain('您的发言因程序性问题暂停');
  await eventually(() => micPausedOnServer(server, roomId, speakerId), (p) => p === true, 15_000);
  // The alert has done its work: nothing more to take.
  expect(await host.getByTestId('point-of-order-alert').count()).toBe(0);
  await screenshot(host, 'point-of-order-02-chair-during');
  await screenshot(speaker, 'point-of-order-03-speaker-waiting');

  // --- the point of order ends: the speech is back with its time --------------------------------
  await raiser.command('floor:yield', {});
  await expect.poll(() => host.getByTestId('floor-holder').innerText(), { timeout: 15_000 }).toBe('李委员');
  const after = await roomNow();
  const back = after.floor;
  if (!back) throw new Error('the speech did not come back');
  const interruption = back.interruptions?.[0];
  if (!interruption) throw new Error('the interruption is not recorded');
  expect(interruption.from).toBe(waiting.at);
  // At the moment it came back it had exactly the time it had when it stopped.
  expect(floorClock(back, after.settings, interruption.to).remainingMs).toBe(left);
  expect(back.grantedAt).toBe(speech.grantedAt);
  expect(back.limitMs).toBe(300_000);
  // The page's countdown now runs to a limit moved on by exactly the interruption.
  await expect
    .poll(async () => Number(await host.getByTestId('floor-countdown').getAttribute('data-limit-at')), { timeout: 10_000 })
    .toBe(limitAt + (interruption.to - interruption.from));
  expect(await host.getByTestId('waiting-speech').count()).toBe(0);
  const resumed = speaker.locator('[data-testid="notice"][data-kind="floorResumed"]');
  await resumed.waitFor({ timeout: 10_000 });
  expect(await resumed.innerText()).toContain('您的发言继续');
  await eventually(() => micPausedOnServer(server, roomId, speakerId), (p) => p === false, 15_000);
  await screenshot(host, 'point-of-order-04-chair-resumed');

  // The record: speech → paused → point of order → speech resumed; the point of order on the log.
  expect(raiser.received.filter((e) => e.type.startsWith('floor.')).map((e) => e.type)).toEqual(['floor.granted', 'floor.interrupted', 'floor.ended']);
  expect(after.speeches.map((s) => [s.holder, s.type, s.end])).toEqual([[{ kind: 'participant', participantId: raiserId }, 'order', 'yielded']]);
  expect(after.speeches[0]?.spokenMs).toBe(interruption.to - interruption.from);
});
