/**
 * The meeting's rules against clients that ignore the UI: the same invite opened again, a
 * socket that stays in the lobby or was turned away and keeps listening, a producer that lies
 * about its kind, a muted speaker whose client keeps sending and keeps asking to be heard.
 * Real server, real mediasoup worker, real WebRTC peers.
 */
import { describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import type { RoomEvent } from '../signaling/room/events.js';
import { unpackEvents } from '../signaling/room/eventsMessage.js';
import { createRoom, invite } from './helpers/rooms.js';
import { TestViewer } from './helpers/TestViewer.js';
import { withTestServer } from './helpers/serverTest.js';
import { RequestError, TestPeer, rawRequest } from './helpers/TestPeer.js';

let server: RunningServer;
const connect = withTestServer((s) => {
  server = s;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `probe` holds, polling (events the test waits for, not a fixed time). */
async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The reason the server gave a socket before closing it, once it has. */
function closedReason(peer: TestPeer): () => string | null {
  let reason: string | null = null;
  peer.socket.on('session:closed', (data) => {
    reason = data.reason;
  });
  return () => reason;
}

/** Every room event a raw socket is sent. */
function eventsAt(peer: TestPeer): RoomEvent[] {
  const seen: RoomEvent[] = [];
  peer.socket.on('room:events', (message) => seen.push(...unpackEvents(message)));
  return seen;
}

describe('one invite, one seat', () => {
  test('the same member invite opened in a second tab is the same participant: the first tab is told and dropped; place and vote stay', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await connect();
    await host.join(hostInvite, '主持人');
    const memberInvite = await invite(server, roomId, 'member', 'd1', '王委员');
    const first = await connect();
    const firstClosed = closedReason(first);
    const seat = (await first.join(memberInvite)).participantId;
    await first.command('queue:raise', { speechType: 'statement', note: '第一个标签页' });
    await host.command('poll:create', { question: '是否同意？', kind: 'yesno', allowChange: false });
    await host.command('poll:open', { pollId: 'poll-1' });
    await first.waitForRoom((s) => s.polls['poll-1']?.status === 'open');
    await first.command('poll:vote', { pollId: 'poll-1', choices: [0] });

    const second = await connect();
    const joined = await second.join(memberInvite);
    expect(joined.participantId).toBe(seat);
    await until(() => firstClosed() === 'replaced' && first.socket.disconnected, 'the first tab to be told and dropped');
    expect(second.room.queue.entries.map((q) => q.participantId)).toEqual([seat]);
    expect(second.room.polls['poll-1']?.voted).toEqual([seat]);
    // The vote is the seat's: the second tab cannot cast another.
    await expect(second.command('poll:vote', { pollId: 'poll-1', choices: [1] })).rejects.toMatchObject({ code: 'ALREADY_VOTED' });
    expect((await server.rooms.state(roomId))?.polls['poll-1']?.choices).toEqual({ [seat]: [0] });

    // Ten more tabs one after the other, then five at once: still one participant for the invite.
    for (let i = 0; i < 10; i++) await (await connect()).join(memberInvite);
    const burst = await Promise.all(Array.from({ length: 5 }, () => connect()));
    const answers = await Promise.allSettled(burst.map((p) => p.join(memberInvite)));
    for (const a of answers) if (a.status === 'fulfilled') expect(a.value.participantId).toBe(seat);
    const state = await server.rooms.state(roomId);
    const seats = Object.values(state?.participants ?? {}).filter((p) => p.role === 'member');
    expect(seats.map((p) => p.id)).toEqual([seat]);
    expect(state?.polls['poll-1']?.eligible).toEqual([seat]);
    expect(state?.queue.entries).toHaveLength(1);
  });

  test('a fresh invite opened in two tabs at the same moment arrives once', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    await (await connect()).join(hostInvite, '主持人');
    const memberInvite = await invite(server, roomId, 'member', 'city', '张委员');
    const tabs = await Promise.all([connect(), connect(), connect()]);
    const answers = await Promise.allSettled(tabs.map((p) => p.join(memberInvite)));
    const ids = new Set(answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value.participantId] : [])));
    expect(ids.size).toBe(1);
    const state = await server.rooms.state(roomId);
    expect(Object.values(state?.participants ?? {}).filter((p) => p.role === 'member')).toHaveLength(1);
  });

  test('a shared public link stays shared: each visitor watches, none takes a seat or a vote', async () => {
    const { roomId, hostInvite } = await createRoom(server);
    await (await connect()).join(hostInvite, '主持人');
    const before = await server.rooms.state(roomId);
    const link = await invite(server, roomId, 'public', 'city');
    const viewers = await Promise.all([TestViewer.connect(server.url), TestViewer.connect(server.url)]);
    const answers = await Promise.all(viewers.map((v) => v.join(link)));
    expect(answers.map((a) => a.view.roomId)).toEqual([roomId, roomId]);
    const after = await server.rooms.state(roomId);
    expect(after?.seq).toBe(before?.seq);
    expect(Object.keys(after?.participants ?? {})).toEqual(Object.keys(before?.participants ?? {}));
    for (const v of viewers) v.close();
  });
});

