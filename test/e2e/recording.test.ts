/**
 * The recording (录像) through the real UI in Debian's Chromium: the chair starts it with
 * 录制 in the meeting's bottom bar, beside the microphone; 录制中 shows on the chair's page, on a member's (phone-sized)
 * page and on the public page; the first part appears in the chair's minutes under 录像 with a
 * link that serves the MP4; 停止录制 asks first, and once confirmed 录制中 goes from every page.
 * Screenshots in test-output/recording-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { joinByInvite } from '../helpers/meeting.js';
import { PHONE } from '../helpers/programFrames.js';
import { createRoom, invite } from '../helpers/rooms.js';

let server: RunningServer;
let browser: Browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const shot = (page: Page, step: string) => screenshot(page, `recording-${step}`);

/** The 录制中 mark as everybody sees it (by its spoken name, as a screen reader finds it). */
const mark = (page: Page) => page.getByRole('status', { name: '本次会议正在录像' });

test('the chair records from the bottom bar: 录制中 everywhere, the part in the minutes plays, 停止录制 asks and the mark goes', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const host = await openPage(browser);
  await joinByInvite(host, server, hostInvite, '周主持');
  const member = await openPage(browser, PHONE);
  await joinByInvite(member, server, await invite(server, roomId, 'member', 'd1', '李委员'));
  const viewer = await openPage(browser, PHONE);
  await viewer.goto(`${server.url}/join?invite=${encodeURIComponent(await invite(server, roomId, 'public', 'city'))}`);
  await host.getByTestId('room').waitFor({ timeout: 30_000 });
  await member.getByTestId('room').waitFor({ timeout: 30_000 });
  await viewer.getByTestId('public-page').waitFor({ timeout: 30_000 });
  // Nobody is told of a recording before there is one.
  for (const page of [host, member, viewer]) expect(await page.getByTestId('recording-mark').count()).toBe(0);

  // --- 录制: one click in the bottom bar, as in 腾讯会议 -----------------------------------------
  await host.getByRole('toolbar', { name: '会议控制' }).getByRole('button', { name: '录制', exact: true }).click();
  for (const page of [host, member, viewer]) await mark(page).waitFor({ timeout: 10_000 });
  for (const page of [host, member, viewer]) expect(await mark(page).innerText()).toBe('录制中');
  // The chair's feedback: the switch now offers to stop.
  await host.getByRole('button', { name: '停止录制' }).waitFor();
  // On a phone the chair's bar still holds the microphone, 停止录制 and 离开会议 on screen, each
  // big enough to tap: the chair has no 举手, so the bar has no more buttons than a member's.
  const desktop = host.viewportSize()!;
  await host.setViewportSize(PHONE);
  for (const testId of ['toggle-mic', 'recording-stop', 'leave']) {
    const box = await host.getByTestId(testId).boundingBox();
    expect(box!.x, testId).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, testId).toBeLessThanOrEqual(PHONE.width);
    expect(box!.y + box!.height, testId).toBeLessThanOrEqual(PHONE.height);
    expect(box!.height, testId).toBeGreaterThanOrEqual(44);
  }
  await shot(host, '01b-host-phone-bar');
  await host.setViewportSize(desktop);
  // On a phone the mark is on screen, not pushed off its edge.
  for (const page of [member, viewer]) {
    const box = await mark(page).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
  }
  await shot(host, '01-host-recording');
  await shot(member, '02-member-recording');
  await shot(viewer, '03-public-recording');

  // --- the part in the chair's minutes, with a link to its file --------------------------------
  await host.getByTestId('tab-minutes').click();
  const section = host.getByRole('region', { name: '录像' });
  const link = section.getByRole('link', { name: '播放或下载录像第1段' });
  await link.waitFor({ timeout: 30_000 });
  expect(await section.getByTestId('recording-part').innerText()).toContain('录制中，时长未定');
  const href = await link.getAttribute('href');
  const file = await fetch(new URL(href!, server.url));
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toBe('video/mp4');
  // Still being recorded: nobody keeps the file as it was a moment ago.
  expect(file.headers.get('cache-control')).toBe('no-cache');
  // An MP4 begins with its ftyp box (a link shown before the encoder wrote it waits for it).
  const bytes = Buffer.from(await file.arrayBuffer());
  expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
  await section.scrollIntoViewIfNeeded();
  await shot(host, '04-host-minutes-part');

  // --- 停止录制: asked, then done -----------------------------------------------------------------
  await host.getByRole('button', { name: '停止录制' }).click();
  const dialog = host.getByRole('dialog', { name: /停止录制？/ });
  await dialog.waitFor();
  // Asking stops nothing yet.
  expect(await mark(member).count()).toBe(1);
  await shot(host, '05-host-stop-asked');
  await dialog.getByRole('button', { name: '停止录制' }).click();
  for (const page of [member, viewer, host]) await mark(page).waitFor({ state: 'detached', timeout: 10_000 });
  await host.getByRole('button', { name: '录制', exact: true }).waitFor();
});
