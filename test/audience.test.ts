/**
 * The public as an audience (码上商量), against the real server: a viewer joins with the public
 * link through `audience:join` and is counted, not listed.
 *
 * What a viewer may see, written from the product's promise to the public (DESIGN.md, "The
 * public and the audience"), not from the code's allow-list:
 * - the topic, whether the meeting waits, runs or is over;
 * - who holds the floor (their display name and venue), the kind of speech and its clock;
 * - the results the chair published: the question, options and counts;
 * - how many watch now (在线观众) and how many visits in all (累计访问).
 * Never: who else is in the meeting or waiting in the lobby, a poll before it is published,
 * who voted or what (named polls included), dissenting reasons, the note of a raised hand,
 * the minutes' drafts. A viewer's connection may send only its own few events; anything a
 * member or the chair may do is FORBIDDEN to it, and nothing it does changes the room.
 * Members, for their part, never hear of a viewer: no room event, no peer, no list entry.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import type { CommentsChanged, PublicView } from '../signaling/audience.js';
import { ADMIN_ROUTES, RoomInvites } from '../signaling/http/admin.js';
import { PROTOCOL_VERSION, type AudienceWatched } from '../signaling/protocol.js';
import type { RoomEvent } from '../signaling/room/events.js';
import { unpackEvents } from '../signaling/room/eventsMessage.js';
import { CLIENT_COMMAND_TYPES } from '../signaling/room/commands.js';
import { eventually, startCluster, type TestCluster } from './helpers/cluster.js';
import { openCommentsRoom, publishComment } from './helpers/commentsBrowser.js';
import { getJson } from './helpers/http.js';
import type { ServerProcess } from './helpers/processServer.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';
import { TestViewer } from './helpers/TestViewer.js';

let server: RunningServer;
const closers: Array<{ close(): void }> = [];

beforeAll(async () => {
  // Counts go round every 150 ms here (3 s in production), so the tests wait less.
  server = await startTestServer({ AUDIENCE_COUNTS_MS: '150' });
});

afterAll(async () => {
  for (const c of closers) c.close();
  await server.close();
});

async function peer(token: string, name?: string): Promise<TestPeer> {
  const p = await TestPeer.connect(server.url);
  closers.push(p);
  await p.join(token, name);
  return p;
}

async function viewer(token: string, target: { url: string } = server): Promise<TestViewer> {
  const v = await TestViewer.connect(target.url);
  closers.push(v);
  await v.join(token);
  return v;
}

/** Every room event a member's socket receives from now on. */
function eventsOf(p: TestPeer): RoomEvent[] {
  const seen: RoomEvent[] = [];
  p.socket.on('room:events', (message) => seen.push(...unpackEvents(message)));
  return seen;
}

describe('a viewer is counted, not listed', () => {
  test('viewers arrive without a room event, a peer or a list entry; they see the meeting live', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await peer(hostInvite, '主持人');
    const member = await peer(await invite(server, roomId, 'member', 'city'), '王委员');
    const before = await server.rooms.state(roomId);
    const memberEvents = eventsOf(member);
    const memberPeers: string[] = [];
    member.socket.on('peer:joined', (p) => memberPeers.push(p.id));

    const link = await invite(server, roomId, 'public', 'city');
    const viewers = [await viewer(link), await viewer(link), await viewer(link)];
    expect(viewers[2]?.view).toMatchObject({ roomId, topic: '老旧小区加装电梯协商', phase: 'live', floor: null, results: [] });

    // Something the members do hear, after the arrivals: nothing came before it.
    const seq = await host.command('queue:setOpen', { open: false });
    await member.waitForRoom((s) => s.seq === seq);
    expect(memberEvents.map((e) => e.type)).toEqual(['queue.openChanged']);
    expect(memberPeers).toEqual([]);
    const after = await server.rooms.state(roomId);
    expect(Object.keys(after?.participants ?? {})).toEqual(Object.keys(before?.participants ?? {}));
    expect(after?.seq).toBe(seq);
    // Viewers get views only (their counts moving), never the members' events.
    for (const v of viewers) for (const r of v.received) expect(r.event).toBe('audience:view');
  });

  test('counts go up with arrivals and down with departures; visits stay counted', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    await peer(hostInvite, '主持人');
    const link = await invite(server, roomId, 'public', 'city');
    const first = await viewer(link);
    expect(first.view?.audience).toEqual({ online: 1, visits: 1 });
    const others = [await viewer(link), await viewer(link)];
    await first.waitForView((v) => v.audience.online === 3 && v.audience.visits === 3);
    for (const o of others) o.close();
    const view = await first.waitForView((v) => v.audience.online === 1);
    expect(view.audience.visits).toBe(3);
    // A newcomer is answered with the counts as they are, itself included.
    const late = await viewer(link);
    expect(late.view?.audience).toEqual({ online: 2, visits: 4 });
  });
});

