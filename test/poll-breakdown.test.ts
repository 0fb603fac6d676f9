/**
 * Results by venue and sector and second rounds through the real server, with raw Socket.IO
 * clients that ignore the UI: twelve members of three venues and sectors vote in a secret poll.
 * The breakdown reaches the chair at close and everyone else only at publication; the ballot
 * box keeps no venue or sector once opened; the rules of a second round and of the smallest
 * group hold against commands the UI would never send.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADMIN_ROUTES, IssuedInvites } from '../signaling/http/admin.js';
import type { RoomState } from '../signaling/room/state.js';
import type { RunningServer } from '../server/app.js';
import { postJson } from './helpers/http.js';
import { createRoom } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { rawRequest, RequestError, TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;
let roomId: string;
let host: TestPeer;
const voters: Array<{ peer: TestPeer; venue: string }> = [];

/** Venue, sector and how many members of each: 主会场 5 经济界, 一区 5 教育界, 二区 2 农业界. */
const SEATS: Array<[string, string, number]> = [
  ['city', '经济界', 5],
  ['d1', '教育界', 5],
  ['d2', '农业界', 2],
];

async function join(role: 'member', venue: string, sector: string, name: string): Promise<TestPeer> {
  const issued = await postJson(`${server.url}${ADMIN_ROUTES.invites.path({ roomId })}`, { role, venue, sector, name }, IssuedInvites, { bearer: server.adminSecret });
  const peer = await TestPeer.connect(server.url);
  await peer.join(issued.invites[0]?.token ?? '', name);
  return peer;
}

beforeAll(async () => {
  server = await startTestServer();
  const created = await createRoom(server, { open: true });
  roomId = created.roomId;
  host = await TestPeer.connect(server.url);
  await host.join(created.hostInvite, '主持人');
  for (const [venue, sector, n] of SEATS) {
    for (let i = 1; i <= n; i++) voters.push({ peer: await join('member', venue, sector, `${venue}委员${i}`), venue });
  }
});

afterAll(async () => {
  for (const v of voters) v.peer.close();
  host.close();
  await server.close();
});

/** Runs a secret yes/no poll: each venue's voters choose as `choices[venue]` lists, in order. */
async function secretPoll(pollId: string, choices: Record<string, number[]>, roundOf?: string): Promise<void> {
  await host.command('poll:create', { question: '是否同意加装电梯方案？', kind: 'yesno', secret: true, allowChange: false, ...(roundOf ? { roundOf } : {}) });
  await host.command('poll:open', { pollId });
  const next: Record<string, number> = {};
  for (const { peer, venue } of voters) {
    const i = next[venue] ?? 0;
    next[venue] = i + 1;
    await peer.waitForRoom((r) => r.polls[pollId]?.status === 'open');
    await peer.command('poll:vote', { pollId, choices: [choices[venue]?.[i] ?? 0] });
  }
  await host.command('poll:close', { pollId });
  await host.waitForRoom((r) => r.polls[pollId]?.status === 'closed');
}

const member = () => voters[0]?.peer ?? host;
const refused = (p: Promise<unknown>, code: string) => expect(p).rejects.toSatisfy((e) => e instanceof RequestError && e.code === code);

describe('results by venue and sector through the server', () => {
  test('a secret poll: the chair gets the merged breakdown at close, members only once published, and the opened box names no group', async () => {
    // 主会场 4 yes 1 no, 一区 1 yes 4 no, 二区 2 yes.
    await secretPoll('poll-1', { city: [0, 0, 0, 0, 1], d1: [0, 1, 1, 1, 1], d2: [0, 0] });
    // 二区's 2 cannot be shown, and showing 主会场 and 一区 both would leave 其他 = 二区; 经济界
    // and 教育界 coincide with the venues, so the same holds of them. One venue is shown.
    const expected = {
      minGroup: 5,
      byVenue: { groups: [{ group: 'd1', voters: 5, counts: [1, 4, 0] }], other: { voters: 7, counts: [6, 1, 0] } },
      bySector: { groups: [], other: { voters: 12, counts: [7, 5, 0] } },
    };
    expect(host.room.polls['poll-1']?.result?.breakdown).toEqual(expected);

    // A member holds no result, and received the close without one.
    await member().waitForRoom((r) => r.polls['poll-1']?.status === 'closed');
    expect(member().room.polls['poll-1']?.result).toBeNull();

    // The box, opened at close: ballots without venue or sector, nothing else.
    const entries = await server.store.ballots(roomId, 'poll-1');
    expect(entries).toHaveLength(12);
    for (const entry of entries) expect(entry).toMatch(/^open:\{"choices":\[[01]\]\}$/);

    await host.command('poll:publish', { pollId: 'poll-1' });
    const seen: RoomState = await member().waitForRoom((r) => r.polls['poll-1']?.status === 'published');
    expect(seen.polls['poll-1']?.result?.breakdown).toEqual(expected);
  });

  test('the smallest group and a second round hold against commands the UI never sends', async () => {
    const base = { question: '是否同意加装电梯方案？', kind: 'yesno', secret: true, allowChange: false } as const;
    await refused(member().command('room:settings', { secretGroupMin: 10 }), 'FORBIDDEN');
    await refused(host.command('room:settings', { secretGroupMin: 2 }), 'BAD_REQUEST');
    await refused(member().command('poll:create', { ...base, roundOf: 'poll-1' }), 'FORBIDDEN');
    await refused(host.command('poll:create', { ...base, kind: 'consensus', roundOf: 'poll-1' }), 'BAD_REQUEST');
    await refused(host.command('poll:create', { ...base, secret: false, allowChange: true, roundOf: 'poll-1' }), 'BAD_REQUEST');
    await refused(host.command('poll:create', { ...base, roundOf: 'poll-9' }), 'NOT_FOUND');
    expect(await rawRequest(host.socket, 'poll:create', { ...base, roundOf: 1, commandId: 'round-of-a-number' })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    expect(Object.keys(host.room.polls)).toEqual(['poll-1']);
  });

  test('a second round by the same voters: what moved, and the same groups as the first', async () => {
    // 主会场 all yes now, 一区 2 yes 3 no, 二区 2 yes.
    await secretPoll('poll-2', { city: [0, 0, 0, 0, 0], d1: [0, 0, 1, 1, 1], d2: [0, 0] }, 'poll-1');
    const poll = host.room.polls['poll-2'];
    expect(poll?.roundOf).toBe('poll-1');
    expect(poll?.result?.counts).toEqual([9, 3, 0]);
    expect(poll?.result?.breakdown?.byVenue).toEqual({ groups: [{ group: 'd1', voters: 5, counts: [2, 3, 0] }], other: { voters: 7, counts: [7, 0, 0] } });
    await refused(host.command('poll:create', { question: '再议', kind: 'yesno', secret: true, allowChange: false, roundOf: 'poll-1' }), 'INVALID_STATE');
    await refused(host.command('poll:create', { question: '再议', kind: 'yesno', secret: true, allowChange: false, roundOf: 'poll-2' }), 'BAD_REQUEST');
  });
});
