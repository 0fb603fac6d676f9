/**
 * Organisations, rosters and duty records through the real admin page in Chromium. The city's
 * first administrator (bootstrapped with the admin secret, as on a new server) logs in, creates
 * a district body and its organiser; the organiser logs in, imports a roster file (three
 * members in two sectors) and creates a consultation from it, exports the invites' links; the
 * chair and two of the members join by those links, one member speaks (the chair gives and ends
 * the floor), and both vote in a named poll. The duty records on the page then count, per
 * member and per sector, what the meeting did, and the CSV download holds the same figures.
 * Screenshots: test-output/orgs-*.png.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { Me, ORG_ROUTES } from '../../signaling/http/orgs.js';
import type { RunningServer } from '../../server/app.js';
import { eventually, OUTPUT_DIR, openPage, screenshot } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { postJson } from '../helpers/http.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const shot = (page: Page, step: string) => screenshot(page, `orgs-${step}`);

const CITY_ADMIN = { username: 'city.admin', password: 'city-admin-passphrase' };
const ORGANISER = { username: 'huangpu.organiser', password: 'huangpu-organiser-pass' };
const DISTRICT = '黄浦区政协';
/** The roster file: three members, two sectors, two venues. */
const ROSTER_CSV = '姓名,界别,会场,联系电话\n王委员,经济界,city,13800000001\n李委员,经济界,d1,13800000002\n赵委员,科技界,d1,13800000003\n';

/** Logs in on /admin in a page of its own. */
async function logIn(account: { username: string; password: string }): Promise<Page> {
  const page = await openPage(browser);
  await page.goto(`${server.url}/admin`);
  await page.getByTestId('login-username').fill(account.username);
  await page.getByTestId('login-password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('admin-logout').waitFor();
  return page;
}

/** Opens an invite's short link in a page of its own and enters the meeting (typing a name only if the invite has none). */
async function joinByLink(link: string, name: string): Promise<Page> {
  const page = await openPage(browser);
  await page.goto(link.startsWith('/') ? `${server.url}${link}` : link);
  await page.getByTestId('invite-summary').waitFor({ timeout: 20_000 });
  if ((await page.getByTestId('join-name').count()) > 0) await page.getByTestId('join-name').fill(name);
  await page.getByTestId('join-submit').click();
  await page.getByTestId('room').waitFor({ timeout: 30_000 });
  return page;
}

/** A CSV file's rows (RFC 4180 quoting, a BOM and CRLF lines allowed). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Downloads what clicking `testId` on `page` starts; answers the file's text. */
async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const saved = path.join(OUTPUT_DIR, `orgs-${file.suggestedFilename()}`);
  await file.saveAs(saved);
  return { name: file.suggestedFilename(), text: await readFile(saved, 'utf8') };
}

/** The counts of one row of a duty records table, by column (the raw numbers the cells carry). */
const rowCounts = (page: Page, table: string, attribute: string, value: string) =>
  page.locator(`[data-testid="${table}"] tr[${attribute}="${value}"] td[data-column]`).evaluateAll((cells) =>
    Object.fromEntries(cells.map((cell) => [cell.getAttribute('data-column'), Number(cell.getAttribute('data-value'))])),
  );

