/**
 * Join benchmark: a person clicks "join" in Debian's Chromium (fake camera and microphone) and
 * we measure the time until the first remote video frame is decoded, and the request/response
 * round trips on the critical path in between.
 *
 * Set-up: the real server and built client (run `npm run setup` first); an open room where a
 * first Chromium already sends its camera. Each round a fresh browser context joins through
 * the real UI. The page's WebSocket is tapped (an init script) to timestamp every Socket.IO
 * request with an ack id ("42<id>[…") and every ack ("43<id>[…").
 *
 * Round trips: the longest chain of requests where each was sent only after the previous one's
 * ack arrived (an upper bound on the dependent round trips), counted up to the first frame.
 *
 * Baseline, in the same browser and round: the time from the same page asking for its own
 * camera (getUserMedia) to that local video's first frame. The ratio join / baseline says how
 * many "local camera start-ups" a join costs, which stays comparable on a loaded machine.
 *
 * Run: npx tsx bench/join.ts   (JOIN_ROUNDS=5 by default; all traffic on 127.0.0.1)
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage } from '../test/helpers/browser.js';
import { createRoom, invite } from '../test/helpers/rooms.js';
import { startTestServer } from '../test/helpers/server.js';

const ROUNDS = Number(process.env['JOIN_ROUNDS'] ?? 5);

const TAP = `
  (() => {
    const log = [];
    Object.defineProperty(window, '__wsLog', { value: log });
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => {
          if (typeof e.data === 'string') log.push({ dir: 'in', t: performance.now(), head: e.data.slice(0, 24) });
        });
      }
      send(data) {
        if (typeof data === 'string') log.push({ dir: 'out', t: performance.now(), head: data.slice(0, 24) });
        return super.send(data);
      }
    };
    document.addEventListener('click', (e) => {
      const target = e.target;
      if (target instanceof Element && target.closest('[data-testid="join-submit"]')) {
        Object.defineProperty(window, '__joinClickedAt', { value: performance.now(), configurable: true });
      }
    }, true);
  })();
`;

type Frame = { dir: 'in' | 'out'; t: number; head: string };
type Round = { joinMs: number; roundTrips: number; requests: number; baselineMs: number };

function isFrames(value: unknown): value is Frame[] {
  return (
    Array.isArray(value) &&
    value.every((f) => typeof f === 'object' && f !== null && 'dir' in f && 't' in f && typeof f.t === 'number' && 'head' in f && typeof f.head === 'string')
  );
}

/** The longest chain of requests each sent after the previous one's ack arrived. */
function criticalPath(frames: Frame[], from: number, until: number): { roundTrips: number; requests: number } {
  const sent = new Map<string, number>();
  const acked = new Map<string, number>();
  for (const f of frames) {
    const out = /^42(\d+)\[/.exec(f.head);
    const ack = /^43(\d+)\[/.exec(f.head);
    if (f.dir === 'out' && out?.[1] && f.t >= from && f.t <= until) sent.set(out[1], f.t);
    if (f.dir === 'in' && ack?.[1]) acked.set(ack[1], f.t);
  }
  const requests = [...sent.entries()].sort((a, b) => a[1] - b[1]);
  if (process.env['JOIN_TRACE']) {
    const name = (id: string): string => frames.find((f) => f.dir === 'out' && f.head.startsWith(`42${id}[`))?.head.slice(`42${id}[`.length) ?? id;
    for (const [id, at] of requests) console.log(`  ${(at - from).toFixed(0).padStart(5)} ms  → ${name(id)}  ack at ${((acked.get(id) ?? NaN) - from).toFixed(0)} ms`);
  }
  const depth = new Map<string, number>();
  for (const [id, at] of requests) {
    let d = 1;
    for (const [earlier] of requests) {
      const ackAt = acked.get(earlier);
      if (earlier !== id && ackAt !== undefined && ackAt <= at) d = Math.max(d, (depth.get(earlier) ?? 1) + 1);
    }
    depth.set(id, d);
  }
  return { roundTrips: Math.max(0, ...depth.values()), requests: requests.length };
}

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

async function oneRound(browser: Browser, serverUrl: string, token: string): Promise<Round> {
  const page = await openPage(browser);
  try {
    await page.addInitScript(TAP);
    await page.goto(`${serverUrl}/join?invite=${token}`);
    const baselineMs = await localCameraFirstFrame(page);
    await page.getByTestId('join-name').fill('测速');
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
    const clickedAt = await page.evaluate(() => (window as unknown as { __joinClickedAt?: number }).__joinClickedAt ?? null);
    const frames: unknown = await page.evaluate(() => (window as unknown as { __wsLog: unknown }).__wsLog);
    if (typeof until !== 'number' || clickedAt === null || !isFrames(frames)) throw new Error('the page did not record the join');
    return { joinMs: until - clickedAt, ...criticalPath(frames, clickedAt, until), baselineMs };
  } finally {
    await page.context().close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const server = await startTestServer({ CLIENT_DIR: 'dist/client' });
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

    const joiner = await launchChromium();
    browsers.push(joiner);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const round = await oneRound(joiner, server.url, await invite(server, roomId, 'member'));
      rounds.push(round);
      console.log(
        `round ${i + 1}: join → first remote frame ${round.joinMs.toFixed(0)} ms, ${round.roundTrips} round trips ` +
          `(${round.requests} requests); local camera first frame ${round.baselineMs.toFixed(0)} ms`,
      );
    }
    const join = median(rounds.map((r) => r.joinMs));
    const base = median(rounds.map((r) => r.baselineMs));
    const trips = Math.max(...rounds.map((r) => r.roundTrips));
    console.log(
      `\njoin: median ${join.toFixed(0)} ms from click to first decoded remote frame, at most ${trips} dependent round trips; ` +
        `baseline local camera first frame ${base.toFixed(0)} ms; ratio ${(join / base).toFixed(2)} (${ROUNDS} rounds)`,
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
