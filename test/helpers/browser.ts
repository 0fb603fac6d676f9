/**
 * Debian's Chromium driven by playwright-core, with a fake camera and microphone, for
 * browser tests and benchmarks. Every page records its RTCPeerConnections (an init script
 * wraps the constructor), so tests can read WebRTC stats without hooks in the product.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Debian installs Chromium. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Screenshots and traces of browser tests (not committed). */
export const OUTPUT_DIR = path.resolve('test-output');

/** A browser context like a phone's (390×844, touch, zh-CN), for newContext(). */
export const PHONE_CONTEXT = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' };

/** Launches a headless Chromium with fake media devices (and `extraArgs`, e.g. a pinned certificate). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run npm run setup`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--autoplay-policy=no-user-gesture-required',
      ...extraArgs,
    ],
  });
}

const RECORD_PEER_CONNECTIONS = `
  (() => {
    const Native = window.RTCPeerConnection;
    const all = [];
    Object.defineProperty(window, '__peerConnections', { value: all });
    window.RTCPeerConnection = class extends Native {
      constructor(config) { super(config); all.push(this); }
    };
  })();
`;

/**
 * What held the page's main thread, for a failed test's report (describePages): its tasks over
 * a second, and how long each AudioContext took to make (Chromium makes one with a blocking
 * call to its audio service: up to 10 s, twice over, when the service is stuck). Also counts
 * the AudioContexts made, in `window.__audioContexts` (pageProbes.ts, audioContexts).
 */
const RECORD_STALLS = `
  (() => {
    const stalls = [];
    let audioContexts = 0;
    Object.defineProperty(window, '__stalls', { value: stalls });
    Object.defineProperty(window, '__audioContexts', { get: () => audioContexts });
    const note = (what) => { if (stalls.length < 100) stalls.push(what); };
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.duration >= 1000) note('task of ' + Math.round(e.duration) + ' ms at ' + Math.round(e.startTime) + ' ms');
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // A browser without long-task entries: the report lists the slow AudioContexts only.
    }
    const NativeAudio = window.AudioContext;
    if (NativeAudio) window.AudioContext = class extends NativeAudio {
      constructor(options) {
        const start = performance.now();
        super(options);
        audioContexts += 1;
        const took = performance.now() - start;
        if (took >= 100) note('new AudioContext took ' + Math.round(took) + ' ms at ' + Math.round(start) + ' ms');
      }
    };
  })();
`;

/** Opens a page that records its peer connections in `window.__peerConnections`. */
export async function openPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  // A string, not a function: the test runner's transpiler would add helpers to a function
  // that do not exist in the page.
  await context.addInitScript(RECORD_PEER_CONNECTIONS);
  await context.addInitScript(RECORD_STALLS);
  return context.newPage();
}

/**
 * What every open page of `browser` shows and said, for a failed test's output: its address,
 * its alerts and its body's first lines, its console errors and warnings and its uncaught
 * errors (Playwright keeps the last 200 of each), and a screenshot under
 * test-output/failed-<name>-<n>.png. A test that only waited for something that never came
 * says nothing of why; this does. Each page gets a few seconds, so a hung one cannot hold up
 * the report.
 */
export async function describePages(browser: Browser, name: string): Promise<string> {
  const pages = browser.contexts().flatMap((context) => context.pages());
  const within = <T>(work: Promise<T>, fallback: T): Promise<T> =>
    Promise.race([work.catch(() => fallback), new Promise<T>((resolve) => setTimeout(() => resolve(fallback), 5_000))]);
  const reports = await Promise.all(
    pages.map(async (page, index) => {
      const [alerts, body, stalls, messages, errors, shot] = await Promise.all([
        within(page.getByRole('alert').allInnerTexts(), []),
        within(page.evaluate(() => document.body.innerText.slice(0, 600)), '(no answer within 5 s: the page is hung, busy or gone)'),
        within(page.evaluate(() => ((window as unknown as { __stalls?: string[] }).__stalls ?? []).slice()), []),
        within(page.consoleMessages(), []),
        within(page.pageErrors(), []),
        within(screenshot(page, `failed-${name}-${index + 1}`), 'no screenshot'),
      ]);
      const said = messages.filter((m) => m.type() === 'error' || m.type() === 'warning').map((m) => `  console.${m.type()}: ${m.text()}`);
      return [
        `page ${index + 1}: ${page.url()}${page.isClosed() ? ' (closed)' : ''} (${shot})`,
        ...alerts.map((text) => `  alert: ${text.replace(/\s+/g, ' ')}`),
        `  text: ${body.replace(/\s+/g, ' ')}`,
        ...stalls.map((stall) => `  main thread: ${stall}`),
        ...said.slice(-30),
        ...errors.map((error) => `  uncaught: ${error.message}`),
      ].join('\n');
    }),
  );
  return reports.join('\n');
}

/** Saves a screenshot under test-output/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Decoded frames and size of every remote camera video on the page. */
export async function remoteVideos(page: Page): Promise<Array<{ peerId: string; consumerId: string; width: number; frames: number }>> {
  return page.$$eval('video[data-testid="remote-video"]', (videos) =>
    videos.map((v) => {
      const video = v as HTMLVideoElement;
      return {
        peerId: video.dataset['peerId'] ?? '',
        consumerId: video.dataset['consumerId'] ?? '',
        width: video.videoWidth,
        frames: video.getVideoPlaybackQuality().totalVideoFrames,
      };
    }),
  );
}

/** Inbound RTP packets by kind over all peer connections of the page. */
export async function inboundPackets(page: Page): Promise<{ audio: number; video: number }> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const totals = { audio: 0, video: 0 };
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
        if (s.type === 'inbound-rtp' && (s.kind === 'audio' || s.kind === 'video')) totals[s.kind] += s.packetsReceived ?? 0;
      });
    }
    return totals;
  });
}

/** Polls `probe` until `ok` holds or the time runs out (then throws with the last value). */
export async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
    last = await probe();
  }
  return last;
}
