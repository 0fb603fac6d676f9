/**
 * The organiser's page and the ways in it hands out, in Chromium as a first-time user would
 * meet them: the admin secret checked on entry, a created room shown in view with the form
 * emptied, the invites issued listed again after a reload and revoked, the cards printed per
 * audience, a short link opened (and a revoked or unknown one explained), and the start page
 * joining a meeting's public entry by its 会议号. Screenshots: test-output/admin-*.png.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { eventually, OUTPUT_DIR, openPage, screenshot } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const shot = (page: Page, step: string) => screenshot(page, `admin-${step}`);
/** What the screen shows without scrolling, to see that something is in view. */
const viewShot = (page: Page, step: string) => page.screenshot({ path: path.join(OUTPUT_DIR, `admin-${step}-viewport.png`) });

/** Is the element's box inside the visible part of the page? */
const inView = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });

test('an organiser signs in, creates a consultation, finds its invites again after a reload, revokes one and prints cards per audience', async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}/admin`);
  // The page opens on the login form; the secret is behind its link (first set-up, automation).
  await page.getByTestId('login-use-secret').click();

  // --- the secret is checked at once; a wrong one is said and stays in the field to correct --
  await page.getByTestId('admin-secret').fill('wrong-secret-typed-here');
  await page.getByTestId('admin-secret-submit').click();
  const secretError = page.getByTestId('admin-secret-error');
  await secretError.waitFor();
  expect(await secretError.textContent()).toContain('管理密钥不正确');
  expect(await page.getByTestId('admin-secret').inputValue()).toBe('wrong-secret-typed-here');
  expect(await page.getByTestId('admin-topic').count()).toBe(0);
  await shot(page, 'wrong-secret');
  await page.getByTestId('admin-secret').fill(server.adminSecret);
  await page.getByTestId('admin-secret-submit').click();
  await page.getByTestId('admin-topic').waitFor();

  // --- creating: the result comes into view with its meeting number, and the form empties ----
  await page.getByTestId('admin-topic').fill('老旧小区加装电梯协商');
  await page.getByLabel('计划开始时间').fill('2026-12-10T09:30');
  await page.getByLabel('计划结束时间').fill('2026-12-10T11:30');
  // The secret refused later (changed on the server meanwhile) is asked for again, and what
  // was typed in the form stays.
  await page.route('**/api/rooms', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: 'UNAUTHORIZED', detail: 'wrong admin secret' }) })
      : route.fallback(),
  );
  await page.getByRole('button', { name: '创建会议' }).click();
  await page.getByTestId('admin-secret-error').waitFor();
  expect(await page.getByTestId('admin-topic').inputValue()).toBe('老旧小区加装电梯协商');
  await shot(page, 'secret-refused-later');
  await page.unroute('**/api/rooms');
  await page.getByTestId('admin-secret').fill(server.adminSecret);
  await page.getByTestId('admin-secret-submit').click();
  await eventually(() => page.getByTestId('admin-secret').count(), (n) => n === 0);
  expect(await page.getByTestId('admin-topic').inputValue()).toBe('老旧小区加装电梯协商');
  await page.getByRole('button', { name: '创建会议' }).click();
  await page.getByTestId('admin-created').waitFor();
  const meetingNumber = ((await page.getByTestId('admin-meeting-number').textContent()) ?? '').trim();
  expect(meetingNumber).toMatch(/^[1-9]\d{2} \d{3} \d{3}$/);
  expect(await page.getByTestId('admin-created').textContent()).toContain(meetingNumber);
  await eventually(() => inView(page, 'admin-room'), (v) => v);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('admin-room');
  expect(await page.getByTestId('admin-topic').inputValue()).toBe('');
  const roomId = await page.getByTestId('admin-room').getAttribute('data-room-id');
  expect(await page.getByTestId('invite-row').count()).toBe(1);
  expect(await page.getByTestId('invite-row').first().getAttribute('data-role')).toBe('host');
  await viewShot(page, 'created');

  // --- issuing: a named member, a secretary, the public link ------------------------------------
  const issue = async (role: string, name = ''): Promise<void> => {
    const before = await page.getByTestId('invite-row').count();
    await page.getByTestId('admin-invite-role').selectOption(role);
    await page.getByTestId('admin-invite-name').fill(name);
    await page.getByTestId('admin-issue-invite').click();
    await eventually(() => page.getByTestId('invite-row').count(), (n) => n === before + 1);
  };
  await issue('member', '王委员');
  await issue('secretary', '李记录');
  await issue('public');

  // --- a reload (a lost tab) finds the room and every invite again ------------------------------
  await page.reload();
  await page.getByTestId('admin-recent-rooms').waitFor();
  await page.locator(`[data-testid="admin-recent-room"][data-room-id="${roomId}"]`).click();
  await page.getByTestId('invite-list').waitFor();
  const rows = page.getByTestId('invite-row');
  expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-role')))).toEqual(['public', 'secretary', 'member', 'host']);
  const hostShort = await rows.nth(3).getByTestId('invite-short-link').getAttribute('href');
  const memberShort = await rows.nth(2).getByTestId('invite-short-link').getAttribute('href');
  expect(hostShort).toMatch(/\/j\/[1-9A-HJ-NP-Za-km-z]{8}$/);
  await shot(page, 'reopened');

  // --- revoking asks in the row, then the row says revoked --------------------------------------
  await rows.nth(2).getByTestId('invite-revoke').click();
  expect(await rows.nth(2).textContent()).toContain('撤销“王委员”的邀请？');
  await rows.nth(2).getByTestId('invite-revoke-confirm').click();
  await eventually(() => rows.nth(2).getAttribute('data-status'), (s) => s === 'revoked');
  expect(await rows.nth(2).getByTestId('invite-status').textContent()).toContain('已撤销');
  expect(await rows.nth(2).getByTestId('invite-revoke').count()).toBe(0);
  await shot(page, 'revoked');

  // --- cards by audience: the poster alone on its sheet, staff apart from members ---------------
  expect(await page.getByTestId('cards-members').getByTestId('invite-card').count()).toBe(0); // the member was revoked
  expect(await page.getByTestId('cards-staff').getByTestId('invite-card').count()).toBe(2);
  expect(await page.getByTestId('poster-meeting-number').textContent()).toContain(meetingNumber);
  // The QR code loads (it encodes the short link: see test/short-links.test.ts for its density).
  await eventually(() => page.locator('.poster-qr').evaluate((img) => (img as HTMLImageElement).naturalWidth), (w) => w > 0);
  // The print dialog is the browser's; here the page only has to be ready for it.
  await page.evaluate(() => {
    window.print = () => undefined;
  });
  await page.getByTestId('print-public').click();
  await page.emulateMedia({ media: 'print' });
  expect(await page.getByTestId('poster').isVisible()).toBe(true);
  expect(await page.getByTestId('cards-staff').isVisible()).toBe(false);
  expect(await page.getByTestId('invite-list').isVisible()).toBe(false);
  expect(await page.getByTestId('poster').textContent()).toMatch(/扫码参与.*请用手机扫码入会/);
  expect(await page.getByTestId('poster').textContent()).toContain('2026');
  await shot(page, 'print-public');
  await page.emulateMedia({ media: 'screen' });
  await page.getByTestId('print-staff').click();
  await page.emulateMedia({ media: 'print' });
  expect(await page.getByTestId('poster').isVisible()).toBe(false);
  expect(await page.getByTestId('cards-staff').isVisible()).toBe(true);
  expect(await page.getByTestId('cards-staff').textContent()).toContain('请用手机扫码入会');
  await shot(page, 'print-staff');
  await page.emulateMedia({ media: 'screen' });
  // Printed from the browser's own menu: every audience, each from a sheet of its own (A4).
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await eventually(() => page.locator('section.invites').getAttribute('data-printing'), (v) => v === 'all');
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', path: path.join(OUTPUT_DIR, 'admin-print-all.pdf') });
  await page.emulateMedia({ media: 'screen' });
  const sheets = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
  expect(sheets).toBe(2); // the poster, then the staff's cards (the one member card was revoked)

  // --- short links: the host's opens the host's join page; the revoked one says so --------------
  const visitor = await openPage(browser, { width: 390, height: 844 });
  await visitor.goto(hostShort ?? '');
  await visitor.getByTestId('join-role').waitFor();
  expect(await visitor.getByTestId('join-role').getAttribute('data-role')).toBe('host');
  expect(visitor.url()).toContain('/join?invite=');
  await visitor.goto(memberShort ?? '');
  const failed = visitor.getByTestId('short-link-failed');
  await failed.waitFor();
  expect(await failed.getAttribute('data-code')).toBe('INVITE_REVOKED');
  expect(await failed.textContent()).toContain('此邀请已被撤销');
  await shot(visitor, 'short-link-revoked');
  await visitor.goto(`${server.url}/j/zzzzzzzz`);
  await failed.waitFor();
  expect(await failed.textContent()).toContain('找不到这个链接');
  await shot(visitor, 'short-link-unknown');

  // --- the start page: 会议号 leads to the public entry ------------------------------------------
  await visitor.goto(`${server.url}/`);
  await visitor.getByTestId('meeting-number').fill(meetingNumber);
  await shot(visitor, 'landing-meeting-number');
  await visitor.getByTestId('meeting-number-submit').click();
  // The public watch and comment: the number opens the public page (直播 and 留言), never a join page.
  await visitor.getByTestId('public-page').waitFor();
  await visitor.locator('.public-topic').waitFor();
  expect(await visitor.locator('.public-topic').textContent()).toBe('老旧小区加装电梯协商');
  expect(await visitor.getByTestId('join-role').count()).toBe(0);
  await shot(visitor, 'landing-joined-public');

  // A number nobody has, and a room without a public link, are said in words.
  await visitor.goto(`${server.url}/`);
  await visitor.getByTestId('meeting-number').fill('100 000 001');
  await visitor.getByTestId('meeting-number-submit').click();
  await visitor.getByTestId('meeting-number-error').waitFor();
  expect(await visitor.getByTestId('meeting-number-error').textContent()).toContain('没有找到这个会议号');
  const publicRow = rows.nth(0);
  await publicRow.getByTestId('invite-revoke').click();
  await publicRow.getByTestId('invite-revoke-confirm').click();
  await eventually(() => publicRow.getAttribute('data-status'), (s) => s === 'revoked');
  await visitor.getByTestId('meeting-number').fill(meetingNumber);
  await visitor.getByTestId('meeting-number-submit').click();
  await eventually(() => visitor.getByTestId('meeting-number-error').textContent(), (text) => (text ?? '').includes('未开放公众入口'));
  await shot(visitor, 'landing-no-public');
  await visitor.context().close();
  await page.context().close();
}, 120_000);
