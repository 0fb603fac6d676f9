/**
 * Steps of a meeting through the real UI, for the browser tests: join by an invite link, read
 * what a page receives from one participant, walk the page with the Tab key.
 */
import type { Page } from 'playwright-core';
import type { RunningServer } from '../../server/app.js';

/** Opens an invite link, types the name if the invite leaves it open, and enters. */
export async function joinByInvite(page: Page, server: RunningServer, token: string, name?: string): Promise<void> {
  await page.goto(`${server.url}/join?invite=${token}`);
  // The button is there from the start; it works once the invite has been read.
  await page.getByTestId('invite-summary').waitFor({ timeout: 20_000 });
  if (name !== undefined) await page.getByTestId('join-name').fill(name);
  await page.getByTestId('join-submit').click();
}

/** Decoded frames of the video on the floor stage (-1 when there is none). */
export async function floorVideoFrames(page: Page): Promise<{ frames: number; width: number }> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="floor-stage"] video');
    if (video === null) return { frames: -1, width: 0 };
    return { frames: video.getVideoPlaybackQuality().totalVideoFrames, width: video.videoWidth };
  });
}

/**
 * Audio RTP packets this page received from one participant: the receiver whose track plays
 * in that participant's <audio> element (0 while there is none).
 */
export async function audioPacketsFrom(page: Page, participantId: string): Promise<number> {
  return page.evaluate(async (peerId) => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    let total = 0;
    for (const audio of document.querySelectorAll<HTMLAudioElement>(`audio[data-testid="remote-audio"][data-peer-id="${peerId}"]`)) {
      const stream = audio.srcObject;
      if (!(stream instanceof MediaStream)) continue;
      for (const track of stream.getAudioTracks()) {
        for (const pc of pcs) {
          if (pc.connectionState === 'closed') continue;
          for (const receiver of pc.getReceivers()) {
            if (receiver.track !== track) continue;
            const report = await receiver.getStats();
            report.forEach((s: { type: string; packetsReceived?: number }) => {
              if (s.type === 'inbound-rtp') total += s.packetsReceived ?? 0;
            });
          }
        }
      }
    }
    return total;
  }, participantId);
}

/** The page scrolls sideways (content wider than the viewport). */
export async function scrollsSideways(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

/** One stop of the Tab key: the focused element, its computed accessible name and focus style. */
export type FocusStop = {
  /** tag#testid "text", to tell stops apart in a failure message. */
  what: string;
  testId: string | null;
  role: string;
  name: string;
  outline: string;
  boxShadow: string;
  /** A focus indicator is drawn: an outline or a box-shadow. */
  visibleFocus: boolean;
};

/**
 * Presses Tab from the top of the page until focus comes back to where it started (or `max`
 * presses), recording each stop. Names come from Chromium's accessibility tree, the same
 * name a screen reader announces.
 */
export async function tabThrough(page: Page, max = 250): Promise<FocusStop[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Accessibility.enable');
  await forgetWalk(page);
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const stops: FocusStop[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const marker = `stop-${i}`;
    const info = await page.evaluate((mark) => {
      const el = document.activeElement;
      if (el === null || el === document.body) return null;
      const html = el as HTMLElement;
      if (html.dataset['focusWalk'] === undefined) html.dataset['focusWalk'] = mark;
      const style = getComputedStyle(html);
      const text = (html.innerText || html.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return {
        key: html.dataset['focusWalk'],
        what: `${html.tagName.toLowerCase()}${html.dataset['testid'] ? `#${html.dataset['testid']}` : ''} "${text}"`,
        testId: html.dataset['testid'] ?? null,
        outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
        outlineShown: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        boxShadow: style.boxShadow,
      };
    }, marker);
    if (info === null) continue;
    if (seen.has(info.key ?? marker)) break;
    seen.add(info.key ?? marker);
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'document.activeElement' });
    const ax = await cdp.send('Accessibility.getPartialAXTree', { objectId: result.objectId, fetchRelatives: false });
    const node = ax.nodes[0];
    stops.push({
      what: info.what,
      testId: info.testId,
      role: String(node?.role?.value ?? ''),
      name: String(node?.name?.value ?? '').trim(),
      outline: info.outline,
      boxShadow: info.boxShadow,
      visibleFocus: info.outlineShown || info.boxShadow !== 'none',
    });
  }
  await cdp.detach();
  return stops;
}

/**
 * Controls on the page that a walk with the Tab key (tabThrough) did not reach: visible,
 * enabled, and not taken out of the tab order on purpose (tabindex="-1": the inactive tabs
 * of a tablist, which arrow keys reach). Radios count once per group, as browsers tab to one.
 */
export async function unreachedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = 'a[href], button, input, select, textarea, [tabindex]';
    const groupsReached = new Set<string>();
    const all = [...document.querySelectorAll<HTMLElement>(selector)];
    for (const el of all) if (el instanceof HTMLInputElement && el.type === 'radio' && el.dataset['focusWalk'] !== undefined) groupsReached.add(el.name);
    return all
      .filter((el) => {
        if (el.dataset['focusWalk'] !== undefined) return false;
        if (el.getAttribute('tabindex') === '-1') return false;
        if ((el as HTMLButtonElement).disabled) return false;
        if (el instanceof HTMLInputElement && el.type === 'radio' && groupsReached.has(el.name)) return false;
        if (el.closest('[inert], [aria-hidden="true"]') !== null) return false;
        const style = getComputedStyle(el);
        return el.getClientRects().length > 0 && style.visibility !== 'hidden';
      })
      .map((el) => `${el.tagName.toLowerCase()}${el.dataset['testid'] ? `#${el.dataset['testid']}` : ''} "${(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40)}"`);
  });
}

/** Forgets which elements a previous tabThrough reached. */
export async function forgetWalk(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const el of document.querySelectorAll<HTMLElement>('[data-focus-walk]')) delete el.dataset['focusWalk'];
  });
}
