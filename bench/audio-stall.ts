/**
 * Audio stall benchmark: how long a page stops answering when it starts a sound or a level
 * meter while the browser's audio service is stuck, the old way (Web Audio) against the ways
 * the client uses now (media/chime.ts, media/useAudioLevel.ts).
 *
 * Set-up: Debian's Chromium (fake camera and microphone), one page on a local http:// page (a
 * secure context, for the microphone). The audio service (a utility process of that browser,
 * found through the DevTools protocol's SystemInfo.getProcessInfo) is started with one
 * AudioContext, then stopped with SIGSTOP, as a stuck driver or a starved process would leave it.
 * Then, one at a time, each way starts in the page:
 *   baseline   `new AudioContext()`, as the chime and both meters did;
 *   chime      an <audio> element playing the client's own chime file (chimeWav);
 *   meter      reading the microphone's frames (MediaStreamTrackProcessor).
 * While each runs, the bench asks the page for a value every 100 ms for 3 s (and until the
 * page answers) and reports the longest wait for an answer: the time the page was frozen.
 *
 * Prints each way's longest wait and its ratio to the baseline's. The service is let go
 * (SIGCONT) at the end, and also if the bench fails.
 *
 * Run: npm run bench -- bench/audio-stall.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { chimeWav, KNOCK } from '../client/src/media/chime.js';
import { launchChromium, openPage } from '../test/helpers/browser.js';

const WATCH_MS = 3_000;
const ASK_EVERY_MS = 100;

// Strings, not functions: tsx would add helpers (__name) that the page lacks.
const START = {
  baseline: `(() => { window.__started = new AudioContext(); return 'made'; })()`,
  chime: (wavBase64: string) => `(() => {
    const bytes = Uint8Array.from(atob('${wavBase64}'), (c) => c.charCodeAt(0));
    const audio = new Audio(URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' })));
    window.__started = audio.play();
    return 'play() called';
  })()`,
  meter: `(() => {
    window.__started = navigator.mediaDevices.getUserMedia({ audio: true }).then((stream) => {
      const reader = new MediaStreamTrackProcessor({ track: stream.getAudioTracks()[0] }).readable.getReader();
      return reader.read();
    });
    return 'reading';
  })()`,
};

/** Starts `script` in the page without waiting for it, and returns the longest the page took to answer meanwhile. */
async function longestWait(page: Page, script: string): Promise<number> {
  const started = page.evaluate(script);
  const until = Date.now() + WATCH_MS;
  let longest = 0;
  do {
    const asked = Date.now();
    await page.evaluate('1');
    longest = Math.max(longest, Date.now() - asked);
    await new Promise((resolve) => setTimeout(resolve, ASK_EVERY_MS));
  } while (Date.now() < until);
  await started;
  return longest;
}

const site = createServer((_request, response) => {
  response.setHeader('content-type', 'text/html; charset=utf-8');
  response.end('<!doctype html><title>audio stall</title><p>audio stall</p>');
}).listen(0, '127.0.0.1');
await new Promise((resolve) => site.once('listening', resolve));
const browser = await launchChromium();
const stopped: number[] = [];
const letGo = () => {
  for (const pid of stopped.splice(0)) process.kill(pid, 'SIGCONT');
};
try {
  const fresh = async (): Promise<Page> => {
    const page = await openPage(browser);
    await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
    return page;
  };
  // The audio service starts with the browser's first AudioContext.
  const first = await fresh();
  await first.evaluate(`new AudioContext().resume()`);
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
  // This browser's processes, each with its type: the audio service is a utility process of its own.
  const audio = processInfo.filter((p) => p.type === 'audio.mojom.AudioService');
  if (audio.length !== 1) throw new Error(`expected one audio service, found ${audio.length}`);
  const pid = audio[0]?.id ?? 0;
  process.kill(pid, 'SIGSTOP');
  stopped.push(pid);
  console.log(`audio service (pid ${pid}) stopped; each way starts in a fresh page, which is asked for a value every ${ASK_EVERY_MS} ms for ${WATCH_MS / 1000} s`);

  const wav = Buffer.from(chimeWav(KNOCK)).toString('base64');
  const idle = await longestWait(await fresh(), '0');
  const baseline = await longestWait(await fresh(), START.baseline);
  const chime = await longestWait(await fresh(), START.chime(wav));
  const meter = await longestWait(await fresh(), START.meter);
  const row = (name: string, ms: number) => `${name.padEnd(40)} ${String(ms).padStart(6)} ms   ${(ms / baseline).toFixed(3)}× the baseline`;
  console.log('\nlongest wait for the page to answer, with the audio service stopped:');
  console.log(row('doing nothing', idle));
  console.log(row('baseline: new AudioContext()', baseline));
  console.log(row('chime: <audio> playing chimeWav(KNOCK)', chime));
  console.log(row('meter: the microphone\'s frames', meter));
} finally {
  letGo();
  await browser.close();
  site.close();
}
