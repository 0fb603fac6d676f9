/**
 * What a person sees when the server stops speaking with their page, in Debian's Chromium: the
 * same invite opened in a second tab takes the seat over and the first tab says so (and does
 * not take it back by itself); someone not admitted from the lobby is told so.
 * Screenshots in test-output/sessions-*.png.
 */
import type { Browser } from 'playwright-core';
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

test('a member’s invite opened in a second tab: the second is in the meeting, the first says why it left', async () => {
  const { roomId } = await createRoom(server, { open: true });
  const token = await invite(server, roomId, 'member', 'd1', '王委员');
  const first = await openPage(browser);
  await joinByInvite(first, server, token);
  await first.getByTestId('room').waitFor({ timeout: 30_000 });

  const second = await openPage(browser);
  await joinByInvite(second, server, token);
  await second.getByTestId('room').waitFor({ timeout: 30_000 });

  const notice = first.getByTestId('error');
  await notice.waitFor({ timeout: 10_000 });
  expect(await notice.getAttribute('data-code')).toBe('REPLACED');
  expect(await notice.innerText()).toContain('此邀请已在其他页面或设备上进入会议');
  expect(await first.getByTestId('room').count()).toBe(0);
  await screenshot(first, 'sessions-replaced');
  // The first tab does not take the seat back by itself: the second stays in.
  await new Promise((r) => setTimeout(r, 2000));
  expect(await second.getByTestId('room').count()).toBe(1);
  const state = await server.rooms.state(roomId);
  expect(Object.values(state?.participants ?? {}).filter((p) => p.role === 'member')).toHaveLength(1);
  await first.context().close();
  await second.context().close();
});

test('someone the chair does not admit is told so in the lobby', async () => {
  const { roomId, hostInvite } = await createRoom(server);
  const host = await TestPeer.connect(server.url);
  await host.join(hostInvite, '主持人');
  const page = await openPage(browser);
  await joinByInvite(page, server, await invite(server, roomId, 'member', 'd2'), '陌生人');
  await page.getByTestId('lobby-waiting').waitFor({ timeout: 30_000 });
  const waiting = await host.waitForRoom((s) => Object.values(s.participants).some((p) => p.status === 'lobby'));
  const id = Object.values(waiting.participants).find((p) => p.status === 'lobby')?.id ?? '';
  await host.command('lobby:deny', { participantId: id });
  const exit = page.getByTestId('exit-screen');
  await exit.waitFor({ timeout: 10_000 });
  expect(await exit.getAttribute('data-reason')).toBe('denied');
  await screenshot(page, 'sessions-denied');
  host.close();
  await page.context().close();
});