describe('a viewer sees what the public may see, and nothing else', () => {
  test('the floor and the published result; never the lobby, votes, voters, reasons, notes or minutes', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: false, floorOnly: false });
    const host = await peer(hostInvite, '主持人');
    const secretary = await peer(await invite(server, roomId, 'secretary', 'city'), '李记录');
    const speaker = await peer(await invite(server, roomId, 'member', 'd1'), '王委员');
    const other = await peer(await invite(server, roomId, 'member', 'city'), '赵委员');
    for (const p of [speaker, other]) await host.command('lobby:admit', { participantId: p.joined?.participantId ?? '' });
    const waitingOne = await TestPeer.connect(server.url);
    closers.push(waitingOne);
    await waitingOne.join(await invite(server, roomId, 'member', 'd2'), '候场的钱委员');

    const v = await viewer(await invite(server, roomId, 'public', 'city'));

    // A hand with a note for the chair, then the floor.
    await speaker.command('queue:raise', { speechType: 'statement', note: '只给主持人看的备注' });
    await host.command('floor:grant', { target: { kind: 'participant', participantId: speaker.joined?.participantId ?? '' }, seconds: 120 });
    // A named consensus poll with a dissenting reason, published; a secret poll, closed only.
    await host.command('poll:create', { question: '是否赞同加装方案？', kind: 'consensus' });
    await host.command('poll:open', { pollId: 'poll-1' });
    await speaker.command('poll:vote', { pollId: 'poll-1', choices: [0] });
    await other.command('poll:vote', { pollId: 'poll-1', choices: [3], reason: '费用分摊不公的理由' });
    await host.command('poll:close', { pollId: 'poll-1' });
    await host.command('poll:publish', { pollId: 'poll-1' });
    await host.command('poll:create', { question: '未公布的无记名表决', kind: 'yesno', secret: true, allowChange: false });
    await host.command('poll:open', { pollId: 'poll-2' });
    await speaker.command('poll:vote', { pollId: 'poll-2', choices: [1] });
    await host.command('poll:close', { pollId: 'poll-2' });
    const last = await secretary.command('minutes:edit', { section: 'conclusions', text: '纪要草稿不可外传', baseVersion: 0 });
    await secretary.waitForRoom((s) => s.seq === last);

    const view = await v.waitForView((x) => x.floor !== null && x.results.length === 1);
    expect(view.floor).toMatchObject({ name: '王委员', venue: expect.any(String), type: 'statement', limitMs: 120_000 });
    expect(view.results).toEqual([
      {
        pollId: 'poll-1',
        kind: 'consensus',
        question: '是否赞同加装方案？',
        options: expect.any(Array),
        result: expect.objectContaining({ counts: [1, 0, 0, 1], votes: 2, reasons: [] }),
      },
    ]);

    // Everything the viewer was ever sent, answer included, searched for what it must not see.
    const everything = JSON.stringify([v.view, ...v.received]);
    const state = await server.rooms.state(roomId);
    const secrets = ['候场的钱委员', '赵委员', '李记录', '只给主持人看的备注', '费用分摊不公的理由', '未公布的无记名表决', '纪要草稿不可外传', ...Object.keys(state?.participants ?? {})];
    for (const secret of secrets) expect(everything, secret).not.toContain(secret);
    for (const field of ['"choices"', '"voted"', '"eligible":[', '"participants"', '"minutes"', '"queue"']) expect(everything, field).not.toContain(field);
    // Only views: never room events, peers or the members' media.
    expect(new Set(v.received.map((r) => r.event))).toEqual(new Set(['audience:view']));
  });

  test('the meeting ends: viewers get the final view, and a viewer arriving later is answered it without media', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await peer(hostInvite, '主持人');
    const link = await invite(server, roomId, 'public', 'city');
    const v = await viewer(link);
    await host.command('room:end', {});
    await v.waitForView((x) => x.phase === 'ended');
    const late = await TestViewer.connect(server.url);
    closers.push(late);
    const joined = await late.join(link);
    expect(joined.view.phase).toBe('ended');
    expect(joined.media).toBeNull();
  });
});

