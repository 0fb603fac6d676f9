/**
 * The roster over HTTP as the admin page and an office use it, through the real server: a
 * district organiser imports CSV (UTF-8 and GBK, as Excel on a Chinese Windows saves it) and
 * XLSX, merges and replaces, edits members one by one, downloads the templates and imports them
 * back. A bad file is refused with every bad row and changes nothing; an oversized one is 413;
 * another district's organiser and a caller without a session reach nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { z } from 'zod';
import type { RunningServer } from '../server/app.js';
import { xlsxWorkbook } from '../server/export/xlsx.js';
import { ApiErrorBody } from '../signaling/http/errors.js';
import { MAX_ROSTER_FILE_BYTES, Me, ORG_ROUTES, Roster, RosterImported, RosterRejected, SESSION_COOKIE } from '../signaling/http/orgs.js';
import { AccountSchema, OrganisationSchema, RosterMemberSchema, type RosterMember } from '../signaling/orgs/model.js';
import { parseAnswer } from './helpers/http.js';
import { startTestServer } from './helpers/server.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CITY_ADMIN = { username: 'roster.admin', password: 'city administrator pass', displayName: '市政协办公厅' };
const ORGANISER = { username: 'roster.d1', password: 'district one organiser', displayName: '一区组织员' };
const OTHER = { username: 'roster.d2', password: 'district two organiser', displayName: '二区组织员' };

let server: RunningServer;
let districtId: string;
let organiser: string;
let otherOrganiser: string;

type Answer = { status: number; headers: Headers; body: Buffer; text: string; parse<S extends z.ZodType>(schema: S): z.output<S> };

/** One request with the district organiser's session unless `cookie` says otherwise (null: none). */
async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, request: { cookie?: string | null; json?: unknown; file?: Buffer; type?: string; bearer?: string } = {}): Promise<Answer> {
  const cookie = request.cookie === undefined ? organiser : request.cookie;
  const headers: Record<string, string> = {};
  if (cookie !== null) headers.cookie = cookie;
  if (request.bearer !== undefined) headers.authorization = `Bearer ${request.bearer}`;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.file !== undefined) {
    if (request.type !== undefined) headers['content-type'] = request.type;
    body = new Uint8Array(request.file);
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  return { status: res.status, headers: res.headers, body: bytes, text, parse: (schema) => parseAnswer(schema, JSON.parse(text), `${method} ${path}: HTTP ${res.status}`, text) };
}

const rosterPath = (): string => ORG_ROUTES.roster.path({ orgId: districtId });
const importPath = (mode?: 'merge' | 'replace'): string => `${ORG_ROUTES.rosterImport.path({ orgId: districtId })}${mode === undefined ? '' : `?mode=${mode}`}`;
const memberPath = (memberId: string): string => ORG_ROUTES.rosterMember.path({ orgId: districtId, memberId });

async function roster(): Promise<RosterMember[]> {
  const res = await call('GET', rosterPath());
  expect(res.status, res.text).toBe(200);
  return res.parse(Roster).members;
}

async function importFile(file: Buffer, type: string, mode?: 'merge' | 'replace'): Promise<RosterImported> {
  const res = await call('POST', importPath(mode), { file, type });
  expect(res.status, res.text).toBe(200);
  return res.parse(RosterImported);
}

async function login(username: string, password: string): Promise<string> {
  const res = await call('POST', ORG_ROUTES.login.path(), { cookie: null, json: { username, password } });
  expect(res.status, res.text).toBe(200);
  res.parse(Me);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
  return cookie;
}

/**
 * Text in GBK, as Excel on a Chinese Windows saves "CSV": each character's two bytes found by
 * decoding every GBK double-byte code (GB18030 agrees with GBK on all of them).
 */
