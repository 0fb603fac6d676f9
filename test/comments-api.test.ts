/**
 * Public comments over HTTP against the real server, as a hostile client would use them: tokens
 * forged, absent or of another room, roles reaching above themselves, cookies forged, repeats,
 * floods, bodies too large or malformed, and text meant to be run rather than read.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  CommentExportSchema,
  ModeratedCommentSchema,
  ModerationPageSchema,
  PublicCommentsPageSchema,
  SubmittedCommentSchema,
  UpvotedSchema,
} from '../signaling/comments/api.js';
import type { CommentsChanged } from '../signaling/audience.js';
import type { CommentSettings } from '../signaling/comments/model.js';
import { ADMIN_ROUTES, IssuedInvites } from '../signaling/http/admin.js';
import { ApiErrorBody } from '../signaling/http/errors.js';
import type { Role } from '../signaling/room/state.js';
import type { RunningServer } from '../server/app.js';
import { verifyCommentExport } from '../server/comments/chain.js';
import { eventually } from './helpers/cluster.js';
import { CommentsBrowser, putCommentSettings } from './helpers/commentsBrowser.js';
import { postJson } from './helpers/http.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';
import { TestViewer } from './helpers/TestViewer.js';

let server: RunningServer;
const HOUR = 3_600_000;

/** A phone's browser against this file's server. */
const browser = (token: string | undefined): CommentsBrowser => new CommentsBrowser(server.url, token);

const settings = (roomId: string, s: CommentSettings): Promise<void> => putCommentSettings(server, roomId, s);

const OPEN = (): CommentSettings => ({
  opensAt: Date.now() - HOUR,
  closesAt: Date.now() + HOUR,
  background: '背景材料',
  themes: ['资金', '噪音'],
  heldWords: ['加微信'],
});

type Room = { roomId: string; tokens: Record<Role, string> };
let room: Room;
let otherRoom: Room;

async function makeRoom(): Promise<Room> {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const tokens: Record<Role, string> = {
    host: hostInvite,
    secretary: await invite(server, roomId, 'secretary', 'city', '秘书'),
    member: await invite(server, roomId, 'member', 'city', '王委员'),
    venue: await invite(server, roomId, 'venue', 'd1'),
    observer: await invite(server, roomId, 'observer', 'city', '列席'),
    department: await invite(server, roomId, 'department', 'city', '住建局'),
    public: await invite(server, roomId, 'public', 'city'),
  };
  await settings(roomId, OPEN());
  return { roomId, tokens };
}

const as = (role: Role, r: Room = room): CommentsBrowser => browser(r.tokens[role]);

async function submitted(b: CommentsBrowser, text: string, r: Room = room) {
  const res = await b.call('POST', `/comments/${r.roomId}`, { body: { name: '市民', place: '东城', text } });
  expect(res.status, res.text).toBe(201);
  return res.parse(SubmittedCommentSchema).comment;
}

async function approvedComment(text: string, r: Room = room) {
  const c = await submitted(as('public', r), text, r);
  const res = await as('secretary', r).call('POST', `/comments/${r.roomId}/${c.id}/moderate`, { body: { action: 'approve' } });
  expect(res.status, res.text).toBe(200);
  return c;
}

beforeAll(async () => {
  server = await startTestServer();
  room = await makeRoom();
  otherRoom = await makeRoom();
});

afterAll(async () => {
  await server?.close();
});

