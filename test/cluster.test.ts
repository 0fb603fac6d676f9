/**
 * Two (and three) server processes behind one Redis serve the same consultation: events reach
 * every client in order and once, votes are counted once whichever process takes them, a
 * killed process's clients resume on another, and a Redis restart loses nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Health, HEALTH_PATH } from '../signaling/http/health.js';
import { unpackEvents } from '../signaling/room/eventsMessage.js';
import type { RoomState } from '../signaling/room/state.js';
import { eventually, startCluster, type TestCluster } from './helpers/cluster.js';
import { getJson } from './helpers/http.js';
import type { ServerProcess } from './helpers/processServer.js';
import { createRoom, invite } from './helpers/rooms.js';
import { RequestError, TestPeer } from './helpers/TestPeer.js';

let cluster: TestCluster;
let a: ServerProcess;
let b: ServerProcess;
const peers: TestPeer[] = [];

beforeAll(async () => {
  cluster = await startCluster(2, { RESUME_GRACE_SECONDS: '4' });
  [a, b] = cluster.servers as [ServerProcess, ServerProcess];
}, 60_000);

afterAll(async () => {
  for (const p of peers) p.close();
  await cluster?.destroy();
});

async function peer(server: ServerProcess): Promise<TestPeer> {
  const p = await TestPeer.connect(server.url);
  peers.push(p);
  return p;
}

/** Every room:events message's seqs as they arrive on the socket (duplicates and all). */
function wire(p: TestPeer): number[] {
  const seqs: number[] = [];
  p.socket.on('room:events', (message) => seqs.push(...unpackEvents(message).map((e) => e.seq)));
  return seqs;
}

const increasing = (seqs: number[]): boolean => seqs.every((s, i) => i === 0 || s === (seqs[i - 1] ?? 0) + 1);

