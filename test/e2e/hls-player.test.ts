/**
 * The public page in 流畅模式, in Debian's Chromium: the viewer picks 流畅模式 on a phone, the
 * page loads hls.js and plays a live HLS stream made by real ffmpeg (H.264 + AAC, one-second
 * segments); frames are decoded at the stream's size, the sound is decoded, the mode line says
 * the delay hls.js estimates, the choice survives a reload, and 实时模式 comes back with WebRTC.
 * And when the server refuses a viewer WebRTC (its audience is full), the page plays the
 * stream by itself and says why; 重试实时模式 asks the server again.
 *
 * NOTE: the stream is ffmpeg's test pattern written to a temporary directory and served at the
 * product's stream URL by the test (page.route), standing in for the server's own encoder of the
 * meeting's program.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { startTestServer } from '../helpers/server.js';

const PHONE = { width: 390, height: 844 };

let server: RunningServer;
let browser: Browser;
withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

let streamDir = '';
let encoder: ChildProcess | null = null;

/** Resolves once the live playlist names at least `count` segments (watching the directory). */
function playlistWithSegments(dir: string, count: number): Promise<void> {
  const playlist = path.join(dir, 'index.m3u8');
  const ready = (): boolean => existsSync(playlist) && (readFileSync(playlist, 'utf8').match(/\.ts$/gm)?.length ?? 0) >= count;
  return new Promise((resolve, reject) => {
    if (ready()) return resolve();
    const watcher = watch(dir, () => {
      if (!ready()) return;
      watcher.close();
      resolve();
    });
    encoder?.once('exit', (code) => {
      watcher.close();
      reject(new Error(`ffmpeg exited with ${String(code)} before the stream was ready`));
    });
  });
}

beforeAll(async () => {
  streamDir = mkdtempSync(path.join(tmpdir(), 'wsl-hls-'));
  // A live stream as the program's would be: H.264 (baseline, a key frame each second) and AAC.
  encoder = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-re'],
      ...['-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p'],
      ...['-g', '25', '-keyint_min', '25', '-sc_threshold', '0'],
      ...['-c:a', 'aac', '-b:a', '64k', '-ac', '1'],
      ...['-f', 'hls', '-hls_time', '1', '-hls_list_size', '6', '-hls_flags', 'delete_segments+independent_segments'],
      ...['-hls_segment_filename', path.join(streamDir, 'seg-%d.ts'), path.join(streamDir, 'index.m3u8')],
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await playlistWithSegments(streamDir, 3);
}, 30_000);

afterAll(async () => {
  const running = encoder;
  if (running && running.exitCode === null && running.signalCode === null) {
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }
  rmSync(streamDir, { recursive: true, force: true });
});

