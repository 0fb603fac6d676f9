/**
 * The minutes through the real UI in Debian's Chromium (issue 5): a member speaks; the
 * secretary opens the 纪要 tab, writes the passage under that speech and saves it; a second
 * secretary's page shows the saved text as it arrives; the chair ends the meeting, both
 * secretaries stay on the end screen with the minutes; the first locks them (after a second
 * click), the second sees the locked, read-only text with its hash explained; the Word file
 * downloads with the invite as bearer, named by topic and day, and 打印页 opens the print view
 * in a new tab and asks to print it. On a phone, a member submits a written statement from the same
 * tab and the secretary finds it marked as written. Screenshots in test-output/minutes-*.png.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { joinByInvite, scrollsSideways } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { TestPeer } from '../helpers/TestPeer.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const shot = (page: Page, step: string) => screenshot(page, `minutes-${step}`);

/** The first speech's passage editor on a page. */
const firstSpeech = (page: Page) => page.getByTestId('minutes-speech').first();

test('a secretary writes and saves a passage, a second secretary sees it, and the locked minutes download', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const host = await openPage(browser);
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });

  // The speaker's own page is not what this test is about: a protocol client speaks.
  const member = await TestPeer.connect(server.url);
  await member.join(await invite(server, roomId, 'member', 'd1', '李委员'));
  const secA = await openPage(browser);
  await joinByInvite(secA, server, await invite(server, roomId, 'secretary', 'city', '赵记录'));
  await secA.getByTestId('room').waitFor({ timeout: 30_000 });
  const secB = await openPage(browser);
  await joinByInvite(secB, server, await invite(server, roomId, 'secretary', 'city', '钱记录'));
  await secB.getByTestId('room').waitFor({ timeout: 30_000 });

  // --- a speech -------------------------------------------------------------------------------
  await member.command('queue:raise', { speechType: 'statement', note: '关于费用分摊' });
  await host.getByTestId('tab-queue').click();
  await host.getByTestId('queue-entry').waitFor({ timeout: 10_000 });
  await host.getByTestId('queue-grant-next').click();
  await member.waitForRoom((room) => room.floor !== null);
  await member.command('floor:yield', {});
  await host.getByTestId('floor-stage').waitFor({ state: 'detached', timeout: 10_000 });
  member.close();

  // --- the first secretary writes the passage and saves it ------------------------------------
  await secA.getByTestId('tab-minutes').click();
  await firstSpeech(secA).waitFor({ timeout: 10_000 });
  // The record from the log: who spoke, from which venue, with which note.
  const record = await firstSpeech(secA).innerText();
  expect(record).toContain('李委员');
  expect(record).toContain('一区分会场');
  expect(record).toContain('关于费用分摊');
  const passage = '李委员建议按楼层分摊加装电梯费用，低层住户适当减免。';
  const box = firstSpeech(secA).getByTestId('minutes-section-text');
  await box.fill(passage);
  await expect.poll(() => firstSpeech(secA).getByTestId('minutes-save-status').innerText()).toBe('有未保存的修改');
  // Saved from the keyboard, without leaving the text box.
  await box.press('Control+Enter');
  await expect.poll(() => firstSpeech(secA).getByTestId('minutes-save-status').innerText(), { timeout: 10_000 }).toContain('已保存');
  expect(await firstSpeech(secA).getByTestId('minutes-save').isDisabled()).toBe(true);
  await expect.poll(() => firstSpeech(secA).getByTestId('minutes-section').getAttribute('data-version')).toBe('1');
  await shot(secA, '01-secretary-saved');

  // --- the second secretary's page follows ----------------------------------------------------
  await secB.getByTestId('tab-minutes').click();
  await expect.poll(() => firstSpeech(secB).getByTestId('minutes-section-text').inputValue(), { timeout: 10_000 }).toBe(passage);

  // --- the chair ends the meeting; the secretaries stay with the minutes ------------------------
  await host.getByTestId('tab-people').click();
  await host.getByTestId('room-end').click();
  // Asked in the page, not by the browser.
  await host.getByTestId('room-end-dialog-confirm').click();
  for (const page of [secA, secB]) await page.getByTestId('review-minutes').waitFor({ timeout: 20_000 });
  expect(await firstSpeech(secA).getByTestId('minutes-section-text').inputValue()).toBe(passage);

  // --- lock: asked, then done ---------------------------------------------------------------
  const lock = secA.getByTestId('minutes-lock');
  await lock.click();
  await expect.poll(() => lock.getAttribute('data-confirming')).toBe('true');
  await secA.getByTestId('minutes-lock-dialog-confirm').click();
  await expect.poll(() => secA.getByTestId('minutes-version-state').innerText(), { timeout: 10_000 }).toBe('已锁定');
  const hash = await secA.getByTestId('minutes-content-hash').innerText();
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  expect(await secA.getByTestId('minutes-save').count()).toBe(0);
  expect(await firstSpeech(secA).getByTestId('minutes-section-text').getAttribute('readonly')).not.toBeNull();
  // The hashes come with one plain sentence on what they are for.
  expect(await secA.getByTestId('minutes-hash-explained').innerText()).toBe(
    '这两串编码是本版纪要的“指纹”：纪要或会议记录只要改动一个字，编码就会不同，日后凭它就能核对下载的文件是否被改动过。',
  );
  await shot(secA, '02-secretary-locked');

  // The second secretary sees the same locked text and hash, read-only, with 新版本 on offer.
  await expect.poll(() => secB.getByTestId('minutes-version-state').innerText(), { timeout: 10_000 }).toBe('已锁定');
  expect(await secB.getByTestId('minutes-content-hash').innerText()).toBe(hash);
  expect(await firstSpeech(secB).getByTestId('minutes-section-text').inputValue()).toBe(passage);
  expect(await firstSpeech(secB).getByTestId('minutes-section-text').getAttribute('readonly')).not.toBeNull();
  expect(await secB.getByTestId('minutes-new-version').innerText()).toBe('新版本');
  await shot(secB, '03-second-secretary-locked');

  // --- the Word file, fetched with the invite as bearer ----------------------------------------
  const [download] = await Promise.all([secA.waitForEvent('download', { timeout: 30_000 }), secA.getByTestId('minutes-download-docx').click()]);
  // Saved under the topic and the meeting's day (in Beijing), as a secretary would file it.
  const day = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long' }).format(Date.now());
  expect(download.suggestedFilename()).toBe(`老旧小区加装电梯协商-${day}-纪要-第1版.docx`);
  const file = await download.path();
  const bytes = readFileSync(file);
  // A DOCX is a zip archive.
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

  // --- 打印页: the print view in a new tab, the print dialog asked for once it has loaded ----------
  // Headless Chromium has no print dialog: count the calls instead (a string, see openPage).
  await secA.context().addInitScript('window.print = () => { const d = document.documentElement.dataset; d.printed = String(Number(d.printed || 0) + 1); };');
  const [printTab] = await Promise.all([secA.waitForEvent('popup', { timeout: 10_000 }), secA.getByTestId('minutes-download-html').click()]);
  await expect.poll(() => printTab.evaluate(() => document.documentElement.dataset['printed'] ?? ''), { timeout: 15_000 }).toBe('1');
  expect(await printTab.title()).toBe('会议纪要 · 老旧小区加装电梯协商');
  const printed = await printTab.locator('body').innerText();
  expect(printed).toContain(passage);
  expect(printed).toMatch(/应到委员 \d+ 人，实到 \d+ 人；/);
  // Laid out by its own style (which the page it came from allows by hash), not bare text.
  expect(await printTab.locator('h1').evaluate((h1) => getComputedStyle(h1).textAlign)).toBe('center');
  await screenshot(printTab, 'minutes-04-print-view');
  // Nothing was downloaded for it, and the page that opened it reports no failure.
  expect(await secA.getByTestId('minutes-download-status').innerText()).toBe('');
});