describe('two processes behind one Redis', () => {
  test('queue and poll events reach the clients of both processes in order, with no gaps and no duplicates', async () => {
    const { roomId, hostInvite } = await createRoom(a, { open: true });
    const host = await peer(a);
    await host.join(hostInvite, '主持人');
    const members: TestPeer[] = [];
    for (let i = 0; i < 4; i++) {
      const m = await peer(i % 2 === 0 ? b : a);
      await m.join(await invite(a, roomId, 'member', i < 2 ? 'city' : 'd1'), `委员${i + 1}`);
      members.push(m);
    }
    const everyone = [host, ...members];
    // Everyone has caught up with the arrivals (the last joiner's answer holds them all) before the wire is watched.
    const from = Math.max(...everyone.map((p) => p.room.seq));
    await eventually(() => everyone.every((p) => p.room.seq === from), `everyone at seq ${from}: ${everyone.map((p) => p.room.seq).join(',')}`);
    const wires = everyone.map(wire);

    // Hands go up on both processes at once; the host grants, polls and publishes from A.
    await Promise.all(members.map((m, i) => m.command('queue:raise', { speechType: 'statement', note: `第${i + 1}条意见` })));
    await host.command('floor:grant', { target: { kind: 'next' }, seconds: 300 });
    await host.command('poll:create', { question: '是否同意加装方案？', kind: 'yesno' });
    await host.command('poll:open', { pollId: 'poll-1' });
    // Each member votes once its page shows the poll open, as a member does: a process decides
    // on its own copy of the room, which may not yet hold an event appended on the other.
    await eventually(() => members.every((m) => m.room.polls['poll-1']?.status === 'open'), 'poll-1 open at every member');
    await Promise.all(members.map((m, i) => m.command('poll:vote', { pollId: 'poll-1', choices: [i === 3 ? 1 : 0] })));
    await host.command('poll:close', { pollId: 'poll-1' });
    const last = await host.command('poll:publish', { pollId: 'poll-1' });

    await eventually(() => everyone.every((p) => p.room.seq === last), 'every client has the last event');
    for (const [i, p] of everyone.entries()) {
      expect(p.gaps, `client ${i}`).toEqual([]);
      const seqs = wires[i] ?? [];
      expect(seqs[0], `client ${i}`).toBe(from + 1);
      expect(seqs.at(-1), `client ${i}`).toBe(last);
      expect(increasing(seqs), `client ${i} got ${seqs.join(',')}`).toBe(true);
    }
    const view = (s: RoomState) => ({ queue: s.queue, floor: s.floor?.holder, result: s.polls['poll-1']?.result });
    const expected = view(host.room);
    expect(expected.result).toMatchObject({ votes: 4, counts: [3, 1, 0] });
    for (const m of members) expect(view(m.room)).toEqual(expected);
  });

  test('1,000 votes spread over both processes are counted exactly once', async () => {
    const VOTERS = 200;
    const POLLS = 5;
    const { roomId, hostInvite } = await createRoom(a); // not open: voters wait in the lobby, no media
    const host = await peer(a);
    await host.join(hostInvite, '主持人');
    const voters: TestPeer[] = [];
    for (let i = 0; i < VOTERS; i++) {
      const v = await peer(i % 2 === 0 ? a : b);
      await v.join(await invite(a, roomId, 'member', 'city'), `委员${i}`);
      voters.push(v);
    }
    // A lost connection is a failure of its own, named as such rather than as a missing event.
    const dropped: string[] = [];
    voters.forEach((v, i) => v.socket.on('disconnect', (reason) => dropped.push(`voter ${i}: ${reason}`)));
    /** Which voters lag behind the host, for the failure message. */
    const lagging = (pollId: string): string =>
      voters
        .flatMap((v, i) => (v.room.polls[pollId]?.status === 'published' ? [] : [`${i} at seq ${v.room.seq}${v.socket.connected ? '' : ' (disconnected)'}`]))
        .join(', ') + ` (host at ${host.room.seq}); dropped: ${dropped.join('; ') || 'none'}`;
    await host.waitForRoom((s) => Object.values(s.participants).filter((p) => p.status === 'lobby').length === VOTERS);
    await host.command('lobby:admitAll', {});
    for (let poll = 1; poll <= POLLS; poll++) {
      const pollId = `poll-${poll}`;
      await host.command('poll:create', { question: `第${poll}项`, kind: 'yesno' });
      await host.command('poll:open', { pollId });
      await eventually(() => voters.every((v) => v.room.polls[pollId]?.status === 'open'), `${pollId} open at every voter`);
      const choice = (i: number): number => (i % 3 === 0 ? 1 : 0);
      const acks = await Promise.all(
        voters.map(async (v, i) => {
          const commandId = randomUUID();
          const seq = await v.command('poll:vote', { pollId, choices: [choice(i)] }, commandId);
          // Every tenth voter's client sends its vote again (a retry after a lost ack): the same answer, no second ballot.
          if (i % 10 === 0) expect(await v.command('poll:vote', { pollId, choices: [choice(i)] }, commandId)).toBe(seq);
          return seq;
        }),
      );
      expect(new Set(acks).size).toBe(VOTERS);
      await host.command('poll:close', { pollId });
      await host.command('poll:publish', { pollId });
      await host.waitForRoom((s) => s.polls[pollId]?.status === 'published');
      const no = voters.filter((_, i) => choice(i) === 1).length;
      const result = { votes: VOTERS, eligible: VOTERS, counts: [VOTERS - no, no, 0] };
      expect(host.room.polls[pollId]?.result).toMatchObject(result);
      await eventually(
        () => voters.every((v) => v.room.polls[pollId]?.status === 'published'),
        () => `${pollId} published at every voter; not at ${lagging(pollId)}`,
        30_000,
      );
      expect(dropped).toEqual([]);
      for (const v of voters) expect(v.room.polls[pollId]?.result).toMatchObject(result);
    }
    for (const v of voters) expect(v.gaps).toEqual([]);
  }, 180_000);

  test('a killed process: its clients resume on the other with their queue place and vote; the others are taken over', async () => {
    const c = await cluster.add({ RESUME_GRACE_SECONDS: '4' });
    const { roomId, hostInvite } = await createRoom(a, { open: true });
    const host = await peer(a);
    await host.join(hostInvite, '主持人');
    const x = await peer(c);
    const y = await peer(c);
    const xInvite = await invite(a, roomId, 'member', 'd1');
    const joined = await x.join(xInvite, '许委员');
    await y.join(await invite(a, roomId, 'member', 'd2'), '杨委员');
    await y.command('queue:raise', { speechType: 'statement', note: '先发言' });
    await x.command('queue:raise', { speechType: 'question', note: '再提问' });
    await host.command('poll:create', { question: '同意吗？', kind: 'yesno' });
    await host.command('poll:open', { pollId: 'poll-1' });
    // x (on the other process) votes once its page shows the poll open, as in the test above.
    await x.waitForRoom((s) => s.polls['poll-1']?.status === 'open');
    await x.command('poll:vote', { pollId: 'poll-1', choices: [0] });
    await host.waitForRoom((s) => s.polls['poll-1']?.voted.length === 1 && s.queue.entries.length === 2);
    // x's place in the queue: second, behind y (who raised first). The resume must keep it there.
    const placeBefore = host.room.queue.entries.map((q) => q.participantId);
    expect(placeBefore).toEqual([y.joined?.participantId, joined.participantId]);
    const seqBefore = x.room.seq;

    const lost = new Promise((resolve) => x.socket.once('disconnect', resolve));
    const killedAt = performance.now();
    await c.stop('SIGKILL');
    await lost;
    const back = await peer(a);
    back.room = x.room;
    const rejoined = await back.join(xInvite, undefined, { resumeToken: joined.resumeToken, lastSeq: seqBefore });
    const resumedMs = performance.now() - killedAt;
    expect(rejoined.participantId).toBe(joined.participantId);
    expect(rejoined.resumed).toBe(true);
    expect(back.gaps).toEqual([]);
    expect(back.room.queue.entries.map((q) => q.participantId)).toEqual([y.joined?.participantId, joined.participantId]);
    expect(back.room.queue.entries.findIndex((q) => q.participantId === joined.participantId)).toBe(placeBefore.indexOf(joined.participantId));
    expect(back.room.polls['poll-1']?.voted).toEqual([joined.participantId]);
    expect(back.room.participants[joined.participantId]).toMatchObject({ online: true, status: 'admitted' });
    // Voting again from the resumed participant changes their vote; it does not add one.
    await back.command('poll:vote', { pollId: 'poll-1', choices: [1] });
    await host.command('poll:close', { pollId: 'poll-1' });
    await host.waitForRoom((s) => s.polls['poll-1']?.result != null);
    expect(host.room.polls['poll-1']?.result).toMatchObject({ votes: 1, counts: [0, 1, 0] });
    console.log(`killed process: its client resumed on another in ${resumedMs.toFixed(0)} ms`);

    // y never comes back: a survivor notices the process gone (its Redis connection closed), records
    // y as disconnected, and after the grace period as having left; x stays online throughout.
    const yId = y.joined?.participantId ?? '';
    await host.waitForRoom((s) => s.participants[yId]?.online === false, 15_000);
    expect(host.room.participants[joined.participantId]?.online).toBe(true);
    await host.waitForRoom((s) => s.participants[yId]?.status === 'left', 15_000);
    expect(host.room.participants[joined.participantId]).toMatchObject({ online: true, status: 'admitted' });
    const { cluster: seen } = await getJson(`${a.url}${HEALTH_PATH}`, Health);
    expect(seen.mode).toBe('redis');
    expect(seen.mode === 'redis' ? seen.processes.map((p) => p.url).sort() : []).toEqual([a.url, b.url].sort());
  }, 60_000);

  test('media on three processes: every pair of routers is linked, everybody receives everybody', async () => {
    const c = await cluster.add({ RESUME_GRACE_SECONDS: '4' });
    const { roomId } = await createRoom(a, { open: true, floorOnly: false });
    const members: TestPeer[] = [];
    for (const [i, server] of [a, b, c].entries()) {
      const m = await peer(server);
      await m.join(await invite(a, roomId, 'member', 'city'), `委员${i + 1}`);
      await m.produce({ audio: true, video: true });
      members.push(m);
    }
    // Two others, a microphone and a camera each: four consumers per member, wherever they are.
    for (const m of members) await m.waitForConsumers(4, 30_000);
    const before = await Promise.all(members.map((m) => m.inboundStats()));
    await eventually(async () => {
      const now = await Promise.all(members.map((m) => m.inboundStats()));
      return now.every((s, i) => s.packets > (before[i]?.packets ?? 0) + 100 && s.framesDecoded > (before[i]?.framesDecoded ?? 0) + 10);
    }, 'packets and frames keep arriving at every member', 30_000);
    for (const m of members) expect(new Set(m.consumerInfos.map((info) => info.peerId)).size).toBe(2);
    await c.stop('SIGKILL');
  }, 90_000);

  test('Redis restarted mid-meeting: commands fail with UNAVAILABLE meanwhile; afterwards nothing is lost or doubled and clients on both processes recover', async () => {
    const { roomId, hostInvite } = await createRoom(a, { open: true });
    const host = await peer(a);
    await host.join(hostInvite, '主持人');
    const m = await peer(b);
    await m.join(await invite(a, roomId, 'member', 'city'), '孟委员');
    await m.command('queue:raise', { speechType: 'statement', note: '停电前' });
    await host.waitForRoom((s) => s.queue.entries.length === 1);
    const before = host.room.seq;

    await cluster.redis.stop();
    const commandId = randomUUID();
    const refused = await m.command('queue:raise', { speechType: 'question', note: '停电中' }, commandId).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RequestError);
    expect(refused).toMatchObject({ code: 'UNAVAILABLE' });
    const down = await fetch(`${b.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable', cluster: { redis: 'unreachable' } });

    await cluster.redis.restart();
    await eventually(async () => (await fetch(`${b.url}/healthz`)).ok && (await fetch(`${a.url}/healthz`)).ok, 'both processes healthy again');
    // The client retries with the same command id (the first attempt may or may not have been
    // applied): the hand is up once. Withdrawn first so the question goes in as a new entry.
    await m.command('queue:withdraw', {});
    const seq = await m.command('queue:raise', { speechType: 'question', note: '停电中' }, commandId);
    expect(await m.command('queue:raise', { speechType: 'question', note: '停电中' }, commandId)).toBe(seq);
    await host.waitForRoom((s) => s.seq >= seq);
    expect(host.room.queue.entries.map((q) => q.note)).toEqual(['停电中']);
    expect(host.gaps).toEqual([]);
    expect(m.gaps).toEqual([]);
    expect(host.room.seq).toBe(before + 2);
    // The log in Redis (append-only file) kept everything from before the restart.
    const fresh = await peer(b);
    await fresh.join(await invite(a, roomId, 'member', 'd1'), '新委员');
    await fresh.waitForRoom((s) => s.seq >= seq);
    expect(fresh.room.queue).toEqual(host.room.queue);
  }, 60_000);
});