/** Serves the test's stream at the product's stream URL of `roomId`. */
async function serveStream(page: Page, roomId: string): Promise<string[]> {
  const asked: string[] = [];
  await page.context().route(`**/stream/${roomId}/*`, async (route) => {
    const name = path.basename(new URL(route.request().url()).pathname);
    asked.push(name);
    const file = path.join(streamDir, name);
    if (!/^(index\.m3u8|seg-\d+\.ts)$/.test(name) || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
    await route.fulfill({
      status: 200,
      contentType: name.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t',
      headers: { 'cache-control': name.endsWith('.m3u8') ? 'public, max-age=1' : 'public, max-age=86400, immutable' },
      body: readFileSync(file),
    });
  });
  return asked;
}

/** Records in the page each decoded frame of the stream's video: when, and its mean brightness. */
const RECORD_FRAMES = `
  (() => {
    const video = document.querySelector('[data-testid="hls-video"]');
    if (!video || window.__frames) return;
    const frames = [];
    window.__frames = frames;
    const canvas = document.createElement('canvas');
    canvas.width = 32;
    canvas.height = 18;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const onFrame = (_now, meta) => {
      ctx.drawImage(video, 0, 0, 32, 18);
      const data = ctx.getImageData(0, 0, 32, 18).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      frames.push({ at: Date.now(), luma: sum / (data.length / 4), width: meta.width, height: meta.height });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  })();
`;

type Frame = { at: number; luma: number; width: number; height: number };

test('a phone viewer picks 流畅模式: hls.js plays the live stream, frames and sound decode, the delay shows, the choice is kept', async () => {
  const supported = await (async () => {
    const probe = await openPage(browser, PHONE);
    return probe.evaluate(() => MediaSource.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"'));
  })();
  // Debian's Chromium decodes H.264 and AAC in Media Source Extensions (what hls.js feeds).
  expect(supported).toBe(true);

  const { roomId } = await createRoom(server, { open: true });
  const link = await invite(server, roomId, 'public', 'city');
  const page = await openPage(browser, PHONE);
  const asked = await serveStream(page, roomId);
  const hlsChunks: string[] = [];
  page.on('request', (request) => {
    if (/\/assets\/hls\.light-[^/]+\.js$/.test(request.url())) hlsChunks.push(request.url());
  });
  await page.goto(`${server.url}/join?invite=${encodeURIComponent(link)}`);

  // 实时模式 first: hls.js is not even downloaded.
  const label = page.getByTestId('watch-mode-label');
  await label.filter({ hasText: '实时模式' }).waitFor();
  await page.locator('[data-testid="program-video"]').waitFor();
  expect(hlsChunks).toEqual([]);
  expect(asked).toEqual([]);

  await page.getByTestId('watch-mode-switch').filter({ hasText: '切换到流畅模式' }).click();
  const player = page.getByTestId('hls-player');
  await player.waitFor();
  expect(await page.locator('[data-testid="program-video"]').count()).toBe(0);
  await page.locator('[data-testid="hls-player"][data-phase="playing"]').waitFor({ timeout: 20_000 });
  expect(await player.getAttribute('data-engine')).toBe('hls.js');
  expect(hlsChunks).toHaveLength(1);
  expect(asked[0]).toBe('index.m3u8');
  expect(asked.some((name) => /^seg-\d+\.ts$/.test(name))).toBe(true);

  await page.evaluate(RECORD_FRAMES);
  // A second of the stream's frames, decoded at its size, not black.
  const decoded = (await (
    await page.waitForFunction(() => {
      const frames = (window as unknown as { __frames?: Frame[] }).__frames ?? [];
      return frames.length >= 25 ? frames : null;
    }, undefined, { timeout: 15_000, polling: 100 })
  ).jsonValue()) as Frame[];
  expect(decoded.every((f) => f.width === 640 && f.height === 360)).toBe(true);
  const meanLuma = decoded.reduce((sum, f) => sum + f.luma, 0) / decoded.length;
  expect(meanLuma).toBeGreaterThan(40);
  const playback = await page.getByTestId('hls-video').evaluate((v) => {
    const video = v as HTMLVideoElement & { webkitAudioDecodedByteCount?: number };
    return { frames: video.getVideoPlaybackQuality().totalVideoFrames, audioBytes: video.webkitAudioDecodedByteCount ?? 0, muted: video.muted, paused: video.paused };
  });
  expect(playback.frames).toBeGreaterThanOrEqual(25);
  // The sine tone is decoded, and played with sound (the browser allows autoplay here).
  expect(playback.audioBytes).toBeGreaterThan(0);
  expect(playback).toMatchObject({ muted: false, paused: false });
  expect(await page.getByTestId('hls-unmute').count()).toBe(0);

  // The mode line says how far behind the live edge the viewer is.
  const delayText = await page.getByTestId('watch-mode-label').filter({ hasText: /流畅模式 · 延迟约 \d+ 秒/ }).textContent({ timeout: 15_000 });
  const delay = Number(/延迟约 (\d+) 秒/.exec(delayText ?? '')?.[1]);
  console.log(`hls.js's estimate of the delay behind the live edge: about ${delay} s (1 s segments, ffmpeg's test pattern)`);
  expect(delay).toBeGreaterThanOrEqual(1);
  expect(delay).toBeLessThan(10);
  await screenshot(page, 'hls-phone-smooth');

  // The choice is remembered: a reload comes back in 流畅模式 without asking for WebRTC.
  await page.reload();
  await page.locator('[data-testid="hls-player"][data-phase="playing"]').waitFor({ timeout: 20_000 });
  expect(await page.locator('[data-testid="program-video"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.length)).toBe(0);

  // Back to 实时模式: the stream stops, the WebRTC program is asked for.
  await page.getByTestId('watch-mode-switch').filter({ hasText: '切换到实时模式' }).click();
  await page.locator('[data-testid="program-video"][data-consumers*="-"]').waitFor({ timeout: 15_000 });
  expect(await page.getByTestId('hls-player').count()).toBe(0);
  await label.filter({ hasText: '实时模式' }).waitFor();
  expect(await page.evaluate(() => window.localStorage.getItem('wsl.watchMode'))).toBe('realtime');
});

test('the WebRTC audience is full: the server refuses the viewer, the page plays the stream and says why; a retry asks the server again', async () => {
  // NOTE: every worker keeps 40 transports for participants: with 2 at most, the server
  // refuses every viewer WebRTC (CAPACITY), as a full audience does.
  const full = await startTestServer({ CLIENT_DIR: 'dist/client', MEDIA_MAX_TRANSPORTS_PER_WORKER: '2' });
  try {
    const { roomId } = await createRoom(full, { open: true });
    const link = await invite(full, roomId, 'public', 'city');
    const page = await openPage(browser, PHONE);
    const asked = await serveStream(page, roomId);
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
    await page.locator('[data-testid="hls-player"][data-phase="playing"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="program-video"]').count()).toBe(0);
    expect(asked[0]).toBe('index.m3u8');
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
    await page.locator('[data-testid="hls-player"][data-phase="playing"]').waitFor({ timeout: 20_000 });
  } finally {
    // The pages first: a server does not finish closing while browsers hold connections to it.
    for (const context of browser.contexts()) await context.close();
    await full.close();
  }
});