test('an administrator sets up a district and its organiser; the organiser imports a roster, holds a consultation from it and reads the duty records it made', async () => {
  // --- the first administrator, made with the admin secret as on a new server -----------------------
  await postJson(`${server.url}${ORG_ROUTES.bootstrap.path()}`, { orgName: '市政协', username: CITY_ADMIN.username, displayName: '市管理员', password: CITY_ADMIN.password }, Me, {
    bearer: server.adminSecret,
  });

  // --- the administrator: a district body and its organiser ----------------------------------------------
  const admin = await logIn(CITY_ADMIN);
  await admin.getByTestId('admin-tab-orgs').click();
  await admin.getByTestId('sub-org-name').fill(DISTRICT);
  await admin.getByTestId('sub-org-create').click();
  await admin.getByTestId('sub-org-created').waitFor();
  await admin.getByTestId('sub-org').filter({ hasText: DISTRICT }).getByTestId('sub-org-manage').click();
  await eventually(() => admin.getByTestId('admin-org-switch').locator('option:checked').textContent(), (name) => (name ?? '').includes(DISTRICT));
  expect(await admin.getByRole('heading', { name: `“${DISTRICT}”的账号` }).count()).toBe(1);
  await admin.getByTestId('account-username').fill(ORGANISER.username);
  await admin.getByTestId('account-display-name').fill('黄浦组织者');
  await admin.getByTestId('account-password').fill(ORGANISER.password);
  await admin.getByTestId('account-role').selectOption('organiser');
  await admin.getByTestId('account-create').click();
  await admin.locator(`[data-testid="account-row"][data-username="${ORGANISER.username}"]`).waitFor();
  await shot(admin, '01-admin-district-and-organiser');

  // --- the organiser: no 机构与账号, a roster file imported -------------------------------------------
  const organiser = await logIn(ORGANISER);
  expect(await organiser.getByTestId('admin-org').textContent()).toContain(DISTRICT);
  expect(await organiser.getByRole('tab').allTextContents()).toEqual(['会议列表', '新建会议', '委员名册', '履职记录']);
  await organiser.getByTestId('admin-tab-roster').click();
  await mkdir(OUTPUT_DIR, { recursive: true });
  const rosterFile = path.join(OUTPUT_DIR, 'orgs-roster.csv');
  await writeFile(rosterFile, ROSTER_CSV);
  await organiser.getByTestId('roster-file').setInputFiles(rosterFile);
  await organiser.getByTestId('roster-import-submit').click();
  expect(await organiser.getByTestId('roster-imported').textContent()).toContain('新增 3 人');
  expect(await organiser.getByTestId('roster-row').locator('td[data-field="name"]').allTextContents()).toEqual(expect.arrayContaining(['王委员', '李委员', '赵委员']));
  await shot(organiser, '02-organiser-roster');

  // --- a consultation from the roster: every member invited ---------------------------------------------
  await organiser.getByTestId('admin-tab-newConsultation').click();
  await organiser.getByTestId('admin-topic').fill('老旧小区加装电梯协商');
  await organiser.getByTestId('admin-open').check();
  await organiser.getByTestId('add-roster-venues').click();
  await organiser.getByTestId('admin-venue-name').nth(1).fill('一区分会场');
  await organiser.getByTestId('member-select-all').click();
  expect(await organiser.getByTestId('member-picker-count').textContent()).toBe('已选 3 人');
  await shot(organiser, '03-organiser-new-consultation');
  await organiser.getByTestId('create-consultation').click();
  await organiser.getByTestId('created-consultation').waitFor();
  expect(await organiser.getByTestId('created-consultation-status').textContent()).toContain('已为 3 位委员签发个人邀请');
  // Members' cards per venue: 王委员 at the city venue, the other two at 一区分会场.
  const venues = await organiser
    .getByTestId('cards-members')
    .getByTestId('venue-cards')
    .evaluateAll((groups) => groups.map((g) => [g.getAttribute('data-venue'), g.querySelectorAll('[data-testid="invite-card"]').length]));
  expect(venues).toEqual([
    ['city', 1],
    ['d1', 2],
  ]);
  await shot(organiser, '03-organiser-created-cards');

  // The links for the office's own messaging: one row per invite, the chair's among them.
  const invites = await download(organiser, 'export-invites');
  expect(invites.name).toMatch(/\.csv$/);
  const inviteRows = parseCsv(invites.text);
  const linkOf = (name: string) => inviteRows.find((row) => row[0] === name)?.[4] ?? '';
  const chairRow = inviteRows.find((row) => row[1] === '主持人');
  expect(inviteRows).toHaveLength(1 + 4);
  expect(linkOf('王委员')).toMatch(/\/j\/\w+$/);
  // The cards carry the same links.
  expect(await organiser.getByTestId('cards-members').getByTestId('invite-card').filter({ hasText: '王委员' }).locator('.card-link').textContent()).toBe(linkOf('王委员'));

  // --- the meeting: the chair and two members by their links ---------------------------------------------
  const chair = await joinByLink(chairRow?.[4] ?? '', '周主持');
  const wang = await joinByLink(linkOf('王委员'), '王委员');
  const zhao = await joinByLink(linkOf('赵委员'), '赵委员');

  // The organiser's list shows it running, with who is online.
  await organiser.getByTestId('admin-tab-consultations').click();
  await eventually(
    async () => {
      await organiser.getByTestId('consultations-search').click();
      return organiser.getByTestId('consultations-running').getByTestId('consultation-live').allTextContents();
    },
    (live) => live.length === 1 && live[0] === '在线 3 人 · 委员 2 人',
  );
  // Opened, it shows the invites issued (the organisers' routes know the organiser by the session).
  await organiser.getByTestId('consultations-running').getByTestId('consultation-open').click();
  await organiser.getByTestId('admin-room').waitFor();
  await eventually(() => organiser.getByTestId('invite-row').count(), (n) => n === 4);
  await shot(organiser, '04-organiser-list-running');

  // 王委员 raises a hand; the chair gives the floor and ends it.
  await wang.getByTestId('tab-queue').click();
  await wang.getByTestId('queue-raise').click();
  await wang.getByTestId('queue-place').waitFor({ timeout: 10_000 });
  await chair.getByTestId('tab-queue').click();
  await chair.getByTestId('queue-grant-next').click();
  await wang.getByTestId('floor-stage').waitFor({ timeout: 10_000 });
  await eventually(() => wang.getByTestId('mic-status').getAttribute('data-status'), (s) => s === 'live', 10_000);
  // The chair ends the floor once the speaker's countdown has run 6 s: a time the records show in tenths of a minute.
  const countdown = async (): Promise<number> => {
    const [minutes = 0, seconds = 0] = ((await chair.locator('[data-testid="floor-countdown"] .countdown-time').textContent()) ?? '').split(':').map(Number);
    return minutes * 60 + seconds;
  };
  const startedAt = await countdown();
  await eventually(countdown, (left) => left <= startedAt - 6, 20_000);
  await chair.getByTestId('floor-revoke').click();
  await wang.getByTestId('floor-stage').waitFor({ state: 'detached', timeout: 10_000 });

  // A named poll (the default: not secret); both members vote.
  await chair.getByTestId('tab-polls').click();
  await chair.getByTestId('poll-create').click();
  await chair.getByTestId('poll-question').fill('是否同意加装电梯方案？');
  await chair.getByTestId('poll-kind').selectOption('yesno');
  await chair.getByTestId('poll-submit-create').click();
  await chair.getByTestId('poll-open').click();
  for (const member of [wang, zhao]) {
    await member.getByTestId('tab-polls').click();
    await member.getByTestId('poll-ballot').waitFor({ timeout: 10_000 });
    await member.locator('[data-testid="poll-option"][data-index="0"]').check();
    await member.getByTestId('poll-vote-submit').click();
    await member.getByTestId('poll-voted').waitFor({ timeout: 10_000 });
  }
  await expect.poll(() => chair.getByTestId('poll-turnout').getAttribute('data-voted'), { timeout: 10_000 }).toBe('2');
  await chair.getByTestId('poll-close').click();
  await shot(chair, '05-chair-poll-closed');

  // --- the duty records: per member, per sector, and the same in the CSV ------------------------------
  await organiser.getByTestId('admin-tab-duties').click();
  await organiser.getByTestId('duties-members').waitFor();
  await organiser.getByTestId('duties-show').click();
  await eventually(() => rowCounts(organiser, 'duties-members', 'data-name', '赵委员'), (c) => c['namedVotes'] === 1, 10_000);
  expect(await organiser.getByTestId('duties-consultations').textContent()).toBe('期间共 1 场会议');
  const counted = (c: Record<string, number>) => ({
    invited: c['invited'],
    attended: c['attended'],
    speeches: c['speeches'],
    namedVotes: c['namedVotes'],
    secretVotes: c['secretVotes'],
    statements: c['statements'],
    passagesConfirmed: c['passagesConfirmed'],
  });
  const page = {
    wang: await rowCounts(organiser, 'duties-members', 'data-name', '王委员'),
    li: await rowCounts(organiser, 'duties-members', 'data-name', '李委员'),
    zhao: await rowCounts(organiser, 'duties-members', 'data-name', '赵委员'),
    economy: await rowCounts(organiser, 'duties-sectors', 'data-sector', '经济界'),
    science: await rowCounts(organiser, 'duties-sectors', 'data-sector', '科技界'),
  };
  const none = { statements: 0, passagesConfirmed: 0, secretVotes: 0 };
  expect(counted(page.wang)).toEqual({ invited: 1, attended: 1, speeches: 1, namedVotes: 1, ...none });
  expect(counted(page.li)).toEqual({ invited: 1, attended: 0, speeches: 0, namedVotes: 0, ...none });
  expect(counted(page.zhao)).toEqual({ invited: 1, attended: 1, speeches: 0, namedVotes: 1, ...none });
  expect(counted(page.economy)).toEqual({ invited: 2, attended: 1, speeches: 1, namedVotes: 1, ...none });
  expect(counted(page.science)).toEqual({ invited: 1, attended: 1, speeches: 0, namedVotes: 1, ...none });
  expect(page.wang['speakingTime']).toBeGreaterThanOrEqual(6_000);
  expect(page.zhao['speakingTime']).toBe(0);
  expect(page.li['attendedTime']).toBe(0);
  expect(page.zhao['attendedTime']).toBeGreaterThan(0);
  expect(await organiser.locator('[data-testid="duties-sectors"] tr[data-sector="经济界"] td').nth(0).textContent()).toBe('2');
  await shot(organiser, '06-organiser-duties');

  const csv = await download(organiser, 'duties-export-csv');
  expect(csv.name).toMatch(/\.csv$/);
  const [header = [], ...rows] = parseCsv(csv.text);
  expect(header.slice(0, 8)).toEqual(['姓名', '界别', '所属区县/单位', '受邀', '出席', '出席时长(分钟)', '发言次数', '发言时长(分钟)']);
  const column = (name: string): number => header.indexOf(name);
  const inCsv = (name: string) => {
    const row = rows.find((r) => r[0] === name) ?? [];
    const n = (heading: string) => Number(row[column(heading)]);
    return {
      sector: row[1],
      counts: {
        invited: n('受邀'),
        attended: n('出席'),
        speeches: n('发言次数'),
        namedVotes: n('记名投票'),
        secretVotes: n('无记名投票(仅计参与)'),
        statements: n('书面发言'),
        passagesConfirmed: n('核稿确认'),
      },
      speakingMinutes: n('发言时长(分钟)'),
    };
  };
  expect(rows.map((r) => r[0]).sort()).toEqual(['李委员', '王委员', '赵委员'].sort());
  for (const [name, shown, sector] of [
    ['王委员', page.wang, '经济界'],
    ['李委员', page.li, '经济界'],
    ['赵委员', page.zhao, '科技界'],
  ] as const) {
    const row = inCsv(name);
    expect(row.sector).toBe(sector);
    expect(row.counts, name).toEqual(counted(shown));
    // Minutes with one decimal, as the file gives times; the page shows the same.
    expect(row.speakingMinutes, name).toBe(Math.round((shown['speakingTime'] ?? 0) / 6_000) / 10);
    const cell = organiser.locator(`[data-testid="duties-members"] tr[data-name="${name}"] td[data-column="speakingTime"]`);
    expect(await cell.textContent(), name).toBe(`${row.speakingMinutes} 分钟`);
  }
  for (const p of [chair, wang, zhao, organiser, admin]) await p.context().close();
}, 240_000);