function gbk(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const codes = new Map<string, [number, number]>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (!codes.has(ch)) codes.set(ch, [lead, trail]);
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = codes.get(ch);
      if (pair === undefined) throw new Error(`${ch} has no GBK code`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

const csv = (lines: string[]): Buffer => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
/** name / sector pairs of a roster, in its order. */
const names = (members: readonly RosterMember[]): string[] => members.map((m) => `${m.name}/${m.sector}`);

beforeAll(async () => {
  server = await startTestServer();
  const made = await call('POST', ORG_ROUTES.bootstrap.path(), { cookie: null, bearer: server.adminSecret, json: { orgName: '市政协', ...CITY_ADMIN } });
  expect(made.status, made.text).toBe(201);
  const cityId = made.parse(Me).account.orgId;
  const admin = await login(CITY_ADMIN.username, CITY_ADMIN.password);
  const district = async (name: string): Promise<string> => {
    const res = await call('POST', ORG_ROUTES.orgs.path(), { cookie: admin, json: { name, parentId: cityId } });
    expect(res.status, res.text).toBe(201);
    return res.parse(OrganisationSchema).orgId;
  };
  districtId = await district('一区政协');
  const otherId = await district('二区政协');
  for (const [orgId, who] of [[districtId, ORGANISER], [otherId, OTHER]] as const) {
    const res = await call('POST', ORG_ROUTES.accounts.path({ orgId }), { cookie: admin, json: { ...who, role: 'organiser' } });
    expect(res.status, res.text).toBe(201);
    res.parse(AccountSchema);
  }
  organiser = await login(ORGANISER.username, ORGANISER.password);
  otherOrganiser = await login(OTHER.username, OTHER.password);
});

afterAll(async () => {
  await server?.close();
});

describe('roster import', () => {
  let zhangId: string;

  test('a UTF-8 CSV is imported; the roster lists by sector, then name, in pinyin order', async () => {
    expect(await roster()).toEqual([]);
    const imported = await importFile(
      csv(['序号,姓名,界别,会场,联系电话', '1,张三,经济界,city,13800000001', '2,李四,教育界,d1,', '3,王五,经济界,,13800000003']),
      'text/csv',
    );
    expect(imported).toMatchObject({ added: 3, updated: 0, removed: 0 });
    // 教育界 (jiào) before 经济界 (jīng); in 经济界 王 (wáng) before 张 (zhāng).
    const expected = ['李四/教育界', '王五/经济界', '张三/经济界'];
    expect(names(imported.members)).toEqual(expected);
    const members = await roster();
    expect(names(members)).toEqual(expected);
    expect(members.find((m) => m.name === '张三')).toMatchObject({ venue: 'city', phone: '13800000001', orgId: districtId });
    zhangId = members.find((m) => m.name === '张三')?.memberId ?? '';
    expect(new Set(members.map((m) => m.memberId)).size).toBe(3);
  });

  test('a GBK CSV merges: the member of the same name and sector is updated in place, a new one added, none removed', async () => {
    const file = gbk('姓名,界别,联系电话,备注\r\n张三,经济界,13900000009,换了手机\r\n赵六,农业界,,\r\n');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(file)).toThrow();
    // Browsers on Windows label a .csv application/vnd.ms-excel.
    const imported = await importFile(file, 'application/vnd.ms-excel', 'merge');
    expect(imported).toMatchObject({ added: 1, updated: 1, removed: 0 });
    const members = await roster();
    // 农业界 (nóng) after 经济界 (jīng).
    expect(names(members)).toEqual(['李四/教育界', '王五/经济界', '张三/经济界', '赵六/农业界']);
    // Updated in place: the same id (its invites and duty records stay its own); fields the file lacks keep their value.
    expect(members.find((m) => m.name === '张三')).toMatchObject({ memberId: zhangId, phone: '13900000009', note: '换了手机', venue: 'city' });
  });

  test('an XLSX replaces: members the file lacks are removed, the one it lists again keeps its id', async () => {
    const file = xlsxWorkbook([{ name: '名册', rows: [['Name', 'Sector', 'Phone'], ['张三', '经济界', 13900000009], ['钱七', '科技界', null]] }]);
    const imported = await importFile(file, XLSX, 'replace');
    // 张三's phone and sector are what the roster holds, but his venue and note are not in the file: they are kept, so nothing changed.
    expect(imported).toMatchObject({ added: 1, updated: 0, removed: 3 });
    const members = await roster();
    expect(names(members)).toEqual(['张三/经济界', '钱七/科技界']);
    expect(members[0]?.memberId).toBe(zhangId);
  });

  test('a file with bad rows is refused with each of them (422) and the roster is unchanged, in either mode', async () => {
    const before = await roster();
    const file = csv(['姓名,界别,会场', '孙八,工商联,d2', ',经济界,city', '周九,教育界,第一分会场', '孙八,工商联,d3']);
    for (const mode of ['merge', 'replace'] as const) {
      const res = await call('POST', importPath(mode), { file, type: 'text/csv; charset=utf-8' });
      expect(res.status, res.text).toBe(422);
      const rejected = res.parse(RosterRejected);
      expect(rejected.error).toBe('BAD_REQUEST');
      expect(rejected.rows.map((r) => [r.row, r.column])).toEqual([
        [3, '姓名'],
        [4, '会场'],
        [5, '姓名'],
      ]);
    }
    expect(await roster()).toEqual(before);
    const noNames = await call('POST', importPath('replace'), { file: csv(['名字,界别', '孙八,工商联']), type: 'text/csv' });
    expect(noNames.status).toBe(422);
    expect(noNames.parse(RosterRejected).rows).toEqual([{ row: 1, column: '姓名', message: expect.any(String) }]);
    const notXlsx = await call('POST', importPath(), { file: csv(['姓名', '孙八']), type: XLSX });
    expect(notXlsx.status).toBe(422);
    expect(await roster()).toEqual(before);
  });

  test('a file over the limit is 413, an unknown or legacy type 415, a bad mode 400; nothing changes', async () => {
    const before = await roster();
    const huge = Buffer.alloc(MAX_ROSTER_FILE_BYTES + 1, 'a');
    const tooLarge = await call('POST', importPath('replace'), { file: huge, type: 'text/csv' });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.parse(ApiErrorBody).error).toBe('BAD_REQUEST');
    const json = await call('POST', importPath(), { file: Buffer.from('{"members":[]}'), type: 'application/json' });
    expect(json.status).toBe(415);
    const untyped = await call('POST', importPath(), { file: csv(['姓名', '孙八']), type: 'application/octet-stream' });
    expect(untyped.status).toBe(415);
    const xls = await call('POST', importPath(), { file: Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]), type: 'application/vnd.ms-excel' });
    expect(xls.status).toBe(415);
    expect(xls.parse(ApiErrorBody).detail).toMatch(/xlsx/);
    const mode = await call('POST', `${ORG_ROUTES.rosterImport.path({ orgId: districtId })}?mode=everything`, { file: csv(['姓名', '孙八']), type: 'text/csv' });
    expect(mode.status).toBe(400);
    expect(await roster()).toEqual(before);
  });

  test('the templates download with their Chinese file names and import back as their two example rows', async () => {
    for (const [kind, type] of [['csv', 'text/csv'], ['xlsx', XLSX]] as const) {
      const path = kind === 'csv' ? ORG_ROUTES.rosterTemplateCsv.path({ orgId: districtId }) : ORG_ROUTES.rosterTemplateXlsx.path({ orgId: districtId });
      const res = await call('GET', path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      const disposition = res.headers.get('content-disposition') ?? '';
      expect(disposition).toMatch(/^attachment; filename="[ -~]+"/);
      const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? '';
      expect(decodeURIComponent(encoded)).toBe(`名册模板.${kind}`);
      const imported = await importFile(res.body, type, 'replace');
      expect(names(imported.members)).toEqual(['李四/教育界', '张三/经济界']);
      expect(imported.members.every((m) => m.note.includes('示例'))).toBe(true);
    }
    // The second import of the same template matched both and changed nothing.
    const again = await importFile((await call('GET', ORG_ROUTES.rosterTemplateCsv.path({ orgId: districtId }))).body, 'text/csv', 'merge');
    expect(again).toMatchObject({ added: 0, updated: 0, removed: 0 });
  });
});