test('a member on a phone submits a written statement; the secretary sees it marked as written', async () => {
  // An open room: nobody needs the chair to let them in, and the chair's page plays no part.
  const { roomId } = await createRoom(server, { open: true });
  const secretary = await openPage(browser);
  await joinByInvite(secretary, server, await invite(server, roomId, 'secretary', 'city', '赵记录'));
  await secretary.getByTestId('room').waitFor({ timeout: 30_000 });

  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' });
  const phone = await context.newPage();
  await joinByInvite(phone, server, await invite(server, roomId, 'member', 'd2', '孙委员'));
  await phone.getByTestId('room').waitFor({ timeout: 30_000 });
  await phone.getByTestId('tab-minutes').tap();
  const text = phone.getByTestId('minutes-statement-text');
  await text.waitFor({ timeout: 10_000 });
  // Markup typed by a member is text, never HTML.
  const statement = '<script>alert(1)</script>建议电梯井道外置，减少对住户采光的影响。';
  await text.fill(statement);
  const submit = phone.getByTestId('minutes-statement-submit');
  await submit.scrollIntoViewIfNeeded();
  const box = await submit.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await submit.tap();
  await expect.poll(() => phone.getByTestId('minutes-statement-sent').innerText(), { timeout: 10_000 }).toBe('书面发言已提交。');
  expect(await phone.getByTestId('minutes-my-statement').innerText()).toContain(statement);
  const { scrollWidth, innerWidth } = await scrollsSideways(phone);
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  await shot(phone, '04-phone-statement');
  // The longer English tab names still fit the phone's width.
  await phone.getByTestId('lang-switch').tap();
  await expect.poll(() => phone.getByTestId('tab-minutes').innerText()).toContain('Minutes');
  for (const testId of ['tab-minutes', 'sheet-toggle']) {
    const box = await phone.getByTestId(testId).boundingBox();
    expect(box!.x + box!.width, testId).toBeLessThanOrEqual(390);
  }
  expect((await scrollsSideways(phone)).scrollWidth).toBeLessThanOrEqual(390);
  // No tab name is cut off.
  const clipped = await phone.getByRole('tab').evaluateAll((tabs) => tabs.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.textContent));
  expect(clipped).toEqual([]);
  await shot(phone, '05-phone-english');

  await secretary.getByTestId('tab-minutes').click();
  const written = secretary.getByTestId('minutes-statement');
  await written.waitFor({ timeout: 10_000 });
  const shown = await written.innerText();
  expect(shown).toContain('书面');
  expect(shown).toContain('孙委员');
  expect(shown).toContain(statement);
  expect(await written.locator('script').count()).toBe(0);
  await shot(secretary, '06-secretary-statements');
  await context.close();
});
