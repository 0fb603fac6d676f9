/**
 * Three people in one room through the real UI in Debian's Chromium: each sees the other
 * two's video (frames decoded and increasing) and receives their audio. The server has two
 * media workers, as a two-core machine runs by default, so the room is spread over both and
 * the tracks cross between its routers.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { startTestServer } from '../helpers/server.js';
import { eventually, inboundPackets, launchChromium, openPage, remoteVideos, screenshot } from '../helpers/browser.js';

let server: RunningServer;
const browsers: Browser[] = [];

beforeAll(async () => {
  server = await startTestServer({ CLIENT_DIR: 'dist/client', MEDIA_WORKERS: '2' });
});

afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await server.close();
});

async function joinThroughUi(name: string, roomId: string): Promise<Page> {
  const browser = await launchChromium();
  browsers.push(browser);
  const page = await openPage(browser);
  const token = await invite(server, roomId, 'member', 'city');
  await page.goto(`${server.url}/join?invite=${token}`);
  await page.getByTestId('join-name').fill(name);
  await page.getByTestId('join-submit').click();
  await page.getByTestId('room').waitFor();
  return page;
}

test('three browsers in one room see and hear each other', async () => {
  // An open room where everybody may talk: this is about media, not meeting rules.
  const { roomId } = await createRoom(server, { open: true, floorOnly: false });
  const names = ['张三', '李四', '王五'];
  const pages: Page[] = [];
  for (const name of names) pages.push(await joinThroughUi(name, roomId));
  // Each worker sends video to at least one of the browsers.
  await eventually(
    async () => server.pool.stats().map((w) => [...w.consumers].filter((c) => c.kind === 'video' && c.type !== 'pipe').length),
    (videoConsumers) => videoConsumers.length === 2 && videoConsumers.every((n) => n > 0),
  );

  for (const page of pages) {
    const first = await eventually(
      () => remoteVideos(page),
      (videos) => videos.length === 2 && videos.every((v) => v.width > 0 && v.frames > 0),
      60_000,
    ).catch(async (error: unknown) => {
      await screenshot(page, `video-room-failed-${pages.indexOf(page)}`);
      throw error;
    });
    const later = await eventually(
      () => remoteVideos(page),
      (videos) => videos.every((v) => v.frames > (first.find((f) => f.peerId === v.peerId)?.frames ?? 0) + 10),
    );
    expect(new Set(later.map((v) => v.peerId)).size).toBe(2);

    const audioBefore = (await inboundPackets(page)).audio;
    await eventually(
      () => inboundPackets(page),
      (p) => p.audio > audioBefore + 50,
    );
  }
  await screenshot(pages[0]!, 'video-room-three');
});
