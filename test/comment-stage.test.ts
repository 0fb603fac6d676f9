/**
 * 群众留言上屏 through the real server: the chair puts an approved comment on the stage and
 * every participant's replica shows it; nobody else may, and a hostile client can neither
 * stage a comment the store has not approved nor hand the server its own copy of one. The end
 * records the comment counts, the lock the store's summary, and the locked minutes carry the
 * 群众留言 section: every export verifies against the log, and fails once tampered with.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { minutesToMarkdown } from '../server/export/markdown.js';
import { minutesToHtml } from '../server/export/html.js';
import { verifyExport } from '../server/export/verify.js';
import type { RoomEvent } from '../signaling/room/events.js';
import { createRoom, invite } from './helpers/rooms.js';
import { withTestServer } from './helpers/serverTest.js';
import { RequestError, rawRequest } from './helpers/TestPeer.js';

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

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>**粗体**';

describe('comment:stage with a real server', () => {
  test('the chair stages an approved comment for everybody; the record of the meeting carries it and verifies', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await connect();
    await host.join(hostInvite, '主持人');
    const sec = await connect();
    await sec.join(await invite(server, roomId, 'secretary'), '李记录');
    const member = await connect();
    const { participantId: memberId } = await member.join(await invite(server, roomId, 'member', 'd1'), '张委员');
    const dept = await connect();
    const { participantId: deptId } = await dept.join(await invite(server, roomId, 'department', 'city', '区住建局'));
    const everybody = [host, sec, member, dept];

    // The public's comments, seeded through the store as the HTTP routes would write them.
    const store = server.comments;
    const now = Date.now();
    await store.setSettings(roomId, { opensAt: now - 60_000, closesAt: now + 3_600_000, background: '', themes: ['出行'], heldWords: [] });
    const approved = await store.submit(roomId, { name: `王阿姨${HOSTILE}`, place: '幸福街道', text: `六楼老人出行难${HOSTILE}\n希望尽快加装` }, 'browser-a', now);
    await store.moderate(roomId, approved.id, { action: 'approve' }, now);
    await store.moderate(roomId, approved.id, { action: 'tag', themes: ['出行'] }, now);
    const pending = await store.submit(roomId, { name: '未审核', place: '', text: '尚未审核的留言' }, 'browser-b', now);
    const seqBefore = (await server.rooms.state(roomId))!.seq;

    // Only the chair stages: the secretary, a member and the department are refused.
    for (const peer of [sec, member, dept]) expect(await refusal(peer.command('comment:stage', { commentId: approved.id }))).toBe('FORBIDDEN');
    // Nothing the store has not approved goes up, whatever the client claims.
    expect(await refusal(host.command('comment:stage', { commentId: pending.id }))).toBe('NOT_FOUND');
    expect(await refusal(host.command('comment:stage', { commentId: 'no-such-comment' }))).toBe('NOT_FOUND');
    const forged = await rawRequest(host.socket, 'comment:stage', {
      commandId: randomUUID(),
      commentId: pending.id,
      comment: { commentId: pending.id, name: '伪造', text: '伪造的内容', status: 'approved' },
    });
    expect(forged).toMatchObject({ ok: false, error: 'NOT_FOUND' });
    // Only a department present may be asked to answer.
    expect(await refusal(host.command('comment:stage', { commentId: approved.id, askParticipantId: memberId }))).toBe('NOT_ELIGIBLE');
    // Malformed payloads stop at the boundary.
    for (const payload of [{ commandId: randomUUID() }, { commandId: randomUUID(), commentId: 42 }, { commandId: randomUUID(), commentId: 'x'.repeat(65) }]) {
      expect(await rawRequest(host.socket, 'comment:stage', payload)).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
    }
    expect((await server.rooms.state(roomId))!.seq).toBe(seqBefore);

    // The chair stages it and asks the department: every replica shows the same comment.
    await host.command('comment:stage', { commentId: approved.id, askParticipantId: deptId });
    const onServer = (await server.rooms.state(roomId))!.stage;
    expect(onServer).toMatchObject({ commentId: approved.id, name: approved.name, text: approved.text, themes: ['出行'], askedParticipantId: deptId, answer: null });
    for (const peer of everybody) expect((await peer.waitForRoom((s) => s.stage !== null)).stage).toEqual(onServer);
    // A repeat is refused without a second event.
    expect(await refusal(host.command('comment:stage', { commentId: approved.id, askParticipantId: deptId }))).toBe('INVALID_STATE');

    // The department answers on the floor and in writing; the chair takes the comment down.
    await store.answer(roomId, approved.id, { department: '区住建局', text: '年内完成加装评估' }, Date.now());
    expect(await refusal(member.command('comment:unstage', {}))).toBe('FORBIDDEN');
    await host.command('comment:unstage', {});
    for (const peer of everybody) await peer.waitForRoom((s) => s.stage === null);
    expect(host.room.comments.staged[0]?.answer).toMatchObject({ department: '区住建局', text: '年内完成加装评估' });

    // The end records the counts the store held; the lock records its summary.
    await host.command('room:end', {});
    const log = (): Promise<RoomEvent[]> => server.store.read(roomId);
    const ended = (await log()).find((e) => e.type === 'room.ended');
    expect(ended?.data).toMatchObject({ comments: { received: 2, approved: 1, pending: 1, answered: 1 } });
    await sec.command('minutes:lock', {});
    const locked = (await log()).find((e) => e.type === 'minutes.locked');
    const head = await store.head(roomId);
    expect(locked?.type === 'minutes.locked' && locked.data.comments).toMatchObject({
      counts: { received: 2, approved: 1 },
      byTheme: [{ theme: '出行', count: 1 }],
      chainHead: { seq: head.seq, hash: head.hash },
    });

    // Every export of the locked version carries the section and verifies against the log.
    for (const format of ['md', 'html', 'docx'] as const) {
      const res = await fetch(`${server.url}/api/rooms/${roomId}/minutes.${format}?version=1`, { headers: { authorization: `Bearer ${hostInvite}` } });
      expect(res.status).toBe(200);
      const file = Buffer.from(await res.arrayBuffer());
      const verified = await verifyExport(file, server.store, roomId);
      expect(verified).toMatchObject({ ok: true });
      if (!verified.ok) continue;
      expect(verified.minutes.comments).toMatchObject({ countedAt: 'lock', counts: { received: 2 }, staged: [{ askedDepartment: '区住建局', answer: { text: '年内完成加装评估' } }] });
      if (format === 'docx') continue;
      const text = file.toString('utf8');
      expect(text).toContain('群众留言');
      expect(text).toContain('年内完成加装评估');
      // The commenter's markup stays text.
      expect(text.slice(0, text.lastIndexOf('minutes-record'))).not.toContain('<script>alert(1)');

      // Tampered: the counts raised in the record, its hash and visible text made to agree.
      // The lock in the log still says what the store held: the verifier says no.
      const m = verified.minutes;
      const raised = { ...m, comments: m.comments && { ...m.comments, counts: m.comments.counts && { ...m.comments.counts, received: 200 } } };
      const forgedFile = Buffer.from(format === 'md' ? minutesToMarkdown(raised) : minutesToHtml(raised));
      expect(await verifyExport(forgedFile, server.store, roomId)).toMatchObject({ ok: false });
      // And an answer dropped from a staged comment.
      const silenced = { ...m, comments: m.comments && { ...m.comments, staged: m.comments.staged.map((s) => ({ ...s, answer: null })) } };
      const silencedFile = Buffer.from(format === 'md' ? minutesToMarkdown(silenced) : minutesToHtml(silenced));
      expect(await verifyExport(silencedFile, server.store, roomId)).toMatchObject({ ok: false });
      // Or one visible character of the section changed.
      const edited = Buffer.from(text.replace('年内完成加装评估', '年内完成加装评佔'));
      expect(await verifyExport(edited, server.store, roomId)).toMatchObject({ ok: false });
    }
  });

  test('a staged comment the secretary takes back from the public (personal data) leaves every stage and the record', async () => {
    const { roomId, hostInvite } = await createRoom(server, { open: true });
    const host = await connect();
    await host.join(hostInvite, '主持人');
    const secInvite = await invite(server, roomId, 'secretary');
    const sec = await connect();
    await sec.join(secInvite, '李记录');
    const member = await connect();
    await member.join(await invite(server, roomId, 'member', 'd1'), '张委员');
    const now = Date.now();
    const c = await server.comments.submit(roomId, { name: '赵先生', place: '', text: '我的电话是 13800000000，请联系我' }, 'browser-c', now);
    await server.comments.moderate(roomId, c.id, { action: 'approve' }, now);
    await host.command('comment:stage', { commentId: c.id });
    for (const peer of [host, sec, member]) await peer.waitForRoom((s) => s.stage?.commentId === c.id);

    // Through the comment routes, as the 留言 tab does it.
    const res = await fetch(`${server.url}/api/comments/${roomId}/${c.id}/moderate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secInvite}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'reject', reason: 'personalData' }),
    });
    expect(res.status).toBe(200);
    for (const peer of [host, sec, member]) await peer.waitForRoom((s) => s.stage === null);
    const log = await server.store.read(roomId);
    expect(log.filter((e) => e.type === 'comment.withdrawn').map((e) => [e.actor, e.data])).toEqual([['system', { commentId: c.id }]]);
    // Nobody can put it back: it is no longer approved.
    expect(await refusal(host.command('comment:stage', { commentId: c.id }))).toBe('NOT_FOUND');
    await host.command('room:end', {});
    const res2 = await fetch(`${server.url}/api/rooms/${roomId}/minutes.md`, { headers: { authorization: `Bearer ${hostInvite}` } });
    const md = await res2.text();
    expect(md).toContain('该留言其后已被撤回，内容不予记录');
    expect(md.slice(0, md.indexOf('minutes-record'))).not.toContain('13800000000');
  });
});
