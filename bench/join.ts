/**
 * Join benchmark: a person clicks "join" in Debian's Chromium (fake camera and microphone) and
 * we measure the time until the first remote video frame is decoded, and the request/response
 * round trips on the critical path in between.
 *
 * Set-up: the real server and built client (run `npm run setup` first); an open room where a
 * first Chromium already sends its camera. Each round a fresh browser context joins through
 * the real UI. An init script (lib/joinTrace.ts) timestamps every Socket.IO frame, the peer
 * connections' ICE/DTLS states and, from getStats(), the first video packet, key frame and
 * decoded frame; each round prints its steps in ms after the click, then a table of all rounds
 * with the median of each step.
 *
 * The server's side of the same join (lib/serverMediaTrace.ts, from mediasoup's observer in this
 * process): when the receiving transport's ICE and DTLS connected and when the video consumer
 * was resumed and sent its first key frame, on the page's clock. The page's own connection
 * events come late whenever its main thread is busy; these do not.
 *
 * Round trips: the chain of requests the first frame waited for (its consumer:resume and the
 * receiving transport:connect, each back to the ack or push that set it off); also, as before,
 * the upper bound: the longest chain of requests each sent after the previous one's ack.
 *
 * Baseline, in the same browser and round: the time from the same page asking for its own
 * camera (getUserMedia) to that local video's first frame. The ratio join / baseline says how
 * many "local camera start-ups" a join costs, which stays comparable on a loaded machine.
 *
 * Run: npx tsx bench/join.ts   (JOIN_ROUNDS=5 by default; all traffic on 127.0.0.1). With
 * JOIN_CPU_PROF=1 each round also prints where the page's main thread spent its time from the
 * click to the first frame (the profiler itself slows the page, so take those rounds' times
 * with care); JOIN_CPU_PROF_DIR=<dir> keeps the whole profiles for DevTools. With
 * JOIN_LONG_TASKS=1 each round prints what the page's long tasks were made of (script, style,
 * layout, WebRTC calls; lib/pageTasks.ts). JOIN_CLIENT_DIR=<dir> serves another build of the
 * client (a worktree's dist/client, say) to compare two versions in alternating runs.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage } from '../test/helpers/browser.js';
import { createRoom, invite } from '../test/helpers/rooms.js';
import { RTP_CAPABILITIES_ROUTE } from '../signaling/http/health.js';
import { startTestServer } from '../test/helpers/server.js';
import { startPageProfile } from './lib/pageProfile.js';
import { startTaskTrace } from './lib/pageTasks.js';
import { traceServerMedia } from './lib/serverMediaTrace.js';
import { formatSteps, JOIN_TRACE_SCRIPT, joinSteps, median, parseRawTrace, STATS_EVERY_MS, stepTable, type JoinTrace, type ServerView } from './lib/joinTrace.js';

const ROUNDS = Number(process.env['JOIN_ROUNDS'] ?? 5);
/** JOIN_CPU_PROF=1: also profile the joining page's main thread from the click to the first frame. */
const PROFILE = process.env['JOIN_CPU_PROF'] === '1';
/** JOIN_CPU_PROF_DIR=<dir>: with JOIN_CPU_PROF=1, also keep each round's whole profile there. */
const PROFILE_DIR = process.env['JOIN_CPU_PROF_DIR'];
/**
 * JOIN_CHROMIUM_ARGS: more flags for the joining browser, space-separated. With DEBUG=pw:browser
 * its log shows; e.g. "--enable-logging=stderr --vmodule=*basic_port_allocator*=1" gives when
 * each ICE candidate was gathered.
 */
const JOINER_ARGS = (process.env['JOIN_CHROMIUM_ARGS'] ?? '').split(' ').filter(Boolean);
/** JOIN_LONG_TASKS=1: also trace the browser and print what the page's long tasks were made of. */
const LONG_TASKS = process.env['JOIN_LONG_TASKS'] === '1';

type Round = { joinMs: number; trace: JoinTrace; baselineMs: number };

async function localCameraFirstFrame(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const started = performance.now();
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    await new Promise<void>((resolve) => video.requestVideoFrameCallback(() => resolve()));
    const ms = performance.now() - started;
    for (const track of stream.getTracks()) track.stop();
    return ms;
  });
}

