/**
 * The secretary writes each poll's result into the minutes, so the server sends it to their
 * socket as soon as the poll closes, before the host publishes it; members' sockets get the
 * bare close until then. Named choices stay with the host, secret choices with nobody.
 * Against the real server: its per-viewer fan-out (RoomHub) and the snapshot of a late joiner.
 * The pass rule counts against the basis the chair chose, as the tally and the minutes say.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import type { RoomEvent } from '../signaling/room/events.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { rawRequest, TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;
const peers: TestPeer[] = [];

async function peer(roomId: string, role: 'secretary' | 'member', venue = 'city', name?: string): Promise<TestPeer> {
  const p = await TestPeer.connect(server.url);
  peers.push(p);
  await p.join(await invite(server, roomId, role, venue), name);
  return p;
}

/** The poll.closed events a socket received for a poll. */
const closedEvents = (p: TestPeer, pollId: string): RoomEvent[] => p.received.filter((e) => e.type === 'poll.closed' && e.data.pollId === pollId);

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const p of peers) p.close();
  await server.close();
});

test('a closed poll’s counts reach the secretary’s socket before publication, not a member’s', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const host = await TestPeer.connect(server.url);
  peers.push(host);
  await host.join(hostInvite, '周主持');
  const secretary = await peer(roomId, 'secretary', 'city', '赵记录');
  const m1 = await peer(roomId, 'member', 'city', '张委员');
  const m2 = await peer(roomId, 'member', 'd1', '李委员');

  // A named poll.
  await host.command('poll:create', { question: '同意加装电梯方案吗？', kind: 'yesno', threshold: 'simple' });
  await host.command('poll:open', { pollId: 'poll-1' });
  await m1.command('poll:vote', { pollId: 'poll-1', choices: [0] });
  await m2.command('poll:vote', { pollId: 'poll-1', choices: [1] });
  await host.waitForRoom((s) => s.polls['poll-1']?.voted.length === 2);
  await host.command('poll:close', { pollId: 'poll-1' });

  await secretary.waitForRoom((s) => s.polls['poll-1']?.status === 'closed');
  await m1.waitForRoom((s) => s.polls['poll-1']?.status === 'closed');
  expect(secretary.room.polls['poll-1']?.result).toMatchObject({ counts: [1, 1, 0], votes: 2, eligible: 2 });
  const [toSecretary] = closedEvents(secretary, 'poll-1');
  expect(toSecretary?.data).toMatchObject({ result: { counts: [1, 1, 0], votes: 2 } });
  // …but not who chose what: the votes the secretary saw carry no choices.
  expect(secretary.room.polls['poll-1']?.choices).toEqual({});
  for (const e of secretary.received.filter((x) => x.type === 'poll.voted')) expect(Object.keys(e.data).sort()).toEqual(['pollId', 'voterId']);
  // The member gets the close without the result.
  expect(closedEvents(m1, 'poll-1').map((e) => e.data)).toEqual([{ pollId: 'poll-1' }]);
  expect(m1.room.polls['poll-1']?.result).toBeNull();

  // A secretary joining now is sent the result in the snapshot.
  const late = await peer(roomId, 'secretary', 'city', '钱记录');
  expect(late.room.polls['poll-1']?.result).toMatchObject({ counts: [1, 1, 0] });
  expect(late.room.polls['poll-1']?.choices).toEqual({});

  // A secret poll: counts for the secretary, the same as the host's, and no choice of anyone.
  await host.command('poll:create', { question: '是否推荐该施工单位？', kind: 'yesno', secret: true, allowChange: false });
  await host.command('poll:open', { pollId: 'poll-2' });
  await m1.command('poll:vote', { pollId: 'poll-2', choices: [1] });
  await m2.command('poll:vote', { pollId: 'poll-2', choices: [1] });
  await host.waitForRoom((s) => s.polls['poll-2']?.voted.length === 2);
  await host.command('poll:close', { pollId: 'poll-2' });
  await secretary.waitForRoom((s) => s.polls['poll-2']?.status === 'closed');
  await m2.waitForRoom((s) => s.polls['poll-2']?.status === 'closed');
  await host.waitForRoom((s) => s.polls['poll-2']?.status === 'closed');
  expect(secretary.room.polls['poll-2']?.result).toEqual(host.room.polls['poll-2']?.result);
  expect(secretary.room.polls['poll-2']?.result).toMatchObject({ counts: [0, 2, 0], votes: 2 });
  expect(m2.room.polls['poll-2']?.result).toBeNull();
  const seenBySecretary = JSON.stringify(secretary.received.filter((e) => e.type.startsWith('poll.') && 'pollId' in e.data && e.data.pollId === 'poll-2'));
  expect(seenBySecretary).not.toContain('"choices"');

  // Publishing gives the member the result too.
  await host.command('poll:publish', { pollId: 'poll-1' });
  await m1.waitForRoom((s) => s.polls['poll-1']?.status === 'published');
  expect(m1.room.polls['poll-1']?.result).toMatchObject({ counts: [1, 1, 0] });
});

test('the server counts against the basis the chair chose, refuses one it cannot count, and the downloaded minutes name it', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const host = await TestPeer.connect(server.url);
  peers.push(host);
  await host.join(hostInvite, '周主持');
  const m1 = await peer(roomId, 'member', 'city', '张委员');
  const m2 = await peer(roomId, 'member', 'd1', '李委员');
  await peer(roomId, 'member', 'd1', '王委员');

  // At the boundary: a basis the schema does not know, and abstentions on a poll that has none.
  const unknown = await rawRequest(host.socket, 'poll:create', { commandId: randomUUID(), question: 'q', kind: 'yesno', threshold: 'simple', basis: 'majority' });
  expect(unknown).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
  await expect(host.command('poll:create', { question: 'q', kind: 'consensus', threshold: 'simple', basis: 'castWithAbstentions' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });

  // 1 赞成, 1 弃权, 1 not voting: more than half of those eligible is 2 of 3.
  await host.command('poll:create', { question: '是否同意加装电梯方案？', kind: 'yesno', threshold: 'simple', basis: 'eligible' });
  await host.command('poll:open', { pollId: 'poll-1' });
  await m1.command('poll:vote', { pollId: 'poll-1', choices: [0] });
  await m2.command('poll:vote', { pollId: 'poll-1', choices: [2] });
  await host.waitForRoom((s) => s.polls['poll-1']?.voted.length === 2);
  await host.command('poll:close', { pollId: 'poll-1' });
  await host.waitForRoom((s) => s.polls['poll-1']?.status === 'closed');
  expect(host.room.polls['poll-1']).toMatchObject({ basis: 'eligible', result: { counts: [1, 0, 1], votes: 2, eligible: 3, passed: false } });

  const md = await (await fetch(`${server.url}/api/rooms/${roomId}/minutes.md`, { headers: { authorization: `Bearer ${hostInvite}` } })).text();
  expect(md).toContain('记名投票；应投 3 人，实投 2 人；无法定人数要求；通过标准：过半数（以应投人数计），结果：未通过');
});
