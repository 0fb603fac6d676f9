/**
 * A consultation end to end through the real server: lobby → queue → floor with timer and
 * server-side mute → poll → attendance, with real clients, real media and the SQLite log.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;
const peers: TestPeer[] = [];

beforeAll(async () => {
  server = await startTestServer({ RESUME_GRACE_SECONDS: '30' });
});
afterEach(() => {
  for (const p of peers.splice(0)) p.close();
});
afterAll(async () => {
  await server.close();
});

async function connect(): Promise<TestPeer> {
  const p = await TestPeer.connect(server.url);
  peers.push(p);
  return p;
}

/** Packets mediasoup forwarded to `viewerId` from `speakerId`'s microphone. */
async function forwardedAudio(roomId: string, viewerId: string, speakerId: string): Promise<number> {
  const room = await server.media.get(roomId);
  let packets = 0;
  for (const consumer of room.peer(viewerId)?.consumers.values() ?? []) {
    if (consumer.kind !== 'audio' || consumer.appData.peerId !== speakerId) continue;
    for (const stat of await consumer.getStats()) if (stat.type === 'outbound-rtp') packets += stat.packetCount;
  }
  return packets;
}

async function growsWithin(probe: () => Promise<number>, ms: number): Promise<boolean> {
  const first = await probe();
  await new Promise((r) => setTimeout(r, ms));
  return (await probe()) > first;
}

