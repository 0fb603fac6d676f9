/**
 * The room by venue, in Debian's Chromium: the join page's network check, the gallery grouped
 * under each venue's heading, the chair's connection quality per venue, and video whose tile
 * is off-screen paused on the server (and resumed when it scrolls back).
 * Screenshots go to test-output/venues-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { eventually, openPage, remoteVideos, screenshot } from '../helpers/browser.js';
import { joinByInvite } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** Each remote camera on the page: whether its tile is on screen (see inside). */
const videosOnScreen = (page: Page) =>
  page.$$eval('video[data-testid="remote-video"]', (videos) =>
    // On screen as the browser counts it for the tile: inside the window AND not clipped away by
    // the scrolling gallery (a tile below the gallery's edge is inside the window but unseen).
    // A bounding box against the window alone called such a tile visible, depending on layout.
    Promise.all(
      videos.map(
        (v) =>
          new Promise<{ consumerId: string; visible: boolean }>((resolve) => {
            const observer = new IntersectionObserver((entries) => {
              observer.disconnect();
              resolve({ consumerId: v.getAttribute('data-consumer-id') ?? '', visible: entries.at(-1)?.isIntersecting ?? false });
            });
            observer.observe(v.closest('[data-testid="peer-tile"]') ?? v);
          }),
      ),
    ),
  );

/** Whether the server forwards each of a participant's video consumers (mediasoup's own state). */
async function serverPaused(roomId: string, participantId: string): Promise<Record<string, boolean>> {
  const room = await server.media.find(roomId);
  const out: Record<string, boolean> = {};
  for (const c of room?.peer(participantId)?.consumers.values() ?? []) if (c.kind === 'video') out[c.id] = c.paused;
  return out;
}

test('the chair sees the network check, the gallery by venue, each venue’s connection quality; off-screen video pauses', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true, floorOnly: false });
  const host = await openPage(browser);
  await host.goto(`${server.url}/join?invite=${hostInvite}`);
  await host.getByTestId('invite-summary').waitFor({ timeout: 20_000 });
  await expect.poll(() => host.getByTestId('network-check').getAttribute('data-state'), { timeout: 20_000 }).toBe('good');
  expect(await host.getByTestId('network-check').innerText()).toMatch(/网络良好.*\d+ 毫秒/);
  await screenshot(host, 'venues-01-join-network');
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });

  const members: Page[] = [];
  for (const [venue, name] of [
    ['city', '张委员'],
    ['d1', '李委员'],
    ['d1', '王委员'],
  ] as const) {
    const page = await openPage(browser, { width: 640, height: 480 });
    await joinByInvite(page, server, await invite(server, roomId, 'member', venue), name);
    await page.getByTestId('room').waitFor({ timeout: 30_000 });
    members.push(page);
  }
  await eventually(() => remoteVideos(host), (videos) => videos.length === 3 && videos.every((v) => v.frames > 0), 60_000);

  // The gallery: 主会场 holds my own tile and 张委员; 一区分会场 the other two.
  const groups = await host.getByTestId('venue-tiles').evaluateAll((sections) =>
    sections.map((s) => ({
      venue: s.getAttribute('data-venue'),
      heading: s.querySelector('h2')?.textContent ?? '',
      local: s.querySelectorAll('[data-testid="local-tile"]').length,
      peers: s.querySelectorAll('[data-testid="peer-tile"]').length,
    })),
  );
  expect(groups).toEqual([
    { venue: 'city', heading: '主会场（2 个画面）', local: 1, peers: 1 },
    { venue: 'd1', heading: '一区分会场（2 个画面）', local: 0, peers: 2 },
  ]);
  await screenshot(host, 'venues-02-gallery-by-venue');

  // The console: each venue's quality as a word and a number, within a report or two.
  await host.getByTestId('tab-people').click();
  const d1 = host.locator('[data-testid="venue-quality"][data-venue="d1"]');
  await expect.poll(() => d1.getAttribute('data-level'), { timeout: 15_000 }).not.toBe('none');
  expect(await d1.innerText()).toMatch(/(良好|一般|较差)[\s\S]*最低 \d+/);
  expect(await host.locator('[data-testid="venue-quality"][data-venue="d2"]').getAttribute('data-level')).toBe('none');
  await screenshot(host, 'venues-03-host-quality');

  // A short window pushes tiles out of view: the server stops forwarding exactly those.
  const hostPeer = (await server.media.find(roomId))?.peers().find((p) => p.displayName === '周主持');
  expect(hostPeer).toBeDefined();
  const hostPeerId = hostPeer?.id ?? '';
  await host.setViewportSize({ width: 1280, height: 380 });
  const matches = async () => {
    const [onScreen, paused] = [await videosOnScreen(host), await serverPaused(roomId, hostPeerId)];
    return onScreen.map((v) => ({ ...v, paused: paused[v.consumerId] }));
  };
  const hidden = await eventually(matches, (vs) => vs.some((v) => !v.visible) && vs.every((v) => v.paused === !v.visible), 15_000);
  expect(hidden.some((v) => v.visible)).toBe(true);
  await screenshot(host, 'venues-04-short-window');
  // Back to a full window: everything flows again.
  await host.setViewportSize({ width: 1280, height: 1000 });
  await eventually(matches, (vs) => vs.every((v) => v.visible && v.paused === false), 15_000);
  for (const page of members) await page.close();
});