describe('the program', () => {
  test('a viewer asks to watch: a receive transport and the program consumers, the same when asked again; none once the meeting ended', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await peer(hostInvite, '主持人');
    const v = await viewer(await invite(server, roomId, 'public', 'city'));
    // A browser's receive capabilities, as the tests' peers load them.
    const device = await TestPeer.connect(server.url);
    closers.push(device);
    const caps = { rtpCapabilities: device.rtpCapabilities };
    const first = (await v.request('audience:watch', caps)) as { ok: true; data: AudienceWatched };
    expect(first).toMatchObject({ ok: true, data: { recvTransport: { id: expect.any(String) } } });
    expect(first.data.consumers.length).toBeGreaterThan(0);
    for (const c of first.data.consumers) expect(c.peerId).toBe('program');
    const again = (await v.request('audience:watch', caps)) as { ok: true; data: AudienceWatched };
    expect(again.data.recvTransport.id).toBe(first.data.recvTransport.id);
    expect(again.data.consumers.map((c) => c.id)).toEqual(first.data.consumers.map((c) => c.id));
    await host.command('room:end', {});
    await v.waitForView((x) => x.phase === 'ended');
    const late = await TestViewer.connect(server.url);
    closers.push(late);
    await late.join(await invite(server, roomId, 'public', 'city'));
    expect(await late.request('audience:watch', caps)).toMatchObject({ ok: false, error: 'MEETING_ENDED' });
  });
});

describe('a hostile viewer', () => {
  test('every member and chair event is FORBIDDEN to a viewer, and the room is unchanged', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await peer(hostInvite, '主持人');
    await peer(await invite(server, roomId, 'member', 'city'), '王委员');
    const link = await invite(server, roomId, 'public', 'city');
    const v = await viewer(link);
    const before = await server.rooms.state(roomId);
    const forbidden = [
      'room:join',
      'room:sync',
      'room:leave',
      'media:join',
      'transport:restartIce',
      'media:produce',
      'producer:pause',
      'producer:resume',
      'producer:close',
      'consumer:pause',
      'consumer:setLayers',
      'media:audioOnly',
      ...CLIENT_COMMAND_TYPES,
    ];
    for (const event of forbidden) {
      // Well-formed or not: the refusal comes before any parsing.
      expect(await v.request(event, { commandId: 'cmd-0000001', participantId: host.joined?.participantId, invite: hostInvite, protocolVersion: PROTOCOL_VERSION }), event).toMatchObject({
        ok: false,
        error: 'FORBIDDEN',
      });
    }
    // Joining again, as a viewer or with the host's invite, changes nothing either.
    expect(await v.request('audience:join', { protocolVersion: PROTOCOL_VERSION, invite: link })).toMatchObject({ ok: false, error: 'ALREADY_JOINED' });
    const after = await server.rooms.state(roomId);
    expect(after).toEqual(before);
  });

  test('a wrong link: forged, personal, revoked, old protocol — each refused with its code', async () => {
    const { roomId } = await createRoom(server, { open: true });
    const join = async (token: string, protocolVersion = PROTOCOL_VERSION): Promise<unknown> => {
      const v = await TestViewer.connect(server.url);
      closers.push(v);
      return v.request('audience:join', { protocolVersion, invite: token });
    };
    expect(await join('not-a-token')).toMatchObject({ ok: false, error: 'UNAUTHORIZED' });
    expect(await join(await invite(server, roomId, 'member', 'city'))).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    const link = await invite(server, roomId, 'public', 'city');
    expect(await join(link, PROTOCOL_VERSION - 1)).toMatchObject({ ok: false, error: 'UNSUPPORTED_PROTOCOL' });
    const listed = await getJson(`${server.url}${ADMIN_ROUTES.invites.path({ roomId })}`, RoomInvites, { bearer: server.adminSecret });
    const inviteId = listed.invites.find((i) => i.token === link)?.inviteId;
    const revoked = await fetch(`${server.url}/api/rooms/${roomId}/invites/${inviteId}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${server.adminSecret}` } });
    expect(revoked.status).toBe(200);
    expect(await join(link)).toMatchObject({ ok: false, error: 'INVITE_REVOKED' });
    // A personal invite joins the meeting; the public link does not (the public watches).
    const seat = await TestPeer.connect(server.url);
    closers.push(seat);
    await expect(seat.join(await invite(server, roomId, 'public', 'city'), '群众')).rejects.toMatchObject({ code: 'AUDIENCE_ONLY' });
  });
});