describe('public comments API', () => {
  test('who may call which route: the specification, role by role', async () => {
    // Written from the rules of issue 13, not read from the code: every invite of the room may
    // read the page, comment, upvote and download the approved comments; only the host and the
    // secretary moderate and download everything; only a department answers.
    const ALL: readonly Role[] = ['host', 'secretary', 'member', 'venue', 'observer', 'department', 'public'];
    const SPEC: Record<string, readonly Role[]> = {
      page: ALL,
      submit: ALL,
      upvote: ALL,
      approvedCsv: ALL,
      moderation: ['host', 'secretary'],
      moderate: ['host', 'secretary'],
      exportCsv: ['host', 'secretary'],
      exportJson: ['host', 'secretary'],
      answer: ['department'],
    };
    const target = await approvedComment('权限表用的留言');
    const r = room.roomId;
    const calls: Record<string, (b: CommentsBrowser) => ReturnType<CommentsBrowser['call']>> = {
      page: (b) => b.call('GET', `/comments/${r}`),
      submit: (b) => b.call('POST', `/comments/${r}`, { body: { name: '某人', text: '权限测试' } }),
      upvote: (b) => b.call('POST', `/comments/${r}/${target.id}/upvote`),
      approvedCsv: (b) => b.call('GET', `/comments/${r}/approved.csv`),
      moderation: (b) => b.call('GET', `/comments/${r}/moderation`),
      moderate: (b) => b.call('POST', `/comments/${r}/${target.id}/moderate`, { body: { action: 'tag', themes: ['资金'] } }),
      exportCsv: (b) => b.call('GET', `/comments/${r}/export.csv`),
      exportJson: (b) => b.call('GET', `/comments/${r}/export.json`),
      answer: (b) => b.call('POST', `/comments/${r}/${target.id}/answer`, { body: { text: '我们会研究' } }),
    };
    for (const [route, allowed] of Object.entries(SPEC)) {
      for (const role of ALL) {
        const res = await calls[route]!(as(role));
        const ok = res.status >= 200 && res.status < 300;
        expect({ route, role, ok }, `${route} as ${role}: ${res.status} ${res.text.slice(0, 200)}`).toEqual({ route, role, ok: allowed.includes(role) });
        if (!ok) expect(res.status).toBe(403);
      }
      // No invite, a forged one, or one of another room: never.
      for (const stranger of [browser(undefined), browser('eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoieCJ9.forged'), as('host', otherRoom)]) {
        const res = await calls[route]!(stranger);
        expect(res.status, `${route} by a stranger`).toBe(401);
        expect(res.json).toMatchObject({ error: 'UNAUTHORIZED' });
      }
    }
    // The settings belong to the organiser (admin secret), not to any invite, the host's included.
    for (const role of ['host', 'secretary'] as const) {
      expect((await as(role).call('PUT', `/admin/rooms/${r}/comments`, { body: OPEN() })).status).toBe(401);
      expect((await as(role).call('GET', `/admin/rooms/${r}/comments`)).status).toBe(401);
    }
  });

  test('an invite revoked after it was used is refused at once, on every route', async () => {
    const { invites } = await postJson(`${server.url}${ADMIN_ROUTES.invites.path({ roomId: room.roomId })}`, { role: 'public', venue: 'city' }, IssuedInvites, {
      bearer: server.adminSecret,
    });
    expect(invites).toHaveLength(1);
    const issued = invites[0]!;
    const b = browser(issued.token);
    expect((await b.call('GET', `/comments/${room.roomId}`)).status).toBe(200);
    const revoke = await fetch(`${server.url}/api/rooms/${room.roomId}/invites/${issued.inviteId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminSecret}` },
    });
    expect(revoke.status).toBe(200);
    const after = await b.call('GET', `/comments/${room.roomId}`);
    expect(after.status).toBe(410);
    expect(after.json).toMatchObject({ error: 'INVITE_REVOKED' });
    expect((await b.call('POST', `/comments/${room.roomId}`, { body: { name: '被撤销', text: '还能发吗' } })).status).toBe(410);
  });

  test('nothing reaches the public before approval, except a commenter\'s own comment for themselves', async () => {
    const writer = as('public');
    const reader = as('public');
    const mine = await submitted(writer, '我的留言，还在审核');
    expect(mine.status).toBe('pending');
    const own = (await writer.call('GET', `/comments/${room.roomId}?sort=new`)).parse(PublicCommentsPageSchema);
    expect(own.mine.map((c) => c.id)).toEqual([mine.id]);
    expect(own.comments.map((c) => c.id)).not.toContain(mine.id);
    const other = (await reader.call('GET', `/comments/${room.roomId}?sort=new`)).parse(PublicCommentsPageSchema);
    expect(other.mine).toEqual([]);
    expect(JSON.stringify(other)).not.toContain(mine.id);
    // Upvoting a pending comment (of which the public knows nothing) finds nothing.
    expect((await reader.call('POST', `/comments/${room.roomId}/${mine.id}/upvote`)).status).toBe(404);
    // The staff see it, and a word of the organiser's list marks a comment held for review.
    const held = await submitted(writer, '便宜装电梯 加微信 123');
    const page = (await as('host').call('GET', `/comments/${room.roomId}/moderation?status=pending`)).parse(ModerationPageSchema);
    expect(page.comments.find((c) => c.id === held.id)?.heldFor).toEqual(['加微信']);
    expect(page.comments.every((c) => c.status === 'pending')).toBe(true);
    expect(page.settings.heldWords).toEqual(['加微信']);
    // The public page carries no held words, status filter junk is refused.
    expect(JSON.stringify(own.settings)).not.toContain('加微信');
    expect((await as('host').call('GET', `/comments/${room.roomId}/moderation?status=everything`)).status).toBe(400);
    expect((await writer.call('GET', `/comments/${room.roomId}?sort=worst`)).status).toBe(400);
  });

  test('an upvote counts once per browser however often it is sent, and a forged cookie is a new browser', async () => {
    const c = await approvedComment('支持加装电梯');
    const b = as('public');
    const results = await Promise.all(Array.from({ length: 10 }, () => b.call('POST', `/comments/${room.roomId}/${c.id}/upvote`, { cookie: b.cookie })));
    // The first request had no cookie yet: each of those got a browser of its own. Now one browser repeats.
    expect(results.every((r) => r.status === 200)).toBe(true);
    const before = (await b.call('POST', `/comments/${room.roomId}/${c.id}/upvote`)).parse(UpvotedSchema);
    for (let i = 0; i < 5; i++) {
      const again = (await b.call('POST', `/comments/${room.roomId}/${c.id}/upvote`)).parse(UpvotedSchema);
      expect(again).toEqual(before);
    }
    const page = (await b.call('GET', `/comments/${room.roomId}`)).parse(PublicCommentsPageSchema);
    expect(page.upvoted).toContain(c.id);
    // A forged cookie (a well-formed id with a made-up signature) is not that browser.
    const [id] = (b.cookie ?? '').replace('wsl_browser=', '').split('.');
    const forger = as('public');
    const forged = `wsl_browser=${id ?? ''}.${'A'.repeat(43)}`;
    const res = await forger.call('POST', `/comments/${room.roomId}/${c.id}/upvote`, { cookie: forged });
    expect(res.setCookie).toMatch(/^wsl_browser=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; Path=\/api\/comments; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    expect(res.setCookie).not.toContain(id);
    expect(res.parse(UpvotedSchema).upvotes).toBe(before.upvotes + 1);
    // Nothing answered carries a browser id.
    expect(res.text).not.toContain(id);
    expect(JSON.stringify(page)).not.toContain(id);
  });

  test('bodies: too large, not JSON, unknown fields, empty or too long fields', async () => {
    const b = as('public');
    const path = `/comments/${room.roomId}`;
    const big = await b.call('POST', path, { raw: JSON.stringify({ name: '大', text: 'x'.repeat(40_000) }) });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ error: 'BAD_REQUEST', detail: 'the body is too large' });
    const bad = await b.call('POST', path, { raw: '{"name": "坏", "text": ' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'BAD_REQUEST', detail: 'the body is not valid JSON' });
    expect((await b.call('POST', path, { body: { name: '', text: '没有名字' } })).status).toBe(400);
    expect((await b.call('POST', path, { body: { name: '名字', text: '长'.repeat(1001) } })).status).toBe(400);
    expect((await b.call('POST', path, { body: ['not', 'an', 'object'] })).status).toBe(400);
    // Fields a client has no say over are ignored: the comment is pending with no upvotes.
    const sneaky = await b.call('POST', path, { body: { name: '狡猾', text: '直接通过', status: 'approved', upvotes: 999, id: 'mine', themes: ['资金'] } });
    expect(sneaky.status).toBe(201);
    expect(sneaky.parse(SubmittedCommentSchema).comment).toMatchObject({ status: 'pending', upvotes: 0, themes: [] });
    expect(sneaky.parse(SubmittedCommentSchema).comment.id).not.toBe('mine');
    const host = as('host');
    const id = sneaky.parse(SubmittedCommentSchema).comment.id;
    expect((await host.call('POST', `/comments/${room.roomId}/${id}/moderate`, { body: { action: 'delete' } })).status).toBe(400);
    expect((await host.call('POST', `/comments/${room.roomId}/${id}/moderate`, { body: { action: 'reject', reason: 'ugly' } })).status).toBe(400);
    expect((await host.call('POST', `/comments/${room.roomId}/${id}/moderate`, { body: { action: 'tag', themes: ['不在列表'] } })).status).toBe(400);
    expect((await host.call('POST', `/comments/${room.roomId}/no-such/moderate`, { body: { action: 'approve' } })).status).toBe(404);
    expect((await host.call('POST', `/comments/${room.roomId}/${'x'.repeat(65)}/moderate`, { body: { action: 'approve' } })).status).toBe(400);
    const admin = await fetch(`${server.url}/api/admin/rooms/${room.roomId}/comments`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.adminSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...OPEN(), closesAt: 5, opensAt: 10 }),
    });
    expect(admin.status).toBe(400);
  });

  test('moderation and answers: reject with a reason, merge duplicates, a department answers approved comments under its name', async () => {
    const host = as('host');
    const r = room.roomId;
    const a = await approvedComment('停车位不够');
    const dup = await approvedComment('停车位太少了');
    const voter = as('public');
    await voter.call('POST', `/comments/${r}/${dup.id}/upvote`);
    const merged = await host.call('POST', `/comments/${r}/${dup.id}/moderate`, { body: { action: 'merge', into: a.id } });
    expect(merged.parse(ModeratedCommentSchema).comment).toMatchObject({ status: 'merged', mergedInto: a.id });
    // The duplicate's upvote counts for its target, and upvoting the duplicate again changes nothing.
    expect((await voter.call('POST', `/comments/${r}/${dup.id}/upvote`)).json).toEqual({ commentId: a.id, upvotes: 1 });
    const rude = await submitted(as('public'), '骂人的话');
    const rejected = await host.call('POST', `/comments/${r}/${rude.id}/moderate`, { body: { action: 'reject', reason: 'abusive' } });
    expect(rejected.parse(ModeratedCommentSchema).comment).toMatchObject({ status: 'rejected', rejectReason: 'abusive' });
    const dept = as('department');
    expect((await dept.call('POST', `/comments/${r}/${rude.id}/answer`, { body: { text: '答复' } })).status).toBe(409);
    const answered = await dept.call('POST', `/comments/${r}/${a.id}/answer`, { body: { text: '将新建立体车库' } });
    expect(answered.parse(ModeratedCommentSchema).comment.answer).toMatchObject({ department: '住建局', text: '将新建立体车库' });
    const page = (await voter.call('GET', `/comments/${r}`)).parse(PublicCommentsPageSchema);
    expect(page.comments.find((c) => c.id === a.id)?.answer?.department).toBe('住建局');
    expect(page.comments.map((c) => c.id)).not.toContain(dup.id);
    expect(page.comments.map((c) => c.id)).not.toContain(rude.id);
    // The whole record verifies from the staff's export.
    const exported = (await host.call('GET', `/comments/${r}/export.json`)).parse(CommentExportSchema);
    expect(verifyCommentExport(exported)).toBeNull();
    expect(JSON.stringify(exported)).not.toContain(voter.cookie?.split('=')[1]?.split('.')[0] ?? 'none');
  });

  test('hostile text stays text: in JSON as typed, in CSV quoted and never a formula', async () => {
    const r = room.roomId;
    const writer = as('public');
    const hostile = {
      name: '<script>alert(1)</script>',
      place: "'; DROP TABLE comments; --",
      text: '=HYPERLINK("http://evil.example","点我"),第二行\n+1\n',
    };
    const res = await writer.call('POST', `/comments/${r}`, { body: hostile });
    const c = res.parse(SubmittedCommentSchema).comment;
    expect(c).toMatchObject({ name: hostile.name, place: hostile.place, text: hostile.text.trim() });
    await as('host').call('POST', `/comments/${r}/${c.id}/moderate`, { body: { action: 'approve' } });
    const minus = await approvedComment('-2+3');
    const at = await approvedComment('@SUM(A1:A9)');

    const pub = await writer.call('GET', `/comments/${r}/approved.csv`);
    expect(pub.status).toBe(200);
    expect(pub.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(pub.text.charCodeAt(0)).toBe(0xfeff);
    const disposition = pub.headers.get('content-disposition') ?? '';
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toMatch(/^老旧小区加装电梯协商-\d{4}年\d{1,2}月\d{1,2}日-群众留言\.csv$/);
    expect(pub.text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我""),第二行\n+1"`);
    expect(pub.text).toContain(`<script>alert(1)</script>`);
    expect(pub.text).toContain(`,'; DROP TABLE comments; --,`);
    expect(pub.text).toContain(`'-2+3`);
    expect(pub.text).toContain(`'@SUM(A1:A9)`);
    expect(pub.text).not.toContain('状态');
    expect(pub.text.split('\r\n')[0]).not.toContain('Status');
    // No cell of a line starts a formula (every line after the header, every field).
    for (const line of pub.text.slice(1).split('\r\n').slice(1)) expect(line).not.toMatch(/(^|,)[=+\-@]/);

    const staff = await as('secretary').call('GET', `/comments/${r}/export.csv`);
    expect(staff.text.charCodeAt(0)).toBe(0xfeff);
    expect(staff.text.split('\r\n')[0]).toContain('状态 Status');
    expect(staff.text).toContain('待审核');
    expect(staff.text).toContain('已合并');
    expect(decodeURIComponent((staff.headers.get('content-disposition') ?? '').split("UTF-8''")[1] ?? '')).toMatch(/群众留言-全部\.csv$/);
    expect(minus.id).not.toBe(at.id);
  });

  test('comments are taken only inside the organiser\'s window, and the refusal says when', async () => {
    const later = await makeRoom();
    const opensAt = Date.now() + 2 * HOUR;
    await settings(later.roomId, { ...OPEN(), opensAt, closesAt: opensAt + HOUR });
    const res = await as('public', later).call('POST', `/comments/${later.roomId}`, { body: { name: '早到', text: '还没开始' } });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: 'INVALID_STATE', detail: `comments open at ${new Date(opensAt).toISOString()}` });
    const page = (await as('public', later).call('GET', `/comments/${later.roomId}`)).parse(PublicCommentsPageSchema);
    expect(page).toMatchObject({ open: false, settings: { opensAt } });

    const c = await approvedComment('关闭前的留言', later).catch(() => undefined);
    expect(c).toBeUndefined();
    const closedAt = Date.now() - 1000;
    await settings(later.roomId, { ...OPEN(), opensAt: closedAt - HOUR, closesAt: closedAt });
    const closed = await as('member', later).call('POST', `/comments/${later.roomId}`, { body: { name: '迟到', text: '已经结束' } });
    expect(closed.status).toBe(409);
    expect(closed.json).toMatchObject({ error: 'INVALID_STATE', detail: `comments closed at ${new Date(closedAt).toISOString()}` });
    await settings(later.roomId, { ...OPEN(), opensAt: null, closesAt: null });
    expect((await as('member', later).call('POST', `/comments/${later.roomId}`, { body: { name: '无', text: '未开放' } })).status).toBe(409);
  });

  test('live news of comments goes to the meeting pages that show them: the staff and departments, not members, venues or observers', async () => {
    // Written from the product, not read from the code: the chair and the secretary moderate and
    // put comments on the stage, a department answers them; the others' meeting pages show none.
    const FOLLOWS: Record<Exclude<Role, 'public'>, boolean> = { host: true, secretary: true, department: true, member: false, venue: false, observer: false };
    const peers: Array<{ role: Exclude<Role, 'public'>; peer: TestPeer; heard: string[] }> = [];
    try {
      for (const role of Object.keys(FOLLOWS) as Array<Exclude<Role, 'public'>>) {
        const peer = await TestPeer.connect(server.url);
        const heard: string[] = [];
        peer.socket.on('comments:changed', ({ roomId, comments }) => {
          if (roomId === room.roomId) heard.push(...comments.map((c) => c.id));
        });
        peers.push({ role, peer, heard });
        await peer.join(room.tokens[role], role);
      }
      const c = await approvedComment('会上谁能实时看到这条？');
      for (const { role, heard } of peers.filter((p) => FOLLOWS[p.role])) await eventually(() => heard.includes(c.id), `the ${role} heard the approval`);
      // One message to each socket that gets it, in one go; a later answer on the same socket comes after it.
      for (const { role, peer, heard } of peers.filter((p) => !FOLLOWS[p.role])) {
        await peer.request('room:sync', {});
        expect(heard, `the ${role} heard nothing`).toEqual([]);
      }
    } finally {
      for (const { peer } of peers) peer.close();
    }
  });

  test('the live news moves with the chair: the member who takes it hears them, the former chair (now 列席) no longer', async () => {
    const r = await makeRoom();
    const host = await TestPeer.connect(server.url);
    const member = await TestPeer.connect(server.url);
    try {
      await host.join(r.tokens.host, '主持人');
      const { participantId: memberId } = await member.join(r.tokens.member, '王委员');
      const heardBy = { host: [] as string[], member: [] as string[] };
      for (const [who, peer] of [['host', host], ['member', member]] as const) {
        peer.socket.on('comments:changed', ({ comments }) => heardBy[who].push(...comments.map((c) => c.id)));
      }
      await host.command('room:handOver', { participantId: memberId });
      await member.waitForRoom((s) => s.participants[memberId]?.role === 'host');
      const c = await approvedComment('新主持人能看到吗？', r);
      await eventually(() => heardBy.member.includes(c.id), 'the new chair heard the approval');
      await host.request('room:sync', {});
      expect(heardBy.host).toEqual([]);
    } finally {
      host.close();
      member.close();
    }
  });

  test('a public viewer hears the live news only while its page shows the comments (audience:comments), not while it watches', async () => {
    const r = await makeRoom();
    const host = await TestPeer.connect(server.url);
    const watching = await TestViewer.connect(server.url);
    const reading = await TestViewer.connect(server.url);
    const member = await TestPeer.connect(server.url);
    const stranger = await TestViewer.connect(server.url);
    try {
      await host.join(r.tokens.host, '主持人');
      await member.join(r.tokens.member, '王委员');
      await watching.join(r.tokens.public);
      await reading.join(r.tokens.public);
      const heardBy = (who: TestViewer): string[] => who.eventsNamed('comments:changed').flatMap((e) => (e as CommentsChanged).comments.map((c) => c.id));
      const hostHeard: string[] = [];
      const memberHeard: string[] = [];
      host.socket.on('comments:changed', ({ comments }) => hostHeard.push(...comments.map((c) => c.id)));
      member.socket.on('comments:changed', ({ comments }) => memberHeard.push(...comments.map((c) => c.id)));
      // The host hears every approval; a viewer's request answered after it comes after any news sent to that viewer.
      const approvedAndHeard = async (text: string) => {
        const c = await approvedComment(text, r);
        await eventually(() => hostHeard.includes(c.id), 'the host heard the approval');
        return c;
      };
      // Asked twice (a client that repeats itself): still one viewer that follows, sent each news once.
      expect(await reading.request('audience:comments', { follow: true })).toEqual({ ok: true, data: null });
      expect(await reading.request('audience:comments', { follow: true })).toEqual({ ok: true, data: null });
      const first = await approvedAndHeard('读留言的观众能实时看到');
      await eventually(() => heardBy(reading).includes(first.id), 'the viewer reading the comments heard the approval');
      await watching.request('audience:comments', { follow: false });
      expect(heardBy(watching), 'the viewer watching 直播 heard nothing').toEqual([]);

      expect(await reading.request('audience:comments', { follow: false })).toEqual({ ok: true, data: null });
      const second = await approvedAndHeard('切回直播以后');
      await reading.request('audience:comments', { follow: false });
      expect(heardBy(reading), 'heard once; back on 直播 after one stop, the viewer no longer hears').toEqual([first.id]);

      // Not a viewer: nothing to follow. A member's page follows by its role alone (it does not).
      expect(await stranger.request('audience:comments', { follow: true })).toMatchObject({ ok: false, error: 'NOT_JOINED' });
      expect(await member.request('audience:comments', { follow: true }).catch((e: unknown) => e)).toMatchObject({ code: 'NOT_JOINED' });
      const third = await approvedAndHeard('会员不能借此收听');
      await member.request('room:sync', {});
      expect(memberHeard).toEqual([]);
      expect(await reading.request('audience:comments', { follow: 'yes' })).toMatchObject({ ok: false, error: 'BAD_REQUEST' });
      expect([second.id, third.id].filter((id) => heardBy(reading).includes(id) || heardBy(watching).includes(id))).toEqual([]);
    } finally {
      for (const c of [host, watching, reading, member, stranger]) c.close();
    }
  });

  test('live: staff hear of pending comments, the meeting of approvals, and a burst of upvotes comes as a few messages', async () => {
    const host = await TestPeer.connect(server.url);
    try {
      await host.join(room.tokens.host, '主持人');
      const pending: number[] = [];
      const changed: Array<Array<{ id: string; upvotes: number; status: string }>> = [];
      host.socket.on('comments:pending', ({ roomId, pending: n }) => {
        if (roomId === room.roomId) pending.push(n);
      });
      host.socket.on('comments:changed', ({ roomId, comments }) => {
        if (roomId === room.roomId) changed.push(comments);
      });
      const before = (await as('host').call('GET', `/comments/${room.roomId}/moderation`)).parse(ModerationPageSchema).counts.pending;
      const c = await submitted(as('public'), '会上能看到吗？');
      await eventually(() => pending.includes(before + 1), 'the staff told of the new pending comment');
      // A pending comment is never announced to the meeting.
      expect(changed.flat().map((x) => x.id)).not.toContain(c.id);
      await as('host').call('POST', `/comments/${room.roomId}/${c.id}/moderate`, { body: { action: 'approve' } });
      await eventually(() => changed.flat().some((x) => x.id === c.id && x.status === 'approved'), 'the meeting told of the approval');
      await eventually(() => pending.includes(before), 'the staff told the queue is back');
      const sentBefore = changed.length;
      const BURST = 30;
      await Promise.all(Array.from({ length: BURST }, () => as('public').call('POST', `/comments/${room.roomId}/${c.id}/upvote`)));
      await eventually(() => changed.flat().some((x) => x.id === c.id && x.upvotes === BURST), 'the latest upvote count');
      // Coalesced: a message carries the latest count, and there are far fewer messages than upvotes.
      expect(changed.length - sentBefore).toBeLessThanOrEqual(BURST / 3);
      expect(changed.flat().every((x) => !('heldFor' in x) && !('rejectReason' in x))).toBe(true);
    } finally {
      host.close();
    }
  });

  test('floods are refused with RATE_LIMITED and when to try again, and the server goes on serving', async () => {
    const r = room.roomId;
    const b = as('public');
    const statuses: number[] = [];
    let refusal: Awaited<ReturnType<CommentsBrowser['call']>> | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await b.call('POST', `/comments/${r}`, { body: { name: '刷屏', text: `第 ${i} 条` } });
      statuses.push(res.status);
      if (res.status === 429) refusal = res;
    }
    // Five a browser per ten minutes (the default), then refused.
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    expect(refusal?.json).toMatchObject({ error: 'RATE_LIMITED' });
    const { retryAfterMs } = refusal!.parse(ApiErrorBody.required({ retryAfterMs: true }));
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(Number(refusal?.headers.get('retry-after'))).toBe(Math.ceil(retryAfterMs / 1000));

    const c = await approvedComment('被狂点的留言');
    const clicker = as('public');
    const upvotes: number[] = [];
    for (let i = 0; i < 65; i++) upvotes.push((await clicker.call('POST', `/comments/${r}/${c.id}/upvote`)).status);
    expect(upvotes.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(upvotes.slice(60)).toEqual([429, 429, 429, 429, 429]);
    const page = (await as('member').call('GET', `/comments/${r}`)).parse(PublicCommentsPageSchema);
    expect(page.comments.find((x) => x.id === c.id)?.upvotes).toBe(1);

    // Dropping the cookie to be a new browser each time: new ids per address are limited too.
    let minted = 0;
    let refused: Awaited<ReturnType<CommentsBrowser['call']>> | undefined;
    for (let i = 0; i < 400 && refused === undefined; i++) {
      const res = await browser(room.tokens.public).call('POST', `/comments/${r}/${c.id}/upvote`);
      if (res.status === 429) refused = res;
      else minted++;
    }
    expect(refused?.json).toMatchObject({ error: 'RATE_LIMITED', detail: expect.stringContaining('new visitors') as unknown });
    expect(minted).toBeLessThan(300);
    // Past that budget a new phone still reads the page, without anything of its own.
    const late = await browser(room.tokens.public).call('GET', `/comments/${r}`);
    expect(late.status).toBe(200);
    expect(late.setCookie).toBeNull();
    expect(late.parse(PublicCommentsPageSchema).comments.map((x) => x.id)).toContain(c.id);
    // Still serving, the staff included.
    expect((await as('host').call('GET', `/comments/${r}/moderation`)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
