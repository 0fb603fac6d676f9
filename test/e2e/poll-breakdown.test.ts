/**
 * Results by venue and by sector, and a second round, in Debian's Chromium: the chair, a member
 * of 主会场 (经济界) and a member of 一区 on a phone (教育界) vote in a secret poll with ten
 * raw Socket.IO members (主会场 and 一区 five each, 二区 two). The chair sees 一区 shown and the
 * rest merged into 其他 with the reason; the phone sees it once published; the chair asks again
 * and reads how each option moved. Screenshots in test-output/poll-breakdown-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { ADMIN_ROUTES, IssuedInvites } from '../../signaling/http/admin.js';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { postJson } from '../helpers/http.js';
import { joinByInvite } from '../helpers/meeting.js';
import { createRoom } from '../helpers/rooms.js';
import { TestPeer } from '../helpers/TestPeer.js';

let server: RunningServer;
let browser: Browser;
const peers: Array<{ peer: TestPeer; venue: string }> = [];

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});
afterAll(() => peers.forEach((p) => p.peer.close()));

const shot = (page: Page, step: string) => screenshot(page, `poll-breakdown-${step}`);

async function memberInvite(roomId: string, venue: string, sector: string, name: string): Promise<string> {
  const issued = await postJson(`${server.url}${ADMIN_ROUTES.invites.path({ roomId })}`, { role: 'member', venue, sector, name }, IssuedInvites, { bearer: server.adminSecret });
  return issued.invites[0]?.token ?? '';
}

/** A member on a page casts a yes/no ballot (0 赞成, 1 反对). */
async function voteOnPage(page: Page, choice: number, tap: boolean): Promise<void> {
  const ballot = page.getByTestId('poll-ballot');
  await ballot.waitFor({ timeout: 10_000 });
  const option = ballot.locator(`[data-testid="poll-option"][data-index="${choice}"]`);
  const submit = ballot.getByTestId('poll-vote-submit');
  if (tap) (await option.tap(), await submit.tap());
  else (await option.click(), await submit.click());
  await page.getByTestId('poll-voted').waitFor({ timeout: 10_000 });
}

/** The raw members vote: by venue, in order, the choices given. */
async function rawVotes(pollId: string, choices: Record<string, number[]>): Promise<void> {
  const next: Record<string, number> = {};
  for (const { peer, venue } of peers) {
    const i = next[venue] ?? 0;
    next[venue] = i + 1;
    await peer.waitForRoom((r) => r.polls[pollId]?.status === 'open');
    await peer.command('poll:vote', { pollId, choices: [choices[venue]?.[i] ?? 0] });
  }
}

const rows = (page: Page, table: string, pollId = 'poll-1') =>
  page.locator(`[data-poll-id="${pollId}"] [data-testid="poll-breakdown-${table}"] [data-testid="poll-breakdown-row"]`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.getAttribute('aria-label') ?? c.textContent)));

