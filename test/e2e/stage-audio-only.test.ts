/**
 * The stage and audio-only through the real UI in Debian's Chromium (fake camera), one meeting:
 * - the speaker on the floor reaches a listener's stage at the top simulcast layer, the size of
 *   the speaker's own capture, while the listener's small tile of the same camera had the low one;
 * - a listener who switches to 仅语音 stops sending video (its outbound video bytes stop growing)
 *   and still sees the stage; the chair's 各会场连接质量 says who is audio-only;
 * - given the floor while audio-only, the participant speaks with sound only: the others keep
 *   receiving their audio, their camera stays off, and the stage says 仅语音 to the chair.
 */
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { CAMERA_CONSTRAINTS } from '../../client/src/media/encodings.js';
import { eventually, openPage, remoteVideos, screenshot } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { audioPacketsFrom, floorVideoFrames, joinByInvite } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';

let server: RunningServer;
let browser: Browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

async function inRoom(token: string, name: string, { camera = true }: { camera?: boolean } = {}): Promise<Page> {
  const page = await openPage(browser);
  if (camera) {
    await joinByInvite(page, server, token, name);
  } else {
    // The chair's picture plays no part here: one encoder fewer on a small machine.
    await page.goto(`${server.url}/join?invite=${token}`);
    await page.getByTestId('invite-summary').waitFor({ timeout: 20_000 });
    // Off once the preview has it open: a click before that would open it.
    const toggle = page.getByTestId('join-toggle-camera');
    await page.locator('[data-testid="join-toggle-camera"][data-state="on"]').waitFor({ timeout: 20_000 });
    await toggle.click();
    await page.locator('[data-testid="join-toggle-camera"][data-state="off"]').waitFor();
    await page.getByTestId('join-name').fill(name);
    await page.getByTestId('join-submit').click();
  }
  await page.getByTestId('room').waitFor({ timeout: 30_000 });
  return page;
}

/**
 * The widths the page's camera is sending now, one per simulcast layer, largest first. NOTE:
 * under CPU load Chrome scales its input down, and every layer with it: the top layer is what
 * the speaker sends at its top, read from its own outbound stats, not a fixed size.
 */
async function sentLayerWidths(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const widths: number[] = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s: { type: string; kind?: string; frameWidth?: number }) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video' && (s.frameWidth ?? 0) > 0) widths.push(s.frameWidth ?? 0);
      });
    }
    return widths.sort((a, b) => b - a);
  });
}

/** Video bytes this page has sent so far, over all its peer connections. */
async function outboundVideoBytes(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    let total = 0;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s: { type: string; kind?: string; bytesSent?: number }) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') total += s.bytesSent ?? 0;
      });
    }
    return total;
  });
}

/**
 * Waits until the page's outbound video stands still: two readings of the stats, one second
 * apart, equal. Sending video at any rate would move the counter between them.
 */
async function outboundVideoStopped(page: Page): Promise<number> {
  let last = await outboundVideoBytes(page);
  const settled = await eventually(
    async () => {
      await new Promise((r) => setTimeout(r, 1_000));
      const now = await outboundVideoBytes(page);
      const still = now === last;
      last = now;
      return { still, bytes: now };
    },
    (reading) => reading.still,
    30_000,
  );
  return settled.bytes;
}

/** The camera width the page asks for (client/src/media/encodings.ts). */
function idealWidth(): number {
  const width = CAMERA_CONSTRAINTS.width;
  if (typeof width !== 'object' || typeof width.ideal !== 'number') throw new Error('the camera asks for no ideal width');
  return width.ideal;
}

async function participantId(roomId: string, name: string): Promise<string> {
  const state = await server.rooms.state(roomId);
  const found = Object.values(state?.participants ?? {}).find((p) => p.name === name);
  if (!found) throw new Error(`${name} is not in the room`);
  return found.id;
}

/** The raised hand of `page` goes to the floor by the chair's 请下一位发言. */
async function giveNextFloor(chair: Page, speaker: Page): Promise<void> {
  await speaker.getByTestId('toolbar-hand').click();
  await chair.getByTestId('tab-queue').click();
  await chair.getByTestId('queue-grant-next').click();
  await speaker.getByTestId('floor-stage').waitFor({ timeout: 15_000 });
}