describe('a socket sees what its participant’s status allows', () => {
  test('waiting in the lobby: the topic and its own entry, nothing of the meeting; admitted: the whole room', async () => {
    const { roomId, hostInvite } = await createRoom(server);
    const host = await connect();
    await host.join(hostInvite, '主持人');
    const inside = await connect();
    await inside.join(await invite(server, roomId, 'secretary', 'city'), '李记录');

    const waiting = await connect();
    const seen = eventsAt(waiting);
    const joined = await waiting.join(await invite(server, roomId, 'member', 'd1'), '赵委员');
    expect(joined.room.kind).toBe('lobby');
    if (joined.room.kind !== 'lobby') throw new Error('a lobby answer expected');
    expect(Object.keys(joined.room.state.participants)).toEqual([joined.participantId]);
    expect(joined.room.state.info.topic).not.toBe('');

    // The meeting goes on: a poll with its question, a note in the minutes.
    await host.command('poll:create', { question: '是否同意加装电梯？', kind: 'yesno' });
    await host.command('poll:open', { pollId: 'poll-1' });
    await host.command('minutes:edit', { section: 'conclusions', text: '会议认为', baseVersion: 0 });
    await inside.waitForRoom((s) => s.minutes.sections['conclusions'] !== undefined);
    const sync = await waiting.request('room:sync', {});
    expect(sync.kind).toBe('lobby');
    expect(JSON.stringify(sync)).not.toContain('是否同意加装电梯');
    expect(JSON.stringify(seen)).not.toContain('是否同意加装电梯');
    expect(seen).toEqual([]);
    // Asking with an old seq gets the lobby view too, never the events.
    expect((await waiting.request('room:sync', { lastSeq: 1 })).kind).toBe('lobby');

    await host.command('lobby:admit', { participantId: joined.participantId });
    const room = await waiting.waitForRoom((s) => s.polls['poll-1']?.status === 'open');
    expect(room.polls['poll-1']?.question).toBe('是否同意加装电梯？');
    expect(room.participants[joined.participantId]?.status).toBe('admitted');
  });

  test('removed: told why, disconnected, and the same invite is refused; denied: the same from the lobby', async () => {
    const { roomId, hostInvite } = await createRoom(server);
    const host = await connect();
    await host.join(hostInvite, '主持人');
    const removedInvite = await invite(server, roomId, 'member', 'city', '钱委员');
    const removed = await connect();
    const removedReason = closedReason(removed);
    const removedEvents = eventsAt(removed);
    const r = await removed.join(removedInvite);
    await host.command('lobby:admit', { participantId: r.participantId });
    await removed.waitForRoom((s) => s.participants[r.participantId]?.status === 'admitted');
    const denied = await connect();
    const deniedReason = closedReason(denied);
    const d = await denied.join(await invite(server, roomId, 'member', 'd2', '孙委员'));

    await host.command('participant:remove', { participantId: r.participantId });
    await host.command('lobby:deny', { participantId: d.participantId });
    await until(() => removedReason() === 'removed' && removed.socket.disconnected, 'the removed socket to be told and dropped');
    await until(() => deniedReason() === 'denied' && denied.socket.disconnected, 'the denied socket to be told and dropped');
    // What the meeting does next never reaches them.
    const countBefore = removedEvents.length;
    await host.command('poll:create', { question: '下一项议题？', kind: 'yesno' });
    await host.waitForRoom((s) => s.pollOrder.length === 1);
    expect(removedEvents.length).toBe(countBefore);
    // A client that comes back on the same invite is refused, before and after the meeting goes on.
    const again = await connect();
    await expect(again.join(removedInvite)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(again.request('room:sync', {})).rejects.toMatchObject({ code: 'NOT_JOINED' });
  });
});

describe('a producer carries what it says', () => {
  test('Opus declared as video, or a microphone declared as video, is refused', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await connect();
    const joined = await host.join(hostInvite, '主持人');
    const transportId = joined.media?.sendTransport?.id ?? '';
    const opus = { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 1111 }] };
    for (const payload of [
      { transportId, kind: 'video', source: 'camera', rtpParameters: opus },
      { transportId, kind: 'audio', source: 'camera', rtpParameters: opus },
    ]) {
      expect(await rawRequest(host.socket, 'media:produce', payload)).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    }
    expect((await server.media.get(roomId)).peer(joined.participantId)?.producers.size).toBe(0);
  });
});

