/**
 * The public page in 流畅模式, in Debian's Chromium, on the real server's live HLS stream (ffmpeg
 * encoding the meeting's program). The chair and two members publish cameras painted each in
 * its own brightness (node WebRTC peers), so a decoded frame says whose camera it is.
 *
 * What the public is promised: a phone viewer who picks 流畅模式 gets hls.js (downloaded only
 * then) playing the stream, with sound; the mode line says the delay; when the floor moves the
 * decoded frames show the new speaker; the choice survives a reload; 实时模式 brings WebRTC
 * back. And when the server refuses a viewer WebRTC (its audience is full), the page plays the
 * stream by itself, says why, and 重试实时模式 asks the server again.
 */
import type { Browser } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { cameraParticipant, firstFrameNear, LUMA, meetingOnCamera, PHONE, recordFrames } from '../helpers/programFrames.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { startTestServer } from '../helpers/server.js';
import type { TestPeer } from '../helpers/TestPeer.js';

let server: RunningServer;
let browser: Browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

test('a phone viewer picks 流畅模式: hls.js plays the server\'s stream with sound, the delay shows, the floor moves and the frames follow', async () => {
  // Debian's Chromium decodes H.264 and AAC in Media Source Extensions (what hls.js feeds).
  const probe = await openPage(browser, PHONE);
  expect(await probe.evaluate(() => MediaSource.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"'))).toBe(true);

  const meeting = await meetingOnCamera(server);
  try {
    const { roomId, chair, memberA: a, memberB: b, publicLink: link } = meeting;

    const page = await openPage(browser, PHONE);
    const hlsChunks: string[] = [];
    const streamFiles: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (/\/assets\/hls\.light-[^/]+\.js$/.test(url)) hlsChunks.push(url);
      if (url.includes(`/stream/${roomId}/`)) streamFiles.push(url.slice(url.lastIndexOf('/') + 1));
    });
    await page.goto(`${server.url}/join?invite=${encodeURIComponent(link)}`);

    // 实时模式 first: hls.js is not even downloaded, the stream not asked for.
    const label = page.getByTestId('watch-mode-label');
    await label.filter({ hasText: '实时模式' }).waitFor();
    await page.locator('[data-testid="program-video"][data-consumers*="-"]').waitFor();
    expect(hlsChunks).toEqual([]);
    expect(streamFiles).toEqual([]);

    await page.getByTestId('watch-mode-switch').filter({ hasText: '切换到流畅模式' }).click();
    await page.locator('[data-testid="hls-player"][data-phase="playing"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('hls-player').getAttribute('data-engine')).toBe('hls.js');
    expect(await page.locator('[data-testid="program-video"]').count()).toBe(0);
    expect(hlsChunks).toHaveLength(1);
    expect(streamFiles[0]).toBe('index.m3u8');
    expect(streamFiles.some((name) => /^seg-[0-9a-z]+-\d+\.ts$/.test(name))).toBe(true);

    // The stream is 16:9: a 4:3 camera in it has black bars at the sides, so only its middle counts.
    await recordFrames(page, 'hls-video', 'middle');
    // Nobody holds the floor: the stream shows the chair, decoded at the stream's size.
    const chairFrame = await firstFrameNear(page, LUMA.chair, 0, 30_000);
    expect(chairFrame.width).toBeGreaterThan(0);
    // The program's sound is decoded too (Chromium counts the bytes), and played: the browser
    // allows sound without a touch here.
    await page
      .waitForFunction(
        () => ((document.querySelector('[data-testid="hls-video"]') as (HTMLVideoElement & { webkitAudioDecodedByteCount?: number }) | null)?.webkitAudioDecodedByteCount ?? 0) > 0,
        undefined,
        { timeout: 15_000, polling: 100 },
      )
      .catch(async (error: unknown) => {
        const state = await page.getByTestId('hls-video').evaluate((v) => {
          const video = v as HTMLVideoElement & { webkitAudioDecodedByteCount?: number; webkitVideoDecodedByteCount?: number };
          const ranges: string[] = [];
          for (let i = 0; i < video.buffered.length; i++) ranges.push(`${video.buffered.start(i).toFixed(2)}-${video.buffered.end(i).toFixed(2)}`);
          return { muted: video.muted, volume: video.volume, t: video.currentTime, ranges, audio: video.webkitAudioDecodedByteCount, videoBytes: video.webkitVideoDecodedByteCount };
        });
        throw new Error(`no sound decoded: ${JSON.stringify(state)}`, { cause: error });
      });
    const playback = await page.getByTestId('hls-video').evaluate((v) => {
      const video = v as HTMLVideoElement;
      return { frames: video.getVideoPlaybackQuality().totalVideoFrames, muted: video.muted, paused: video.paused };
    });
    expect(playback.frames).toBeGreaterThan(0);
    expect(playback).toMatchObject({ muted: false, paused: false });
    expect(await page.getByTestId('hls-unmute').count()).toBe(0);

    const delayText = await label.filter({ hasText: /流畅模式 · 延迟约 \d+ 秒/ }).textContent({ timeout: 15_000 });
    const delay = Number(/延迟约 (\d+) 秒/.exec(delayText ?? '')?.[1]);
    expect(delay).toBeGreaterThanOrEqual(1);
    expect(delay).toBeLessThan(15);

    // The floor moves: measured from the moment the event is recorded to the first frame of the
    // new speaker the page decodes (the whole way: encoder, segment, playlist, hls.js's hold-back).
    await chair.command('floor:grant', { target: { kind: 'participant', participantId: a.id } });
    const grantedA = Date.now();
    const toA = (await firstFrameNear(page, LUMA.memberA, grantedA, 30_000)).at - grantedA;
    await page.getByTestId('audience-speaker').filter({ hasText: '王委员' }).waitFor();
    await screenshot(page, 'hls-phone-member-a');

    await chair.command('floor:revoke', {});
    const movedAt = Date.now();
    await chair.command('floor:grant', { target: { kind: 'participant', participantId: b.id } });
    const toB = (await firstFrameNear(page, LUMA.memberB, movedAt, 30_000)).at - movedAt;
    const shown = await label.textContent();
    console.log(`流畅模式: the viewer's first frame of the new speaker came ${toA} ms (A) and ${toB} ms (B) after the floor moved; the page said "${shown}"`);
    expect(await page.getByTestId('hls-player').getAttribute('data-phase')).toBe('playing');

    // The choice is remembered: a reload comes back in 流畅模式 without asking for WebRTC.
    await page.reload();
    await page.locator('[data-testid="hls-player"][data-phase="playing"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="program-video"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.length)).toBe(0);

    // Back to 实时模式: the stream stops, the WebRTC program plays.
    await page.getByTestId('watch-mode-switch').filter({ hasText: '切换到实时模式' }).click();
    await page.locator('[data-testid="program-video"][data-consumers*="-"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('hls-player').count()).toBe(0);
    await label.filter({ hasText: '实时模式' }).waitFor();
    expect(await page.evaluate(() => window.localStorage.getItem('wsl.watchMode'))).toBe('realtime');
  } finally {
    meeting.close();
  }
});

test('the WebRTC audience is full: the server refuses the viewer, the page plays the stream and says why; a retry asks the server again', async () => {
  // NOTE: every worker keeps 40 transports for participants beyond the audience: with 2 at
  // most, the chair's two fit and the server refuses every viewer WebRTC (CAPACITY), as a full
  // audience does. The stream's encoder is no browser transport and is not refused.
  const full = await startTestServer({ CLIENT_DIR: 'dist/client', MEDIA_MAX_TRANSPORTS_PER_WORKER: '2' });
  let chair: TestPeer | null = null;
  try {
    const { roomId, hostInvite } = await createRoom(full, { open: true });
    chair = await cameraParticipant(full, hostInvite, '主持人', LUMA.chair);
    const link = await invite(full, roomId, 'public', 'city');
    const page = await openPage(browser, PHONE);
    // The server's answers that refuse WebRTC, as they arrive over the page's socket.
    let refusals = 0;
    let onRefusal: (() => void) | null = null;
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload !== 'string' || !payload.includes('"error":"CAPACITY"')) return;
        refusals += 1;
        onRefusal?.();
      }),
    );
    await page.goto(`${full.url}/join?invite=${encodeURIComponent(link)}`);
    await page.locator('[data-testid="watch-mode"][data-fallback="full"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('watch-mode-why').textContent()).toBe('实时观看人数已满，已为您切换到流畅模式。');
    await page.locator('[data-testid="hls-player"][data-phase="playing"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="program-video"]').count()).toBe(0);
    await recordFrames(page, 'hls-video', 'middle');
    await firstFrameNear(page, LUMA.chair, 0, 30_000);
    expect(refusals).toBe(1);
    // Not the viewer's choice: the next visit tries 实时模式 first.
    expect(await page.evaluate(() => window.localStorage.getItem('wsl.watchMode'))).toBeNull();
    await screenshot(page, 'hls-phone-audience-full');

    const refusedAgain = new Promise<void>((resolve) => {
      onRefusal = resolve;
    });
    await page.getByTestId('watch-mode-switch').filter({ hasText: '重试实时模式' }).click();
    await refusedAgain;
    expect(refusals).toBe(2);
    await page.locator('[data-testid="watch-mode"][data-fallback="full"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="hls-player"][data-phase="playing"]').waitFor({ timeout: 30_000 });
  } finally {
    chair?.close();
    // The pages first: a server does not finish closing while browsers hold connections to it.
    for (const context of browser.contexts()) await context.close();
    await full.close();
  }
});
