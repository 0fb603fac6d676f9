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
import { firstFrameNear, LUMA, meetingOnCamera, PHONE, recordFrames } from '../helpers/programFrames.js';

let server: RunningServer;
let browser: Browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('three phone viewers watch the program; the floor moves and their frames follow within a second, on the same consumers', async () => {
  const meeting = await meetingOnCamera(server);
  try {
    const { roomId, chair, memberA: a, memberB: b, publicLink: link } = meeting;

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
      await recordFrames(page, 'program-video', 'whole');
      // Nobody holds the floor: the program shows the chair.
      await firstFrameNear(page, LUMA.chair, 0, 15_000);
    }
    const consumersBefore = await Promise.all(pages.map((p) => p.getByTestId('program-video').getAttribute('data-consumers')));

    await chair.command('floor:grant', { target: { kind: 'participant', participantId: a.id } });
    const grantedA = Date.now();
    for (const page of pages) expect((await firstFrameNear(page, LUMA.memberA, grantedA - 1000, 15_000)).at).toBeGreaterThan(0);
    await pages[0]?.getByTestId('audience-speaker').filter({ hasText: '王委员' }).waitFor();
    await screenshot(pages[0] as Page, 'audience-phone-member-a');

    // The floor moves from A to B: measured from the moment the event is recorded.
    await chair.command('floor:revoke', {});
    const movedAt = Date.now();
    await chair.command('floor:grant', { target: { kind: 'participant', participantId: b.id } });
    const delays: number[] = [];
    for (const page of pages) delays.push((await firstFrameNear(page, LUMA.memberB, movedAt, 15_000)).at - movedAt);
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
    meeting.close();
  }
});
