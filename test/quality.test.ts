/**
 * Connection quality for the chair's console: the real server reports each sending peer's
 * mediasoup score to host sockets, and to nobody else.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import type { PeerScore } from '../signaling/protocol.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;
const peers: TestPeer[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const p of peers) p.close();
  await server.close();
});

async function peer(): Promise<TestPeer> {
  const p = await TestPeer.connect(server.url);
  peers.push(p);
  return p;
}

test('media:quality reaches host sockets with a score for a producing member, and never a member socket', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true, floorOnly: false });
  const host = await peer();
  const member = await peer();
  const toHost: PeerScore[][] = [];
  const toMember: PeerScore[][] = [];
  host.socket.on('media:quality', ({ peers: scores }) => toHost.push(scores));
  member.socket.on('media:quality', ({ peers: scores }) => toMember.push(scores));

  const hostJoined = await host.join(hostInvite, '周主持');
  expect(hostJoined.media).not.toBeNull();
  const memberJoined = await member.join(await invite(server, roomId, 'member', 'd1'), '李委员');
  expect(memberJoined.media).not.toBeNull();
  await member.produce({ audio: true, video: true });

  const scoreOfMember = (): number | undefined =>
    toHost.flat().find((s) => s.peerId === memberJoined.participantId)?.score;
  const deadline = Date.now() + 12_000;
  while (scoreOfMember() === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

  const score = scoreOfMember();
  expect(score, `reports to the host: ${JSON.stringify(toHost)}`).toBeTypeOf('number');
  expect(score).toBeGreaterThanOrEqual(0);
  expect(score).toBeLessThanOrEqual(10);
  // The host sends nothing, so it is not listed: only peers with scored producers are.
  expect(toHost.flat().some((s) => s.peerId === hostJoined.participantId)).toBe(false);
  // The member's socket was in the same room for at least one report (given time to arrive) and heard none.
  await new Promise((r) => setTimeout(r, 500));
  expect(toHost.length).toBeGreaterThan(0);
  expect(toMember).toEqual([]);
});
