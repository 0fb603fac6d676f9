/**
 * What browser tests read without hooks in the product: the tones a page plays (the chime of a
 * notice) and whether the server holds a participant's microphone paused.
 */
import type { Page } from 'playwright-core';
import type { RunningServer } from '../../server/app.js';

// A string, not a function: the test runner's transpiler would add helpers the page lacks.
const COUNT_TONES = `
  (() => {
    let tones = 0;
    Object.defineProperty(window, '__tones', { get: () => tones });
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args) { tones += 1; return start.apply(this, args); };
  })();
`;

/** Makes every page of `page`'s context count the tones it plays through Web Audio (before navigation). */
export async function countTones(page: Page): Promise<void> {
  await page.context().addInitScript(COUNT_TONES);
}

/** How many tones the page has played since it loaded (needs `countTones` first). */
export function tones(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __tones: number }).__tones);
}

/** Is this participant's microphone paused on the server (the meeting does not hear it)? Null without one. */
export async function micPausedOnServer(server: RunningServer, roomId: string, participantId: string): Promise<boolean | null> {
  const peer = (await server.media.get(roomId)).peer(participantId);
  const mic = [...(peer?.producers.values() ?? [])].find((p) => p.kind === 'audio');
  return mic === undefined ? null : mic.paused;
}
