/**
 * The chair in Debian's Chromium: 出席 and the roll call agree on the chair's screen; 离开会议
 * asks the chair, who hands the chair to a member (that member's page gets the chair's
 * controls, the other member's page says who chairs now) or ends the meeting for everybody
 * (members' pages say the chair ended it).
 */
import type { Browser, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
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

/** A participant as a protocol client (no media sent). */
async function protocolClient(roomId: string, role: 'member' | 'secretary', name: string, venue = 'city'): Promise<TestPeer> {
  const peer = await TestPeer.connect(server.url);
  peers.push(peer);
  await peer.join(await invite(server, roomId, role, venue), name);
  return peer;
}

async function inRoom(token: string, name?: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await openPage(browser, viewport);
  await joinByInvite(page, server, token, name);
  await page.getByTestId('room').waitFor({ timeout: 30_000 });
  return page;
}

const gaugeFigures = (page: Page, venue: string) => page.locator(`[data-testid="quorum-gauge"][data-venue="${venue}"] .gauge-figures`).innerText();

test('出席 and the roll call agree; the chair hands over and leaves; members are told', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const host = await inRoom(hostInvite, '周主持');
  const zhang = await inRoom(await invite(server, roomId, 'member', 'city'), '张委员');
  const wang = await inRoom(await invite(server, roomId, 'member', 'd1'), '王委员');
  const sec = await protocolClient(roomId, 'secretary', '李记录');

  // --- 出席 and the roll call, on the chair's screen ------------------------------------------
  await host.getByTestId('tab-people').click();
  await host.getByTestId('rollcall-start').click();
  await zhang.getByTestId('rollcall-confirm').click();
  await expect.poll(() => host.getByTestId('rollcall-status').innerText(), { timeout: 10_000 }).toBe('正在点名：已应答 1 / 应到 5');
  // The same 应到 (2 + 2 + 1 the room was created with); 实到 the two members, not the chair or the secretary.
  expect(await gaugeFigures(host, '*')).toBe('实到 2 / 应到 5');
  expect(await gaugeFigures(host, 'city')).toBe('实到 1 / 应到 2');
  expect(await host.getByRole('region', { name: '主会场：实到 1 / 应到 2' }).count()).toBe(1);
  // The secretary is not called: no 未到 beside 李记录; the two members carry their answer.
  const secretaryRow = host.locator(`[data-testid="participant-entry"][data-participant-id="${sec.joined?.participantId ?? ''}"]`);
  await secretaryRow.waitFor();
  expect(await secretaryRow.getByTestId('rollcall-state').count()).toBe(0);
  // 张 answered with a beeping microphone: present once the server has heard it (rollCall.ts).
  await expect
    .poll(() => host.getByTestId('rollcall-state').evaluateAll((els) => els.map((el) => el.getAttribute('data-present')).sort()), { timeout: 15_000 })
    .toEqual(['false', 'true']);
  await screenshot(host, 'chair-01-attendance-and-roll-call');
  await host.getByTestId('rollcall-end').click();

  // --- 离开会议: the chair is asked -------------------------------------------------------------
  await host.getByTestId('leave').click();
  const dialog = host.getByRole('dialog', { name: '离开会议' });
  await dialog.waitFor();
  expect(await dialog.getByRole('button', { name: '结束会议（全体）' }).isVisible()).toBe(true);
  expect(await dialog.getByRole('button', { name: '取消' }).isVisible()).toBe(true);
  // Members present only: 张委员 and 王委员, not the secretary.
  const options = await dialog.getByTestId('leave-handover-to').locator('option').allInnerTexts();
  expect(options.slice(1).sort()).toEqual(['张委员', '王委员']);
  expect(await dialog.getByRole('button', { name: '移交主持后离开' }).isDisabled()).toBe(true);
  await dialog.getByTestId('leave-handover-to').selectOption({ label: '张委员' });
  await screenshot(host, 'chair-02-leave-dialog');
  await dialog.getByRole('button', { name: '移交主持后离开' }).click();

  // The former chair is out of the room.
  await host.getByTestId('room').waitFor({ state: 'detached', timeout: 15_000 });

  // 王委员 is told who chairs now.
  const notice = wang.getByTestId('chair-notice');
  await expect.poll(() => notice.innerText(), { timeout: 15_000 }).toContain('主持人已移交给 张委员');
  await screenshot(wang, 'chair-03-member-told-handed-over');
  // The former chair is back on the join page, with no error from what was in flight.
  await host.getByTestId('join-submit').waitFor();
  expect(await host.getByTestId('error').count()).toBe(0);
  await screenshot(host, 'chair-03b-former-chair-left');

  // 张委员 is told, and has the chair's controls: the 参会 tab's room controls, the lobby, and
  // the leave question.
  await expect.poll(() => zhang.getByTestId('chair-notice').innerText(), { timeout: 15_000 }).toContain('您已成为本次会议的主持人');
  await zhang.getByTestId('tab-people').click();
  await zhang.getByTestId('room-end').waitFor({ timeout: 10_000 });
  await zhang.getByTestId('rollcall-start').waitFor();
  await screenshot(zhang, 'chair-04-new-chair-controls');
  await zhang.getByTestId('leave').click();
  await zhang.getByRole('dialog', { name: '离开会议' }).waitFor();
  // Nobody left to hand over to but 王委员.
  expect((await zhang.getByTestId('leave-handover-to').locator('option').allInnerTexts()).slice(1)).toEqual(['王委员']);
  await zhang.getByRole('button', { name: '取消' }).click();
  expect(await zhang.getByRole('dialog').count()).toBe(0);

  for (const page of [host, zhang, wang]) await page.context().close();
});

test('结束会议（全体）: members see that the chair ended the meeting (both on phones)', async () => {
  const phone = { width: 390, height: 844 };
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const host = await inRoom(hostInvite, '周主持', phone);
  const wang = await inRoom(await invite(server, roomId, 'member', 'd1'), '王委员', phone);

  await host.getByTestId('leave').click();
  const dialog = host.getByRole('dialog', { name: '离开会议' });
  await dialog.waitFor();
  // On a phone the whole question is in view, the way out included.
  for (const name of ['移交主持后离开', '结束会议（全体）', '取消']) expect(await dialog.getByRole('button', { name }).isVisible()).toBe(true);
  expect(await dialog.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
  await screenshot(host, 'chair-05a-leave-dialog-phone');
  await dialog.getByRole('button', { name: '结束会议（全体）' }).click();

  const exit = wang.getByTestId('exit-screen');
  await exit.waitFor({ timeout: 15_000 });
  expect(await exit.getAttribute('data-reason')).toBe('ended');
  expect(await exit.innerText()).toContain('主持人已结束本次会议');
  await screenshot(wang, 'chair-05b-member-meeting-ended-phone');
  await host.getByTestId('exit-screen').waitFor({ timeout: 15_000 });

  for (const page of [host, wang]) await page.context().close();
});
