/**
 * The server process is killed (SIGKILL: no goodbye, nothing flushed on purpose) mid-meeting
 * and started again on the same data: the meeting is intact, clients resume as the same
 * participants, and those who do not come back are given their grace period.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startServerProcess, type ServerProcess } from './helpers/processServer.js';
import { createRoom, invite } from './helpers/rooms.js';
import { TestPeer } from './helpers/TestPeer.js';

const running: ServerProcess[] = [];
const peers: TestPeer[] = [];

afterAll(async () => {
  for (const p of peers) p.close();
  for (const s of running) await s.stop('SIGKILL');
});

test('kill -9 the server mid-meeting: the queue, floor and poll survive and clients resume', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wsl-kill-'));
  const first = await startServerProcess({ dataDir });
  running.push(first);
  const { roomId, hostInvite } = await createRoom(first, { open: true });
  const host = await TestPeer.connect(first.url);
  const m = await TestPeer.connect(first.url);
  peers.push(host, m);
  await host.join(hostInvite, '主持人');
  const memberInvite = await invite(first, roomId, 'member', 'd1');
  const joined = await m.join(memberInvite, '周委员');
  await m.command('queue:raise', { speechType: 'question', note: '预算多少？' });
  await host.command('poll:create', { question: '同意吗？', kind: 'yesno' });
  await host.command('poll:open', { pollId: 'poll-1' });
  await m.command('poll:vote', { pollId: 'poll-1', choices: [0] });
  await host.command('floor:grant', { target: { kind: 'next' }, seconds: 600 });
  // Two hands behind the speaker, so that a place in the queue means something: `queued` is
  // second, behind `ahead`.
  const ahead = await TestPeer.connect(first.url);
  const queued = await TestPeer.connect(first.url);
  peers.push(ahead, queued);
  const aheadId = (await ahead.join(await invite(first, roomId, 'member', 'city'), '吴委员')).participantId;
  const queuedInvite = await invite(first, roomId, 'member', 'd2');
  const queuedJoined = await queued.join(queuedInvite, '郑委员');
  await ahead.command('queue:raise', { speechType: 'statement', note: '先说' });
  await queued.command('queue:raise', { speechType: 'statement', note: '后说' });
  await m.waitForRoom((s) => s.floor !== null && s.queue.entries.length === 2);
  await queued.waitForRoom((s) => s.queue.entries.length === 2);
  const placeBefore = queued.room.queue.entries.map((q) => q.participantId);
  expect(placeBefore).toEqual([aheadId, queuedJoined.participantId]);
  const queuedSeqBefore = queued.room.seq;
  const seqBefore = m.room.seq;

  const disconnected = new Promise((resolve) => m.socket.once('disconnect', resolve));
  await first.stop('SIGKILL');
  await disconnected;

  const second = await startServerProcess({ dataDir, port: first.port, adminSecret: first.adminSecret });
  running.push(second);
  const back = await TestPeer.connect(second.url);
  peers.push(back);
  back.room = m.room;
  const rejoined = await back.join(memberInvite, '周委员', { resumeToken: joined.resumeToken, lastSeq: seqBefore });
  expect(rejoined.participantId).toBe(joined.participantId);
  expect(rejoined.room.kind).toBe('events');
  expect(back.gaps).toEqual([]);
  expect(back.room.floor).toMatchObject({ holder: { participantId: joined.participantId }, note: '预算多少？' });
  expect(back.room.polls['poll-1']).toMatchObject({ status: 'open', voted: [joined.participantId] });
  expect(back.room.participants[joined.participantId]).toMatchObject({ online: true, status: 'admitted' });
  expect(back.room.queue.entries.map((q) => q.participantId)).toEqual(placeBefore);
  // The host has not come back yet: recorded as disconnected, still admitted (grace period).
  const hostId = Object.values(back.room.participants).find((p) => p.role === 'host')?.id ?? '';
  expect(back.room.participants[hostId]).toMatchObject({ online: false, status: 'admitted' });
  // A queued member resumes at the same place: second, behind one who has not come back (grace period).
  const queuedBack = await TestPeer.connect(second.url);
  peers.push(queuedBack);
  queuedBack.room = queued.room;
  const requeued = await queuedBack.join(queuedInvite, undefined, { resumeToken: queuedJoined.resumeToken, lastSeq: queuedSeqBefore });
  expect(requeued.participantId).toBe(queuedJoined.participantId);
  expect(queuedBack.gaps).toEqual([]);
  expect(queuedBack.room.queue.entries.findIndex((q) => q.participantId === queuedJoined.participantId)).toBe(
    placeBefore.indexOf(queuedJoined.participantId),
  );
  expect(queuedBack.room.queue.entries.map((q) => q.participantId)).toEqual(placeBefore);
  expect(queuedBack.room.participants[aheadId]).toMatchObject({ online: false, status: 'admitted' });
  // The resumed speaker still holds the floor and may speak.
  await back.command('floor:yield', {});
  await back.waitForRoom((s) => s.floor === null);
});
