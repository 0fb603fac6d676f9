/**
 * What browser tests read without hooks in the product: the tones a page plays (the chime of a
 * notice), how many AudioContexts it made, and whether the server holds a participant's
 * microphone paused.
 */
import type { Page } from 'playwright-core';
import type { RunningServer } from '../../server/app.js';

// A string, not a function: the test runner's transpiler would add helpers the page lacks.
// A chime is an <audio> element that says how many tones its sound holds (media/chime.ts); its
// tones count once it plays, so a sound the browser could not decode counts none. Playing waits
// for the browser's audio output: give it the time a page's other media gets, not a moment.
const COUNT_TONES = `
  (() => {
    let tones = 0;
    Object.defineProperty(window, '__tones', { get: () => tones });
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function (...args) {
      const held = Number(this.dataset.tones ?? 0);
      if (held > 0) this.addEventListener('playing', () => { tones += held; }, { once: true });
      return play.apply(this, args);
    };
  })();
`;

/** Makes every page of `page`'s context count the tones its chimes play (before navigation). */
export async function countTones(page: Page): Promise<void> {
  await page.context().addInitScript(COUNT_TONES);
}

/** How many tones the page has played since it loaded (needs `countTones` first). */
export function tones(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __tones: number }).__tones);
}

/**
 * How many AudioContexts a page opened with openPage (helpers/browser.ts, which counts them) has
 * made since it loaded. In Chromium each one waits on the page's main thread for the audio
 * service (media/chime.ts says why the meeting makes none).
 */
export function audioContexts(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __audioContexts: number }).__audioContexts);
}

/** Is this participant's microphone paused on the server (the meeting does not hear it)? Null without one. */
export async function micPausedOnServer(server: RunningServer, roomId: string, participantId: string): Promise<boolean | null> {
  const peer = (await server.media.get(roomId)).peer(participantId);
  const mic = [...(peer?.producers.values() ?? [])].find((p) => p.kind === 'audio');
  return mic === undefined ? null : mic.paused;
}
