/**
 * Handing the chair over through the real server, against clients that ignore the UI: a member
 * who tries to take or give the chair, a chair who names someone absent, waiting in the lobby
 * or of a role that cannot chair, a repeated command, a malformed payload, a former chair who
 * comes back on the host invite. The hand-over is one event of the hash-chained log, and the
 * chair's view (results before publication) moves with the chair.
 */
import { describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { findChainBreak } from '../server/store/hashChain.js';
import { INVITE_ROUTES, InviteInfo } from '../signaling/http/invites.js';
import { getJson } from './helpers/http.js';
import { createRoom, invite } from './helpers/rooms.js';
import { withTestServer } from './helpers/serverTest.js';
import { RequestError, TestPeer, rawRequest } from './helpers/TestPeer.js';

let server: RunningServer;
const connect = withTestServer((s) => {
  server = s;
});

/** The error code a command is refused with. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RequestError) return error.code;
    throw error;
  }
  throw new Error('the command was accepted');
}

describe('room:handOver', () => {
  test('only the chair hands over, only to a member present; the log records it and the chair’s view follows', async () => {
    const { roomId, hostInvite } = await createRoom(server);
    const host = await connect();
    const { participantId: hostId } = await host.join(hostInvite, '主持人');
    const sec = await connect();
    const { participantId: secId } = await sec.join(await invite(server, roomId, 'secretary'), '李记录');
    const zhang = await connect();
    const { participantId: zhangId } = await zhang.join(await invite(server, roomId, 'member', 'city'), '张委员');
    const wang = await connect();
    const { participantId: wangId } = await wang.join(await invite(server, roomId, 'member', 'd1'), '王委员');
    await host.command('lobby:admit', { participantId: zhangId });
    await host.command('lobby:admit', { participantId: wangId });
    const late = await connect();
    const { participantId: lateId } = await late.join(await invite(server, roomId, 'member', 'd2'), '赵委员');
    await host.waitForRoom((s) => s.participants[lateId]?.status === 'lobby');
    const before = (await server.rooms.state(roomId))!.seq;

    // A member may not take the chair, nor give it to someone else.
    expect(await refusal(zhang.command('room:handOver', { participantId: zhangId }))).toBe('FORBIDDEN');
    expect(await refusal(zhang.command('room:handOver', { participantId: wangId }))).toBe('FORBIDDEN');
    // Malformed payloads are refused at the boundary.
    for (const payload of [{ commandId: 'cmd-00000001' }, { commandId: 'cmd-00000002', participantId: 42 }, { commandId: 'cmd-00000003', participantId: '' }]) {
      expect(await rawRequest(host.socket, 'room:handOver', payload)).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    }
    // The chair may not name someone in the lobby, the secretary, nobody, or themself.
    expect(await refusal(host.command('room:handOver', { participantId: lateId }))).toBe('INVALID_STATE');
    expect(await refusal(host.command('room:handOver', { participantId: secId }))).toBe('NOT_ELIGIBLE');
    expect(await refusal(host.command('room:handOver', { participantId: 'no-such-person' }))).toBe('NOT_FOUND');
    expect(await refusal(host.command('room:handOver', { participantId: hostId }))).toBe('INVALID_STATE');
    // Nor a member whose connection is gone.
    wang.close();
    await host.waitForRoom((s) => s.participants[wangId]?.online === false);
    expect(await refusal(host.command('room:handOver', { participantId: wangId }))).toBe('INVALID_STATE');
    // None of that recorded anything but 王's dropped connection.
    const log = await server.rooms.eventsSince(roomId, before);
    expect(log.map((e) => e.type)).toEqual(['participant.disconnected']);

    await host.command('minutes:edit', { section: 'conclusions', text: '会议认为方案可行', baseVersion: 0 });

    // To 张, present: recorded once, even when the same command arrives again.
    const seq = await host.command('room:handOver', { participantId: zhangId }, 'handover-0001');
    expect(await host.command('room:handOver', { participantId: zhangId }, 'handover-0001')).toBe(seq);
    // The former chair, now an observer, may not do it again.
    expect(await refusal(host.command('room:handOver', { participantId: zhangId }))).toBe('FORBIDDEN');
    expect(await refusal(host.command('room:end', {}))).toBe('FORBIDDEN');

    const events = await server.rooms.eventsSince(roomId, 0);
    const handed = events.filter((e) => e.type === 'room.chairHandedOver');
    expect(handed.map((e) => [e.seq, e.actor, e.data])).toEqual([[seq, hostId, { from: hostId, to: zhangId }]]);
    expect(findChainBreak(events)).toBeNull();
    await zhang.waitForRoom((s) => s.participants[zhangId]?.role === 'host' && s.participants[hostId]?.role === 'observer');
    // Asked for the whole room again (as the client does when its role changes), each gets it
    // as their new role sees it: the minutes' text is the chair's now, no longer the former chair's.
    const conclusions = async (peer: TestPeer) => {
      const sync = await peer.request('room:sync', {});
      return sync.kind === 'snapshot' ? sync.state.minutes.sections['conclusions']?.text : `not a snapshot: ${sync.kind}`;
    };
    expect(await conclusions(zhang)).toBe('会议认为方案可行');
    expect(await conclusions(host)).toBe('');

    // 张 runs the meeting now: admits from the lobby, and sees a result before publication;
    // the former chair no longer does.
    await zhang.command('lobby:admit', { participantId: lateId });
    await zhang.command('poll:create', { question: '同意方案吗？', kind: 'yesno', threshold: 'simple' });
    await zhang.command('poll:open', { pollId: 'poll-1' });
    await late.command('poll:vote', { pollId: 'poll-1', choices: [0] });
    await zhang.command('poll:close', { pollId: 'poll-1' });
    await zhang.waitForRoom((s) => s.polls['poll-1']?.result !== null && s.polls['poll-1']?.result !== undefined);
    expect(zhang.room.polls['poll-1']?.result).toMatchObject({ counts: [1, 0, 0], votes: 1 });
    await host.waitForRoom((s) => s.polls['poll-1']?.status === 'closed');
    expect(host.room.polls['poll-1']?.result).toBeNull();
  });

  test('a former chair who leaves and comes back on the host invite is an observer at the door; the minutes go with the chair', async () => {
    const { roomId, hostInvite } = await createRoom(server);
    const host = await connect();
    const { participantId: hostId } = await host.join(hostInvite, '主持人');
    const zhang = await connect();
    const zhangInvite = await invite(server, roomId, 'member', 'city');
    const { participantId: zhangId } = await zhang.join(zhangInvite, '张委员');
    await host.command('lobby:admit', { participantId: zhangId });
    await host.command('room:handOver', { participantId: zhangId });
    await host.request('room:leave', {});
    await zhang.waitForRoom((s) => s.participants[hostId]?.status === 'left');

    const again = await connect();
    const joined = await again.join(hostInvite);
    expect(joined.participantId).toBe(hostId);
    const state = await server.rooms.state(roomId);
    expect(state?.participants[hostId]).toMatchObject({ role: 'observer', status: 'lobby' });
    expect(await refusal(again.command('room:end', {}))).toBe('IN_LOBBY');
    expect(state?.participants[zhangId]?.role).toBe('host');

    // The join page shows each invite the role the room gives it now.
    const infoOf = async (token: string) => (await getJson(`${server.url}${INVITE_ROUTES.invite.path({ token })}`, InviteInfo)).invite.role;
    expect(await infoOf(hostInvite)).toBe('observer');
    expect(await infoOf(zhangInvite)).toBe('host');
    // The draft minutes (unpublished) are the chair's to download now, no longer the former chair's.
    const minutes = (token: string) => fetch(`${server.url}/api/rooms/${roomId}/minutes.md`, { headers: { authorization: `Bearer ${token}` } });
    expect((await minutes(zhangInvite)).status).toBe(200);
    expect((await minutes(hostInvite)).status).toBe(403);
  });
});
