/**
 * Duty records through the real server: a district body, its organiser logged in, a roster, a
 * consultation made from the roster (one personal invite per member), members who join with
 * real clients, one who speaks and confirms their passage, a named and a secret poll, a written
 * statement. GET duties answers the counts worked out by hand from that story, per member and
 * per sector; the times lie between bounds this test measures with its own clock around the
 * commands that start and end them; duties.csv holds the same figures.
 */
import { describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { CreatedConsultation, DutyRecords, Me, ORG_ROUTES, type CreateConsultationBody, type MemberDuties } from '../signaling/http/orgs.js';
import { OrganisationSchema, RosterMemberSchema } from '../signaling/orgs/model.js';
import { postJson, readJson } from './helpers/http.js';
import { withTestServer } from './helpers/serverTest.js';
import type { TestPeer } from './helpers/TestPeer.js';

let server: RunningServer;
const connect = withTestServer((s) => {
  server = s;
});

const PASSWORD = 'district-organiser-passphrase';
const PLANNED = Date.UTC(2026, 5, 1, 1); // 2026-06-01 09:00 in China

/** Logs in; answers the session cookie to send back. */
async function login(username: string): Promise<string> {
  const res = await fetch(`${server.url}${ORG_ROUTES.login.path()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  await readJson(res, Me);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('wsl_session='));
  if (cookie === undefined) throw new Error('login set no session cookie');
  return cookie.split(';')[0] ?? '';
}

/** The interval a server-side moment lies in: after `before`, before `after` (the test's clock around the command). */
type Moment = { before: number; after: number };
async function timed(run: () => Promise<unknown>): Promise<Moment> {
  const before = Date.now();
  await run();
  return { before, after: Date.now() };
}

describe('duty records of a consultation made from the roster', () => {
  test('per member and per sector, as JSON and as CSV', async () => {
    // The city body (bootstrap), a district below it and the district's organiser.
    const secret = { bearer: server.adminSecret };
    const city = await postJson(`${server.url}${ORG_ROUTES.bootstrap.path()}`, { orgName: '市政协', username: 'city-admin', displayName: '市管理员', password: PASSWORD }, Me, secret);
    const cityId = city.orgs[0]?.orgId ?? '';
    const district = await postJson(`${server.url}${ORG_ROUTES.orgs.path()}`, { name: '一区政协', parentId: cityId }, OrganisationSchema, secret);
    await fetch(`${server.url}${ORG_ROUTES.accounts.path({ orgId: district.orgId })}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'district-organiser', displayName: '一区组织者', password: PASSWORD, role: 'organiser' }),
    }).then((res) => expect(res.status).toBe(201));
    const cookie = await login('district-organiser');
    const asOrganiser = { headers: { cookie } };

    // The roster, through its API: five members; four are invited, 孙强 is not.
    const ids: Record<string, string> = {};
    for (const [name, sector, venue] of [['王芳', '经济界', 'city'], ['李明', '教育界', 'd1'], ['张伟', '经济界', 'city'], ['赵丽', '教育界', 'd1'], ['孙强', '教育界', 'city']] as const) {
      const added = await postJson(`${server.url}${ORG_ROUTES.roster.path({ orgId: district.orgId })}`, { name, sector, venue, district: '一区' }, RosterMemberSchema, asOrganiser);
      ids[name] = added.memberId;
    }
    const idOf = (name: string): string => ids[name] ?? '';
    const body: CreateConsultationBody = {
      room: {
        topic: '老旧小区加装电梯',
        startsAt: PLANNED,
        venues: [
          { id: 'city', name: '主会场', expectedMembers: 2 },
          { id: 'd1', name: '一区分会场', expectedMembers: 2 },
        ],
        settings: { open: true },
      },
      memberIds: ['王芳', '李明', '张伟', '赵丽'].map(idOf),
    };
    const made = await postJson(`${server.url}${ORG_ROUTES.consultationsOfOrg.path({ orgId: district.orgId })}`, body, CreatedConsultation, asOrganiser);
    const tokenOf = (memberId: string): string => made.invites.find((i) => i.memberId === memberId)?.token ?? '';

    // The meeting. 赵丽 never comes.
    const host = await connect();
    await host.join(made.hostInvite.token, '主持人');
    const joinMember = async (memberId: string): Promise<{ peer: TestPeer; id: string; joined: Moment }> => {
      const peer = await connect();
      const joined = await timed(() => peer.join(tokenOf(memberId)));
      return { peer, id: peer.joined?.participantId ?? '', joined };
    };
    const wang = await joinMember(idOf('王芳'));
    const li = await joinMember(idOf('李明'));
    const zhang = await joinMember(idOf('张伟'));

    // 王芳 speaks once.
    const granted = await timed(() => host.command('floor:grant', { target: { kind: 'participant', participantId: wang.id }, seconds: 120 }));
    await wang.peer.waitForRoom((r) => r.floor?.holder.kind === 'participant' && r.floor.holder.participantId === wang.id);
    const yielded = await timed(() => wang.peer.command('floor:yield', {}));

    // A named poll: 王芳 and 李明 vote, 王芳 changes her vote (still one vote).
    await host.command('poll:create', { question: '是否同意加装方案？', kind: 'yesno', secret: false, allowChange: true });
    await host.command('poll:open', { pollId: 'poll-1' });
    for (const m of [wang, li]) await m.peer.waitForRoom((r) => r.polls['poll-1']?.status === 'open');
    await wang.peer.command('poll:vote', { pollId: 'poll-1', choices: [0] });
    await li.peer.command('poll:vote', { pollId: 'poll-1', choices: [1] });
    await wang.peer.command('poll:vote', { pollId: 'poll-1', choices: [1] });
    await host.command('poll:close', { pollId: 'poll-1' });
    // A secret poll: 李明 and 张伟 vote.
    await host.command('poll:create', { question: '推荐人选（无记名）', kind: 'yesno', secret: true, allowChange: false });
    await host.command('poll:open', { pollId: 'poll-2' });
    for (const m of [li, zhang]) {
      await m.peer.waitForRoom((r) => r.polls['poll-2']?.status === 'open');
      await m.peer.command('poll:vote', { pollId: 'poll-2', choices: [0] });
    }
    await host.command('poll:close', { pollId: 'poll-2' });
    // 张伟 hands in a written statement.
    await zhang.peer.command('minutes:submitStatement', { text: '关于加装电梯资金分摊的书面意见' });
    const ended = await timed(() => host.command('room:end', {}));
    // 核稿: 王芳 confirms her passage (speech:0, the meeting's only speech).
    await host.command('minutes:requestConfirmation', { section: 'speech:0' });
    await wang.peer.waitForRoom((r) => r.minutes.sections['speech:0']?.confirmation.status === 'pending');
    await wang.peer.command('minutes:confirm', { section: 'speech:0' });

    // The records, as the district's organiser reads them for the day of the meeting.
    const period = `from=${PLANNED - 3_600_000}&to=${PLANNED + 3_600_000}`;
    const res = await fetch(`${server.url}${ORG_ROUTES.duties.path({ orgId: district.orgId })}?${period}`, asOrganiser);
    expect(res.status).toBe(200);
    const records = await readJson(res, DutyRecords);
    expect(records.consultations).toBe(1);
    const of = (name: string): MemberDuties => {
      const row = records.members.find((m) => m.name === name);
      if (row === undefined) throw new Error(`${name} is not in the records`);
      return row;
    };
    const counts = (name: string) => {
      const { memberId: _id, attendedMs: _a, speakingMs: _s, ...rest } = of(name);
      return rest;
    };
    expect(counts('王芳')).toEqual({ name: '王芳', sector: '经济界', district: '一区', invited: 1, attended: 1, speeches: 1, namedVotes: 1, secretVotes: 0, statements: 0, passagesConfirmed: 1 });
    expect(counts('李明')).toEqual({ name: '李明', sector: '教育界', district: '一区', invited: 1, attended: 1, speeches: 0, namedVotes: 1, secretVotes: 1, statements: 0, passagesConfirmed: 0 });
    expect(counts('张伟')).toEqual({ name: '张伟', sector: '经济界', district: '一区', invited: 1, attended: 1, speeches: 0, namedVotes: 0, secretVotes: 1, statements: 1, passagesConfirmed: 0 });
    expect(of('赵丽')).toMatchObject({ invited: 1, attended: 0, attendedMs: 0, speeches: 0, namedVotes: 0, secretVotes: 0 });
    expect(of('孙强')).toMatchObject({ invited: 0, attended: 0, attendedMs: 0 });

    // Times: attended from the join to the end of the meeting; the speech from the grant to the yield.
    const between = (ms: number, from: Moment, to: Moment): void => {
      expect(ms).toBeGreaterThanOrEqual(to.before - from.after);
      expect(ms).toBeLessThanOrEqual(to.after - from.before);
    };
    for (const [name, m] of [['王芳', wang], ['李明', li], ['张伟', zhang]] as const) between(of(name).attendedMs, m.joined, ended);
    between(of('王芳').speakingMs, granted, yielded);
    expect(of('李明').speakingMs).toBe(0);

    // Per sector: 经济界 is 王芳 and 张伟; 教育界 is 李明, 赵丽 and 孙强.
    const sector = (name: string) => records.sectors.find((s) => s.sector === name);
    expect(sector('经济界')).toMatchObject({ members: 2, invited: 2, attended: 2, speeches: 1, namedVotes: 1, secretVotes: 1, statements: 1, passagesConfirmed: 1 });
    expect(sector('经济界')?.attendedMs).toBe(of('王芳').attendedMs + of('张伟').attendedMs);
    expect(sector('教育界')).toMatchObject({ members: 3, invited: 2, attended: 1, speeches: 0, namedVotes: 1, secretVotes: 1, statements: 0, passagesConfirmed: 0 });
    expect(records.sectors).toHaveLength(2);

    // The CSV holds the same figures (minutes with one decimal).
    const csvRes = await fetch(`${server.url}${ORG_ROUTES.dutiesCsv.path({ orgId: district.orgId })}?${period}`, asOrganiser);
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('履职记录-一区政协-')}`);
    const [header, ...rows] = (await csvRes.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(header).toBe('姓名,界别,所属区县/单位,受邀,出席,出席时长(分钟),发言次数,发言时长(分钟),记名投票,无记名投票(仅计参与),书面发言,核稿确认');
    const minutes = (ms: number): string => String(Math.round(ms / 6_000) / 10);
    const csvRow = (m: MemberDuties): string =>
      [m.name, m.sector, m.district, m.invited, m.attended, minutes(m.attendedMs), m.speeches, minutes(m.speakingMs), m.namedVotes, m.secretVotes, m.statements, m.passagesConfirmed].join(',');
    expect(rows.sort()).toEqual(records.members.map(csvRow).sort());
    expect(rows).toContain('张伟,经济界,一区,1,1,' + minutes(of('张伟').attendedMs) + ',0,0,0,1,1,0');
  });
});
