/**
 * A hall whose firewall lets no direct path through, played by a Chromium page that may use
 * relay candidates only (`iceTransportPolicy: 'relay'`, set by a wrapper of RTCPeerConnection
 * the test injects before any page script: the product has no such flag). With a coturn started
 * here and the server minting its credentials (TURN_URLS, TURN_SECRET):
 * - such a member joins, decodes another member's camera, and the media went through the relay:
 *   the page's selected ICE candidate pairs are relay ones, and coturn logged the allocation of
 *   that member's username;
 * - a member whose browser holds a wrong credential cannot relay, and the page says why.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { eventually, launchChromium, openPage, remoteVideos, screenshot } from '../helpers/browser.js';
import { startCoturn, type Coturn } from '../helpers/coturn.js';
import { joinByInvite } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { startTestServer } from '../helpers/server.js';

const TURN_SECRET = 'a-relay-secret-shared-with-coturn';

let coturn: Coturn;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  coturn = await startCoturn(TURN_SECRET);
  server = await startTestServer({ CLIENT_DIR: 'dist/client', TURN_URLS: coturn.urls.join(','), TURN_SECRET });
  browser = await launchChromium();
});

afterEach(async () => {
  for (const context of browser.contexts()) await context.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await coturn?.stop();
});

/**
 * Relay candidates only, as in a hall that blocks everything but the relay; with `credential`,
 * every relay is given that credential instead of the server's (a wrong or stale one).
 */
function relayOnly(credential?: string): string {
  return `
    (() => {
      const Base = window.RTCPeerConnection;
      const credential = ${JSON.stringify(credential ?? null)};
      const restrict = (config) => ({
        ...(config || {}),
        iceTransportPolicy: 'relay',
        iceServers: ((config && config.iceServers) || []).map((s) => (credential === null ? s : { ...s, credential })),
      });
      window.RTCPeerConnection = class extends Base {
        constructor(config, ...rest) { super(restrict(config), ...rest); }
        setConfiguration(config) { return super.setConfiguration(restrict(config)); }
      };
    })();
  `;
}

/** A member's page, through the join page; `restrict` is an init script run before the page's own. */
async function joinThroughUi(roomId: string, name: string, restrict?: string): Promise<Page> {
  const page = await openPage(browser);
  if (restrict !== undefined) await page.context().addInitScript(restrict);
  await joinByInvite(page, server, await invite(server, roomId, 'member', 'city'), name);
  await page.getByTestId('room').waitFor();
  return page;
}

/** The local candidate types of the selected pairs of the page's open peer connections. */
async function selectedCandidateTypes(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections;
    const types: string[] = [];
    for (const pc of pcs) {
      if (pc.connectionState !== 'connected') continue;
      const stats = new Map<string, Record<string, unknown>>();
      (await pc.getStats()).forEach((s: Record<string, unknown>) => stats.set(String(s['id']), s));
      for (const s of stats.values()) {
        if (s['type'] !== 'transport' || typeof s['selectedCandidatePairId'] !== 'string') continue;
        const pair = stats.get(s['selectedCandidatePairId']);
        const local = stats.get(String(pair?.['localCandidateId']));
        types.push(String(local?.['candidateType']));
      }
    }
    return types;
  });
}

test('a member allowed only the relay joins through coturn and decodes the other member’s camera', async () => {
  const { roomId } = await createRoom(server, { open: true, floorOnly: false });
  const direct = await joinThroughUi(roomId, '张委员');
  const relayed = await joinThroughUi(roomId, '李委员', relayOnly());

  // Frames decoded and still coming on the relayed page; the direct page sees the relayed camera too.
  const first = await eventually(
    () => remoteVideos(relayed),
    (videos) => videos.length === 1 && videos.every((v) => v.width > 0 && v.frames > 0),
    60_000,
  ).catch(async (error: unknown) => {
    await screenshot(relayed, 'turn-relayed-failed');
    throw error;
  });
  await eventually(
    () => remoteVideos(relayed),
    (videos) => (videos[0]?.frames ?? 0) > (first[0]?.frames ?? 0) + 10,
  );
  const [relayedCamera] = await eventually(
    () => remoteVideos(direct),
    (videos) => videos.length === 1 && videos.every((v) => v.width > 0 && v.frames > 0),
    60_000,
  );
  const relayedId = relayedCamera?.peerId ?? '';
  expect(relayedId).not.toBe('');

  // Both of the relayed member's transports are connected, each through a relay candidate.
  const types = await eventually(
    () => selectedCandidateTypes(relayed),
    (t) => t.length === 2,
  );
  expect(types).toEqual(['relay', 'relay']);
  // The direct member's are not: the relay is a fallback, not a detour for everybody.
  expect(await selectedCandidateTypes(direct)).not.toContain('relay');
  // coturn allocated for the relayed member's own username ("<expiry>:<participant id>").
  await coturn.waitForLog(new RegExp(`user <\\d+:${relayedId}>: incoming packet ALLOCATE processed, success`));
  expect(await relayed.getByTestId('media-link').count()).toBe(0);
  await screenshot(relayed, 'turn-relayed-member');
});

test('a member whose browser holds a wrong relay credential cannot relay, and the page says the relay refused it', async () => {
  const { roomId } = await createRoom(server, { open: true, floorOnly: false });
  await joinThroughUi(roomId, '张委员');
  const refused = await joinThroughUi(roomId, '王委员', relayOnly('not-the-credential-coturn-expects'));

  const banner = refused.getByTestId('media-link');
  await banner.waitFor({ timeout: 40_000 }).catch(async (error: unknown) => {
    await screenshot(refused, 'turn-refused-failed');
    throw error;
  });
  expect(await banner.getAttribute('data-problem')).toBe('relayRefused');
  expect(await banner.textContent()).toContain('中继服务器拒绝了凭证');
  await screenshot(refused, 'turn-refused-credential');
  await refused.getByTestId('lang-switch').click();
  await eventually(
    () => banner.textContent(),
    (text) => text?.includes('the relay refused the credential') === true,
    5_000,
  );
  await screenshot(refused, 'turn-refused-credential-en');
  // Nothing came through: no transport of this page connected.
  expect(await selectedCandidateTypes(refused)).toEqual([]);
  expect(await remoteVideos(refused).then((videos) => videos.filter((v) => v.frames > 0))).toEqual([]);
});