async function oneRound(browser: Browser, serverUrl: string, token: string, serverMedia: ServerView['of']): Promise<Round> {
  const page = await openPage(browser);
  try {
    await page.addInitScript(JOIN_TRACE_SCRIPT);
    await page.goto(`${serverUrl}/join?invite=${token}`);
    const baselineMs = await localCameraFirstFrame(page);
    await page.getByTestId('join-name').fill('测速');
    // Playwright compiles its helper script into the page on the first waitForFunction: done
    // here, not in the middle of the join it measures (a long task of 40-50 ms otherwise).
    await page.waitForFunction(() => true, undefined, { polling: 'raf' });
    const profiler = PROFILE ? await startPageProfile(page, PROFILE_DIR) : null;
    const tracer = LONG_TASKS ? await startTaskTrace(browser, page) : null;
    if (tracer !== null) await page.evaluate(() => performance.mark('join:click'));
    await page.getByTestId('join-submit').click();
    const firstFrameAt = await page.waitForFunction(
      () => {
        for (const v of document.querySelectorAll('video[data-testid="remote-video"]')) {
          if (v instanceof HTMLVideoElement && v.getVideoPlaybackQuality().totalVideoFrames > 0) return performance.now();
        }
        return null;
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    const until = await firstFrameAt.jsonValue();
    if (profiler !== null) console.log(await profiler.stop());
    if (tracer !== null) console.log(await tracer.stop());
    // The getStats() poll lags behind the <video>: let it see the decoded frame too.
    await page
      .waitForFunction(() => (window as unknown as { __joinTrace: { stats: { videoFrameDecoded?: number } } }).__joinTrace.stats.videoFrameDecoded !== undefined, undefined, {
        timeout: 10_000,
      })
      .catch((error: unknown) => console.warn('the getStats() poll did not see the first decoded frame', error));
    const { raw, capabilitiesAt, timeOrigin } = await page.evaluate((route) => {
      const capabilities = performance.getEntriesByType('resource').find((e) => e.name.includes(route));
      const capabilitiesAt = capabilities instanceof PerformanceResourceTiming ? capabilities.responseEnd : null;
      return { raw: (window as unknown as { __joinTrace: unknown }).__joinTrace, capabilitiesAt, timeOrigin: performance.timeOrigin };
    }, RTP_CAPABILITIES_ROUTE.path());
    if (typeof until !== 'number') throw new Error('the page did not record the first frame');
    const parsed = parseRawTrace(raw);
    if (parsed.clickedAt === null) throw new Error('the page did not record the click');
    return { joinMs: until - parsed.clickedAt, trace: joinSteps(parsed, until, capabilitiesAt ?? undefined, { of: serverMedia, pageTimeOrigin: timeOrigin }), baselineMs };
  } finally {
    await page.context().close();
  }
}

async function main(): Promise<void> {
  // JOIN_CLIENT_DIR: another build of the client to measure (say, a worktree's), served by this server.
  const serverMedia = traceServerMedia();
  const server = await startTestServer({ CLIENT_DIR: process.env['JOIN_CLIENT_DIR'] ?? 'dist/client' });
  const browsers: Browser[] = [];
  try {
    const { roomId } = await createRoom(server, { open: true, floorOnly: false });
    const sender = await launchChromium();
    browsers.push(sender);
    const first = await openPage(sender);
    await first.goto(`${server.url}/join?invite=${await invite(server, roomId, 'member')}`);
    await first.getByTestId('join-name').fill('先到者');
    await first.getByTestId('join-submit').click();
    await first.getByTestId('room').waitFor();

    const joiner = await launchChromium(JOINER_ARGS);
    browsers.push(joiner);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const round = await oneRound(joiner, server.url, await invite(server, roomId, 'member'), serverMedia.of);
      rounds.push(round);
      console.log(
        `round ${i + 1}: join → first remote frame ${round.joinMs.toFixed(0)} ms, ${round.trace.chain.length} round trips ` +
          `(upper bound ${round.trace.upperBound}, ${round.trace.requests} requests); local camera first frame ${round.baselineMs.toFixed(0)} ms`,
      );
      console.log(formatSteps(round.trace));
    }
    const join = median(rounds.map((r) => r.joinMs));
    const base = median(rounds.map((r) => r.baselineMs));
    const trips = Math.max(...rounds.map((r) => r.trace.chain.length));
    const bound = Math.max(...rounds.map((r) => r.trace.upperBound));
    console.log(`\n${stepTable(rounds.map((r) => r.trace))}`);
    console.log(
      `\njoin: median ${join.toFixed(0)} ms from click to first decoded remote frame, ${trips} dependent round trips to it ` +
        `(upper bound ${bound}); baseline local camera first frame ${base.toFixed(0)} ms; ratio ${(join / base).toFixed(2)} ` +
        `(${ROUNDS} rounds; packet and frame steps polled every ${STATS_EVERY_MS} ms)`,
    );
  } finally {
    for (const b of browsers) await b.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
