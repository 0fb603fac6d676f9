/**
 * The minutes from a finished meeting to the published record, against the real server: two
 * secretaries editing at once, a speaker confirming through their own invite after the end,
 * a secretary locking, the locked exports verifying against the log, publishing.
 *
 * The tests run in order and tell one story; each asserts its own step.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { contentHash } from '../server/store/recordHash.js';
import { verifyExport } from '../server/export/verify.js';
import { MINUTES_FORMAT, type Minutes } from '../signaling/record/types.js';
import { PROTOCOL_VERSION } from '../signaling/protocol.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { rawRequest, RequestError, TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;
let roomId: string;
let hostInvite: string;
let m1Invite: string;
let m1Id: string;
const peers: TestPeer[] = [];
let host: TestPeer;
let sec1: TestPeer;
let sec2: TestPeer;
let m1: TestPeer;
let m2: TestPeer;

async function peer(token: string, name?: string): Promise<TestPeer> {
  const p = await TestPeer.connect(server.url);
  peers.push(p);
  await p.join(token, name);
  return p;
}

/** The refusal code of a request that must fail. */
async function refusal(request: Promise<unknown>): Promise<string> {
  return request.then(
    () => 'accepted',
    (error: unknown) => (error instanceof RequestError ? error.code : `unexpected ${String(error)}`),
  );
}

async function download(format: string, token: string): Promise<Response> {
  return fetch(`${server.url}/api/rooms/${roomId}/minutes.${format}`, { headers: { authorization: `Bearer ${token}` } });
}

/** The record a downloaded export embeds, read back by the verifier. */
async function verified(file: Buffer): Promise<Minutes> {
  const result = await verifyExport(file, server.store, roomId);
  if (!result.ok) throw new Error(`not verified: ${result.reason}`);
  return result.minutes;
}

beforeAll(async () => {
  server = await startTestServer();
  ({ roomId, hostInvite } = await createRoom(server, { open: true }));
  host = await peer(hostInvite, '王主任');
  sec1 = await peer(await invite(server, roomId, 'secretary'), '赵秘书');
  sec2 = await peer(await invite(server, roomId, 'secretary'), '钱秘书');
  m1Invite = await invite(server, roomId, 'member', 'city');
  m1 = await peer(m1Invite, '张委员');
  m1Id = m1.joined?.participantId ?? '';
  m2 = await peer(await invite(server, roomId, 'member', 'd1'), '李委员');
  for (const speaker of [m1, m2]) {
    await speaker.command('queue:raise', { speechType: 'statement', note: '关于加装电梯的意见' });
    await host.command('floor:grant', { target: { kind: 'next' } });
    await speaker.command('floor:yield', {});
  }
});

afterAll(async () => {
  for (const p of peers) p.close();
  await server.close();
});