test('the chair reads a secret poll by venue with small groups merged, a member reads it once published, and a second round shows the shift', async () => {
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const host = await openPage(browser);
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });
  const chen = await openPage(browser);
  await joinByInvite(chen, server, await memberInvite(roomId, 'city', '经济界', '陈委员'));
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' });
  const phone = await context.newPage();
  await joinByInvite(phone, server, await memberInvite(roomId, 'd1', '教育界', '李委员'));
  for (const [venue, sector, n] of [['city', '经济界', 4], ['d1', '教育界', 4], ['d2', '农业界', 2]] as const) {
    for (let i = 1; i <= n; i++) {
      const peer = await TestPeer.connect(server.url);
      peers.push({ peer, venue });
      await peer.join(await memberInvite(roomId, venue, sector, `${venue}委员${i}`));
    }
  }
  await chen.getByTestId('room').waitFor({ timeout: 30_000 });
  await phone.getByTestId('room').waitFor({ timeout: 30_000 });

  // --- a secret vote: 主会场 4 赞成 1 反对, 一区 1 赞成 4 反对, 二区 2 赞成 ---------------------
  await host.getByTestId('tab-polls').click();
  await host.getByTestId('poll-create').click();
  await host.getByTestId('poll-question').fill('是否同意加装电梯方案？');
  await host.getByTestId('poll-kind').selectOption('yesno');
  await host.getByTestId('poll-secret').check();
  await host.getByTestId('poll-submit-create').click();
  await host.getByTestId('poll-open').click();
  await expect.poll(() => host.getByTestId('poll-turnout').getAttribute('data-eligible'), { timeout: 10_000 }).toBe('12');
  await chen.getByTestId('tab-polls').click();
  await voteOnPage(chen, 0, false);
  await phone.getByTestId('tab-polls').tap();
  await voteOnPage(phone, 0, true);
  await rawVotes('poll-1', { city: [0, 0, 0, 1], d1: [1, 1, 1, 1], d2: [0, 0] });
  await expect.poll(() => host.getByTestId('poll-turnout').getAttribute('data-voted'), { timeout: 10_000 }).toBe('12');

  // --- the chair's result: 一区 shown, the other seven merged, sectors not grouped, and why ---
  await host.getByTestId('poll-close').click();
  await host.getByTestId('poll-breakdown').waitFor({ timeout: 10_000 });
  expect(await rows(host, 'venue')).toEqual([
    ['一区分会场', '5', '1（20%）', '4（80%）', '0（0%）'],
    ['其他', '7', '6（86%）', '1（14%）', '0（0%）'],
  ]);
  expect(await host.getByTestId('poll-breakdown-sector').innerText()).toBe('按界别：不分组显示（各组人数不足，或可相互推算）');
  expect(await host.getByTestId('poll-breakdown-merged').innerText()).toContain('不足 5 人的组');
  // Not public yet: the phone holds no result at all.
  expect(await phone.getByTestId('poll-breakdown').count()).toBe(0);
  await host.getByTestId('poll-breakdown').scrollIntoViewIfNeeded();
  await shot(host, '01-chair-closed');

  await host.getByTestId('poll-publish').click();
  const phoneTable = phone.getByTestId('poll-breakdown-venue');
  await phoneTable.waitFor({ timeout: 10_000 });
  await phoneTable.scrollIntoViewIfNeeded();
  expect(await rows(phone, 'venue')).toEqual(await rows(host, 'venue'));
  await shot(phone, '02-phone-published');

  // --- a second round: the chair asks again, everyone votes again -------------------------------
  await host.getByTestId('poll-again').click();
  await host.getByTestId('poll-second-round').waitFor({ timeout: 10_000 });
  await host.getByTestId('poll-open').click();
  await voteOnPage(chen, 0, false);
  await voteOnPage(phone, 0, true);
  await rawVotes('poll-2', { city: [0, 0, 0, 0], d1: [0, 1, 1, 1], d2: [0, 0] });
  await expect.poll(() => host.getByTestId('poll-turnout').getAttribute('data-voted'), { timeout: 10_000 }).toBe('12');
  await host.getByTestId('poll-close').click();
  // 主会场 all 赞成 now, 一区 2 赞成 3 反对, 二区 2 赞成: 7 → 9 赞成 of 12 (58 % → 75 %), 5 → 3 反对.
  const shift = host.locator('[data-poll-id="poll-2"] [data-testid="poll-shift-row"]');
  await shift.first().waitFor({ timeout: 10_000 });
  expect(await shift.allInnerTexts()).toEqual(['赞成：7 → 9 票，+2 票（+17 个百分点）', '反对：5 → 3 票，-2 票（-17 个百分点）', '弃权：0 → 0 票，无变化']);
  expect(await rows(host, 'venue', 'poll-2')).toEqual([
    ['一区分会场', '5', '2（40%）', '3（60%）', '0（0%）'],
    ['其他', '7', '7（100%）', '0（0%）', '0（0%）'],
  ]);
  await host.locator('[data-poll-id="poll-2"] [data-testid="poll-shift"]').scrollIntoViewIfNeeded();
  await shot(host, '03-chair-second-round');
});
