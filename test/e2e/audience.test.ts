/**
 * The public page in a phone's browser: three public viewers open the public link and watch the
 * program. The chair and two members publish cameras painted each in its own brightness (node
 * WebRTC peers), so a decoded frame says whose camera it is.
 *
 * What the public is promised: the page shows the meeting without a device check or a join
 * button; when the floor moves from one member to another, every viewer's decoded frames come
 * from the new speaker within a second of the floor event; the viewer's consumers are the same
 * before and after (no consumer made again for a switch).
 */
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { TestPeer } from '../helpers/TestPeer.js';

const CHAIR = 128;
const MEMBER_A = 40;
const MEMBER_B = 215;
const PHONE = { width: 390, height: 844 };

let server: RunningServer;
let browser: Browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/**
 * Records, in the page, each decoded frame of the program video: when (Date.now(), the same
 * clock as the test's) and its mean brightness.
 */
const RECORD_FRAMES = `
  (() => {
    const video = document.querySelector('[data-testid="program-video"]');
    if (!video || window.__frames) return;
    const frames = [];
    window.__frames = frames;
    const canvas = document.createElement('canvas');
    canvas.width = 32;
    canvas.height = 18;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const onFrame = () => {
      ctx.drawImage(video, 0, 0, 32, 18);
      const data = ctx.getImageData(0, 0, 32, 18).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      frames.push({ at: Date.now(), luma: sum / (data.length / 4) });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  })();
`;

type Frame = { at: number; luma: number };

async function frames(page: Page): Promise<Frame[]> {
  return page.evaluate(() => (window as unknown as { __frames?: Frame[] }).__frames ?? []);
}

/** The first frame at or after `since` whose brightness is near `luma`. */
async function firstFrameNear(page: Page, luma: number, since: number): Promise<Frame> {
  const handle = await page.waitForFunction(
    ([target, from]) => (window as unknown as { __frames?: Frame[] }).__frames?.find((f) => f.at >= from && Math.abs(f.luma - target) < 25) ?? null,
    [luma, since] as const,
    { timeout: 15_000, polling: 100 },
  );
  return (await handle.jsonValue()) as Frame;
}

async function participant(token: string, name: string, luma: number): Promise<TestPeer & { id: string }> {
  const p = await TestPeer.connect(server.url);
  const joined = await p.join(token, name);
  await p.produce({ luma });
  return Object.assign(p, { id: joined.participantId });
}

test('three phone viewers watch the program; the floor moves and their frames follow within a second, on the same consumers', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true, floorOnly: true });
  const peers: TestPeer[] = [];
  try {
    const chair = await participant(hostInvite, '主持人', CHAIR);
    const a = await participant(await invite(server, roomId, 'member', 'city'), '王委员', MEMBER_A);
    const b = await participant(await invite(server, roomId, 'member', 'd1'), '赵委员', MEMBER_B);
    peers.push(chair, a, b);
    const link = await invite(server, roomId, 'public', 'city');

    const pages: Page[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await openPage(browser, PHONE);
      await page.goto(`${server.url}/join?invite=${encodeURIComponent(link)}`);
      pages.push(page);
    }
    for (const page of pages) {
      await page.getByTestId('public-page').waitFor();
      // The public never sees a device check or a join button.
      expect(await page.getByTestId('join-submit').count()).toBe(0);
      expect(await page.locator('video[data-testid="local-video"]').count()).toBe(0);
      await page.locator('[data-testid="program-video"][data-consumers*="-"]').waitFor();
      await page.evaluate(RECORD_FRAMES);
      // Nobody holds the floor: the program shows the chair.
      await firstFrameNear(page, CHAIR, 0);
    }
    const consumersBefore = await Promise.all(pages.map((p) => p.getByTestId('program-video').getAttribute('data-consumers')));

    await chair.command('floor:grant', { target: { kind: 'participant', participantId: a.id } });
    const grantedA = Date.now();
    for (const page of pages) expect((await firstFrameNear(page, MEMBER_A, grantedA - 1000)).at).toBeGreaterThan(0);
    await pages[0]?.getByTestId('audience-speaker').filter({ hasText: '王委员' }).waitFor();
    await screenshot(pages[0] as Page, 'audience-phone-member-a');

    // The floor moves from A to B: measured from the moment the event is recorded.
    await chair.command('floor:revoke', {});
    const movedAt = Date.now();
    await chair.command('floor:grant', { target: { kind: 'participant', participantId: b.id } });
    const delays: number[] = [];
    for (const page of pages) delays.push((await firstFrameNear(page, MEMBER_B, movedAt)).at - movedAt);
    console.log(`the viewers' first frame of member B came ${delays.map((d) => `${d} ms`).join(', ')} after the floor moved`);
    for (const d of delays) expect(d).toBeLessThan(1000);
    await pages[0]?.getByTestId('audience-speaker').filter({ hasText: '赵委员' }).waitFor();
    await screenshot(pages[0] as Page, 'audience-phone-member-b');
    await pages[1]?.getByTestId('public-tab-comments').click();
    await screenshot(pages[1] as Page, 'audience-phone-comments');

    const consumersAfter = await Promise.all(pages.map((p) => p.getByTestId('program-video').getAttribute('data-consumers')));
    expect(consumersAfter).toEqual(consumersBefore);
    // The viewers are in nobody's list.
    const state = await server.rooms.state(roomId);
    expect(Object.values(state?.participants ?? {}).map((p) => p.role).sort()).toEqual(['host', 'member', 'member']);
  } finally {
    for (const p of peers) p.close();
  }
});