describe('roster members one by one', () => {
  test('add, change one field, refuse a second member of the same name and sector, remove', async () => {
    const added = await call('POST', rosterPath(), { json: { name: '吴十', sector: '医卫界', venue: 'city' } });
    expect(added.status, added.text).toBe(201);
    const member = added.parse(RosterMemberSchema);
    expect(member).toMatchObject({ name: '吴十', sector: '医卫界', venue: 'city', phone: '', orgId: districtId });
    expect(member.memberId).toMatch(/^[A-Za-z0-9_-]{16,}$/);

    const twin = await call('POST', rosterPath(), { json: { name: '吴十', sector: '医卫界' } });
    expect(twin.status).toBe(409);
    expect(twin.parse(ApiErrorBody).error).toBe('CONFLICT');
    expect((await call('POST', rosterPath(), { json: { name: '', sector: '医卫界' } })).status).toBe(400);
    expect((await call('POST', rosterPath(), { json: { name: '郑十一', venue: '主会场' } })).status).toBe(400);

    // Only the field sent changes: venue stays 'city'.
    const changed = await call('PATCH', memberPath(member.memberId), { json: { phone: '13700000000' } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.parse(RosterMemberSchema)).toMatchObject({ memberId: member.memberId, name: '吴十', venue: 'city', phone: '13700000000' });
    expect((await roster()).find((m) => m.memberId === member.memberId)).toMatchObject({ venue: 'city', phone: '13700000000' });
    // Renaming onto another member's name and sector is refused.
    expect((await call('PATCH', memberPath(member.memberId), { json: { name: '张三', sector: '经济界' } })).status).toBe(409);
    expect((await call('PATCH', memberPath(member.memberId), { json: {} })).status).toBe(400);
    expect((await call('PATCH', memberPath('nosuchmember'), { json: { phone: '1' } })).status).toBe(404);

    expect((await call('DELETE', memberPath(member.memberId))).status).toBe(204);
    expect((await roster()).some((m) => m.memberId === member.memberId)).toBe(false);
    expect((await call('DELETE', memberPath(member.memberId))).status).toBe(404);
  });
});

describe('who reaches the roster', () => {
  test('without a session every roster route is 401; another district\'s organiser gets 403 and changes nothing', async () => {
    const before = await roster();
    const memberId = before[0]?.memberId ?? 'nosuchmember';
    const file = csv(['姓名,界别', '冒名,经济界']);
    const tries: Array<[ 'GET' | 'POST' | 'PATCH' | 'DELETE', string, { json?: unknown; file?: Buffer; type?: string }]> = [
      ['GET', rosterPath(), {}],
      ['POST', rosterPath(), { json: { name: '冒名' } }],
      ['PATCH', memberPath(memberId), { json: { name: '冒名' } }],
      ['DELETE', memberPath(memberId), {}],
      ['POST', importPath('replace'), { file, type: 'text/csv' }],
      ['GET', ORG_ROUTES.rosterTemplateCsv.path({ orgId: districtId }), {}],
      ['GET', ORG_ROUTES.rosterTemplateXlsx.path({ orgId: districtId }), {}],
    ];
    for (const [method, path, request] of tries) {
      expect((await call(method, path, { ...request, cookie: null })).status, `${method} ${path} without a session`).toBe(401);
      expect((await call(method, path, { ...request, cookie: otherOrganiser })).status, `${method} ${path} by another district`).toBe(403);
    }
    expect(await roster()).toEqual(before);
  });
});