describe('a consultation run end to end', () => {
  test('lobby, queue, floor with server-side mute and expiry, poll, roll call', async () => {
    const { roomId, hostInvite } = await createRoom(server, {
      defaultSpeechSeconds: 10,
      warningSeconds: 3,
      graceSeconds: 0,
    });
    const host = await connect();
    const joinedHost = await host.join(hostInvite, '主持人');
    expect(joinedHost.media).not.toBeNull();

    // Members wait in the lobby without media until the host admits them.
    const m1 = await connect();
    const m2 = await connect();
    const j1 = await m1.join(await invite(server, roomId, 'member', 'city'), '张委员');
    const j2 = await m2.join(await invite(server, roomId, 'member', 'd1', '李委员'));
    expect(j1.media).toBeNull();
    expect(j2.media).toBeNull();
    await expect(m1.command('queue:raise', { speechType: 'statement', note: '' })).rejects.toMatchObject({ code: 'IN_LOBBY' });
    await host.waitForRoom((s) => s.participants[j2.participantId]?.status === 'lobby');
    await host.command('lobby:admit', { participantId: j1.participantId });
    await host.command('lobby:admitAll', {});
    await m1.waitForRoom((s) => s.participants[j1.participantId]?.status === 'admitted');
    await m1.joinMedia();
    await m2.joinMedia();
    await m1.produce({ audio: true, video: false });
    await host.waitForConsumers(1);

    // Floor-only speaking: m1's microphone is paused on the server, whatever its client does.
    const m1Producer = [...m1.producers.values()][0]!;
    const serverProducer = (await server.media.get(roomId)).peer(j1.participantId)?.producers.get(m1Producer.id);
    expect(serverProducer?.paused).toBe(true);
    await expect(m1.request('producer:resume', { producerId: m1Producer.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await growsWithin(() => forwardedAudio(roomId, joinedHost.participantId, j1.participantId), 1000)).toBe(false);

    // Hands: a question from m1, then a point of order from m2 goes first.
    await m1.command('queue:raise', { speechType: 'question', note: '资金从哪里来？' });
    await m2.command('queue:raise', { speechType: 'order', note: '' });
    await host.waitForRoom((s) => s.queue.entries.length === 2);
    expect(host.room.queue.entries.map((q) => q.participantId)).toEqual([j2.participantId, j1.participantId]);
    await host.command('queue:move', { participantId: j1.participantId, toIndex: 0 });

    // Granting the floor unmutes m1 on the server; the floor ends by itself after 10 s.
    await host.command('floor:grant', { target: { kind: 'next' } });
    await m1.waitForRoom((s) => s.floor?.holder.kind === 'participant' && s.floor.holder.participantId === j1.participantId);
    expect(m1.room.floor).toMatchObject({ type: 'question', note: '资金从哪里来？', limitMs: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(serverProducer?.paused).toBe(false);
    expect(await growsWithin(() => forwardedAudio(roomId, joinedHost.participantId, j1.participantId), 1000)).toBe(true);

    await host.waitForRoom((s) => s.floor === null, 15_000);
    expect(host.room.speeches.at(-1)).toMatchObject({ end: 'expired', type: 'question' });
    await new Promise((r) => setTimeout(r, 300));
    expect(serverProducer?.paused).toBe(true);
    expect(await growsWithin(() => forwardedAudio(roomId, joinedHost.participantId, j1.participantId), 1000)).toBe(false);

    // Revoke: the next speaker is cut off at once.
    await host.command('floor:grant', { target: { kind: 'next' } });
    await host.command('floor:revoke', {});
    await m2.waitForRoom((s) => s.speeches.length === 2);
    expect(m2.room.speeches[1]).toMatchObject({ end: 'revoked', holder: { participantId: j2.participantId } });

    // A named yes/no poll: members see the result only once it is published.
    await host.command('poll:create', { question: '同意加装电梯方案吗？', kind: 'yesno', threshold: 'simple' });
    await host.command('poll:open', { pollId: 'poll-1' });
    await m1.command('poll:vote', { pollId: 'poll-1', choices: [0] });
    await m2.command('poll:vote', { pollId: 'poll-1', choices: [2] });
    await host.waitForRoom((s) => s.polls['poll-1']?.voted.length === 2);
    await host.command('poll:close', { pollId: 'poll-1' });
    await m1.waitForRoom((s) => s.polls['poll-1']?.status === 'closed');
    expect(m1.room.polls['poll-1']?.result).toBeNull();
    expect(m1.room.polls['poll-1']?.choices).toEqual({ [j1.participantId]: [0] });
    expect(host.room.polls['poll-1']?.result).toMatchObject({ counts: [1, 0, 1], passed: true });
    await host.command('poll:publish', { pollId: 'poll-1' });
    await m2.waitForRoom((s) => s.polls['poll-1']?.status === 'published');
    expect(m2.room.polls['poll-1']?.result).toMatchObject({ counts: [1, 0, 1], votes: 2, eligible: 2, passed: true });

    // Roll call.
    await host.command('rollCall:start', {});
    await m1.command('rollCall:confirm', {});
    await host.waitForRoom((s) => Object.keys(s.rollCall?.confirmed ?? {}).length === 1);

    // Every client folded every event without a gap, and agrees with the server.
    const serverState = await server.rooms.state(roomId);
    for (const p of [host, m1, m2]) {
      await p.waitForRoom((s) => s.seq === serverState?.seq);
      expect(p.gaps).toEqual([]);
    }
    expect(host.room).toEqual(serverState);
  });

  test('a secret ballot: nobody, not even the host, receives who chose what', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await connect();
    await host.join(hostInvite, '主持人');
    const voters = await Promise.all([0, 1, 2].map(() => connect()));
    const ids: string[] = [];
    for (const [i, v] of voters.entries()) ids.push((await v.join(await invite(server, roomId, 'member', 'city'), `委员${i}`)).participantId);
    await host.waitForRoom((s) => Object.keys(s.participants).length === 4);
    await host.command('poll:create', { question: '是否推荐？', kind: 'consensus', secret: true, allowChange: false });
    await host.command('poll:open', { pollId: 'poll-1' });
    await voters[0]!.command('poll:vote', { pollId: 'poll-1', choices: [3], reason: '费用分摊不公平' });
    await voters[1]!.command('poll:vote', { pollId: 'poll-1', choices: [0] });
    await voters[2]!.command('poll:vote', { pollId: 'poll-1', choices: [0] });
    await expect(voters[1]!.command('poll:vote', { pollId: 'poll-1', choices: [1] })).rejects.toMatchObject({ code: 'ALREADY_VOTED' });
    await host.command('poll:close', { pollId: 'poll-1' });
    await host.command('poll:publish', { pollId: 'poll-1' });
    await voters[0]!.waitForRoom((s) => s.polls['poll-1']?.status === 'published');

    expect(host.room.polls['poll-1']?.result).toMatchObject({ counts: [2, 0, 0, 1], reasons: ['费用分摊不公平'] });
    for (const p of [host, ...voters]) {
      for (const e of p.received.filter((x) => x.type === 'poll.voted')) expect(Object.keys(e.data).sort()).toEqual(['pollId', 'voterId']);
      expect(p.room.polls['poll-1']?.choices).toEqual({});
    }
    const log = await server.store.read(roomId);
    const text = JSON.stringify(log.filter((e) => e.type === 'poll.voted'));
    expect(text).not.toContain('choices');
    expect(text).not.toContain('费用');
  });

  test('a public link does not make a participant: room:join answers AUDIENCE_ONLY and records nothing', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await connect();
    await host.join(hostInvite, '主持人');
    const seq = (await server.rooms.state(roomId))?.seq;
    const visitor = await connect();
    await expect(visitor.join(await invite(server, roomId, 'public'), '群众')).rejects.toMatchObject({ code: 'AUDIENCE_ONLY' });
    const state = await server.rooms.state(roomId);
    expect(state?.seq).toBe(seq);
    expect(Object.values(state?.participants ?? {}).map((p) => p.role)).toEqual(['host']);
  });

  test('a command repeated with the same commandId takes effect once and answers the same seq', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await connect();
    await host.join(hostInvite, '主持人');
    const m = await connect();
    await m.join(await invite(server, roomId, 'member'), '王委员');
    const first = await m.command('queue:raise', { speechType: 'statement', note: '一次' }, 'raise-once-1');
    const again = await m.command('queue:raise', { speechType: 'statement', note: '一次' }, 'raise-once-1');
    expect(again).toBe(first);
    expect((await server.rooms.state(roomId))?.queue.entries).toHaveLength(1);
  });

  test('a client that missed events gets exactly those on rejoin with its last seq', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await connect();
    await host.join(hostInvite, '主持人');
    const memberInvite = await invite(server, roomId, 'member');
    const m = await connect();
    await expect(m.join(memberInvite)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const first = await m.join(memberInvite, '赵委员');
    await m.command('queue:raise', { speechType: 'supplement', note: '补充' });
    await m.waitForRoom((s) => s.queue.entries.length === 1);
    const lastSeq = m.room.seq;
    m.socket.disconnect();

    await host.command('queue:setOpen', { open: false });
    await host.command('poll:create', { question: '测试', kind: 'yesno' });
    const missed = (await server.store.read(roomId, lastSeq)).map((e) => e.seq);

    const back = await connect();
    back.room = m.room;
    // No name this time: the room knows it.
    const rejoined = await back.join(memberInvite, undefined, { resumeToken: first.resumeToken, lastSeq });
    expect(rejoined.participantId).toBe(first.participantId);
    expect(rejoined.room.kind).toBe('events');
    const seqs = rejoined.room.kind === 'events' ? rejoined.room.events.map((e) => e.seq) : [];
    // What it missed, plus its own reconnection (recorded during the join).
    expect(seqs.slice(0, missed.length)).toEqual(missed);
    expect(seqs.every((s, i) => s === lastSeq + 1 + i)).toBe(true);
    expect(back.room.queue.entries[0]?.participantId).toBe(first.participantId);
    expect(back.room.queue.open).toBe(false);
    expect(back.room.participants[first.participantId]?.name).toBe('赵委员');
  });
});

describe('a server restart mid-meeting', () => {
  test('room, queue, floor and poll are intact; clients resume as the same participants', async () => {
    const dataDir = (await import('node:fs')).mkdtempSync('/tmp/wsl-restart-');
    let first = await startTestServer({ DATA_DIR: dataDir });
    const port = String(first.port);
    try {
      const { roomId, hostInvite } = await createRoom(first, { open: true });
      const host = await TestPeer.connect(first.url);
      const m = await TestPeer.connect(first.url);
      peers.push(host, m);
      await host.join(hostInvite, '主持人');
      const memberInvite = await invite(first, roomId, 'member', 'd1');
      const joined = await m.join(memberInvite, '钱委员');
      const m2 = await TestPeer.connect(first.url);
      peers.push(m2);
      const j2 = await m2.join(await invite(first, roomId, 'member', 'd2'), '孙委员');
      await m2.command('queue:raise', { speechType: 'statement', note: '排队中' });
      await host.command('floor:grant', { target: { kind: 'participant', participantId: joined.participantId }, seconds: 600 });
      await host.command('poll:create', { question: '继续吗？', kind: 'yesno' });
      await host.command('poll:open', { pollId: 'poll-1' });
      await m.command('poll:vote', { pollId: 'poll-1', choices: [1] });
      const before = await first.rooms.state(roomId);

      await first.close();
      first = await startTestServer({ DATA_DIR: dataDir, PORT: port });
      const after = await first.rooms.state(roomId);
      // Shutting down records the disconnects; everything of the meeting itself is as it was.
      for (const part of ['info', 'settings', 'queue', 'floor', 'speeches', 'polls', 'pollOrder'] as const) {
        expect(after?.[part]).toEqual(before?.[part]);
      }
      for (const [id, p] of Object.entries(before?.participants ?? {})) {
        expect(after?.participants[id]).toMatchObject({ name: p.name, role: p.role, status: p.status, online: false });
      }

      const back = await TestPeer.connect(first.url);
      peers.push(back);
      back.room = m.room;
      const rejoined = await back.join(memberInvite, '钱委员', { resumeToken: joined.resumeToken, lastSeq: m.room.seq });
      expect(rejoined.participantId).toBe(joined.participantId);
      expect(rejoined.media).not.toBeNull();
      expect(back.room.floor?.holder).toEqual({ kind: 'participant', participantId: joined.participantId });
      expect(back.room.queue.entries.map((q) => q.participantId)).toEqual([j2.participantId]);
      expect(back.room.polls['poll-1']?.choices).toEqual({ [joined.participantId]: [1] });
      // Whoever did not come back is offline, within their grace period, still in the queue.
      const now = await first.rooms.state(roomId);
      expect(now?.participants[j2.participantId]).toMatchObject({ online: false, status: 'admitted' });
    } finally {
      await first.close();
    }
  });
});