describe('the minutes of a finished meeting', () => {
  test('two secretaries editing different sections at once both keep their text', async () => {
    await Promise.all([
      sec1.command('minutes:edit', { section: 'speech:0', text: '张委员建议先行试点。', baseVersion: 0 }),
      sec2.command('minutes:edit', { section: 'speech:1', text: '李委员关心低层住户补偿。', baseVersion: 0 }),
    ]);
    const room = await host.waitForRoom((s) => s.minutes.sections['speech:1'] !== undefined && s.minutes.sections['speech:0'] !== undefined);
    expect(room.minutes.sections['speech:0']).toMatchObject({ text: '张委员建议先行试点。', version: 1 });
    expect(room.minutes.sections['speech:1']).toMatchObject({ text: '李委员关心低层住户补偿。', version: 1 });
  });

  test('two secretaries editing the same section at once: one gets CONFLICT, nothing is lost', async () => {
    const texts = ['会议认为方案可行。', '会议同意分期实施。'] as const;
    const results = await Promise.allSettled([
      sec1.command('minutes:edit', { section: 'conclusions', text: texts[0], baseVersion: 0 }),
      sec2.command('minutes:edit', { section: 'conclusions', text: texts[1], baseVersion: 0 }),
    ]);
    const won = results.findIndex((r) => r.status === 'fulfilled');
    const lost = results.find((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(lost?.status === 'rejected' && lost.reason instanceof RequestError ? lost.reason.code : lost).toBe('CONFLICT');
    const winner = texts[won] ?? '';
    const loser = texts[1 - won] ?? '';
    const loserPeer = won === 0 ? sec2 : sec1;
    // The winner's text stands; the loser, told of the conflict, rebases on it and keeps both.
    const seen = await loserPeer.waitForRoom((s) => s.minutes.sections['conclusions']?.version === 1);
    expect(seen.minutes.sections['conclusions']?.text).toBe(winner);
    await loserPeer.command('minutes:edit', { section: 'conclusions', text: `${winner}\n${loser}`, baseVersion: 1 });
    const room = await host.waitForRoom((s) => s.minutes.sections['conclusions']?.version === 2);
    expect(room.minutes.sections['conclusions']?.text).toBe(`${winner}\n${loser}`);
  });

  test('after the end a speaker opens their own invite again (no resume token) and confirms their passage; nothing else', async () => {
    await sec1.command('minutes:addAction', { owner: '区住建局', due: '2025-06-30', text: '拟定实施方案' });
    await host.command('room:end', {});
    const presences = (await server.rooms.state(roomId))?.participants[m1Id]?.presences;
    m1.close();
    await host.waitForRoom((s) => s.participants[m1Id]?.online === false);

    const back = await peer(m1Invite);
    expect(back.joined).toMatchObject({ participantId: m1Id, media: null });
    expect(back.room.ended).toBe(true);
    // Their own passage is there to read; nobody else's.
    expect(back.room.minutes.sections['speech:0']?.text).toBe('张委员建议先行试点。');
    expect(back.room.minutes.sections['speech:1']?.text).toBe('');

    await sec1.command('minutes:requestConfirmation', { section: 'speech:0' });
    await back.waitForRoom((s) => s.minutes.sections['speech:0']?.confirmation.status === 'pending');
    await back.command('minutes:confirm', { section: 'speech:0' });
    const room = await sec1.waitForRoom((s) => s.minutes.sections['speech:0']?.confirmation.status === 'confirmed');
    expect(room.minutes.sections['speech:0']?.text).toBe('张委员建议先行试点。');

    expect(await refusal(back.command('queue:raise', { speechType: 'statement', note: '' }))).toBe('MEETING_ENDED');
    expect(await refusal(back.command('minutes:edit', { section: 'speech:0', text: '自己改', baseVersion: 1 }))).toBe('FORBIDDEN');
    expect(await refusal(back.command('minutes:confirm', { section: 'speech:1' }))).toBe('FORBIDDEN');
    expect(await refusal(back.joinMedia())).toBe('MEETING_ENDED');
    // Coming back to confirm is not attending.
    expect((await server.rooms.state(roomId))?.participants[m1Id]?.presences).toEqual(presences);
  });

  test('the other speaker proposes a correction, the secretary accepts it', async () => {
    await sec2.command('minutes:requestConfirmation', { section: 'speech:1' });
    await m2.waitForRoom((s) => s.minutes.sections['speech:1']?.confirmation.status === 'pending');
    await m2.command('minutes:proposeCorrection', { section: 'speech:1', text: '李委员建议低层住户少分摊费用。' });
    await sec2.waitForRoom((s) => s.minutes.sections['speech:1']?.confirmation.status === 'correctionProposed');
    await sec2.command('minutes:acceptCorrection', { section: 'speech:1' });
    const room = await host.waitForRoom((s) => s.minutes.sections['speech:1']?.version === 2);
    expect(room.minutes.sections['speech:1']).toEqual({ text: '李委员建议低层住户少分摊费用。', version: 2, confirmation: { status: 'confirmed' } });
  });

  test('after the end an unused member invite may submit a written statement without counting as present; the public link makes no participant', async () => {
    const absent = await peer(await invite(server, roomId, 'member', 'd2'), '周委员');
    await absent.command('minutes:submitStatement', { text: '因故缺席,提交书面发言:支持加装。' });
    const state = await server.rooms.state(roomId);
    const me = state?.participants[absent.joined?.participantId ?? ''];
    expect(me).toMatchObject({ status: 'left', presences: [] });
    expect(state?.minutes.statements.map((s) => s.text)).toEqual(['因故缺席,提交书面发言:支持加装。']);

    const stranger = await TestPeer.connect(server.url);
    peers.push(stranger);
    expect(await refusal(stranger.join(await invite(server, roomId, 'public'), '路人'))).toBe('AUDIENCE_ONLY');
  });

  test('a secretary joining after the end locks the minutes; editing the locked version is refused', async () => {
    const late = await peer(await invite(server, roomId, 'secretary'), '孙秘书');
    const before = await server.rooms.state(roomId);
    await late.command('minutes:lock', {});
    const state = await server.rooms.state(roomId);
    expect(state?.minutes.lockedVersions[0]).toMatchObject({ version: 1, chainSeq: before?.seq, chainHash: before?.hash, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await refusal(sec1.command('minutes:edit', { section: 'conclusions', text: '锁定后再改', baseVersion: 2 }))).toBe('INVALID_STATE');
    expect(await refusal(sec1.command('minutes:addAction', { owner: '某局', due: null, text: '锁定后补充' }))).toBe('INVALID_STATE');
  });

  test('the locked version downloads in each format, verifies against the log, and fails with one character changed', async () => {
    const lock = (await server.rooms.state(roomId))?.minutes.lockedVersions[0];
    for (const format of ['md', 'html', 'docx']) {
      const res = await download(format, hostInvite);
      expect(res.status).toBe(200);
      const file = Buffer.from(await res.arrayBuffer());
      const record = await verified(file);
      expect(record).toMatchObject({ format: MINUTES_FORMAT, version: 1, lockedAt: lock?.lockedAt, seq: lock?.chainSeq, chainHead: lock?.chainHash });
      expect(contentHash(record)).toBe(lock?.contentHash);
      expect(record.speeches.map((s) => [s.text, s.status])).toEqual([
        ['张委员建议先行试点。', 'confirmed'],
        ['李委员建议低层住户少分摊费用。', 'confirmed'],
      ]);
      expect(record.actions).toEqual([{ owner: '区住建局', due: '2025-06-30', text: '拟定实施方案' }]);
      if (format !== 'docx') expect(file.toString('utf8')).toContain(`内容 SHA-256：${lock?.contentHash ?? '?'}`);
    }
    const md = await (await download('md', hostInvite)).text();
    const edited = Buffer.from(md.replace('张委员建议先行试点', '张委员建议先行试验'));
    expect(edited.toString('utf8')).not.toBe(md);
    expect(await verifyExport(edited, server.store, roomId)).toMatchObject({ ok: false, reason: expect.stringMatching(/text differs/) });
  });

  test('before publishing a member gets 403; the host publishes; then a member’s and a public invite get the locked version', async () => {
    const memberInvite = await invite(server, roomId, 'member', 'city');
    const refused = await download('docx', memberInvite);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'FORBIDDEN', detail: expect.stringContaining('not published') });
    expect(await refusal(sec1.command('minutes:publish', { published: true }))).toBe('FORBIDDEN');

    await host.command('minutes:publish', { published: true });
    for (const token of [memberInvite, await invite(server, roomId, 'public')]) {
      const res = await download('docx', token);
      expect(res.status).toBe(200);
      expect(await verified(Buffer.from(await res.arrayBuffer()))).toMatchObject({ version: 1, lockedAt: expect.any(Number) });
    }
    // A new draft stays with the staff: others still get the locked version.
    await sec1.command('minutes:unlockNewVersion', {});
    await sec1.command('minutes:edit', { section: 'conclusions', text: '第二版草稿', baseVersion: 2 });
    const published = await verified(Buffer.from(await (await download('md', memberInvite)).arrayBuffer()));
    expect(published).toMatchObject({ version: 1, lockedAt: expect.any(Number) });
    expect(published.conclusions).not.toContain('第二版草稿');
    expect((await download('md', memberInvite + 'x')).status).toBe(401);
    expect((await fetch(`${server.url}/api/rooms/${roomId}/minutes.md?version=2`, { headers: { authorization: `Bearer ${memberInvite}` } })).status).toBe(403);
    const draft = await verified(Buffer.from(await (await download('md', hostInvite)).arrayBuffer()));
    expect(draft).toMatchObject({ version: 2, lockedAt: null, conclusions: '第二版草稿' });
  });

  test('a raw join after the end with a stale protocol or a forged invite still gets its own refusal', async () => {
    const socket = (await TestPeer.connect(server.url)).socket;
    try {
      const stale = await rawRequest(socket, 'room:join', { protocolVersion: PROTOCOL_VERSION + 1, invite: m1Invite, rtpCapabilities: { codecs: [] } });
      expect(stale).toMatchObject({ ok: false, error: 'UNSUPPORTED_PROTOCOL' });
      const forged = await rawRequest(socket, 'room:join', { protocolVersion: PROTOCOL_VERSION, invite: `${m1Invite}x`, rtpCapabilities: { codecs: [] } });
      expect(forged).toMatchObject({ ok: false, error: 'UNAUTHORIZED' });
    } finally {
      socket.disconnect();
    }
  });
});