describe('a mute holds, whatever the muted client does', () => {
  /** Packets the server forwarded to `listenerId`'s consumer of `speakerId`'s microphone. */
  async function forwarded(roomId: string, listenerId: string, speakerId: string): Promise<number> {
    const room = await server.media.get(roomId);
    let packets = 0;
    for (const consumer of room.peer(listenerId)?.consumers.values() ?? []) {
      if (consumer.kind !== 'audio' || consumer.appData.peerId !== speakerId) continue;
      for (const stat of await consumer.getStats()) if (stat.type === 'outbound-rtp') packets += stat.packetCount;
    }
    return packets;
  }

  /** A room with a listening host and a member sending a tone (the floor first, if `floorOnly`). */
  async function speaking(floorOnly: boolean) {
    const { roomId, hostInvite } = await createRoom(server, { open: true, floorOnly, defaultSpeechSeconds: 600 });
    const host = await connect();
    const hostId = (await host.join(hostInvite, '主持人')).participantId;
    const member = await connect();
    const memberId = (await member.join(await invite(server, roomId, 'member', 'd1'), '周委员')).participantId;
    await member.produce({ audio: true, video: false });
    await host.waitForConsumers(1);
    if (floorOnly) await host.command('floor:grant', { target: { kind: 'participant', participantId: memberId } });
    const micId = [...member.producers.values()][0]?.id ?? '';
    const serverMic = () => server.media.get(roomId).then((room) => room.peer(memberId)?.producers.get(micId));
    await until(async () => (await serverMic())?.paused === false, 'the member to be heard');
    const before = await forwarded(roomId, hostId, memberId);
    await until(async () => (await forwarded(roomId, hostId, memberId)) > before + 20, 'the tone to reach the host');
    return { roomId, host, hostId, member, memberId, micId, serverMic };
  }

  /**
   * After `silence` is acknowledged, the member's microphone is paused on the server (waited
   * for, however busy the machine), and from a second on the host's consumer gets nothing,
   * while the member's client keeps sending and keeps asking to be heard.
   */
  async function staysSilent(s: Awaited<ReturnType<typeof speaking>>, silence: () => Promise<unknown>): Promise<void> {
    await silence();
    await until(async () => (await s.serverMic())?.paused === true, 'the server to pause the microphone');
    await expect(s.member.request('producer:resume', { producerId: s.micId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await sleep(1000);
    const settled = await forwarded(s.roomId, s.hostId, s.memberId);
    await expect(s.member.request('producer:resume', { producerId: s.micId })).rejects.toBeInstanceOf(RequestError);
    await sleep(1000);
    expect(await forwarded(s.roomId, s.hostId, s.memberId)).toBe(settled);
    expect((await s.serverMic())?.paused).toBe(true);
  }

  test('force-mute of the speaker, the speech paused', async () => {
    const s = await speaking(true);
    await staysSilent(s, () => s.host.command('media:forceMute', { participantId: s.memberId, floor: 'pause' }));
    expect((await server.rooms.state(s.roomId))?.floor?.pausedAt).not.toBeNull();
  });

  test('force-mute of the speaker, the speech ended', async () => {
    const s = await speaking(true);
    await staysSilent(s, () => s.host.command('media:forceMute', { participantId: s.memberId, floor: 'end' }));
    expect((await server.rooms.state(s.roomId))?.floor).toBeNull();
  });

  test('mute all while someone speaks', async () => {
    const s = await speaking(true);
    await staysSilent(s, () => s.host.command('media:muteAll', { floor: 'end' }));
  });

  test('the floor revoked', async () => {
    const s = await speaking(true);
    await staysSilent(s, () => s.host.command('floor:revoke', {}));
  });

  test('force-mute of a member talking in an open discussion (no floor needed)', async () => {
    const s = await speaking(false);
    await staysSilent(s, () => s.host.command('media:forceMute', { participantId: s.memberId }));
  });

  test('mute all in an open discussion', async () => {
    const s = await speaking(false);
    await staysSilent(s, () => s.host.command('media:muteAll', {}));
  });
});
