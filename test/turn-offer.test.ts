/**
 * A server with a TURN relay configured hands every transport it gives out the relay with a
 * credential of its own (coturn's shared-secret scheme): a member's two transports, again on
 * an ICE restart and on a resume, and a public viewer's receiving transport. (Without TURN no
 * transport carries relays: test/media.test.ts.)
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import type { AudienceWatched, IceServer } from '../signaling/protocol.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';
import { TestViewer } from './helpers/TestViewer.js';

const TURN_URLS = ['turn:relay.example:3478?transport=udp', 'turn:relay.example:3478?transport=tcp', 'turns:relay.example:443?transport=tcp'];
const TURN_SECRET = 'the-secret-coturn-shares-with-us';
const TTL_SECONDS = 600;

let server: RunningServer;
const closers: Array<{ close(): void }> = [];

beforeAll(async () => {
  server = await startTestServer({ TURN_URLS: TURN_URLS.join(','), TURN_SECRET, TURN_TTL_SECONDS: String(TTL_SECONDS), RESUME_GRACE_SECONDS: '5' });
});

afterAll(async () => {
  for (const c of closers) c.close();
  await server.close();
});

/**
 * Checks one hand-out: the configured relays, a username "<expiry>:<holder>" expiring TTL from
 * the moment of the hand-out, and coturn's password for it. Returns the username.
 */
function expectRelay(iceServers: IceServer[] | undefined, holder: RegExp | string, handedBetween: [number, number]): string {
  expect(iceServers).toHaveLength(1);
  const relay = iceServers?.[0];
  expect(relay?.urls).toEqual(TURN_URLS);
  const [expiry, ...rest] = (relay?.username ?? '').split(':');
  const holderId = rest.join(':');
  if (typeof holder === 'string') expect(holderId).toBe(holder);
  else expect(holderId).toMatch(holder);
  const [before, after] = handedBetween;
  expect(Number(expiry)).toBeGreaterThanOrEqual(Math.floor(before / 1000) + TTL_SECONDS);
  expect(Number(expiry)).toBeLessThanOrEqual(Math.floor(after / 1000) + TTL_SECONDS);
  expect(relay?.credential).toBe(createHmac('sha1', TURN_SECRET).update(relay?.username ?? '').digest('base64'));
  return relay?.username ?? '';
}

describe('a relay is offered with every transport', () => {
  test('a member gets it on both transports, fresh again on an ICE restart and on a resume', async () => {
    const { roomId } = await createRoom(server, { open: true, floorOnly: false });
    const token = await invite(server, roomId, 'member', 'city');
    const first = await TestPeer.connect(server.url);
    closers.push(first);
    const t0 = Date.now();
    const joined = await first.join(token, '王委员');
    const t1 = Date.now();
    const media = joined.media;
    if (!media?.sendTransport) throw new Error('expected an admitted member with both transports');
    expectRelay(media.sendTransport.iceServers, joined.participantId, [t0, t1]);
    expectRelay(media.recvTransport.iceServers, joined.participantId, [t0, t1]);

    const t2 = Date.now();
    const restarted = await first.request('transport:restartIce', { transportId: media.sendTransport.id });
    const t3 = Date.now();
    expect(restarted.iceParameters.usernameFragment).not.toBe(media.sendTransport.iceParameters.usernameFragment);
    expectRelay(restarted.iceServers, joined.participantId, [t2, t3]);

    // The connection drops; the same participant comes back on a new one with new transports.
    first.socket.disconnect();
    const again = await TestPeer.connect(server.url);
    closers.push(again);
    const t4 = Date.now();
    const resumed = await again.join(token, '王委员', { resumeToken: joined.resumeToken });
    const t5 = Date.now();
    expect(resumed.resumed).toBe(true);
    expect(resumed.participantId).toBe(joined.participantId);
    expect(resumed.media?.recvTransport.id).not.toBe(media.recvTransport.id);
    expectRelay(resumed.media?.sendTransport?.iceServers, joined.participantId, [t4, t5]);
    expectRelay(resumed.media?.recvTransport.iceServers, joined.participantId, [t4, t5]);
  });

  test('a public viewer gets it on its receiving transport, under a viewer id of its own', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await TestPeer.connect(server.url);
    closers.push(host);
    await host.join(hostInvite, '主持人');
    const viewer = await TestViewer.connect(server.url);
    closers.push(viewer);
    await viewer.join(await invite(server, roomId, 'public', 'city'));
    const caps = { rtpCapabilities: host.rtpCapabilities };
    const t0 = Date.now();
    const answer = (await viewer.request('audience:watch', caps)) as { ok: true; data: AudienceWatched };
    const t1 = Date.now();
    expect(answer.ok).toBe(true);
    const username = expectRelay(answer.data.recvTransport.iceServers, /^[0-9a-f-]{36}$/, [t0, t1]);
    // Not the host's id: each holder's allocations are told apart in coturn's log.
    expect(username).not.toContain(host.joined?.participantId ?? 'none');
  });
});