describe('a viewer flood is limited', () => {
  test('a link past its joins per second is refused RATE_LIMITED; a connection past its budget is told to wait, then dropped', async () => {
    const limited = await startTestServer({ LIMIT_JOINS_PER_SECOND_PER_INVITE: '3', LIMIT_SOCKET_EVENTS_PER_10S: '10' });
    try {
      const { roomId } = await createRoom(limited, { open: true });
      const link = await invite(limited, roomId, 'public', 'city');
      const crowd = await Promise.all(Array.from({ length: 8 }, () => TestViewer.connect(limited.url)));
      const answers = await Promise.all(crowd.map((v) => v.request('audience:join', { protocolVersion: PROTOCOL_VERSION, invite: link })));
      const codes = answers.map((a) => ((a as { ok: boolean }).ok ? 'ok' : (a as { error: string }).error));
      expect(codes.filter((c) => c === 'ok').length).toBeLessThanOrEqual(3);
      expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(5);

      const joined = crowd[codes.indexOf('ok')];
      if (!joined) throw new Error('nobody joined');
      const dropped = new Promise<void>((resolve) => joined.socket.once('disconnect', () => resolve()));
      // Past three times its budget a connection is no longer answered but dropped: only the
      // first answers are awaited.
      const flood: Array<Promise<unknown>> = [];
      for (let i = 0; i < 40; i++) flood.push(joined.request('audience:watch', { rtpCapabilities: {} }).catch(() => 'gone'));
      const answered = await Promise.all(flood.slice(0, 20));
      expect(answered.slice(10).every((r) => (r as { error?: string }).error === 'RATE_LIMITED')).toBe(true);
      await dropped;
      for (const v of crowd) v.close();
    } finally {
      await limited.close();
    }
  });
});

describe('two processes behind one Redis', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startCluster(2, { AUDIENCE_COUNTS_MS: '200' });
  }, 60_000);

  afterAll(async () => {
    await cluster?.destroy();
  });

  test('the online count adds the viewers of both processes, and falls when one side leaves', async () => {
    const [a, b] = cluster.servers as [ServerProcess, ServerProcess];
    const { roomId, hostInvite } = await createRoom(a, { open: true });
    const host = await TestPeer.connect(a.url);
    const member = await TestPeer.connect(b.url);
    closers.push(host, member);
    await host.join(hostInvite, '主持人');
    await member.join(await invite(a, roomId, 'member', 'city'), '王委员');
    const link = await invite(a, roomId, 'public', 'city');
    const onA = await viewer(link, a);
    const onB = [await viewer(link, b), await viewer(link, b)];
    const both = (v: PublicView): boolean => v.audience.online === 3 && v.audience.visits === 3;
    await Promise.all([onA.waitForView(both), ...onB.map((v) => v.waitForView(both))]);
    onB[0]?.close();
    await onA.waitForView((v) => v.audience.online === 2);
    // The floor moves on A's log; B's viewers hear it from their own process. The host grants
    // it once A's copy of the room holds the member, who joined through B.
    await host.waitForRoom((s) => s.participants[member.joined?.participantId ?? ''] !== undefined);
    await host.command('floor:grant', { target: { kind: 'participant', participantId: member.joined?.participantId ?? '' }, seconds: 60 });
    await onB[1]?.waitForView((v) => v.floor?.name === '王委员');
  });

  test('a comment approved through one process reaches the viewers on 留言 of both, and none watching 直播', async () => {
    const [a, b] = cluster.servers as [ServerProcess, ServerProcess];
    const room = await openCommentsRoom(a);
    const readingOnA = await viewer(room.publicInvite, a);
    const readingOnB = await viewer(room.publicInvite, b);
    const watchingOnB = await viewer(room.publicInvite, b);
    for (const v of [readingOnA, readingOnB]) expect(await v.request('audience:comments', { follow: true })).toEqual({ ok: true, data: null });
    const heard = (v: TestViewer): string[] => v.eventsNamed('comments:changed').flatMap((e) => (e as CommentsChanged).comments.map((c) => c.id));
    const id = await publishComment(room, '两个进程的观众都能看到');
    await eventually(() => heard(readingOnA).includes(id) && heard(readingOnB).includes(id), 'both readers heard the approval');
    // The news reached B's readers: a later answer to B's viewer comes after any news B sent it.
    await watchingOnB.request('audience:comments', { follow: false });
    expect(heard(watchingOnB)).toEqual([]);
    expect(readingOnB.eventsNamed('comments:changed')).toHaveLength(1);
  });
});