test('the stage shows the speaker at the top layer; 仅语音 stops video, keeps the voice and the stage, and the chair sees who', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const chair = await inRoom(hostInvite, '周主持', { camera: false });
  const speaker = await inRoom(await invite(server, roomId, 'member', 'd1'), '李委员');
  const listener = await inRoom(await invite(server, roomId, 'member', 'city'), '王委员');
  const speakerId = await participantId(roomId, '李委员');
  const listenerId = await participantId(roomId, '王委员');

  // The top simulcast layer is the speaker's own capture (scaleResolutionDownBy 1).
  const topWidth = await eventually(
    () => speaker.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="local-video"]')?.videoWidth ?? 0),
    (w) => w > 0,
  );
  // The fake camera delivers the size the page asks for: the top layer is that capture, unscaled.
  expect(topWidth).toBe(idealWidth());
  // Before the floor, the listener sees the speaker in a gallery tile, at a lower layer.
  const tile = await eventually(
    () => remoteVideos(listener),
    (videos) => videos.some((v) => v.peerId === speakerId && v.width > 0 && v.frames > 0),
    60_000,
  );
  const tileWidth = tile.find((v) => v.peerId === speakerId)?.width ?? 0;
  expect(tileWidth).toBeLessThan(topWidth);

  // --- The stage at the top layer ---------------------------------------------------------------
  await giveNextFloor(chair, speaker);
  const onStage = await eventually(
    async () => ({ stage: await floorVideoFrames(listener), sent: await sentLayerWidths(speaker) }),
    ({ stage, sent }) => stage.frames > 0 && sent.length === 3 && stage.width === sent[0],
    60_000,
  ).catch(async (error: unknown) => {
    await screenshot(listener, 'stage-layers-failed');
    throw error;
  });
  // The top of the three layers the speaker sends, not the middle one a 416 px stage would fit.
  expect(onStage.stage.width).toBeGreaterThan(onStage.sent[1] ?? Infinity);
  expect(onStage.stage.width).toBeLessThanOrEqual(topWidth);
  await screenshot(listener, 'stage-01-listener-sees-speaker-top-layer');

  // --- 仅语音 for the listener, who keeps the stage -------------------------------------------
  await listener.getByTestId('toggle-audio-only').click();
  expect(await listener.getByTestId('toggle-audio-only').getAttribute('aria-pressed')).toBe('true');
  const stoppedAt = await outboundVideoStopped(listener);
  // The stage is the exception to "no video received": its frames keep coming.
  const stageFrames = (await floorVideoFrames(listener)).frames;
  await eventually(() => floorVideoFrames(listener), (v) => v.frames > stageFrames + 10);
  // The chair's console names who is audio-only, under their venue.
  await chair.getByTestId('tab-people').click();
  const cityLine = chair.locator('[data-testid="venue-quality"][data-venue="city"]');
  await expect.poll(() => cityLine.getByTestId('venue-audio-only').innerText(), { timeout: 15_000 }).toBe('仅语音：王委员');
  await chair.getByTestId('venue-audio-only').scrollIntoViewIfNeeded();
  await screenshot(chair, 'stage-02-chair-sees-audio-only');

  // --- Given the floor while audio-only: heard, not seen ---------------------------------------
  await chair.getByTestId('tab-queue').click();
  await chair.getByTestId('floor-revoke').click();
  await giveNextFloor(chair, listener);
  await listener.getByTestId('floor-audio-only-hint').waitFor();
  const heardBefore = await audioPacketsFrom(speaker, listenerId);
  await eventually(() => audioPacketsFrom(speaker, listenerId), (n) => n > heardBefore + 50, 30_000);
  // Still no video out of the audio-only speaker, on the floor or not.
  expect(await outboundVideoStopped(listener)).toBe(stoppedAt);
  // Nobody gets a frozen picture: the stage shows the name, and the chair is told why.
  await speaker.locator('[data-testid="floor-stage"] .avatar').waitFor();
  await chair.getByTestId('floor-audio-only').waitFor({ timeout: 15_000 });
  await screenshot(listener, 'stage-03-audio-only-speaker');
  await screenshot(chair, 'stage-04-chair-audio-only-speaker');

  // --- Video back ------------------------------------------------------------------------------
  await listener.getByTestId('floor-video-back').click();
  await eventually(() => outboundVideoBytes(listener), (bytes) => bytes > stoppedAt + 10_000, 30_000);
  await eventually(() => floorVideoFrames(speaker), (v) => v.frames > 0 && v.width > 0, 30_000);
}, 180_000);
