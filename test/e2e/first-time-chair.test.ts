/**
 * What a first-time chair and a member on a phone used to stumble on, in Debian's Chromium:
 * the phone's join page and lobby say the meeting and who joins before the camera preview;
 * the chair admits by keyboard and the focus stays in the lobby list; "admit all" lists who
 * comes in before it admits them; on the phone the tiles of all venues flow together; the
 * speaker is shown once (on the stage, not again in the gallery); raising a hand and voting
 * by keyboard keep the focus where the member acted. The other members are protocol clients.
 * Screenshots in test-output/first-chair-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { joinByInvite } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { TestPeer } from '../helpers/TestPeer.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

let peers: TestPeer[] = [];
afterEach(() => {
  for (const peer of peers) peer.close();
  peers = [];
});

const PHONE = { width: 390, height: 844 };

/** What has the keyboard focus: its test id, or its id. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.id ?? null);
const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

/** A member as a protocol client, knocking at the lobby from `venue`. */
async function knocking(roomId: string, name: string, venue: string): Promise<{ peer: TestPeer; id: string }> {
  const peer = await TestPeer.connect(server.url);
  peers.push(peer);
  const joined = await peer.join(await invite(server, roomId, 'member', venue), name);
  return { peer, id: joined.participantId };
}

test('a member on a phone and a first-time chair: the meeting first, admitting with the focus kept, tiles that flow, the speaker once', async () => {
  const { roomId, hostInvite } = await createRoom(server, { defaultSpeechSeconds: 600 });
  const host = await openPage(browser);
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });

  // --- the phone's join page: the meeting and who joins, then the preview ----------------------
  const phone = await (await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' })).newPage();
  await phone.goto(`${server.url}/join?invite=${await invite(server, roomId, 'member', 'd1', '李委员')}`);
  await phone.getByTestId('join-preview').waitFor({ timeout: 20_000 });
  const who = await phone.getByRole('region', { name: '会议与参会身份' }).boundingBox();
  const preview = await phone.getByRole('region', { name: '摄像头预览' }).boundingBox();
  expect(who!.y + who!.height).toBeLessThanOrEqual(preview!.y);
  // Topic, name, role and venue on the first screen, without scrolling.
  expect(who!.y + who!.height).toBeLessThanOrEqual(PHONE.height);
  expect(await phone.getByTestId('invite-summary').innerText()).toMatch(/老旧小区加装电梯协商[\s\S]*委员[\s\S]*一区分会场[\s\S]*李委员/);
  await screenshot(phone, 'first-chair-01-phone-join');
  await phone.getByTestId('join-submit').tap();
  await phone.getByTestId('lobby-waiting').waitFor({ timeout: 30_000 });
  const waitingAs = phone.getByTestId('lobby-who');
  expect(await waitingAs.innerText()).toMatch(/老旧小区加装电梯协商[\s\S]*李委员[\s\S]*委员[\s\S]*一区分会场/);
  expect((await waitingAs.boundingBox())!.y).toBeLessThan((await phone.locator('h1').boundingBox())!.y);
  await screenshot(phone, 'first-chair-02-phone-lobby');

  // --- the chair admits one by keyboard; the focus goes on to the next entry -------------------
  const zhang = await knocking(roomId, '张委员', 'd1');
  const wang = await knocking(roomId, '王委员', 'd2');
  await host.getByTestId('tab-people').click();
  await expect.poll(() => host.getByTestId('lobby-entry').count(), { timeout: 10_000 }).toBe(3);
  const waiting = await host.locator('[data-testid="lobby-entry"] .person-name').allInnerTexts();
  const li = waiting.indexOf('李委员');
  const left = waiting.filter((name) => name !== '李委员');
  await host.getByRole('button', { name: '准许 李委员 入会' }).focus();
  await host.keyboard.press('Enter');
  await expect.poll(() => host.getByTestId('lobby-entry').count(), { timeout: 10_000 }).toBe(2);
  await expect.poll(() => focusedLabel(host)).toBe(`准许 ${left[Math.min(li, left.length - 1)]} 入会`);

  // --- admit all: who comes in is listed first, then exactly they come in ----------------------
  await host.getByTestId('lobby-admit-all').focus();
  await host.keyboard.press('Enter');
  const dialog = host.getByTestId('lobby-admit-all-dialog');
  await dialog.waitFor();
  expect(await dialog.getByRole('heading').innerText()).toBe('准许以下 2 人入会？');
  expect(await dialog.getByTestId('lobby-admit-all-listed').allInnerTexts()).toEqual([
    expect.stringMatching(new RegExp(`${left[0]}[\\s\\S]*委员`)),
    expect.stringMatching(new RegExp(`${left[1]}[\\s\\S]*委员`)),
  ]);
  await screenshot(host, 'first-chair-03-host-admit-all-listed');
  await dialog.getByTestId('lobby-admit-all-dialog-confirm').click();
  await expect.poll(() => host.getByTestId('lobby-entry').count(), { timeout: 10_000 }).toBe(0);
  // Nobody waits: the focus is on the lobby's heading, not at the top of the page.
  await expect.poll(() => focused(host)).toBe('lobby-heading');
  for (const m of [zhang, wang]) {
    await m.peer.waitForRoom((s) => s.participants[m.id]?.status === 'admitted');
    await m.peer.joinMedia();
  }

  // --- the phone's gallery: the venues' tiles flow together, two a row -------------------------
  await phone.getByTestId('room').waitFor({ timeout: 30_000 });
  await expect.poll(() => phone.getByTestId('peer-tile').count(), { timeout: 20_000 }).toBe(3);
  const tileTops = () =>
    phone.locator('[data-testid="gallery"] figure').evaluateAll((tiles) => tiles.map((t) => Math.round(t.getBoundingClientRect().top)));
  // 主会场 (the chair), 一区 (me and 张委员), 二区 (王委员): four tiles in two rows, not three.
  const tops = await tileTops();
  expect(tops).toHaveLength(4);
  expect(new Set(tops).size).toBe(2);
  // Each tile still says its venue.
  expect(await phone.locator('[data-testid="peer-tile"] .tile-venue').allInnerTexts()).toEqual(['主会场', '一区分会场', '二区分会场']);
  await screenshot(phone, 'first-chair-04-phone-gallery');

  // --- the speaker once: on the stage, not again in the gallery --------------------------------
  await host.locator('[data-testid="participant-entry"]', { hasText: '王委员' }).getByTestId('participant-grant').click();
  await phone.getByTestId('floor-stage').waitFor({ timeout: 10_000 });
  expect(await phone.getByTestId('floor-holder').innerText()).toBe('王委员');
  await expect.poll(() => phone.getByTestId('peer-tile').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-peer-id')))).not.toContain(wang.id);
  expect(await phone.getByTestId('peer-tile').count()).toBe(2);
  await screenshot(phone, 'first-chair-05-phone-speaker-once');

  // --- raising a hand and voting by keyboard keep the focus where the member acted -------------
  await phone.getByTestId('tab-queue').tap();
  await phone.getByTestId('queue-note').focus();
  await phone.keyboard.type('补充一点');
  await phone.keyboard.press('Enter');
  await phone.getByTestId('queue-place').waitFor({ timeout: 10_000 });
  await expect.poll(() => focused(phone)).toBe('queue-withdraw');

  await host.getByTestId('tab-polls').click();
  await host.getByTestId('poll-create').click();
  await host.getByTestId('poll-question').fill('是否同意加装电梯方案？');
  await host.getByTestId('poll-submit-create').click();
  await host.getByTestId('poll-open').click();
  await phone.getByTestId('tab-polls').tap();
  await phone.getByTestId('poll-ballot').waitFor({ timeout: 10_000 });
  await phone.locator('[data-testid="poll-option"][data-index="0"]').focus();
  await phone.keyboard.press('Space');
  await phone.keyboard.press('Enter');
  await phone.getByTestId('poll-voted').waitFor({ timeout: 10_000 });
  await expect.poll(() => focused(phone)).toBe('poll-voted');
  await screenshot(phone, 'first-chair-06-phone-voted');
});
