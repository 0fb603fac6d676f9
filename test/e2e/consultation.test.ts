/**
 * A consultation through the real UI in Debian's Chromium, in two parts. First a chair and
 * three members from two venues join by invite links, the chair admits them from the lobby,
 * the members raise hands, the chair reorders the list and gives the floor for a short time;
 * the speaker is on the stage with a running countdown, and once the floor runs out the
 * others stop receiving the speaker's audio. Then, in a room of its own, a yes/no vote is
 * taken and published, and a member reloads the page and comes back to the same place in line
 * and the same vote (the members who only vote there are protocol clients, so that part runs
 * two browser pages, not four). Screenshots of every step go to test-output/consultation-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { eventually, inboundPackets, openPage, remoteVideos, screenshot } from '../helpers/browser.js';
import { audioPacketsFrom, floorVideoFrames, joinByInvite } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { TestPeer } from '../helpers/TestPeer.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Protocol clients of the current test, closed after it. */
let peers: TestPeer[] = [];
afterEach(() => {
  for (const peer of peers) peer.close();
  peers = [];
});
const shot = (page: Page, step: string) => screenshot(page, `consultation-${step}`);

/** The participant ids of the speakers' list, in order, as the page shows it. */
const queueOrder = (page: Page) => page.getByTestId('queue-entry').evaluateAll((els) => els.map((el) => el.getAttribute('data-participant-id')));

/**
 * Starts recording, inside the page, every distinct reading of the floor countdown (text and
 * phase) at the moment the page renders it.
 */
const recordCountdown = (page: Page) =>
  page.evaluate(() => {
    const log: Array<{ text: string; phase: string; at: number }> = [];
    Object.assign(window, { __countdownLog: log });
    const read = (): void => {
      const el = document.querySelector('[data-testid="floor-countdown"]');
      if (el === null) return;
      const reading = { text: el.querySelector('.countdown-time')?.textContent ?? '', phase: el.getAttribute('data-phase') ?? '' };
      const last = log[log.length - 1];
      if (last?.text !== reading.text || last.phase !== reading.phase) log.push({ ...reading, at: Math.round(performance.now()) });
    };
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });

/** What recordCountdown saw, in order. */
const recordedCountdown = (page: Page) =>
  page.evaluate(() => (window as unknown as { __countdownLog: Array<{ text: string; phase: string; at: number }> }).__countdownLog);

/** The place in line a member's own page shows (null when the hand is down). */
const placeOf = async (page: Page) => {
  const place = page.getByTestId('queue-place');
  return (await place.count()) === 0 ? null : Number(await place.getAttribute('data-place'));
};

test('a chair and three members from two venues hold a consultation: lobby, speakers, floor with its countdown, silence after it', async () => {
  // Floor-only speaking is the default; 10 s to speak, amber 3 s before the end, 2 s of grace.
  const { roomId, hostInvite } = await createRoom(server, { defaultSpeechSeconds: 10, warningSeconds: 3, graceSeconds: 2 });
  const invites = {
    zhang: await invite(server, roomId, 'member', 'city', '张委员'),
    li: await invite(server, roomId, 'member', 'd1'),
    wang: await invite(server, roomId, 'member', 'd1'),
  };

  // --- joining: the chair goes straight in, members wait in the lobby -----------------------
  const host = await openPage(browser);
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });

  const zhang = await openPage(browser);
  const li = await openPage(browser);
  const wang = await openPage(browser);
  await zhang.goto(`${server.url}/join?invite=${invites.zhang}`);
  await zhang.getByTestId('invite-summary').waitFor();
  // A named invite shows the name and asks for none.
  await expect.poll(() => zhang.getByTestId('join-invite-name').innerText()).toBe('张委员');
  expect(await zhang.getByTestId('join-name').count()).toBe(0);
  expect(await zhang.getByTestId('join-venue').innerText()).toBe('主会场');
  await shot(zhang, '01-join-named-invite');
  await zhang.getByTestId('join-submit').click();
  await joinByInvite(li, server, invites.li, '李委员');
  await joinByInvite(wang, server, invites.wang, '王委员');
  for (const page of [zhang, li, wang]) await page.getByTestId('lobby-waiting').waitFor({ timeout: 30_000 });
  await shot(li, '02-member-lobby');

  await host.getByTestId('tab-people').click();
  const lobbyEntry = (name: string) => host.getByTestId('lobby-entry').filter({ hasText: name });
  await eventually(() => host.getByTestId('lobby-entry').count(), (n) => n === 3, 20_000);
  const ids = {
    zhang: (await lobbyEntry('张委员').getAttribute('data-participant-id')) ?? '',
    li: (await lobbyEntry('李委员').getAttribute('data-participant-id')) ?? '',
    wang: (await lobbyEntry('王委员').getAttribute('data-participant-id')) ?? '',
  };
  expect(new Set(Object.values(ids)).size).toBe(3);
  // The lobby shows each person's venue, so the chair knows who is knocking.
  await expect.poll(() => lobbyEntry('李委员').innerText()).toContain('一区分会场');
  await shot(host, '03-host-lobby');

  // One by one, then everybody else at once.
  await lobbyEntry('张委员').getByTestId('lobby-admit').click();
  await zhang.getByTestId('room').waitFor({ timeout: 30_000 });
  await eventually(() => host.getByTestId('lobby-entry').count(), (n) => n === 2, 10_000);
  await host.getByTestId('lobby-admit-all').click();
  // It lists whom it admits before it does.
  const listed = await host.locator('[data-testid="lobby-admit-all-listed"] .person-name').allInnerTexts();
  expect(listed.sort()).toEqual(['李委员', '王委员'].sort());
  await host.getByTestId('lobby-admit-all-dialog-confirm').click();
  for (const page of [li, wang]) await page.getByTestId('room').waitFor({ timeout: 30_000 });

  // The chair sees everybody's camera; the people list groups them by venue.
  await eventually(
    () => remoteVideos(host),
    (videos) => videos.length === 3 && videos.every((v) => v.frames > 0),
    60_000,
  );
  const venueOf = (id: string) => host.locator(`[data-testid="participant-entry"][data-participant-id="${id}"]`).evaluate((el) => el.closest('[data-venue]')?.getAttribute('data-venue'));
  expect(await venueOf(ids.zhang)).toBe('city');
  expect(await venueOf(ids.li)).toBe('d1');
  expect(await venueOf(ids.wang)).toBe('d1');
  // Floor-only speaking: members are held silent and told why.
  await expect.poll(() => li.getByTestId('mic-status').getAttribute('data-status'), { timeout: 20_000 }).toBe('waitingFloor');
  await shot(host, '04-host-people');

  // --- the list of speakers -------------------------------------------------------------------
  const raise = async (page: Page, type: string, note: string) => {
    await page.getByTestId('queue-type').selectOption(type);
    await page.getByTestId('queue-note').fill(note);
    await page.getByTestId('queue-raise').click();
    await page.getByTestId('queue-place').waitFor({ timeout: 10_000 });
  };
  await raise(zhang, 'statement', '谈资金分摊');
  await raise(li, 'question', '低层住户的补偿');
  await raise(wang, 'supplement', '补充施工期安排');
  expect([await placeOf(zhang), await placeOf(li), await placeOf(wang)]).toEqual([1, 2, 3]);
  await shot(wang, '05-member-hand-raised');

  await host.getByTestId('tab-queue').click();
  await eventually(() => queueOrder(host), (order) => order.length === 3, 10_000);
  expect(await queueOrder(host)).toEqual([ids.zhang, ids.li, ids.wang]);
  const row = (id: string) => host.locator(`[data-testid="queue-entry"][data-participant-id="${id}"]`);
  // Each entry shows its kind of speech and the note.
  await expect.poll(() => row(ids.li).innerText()).toContain('低层住户的补偿');
  // The chair moves 王委员 to the front: up twice.
  await row(ids.wang).getByTestId('queue-move-up').click();
  await eventually(() => queueOrder(host), (o) => o[1] === ids.wang, 10_000);
  await row(ids.wang).getByTestId('queue-move-up').click();
  await eventually(() => queueOrder(host), (o) => o[0] === ids.wang, 10_000);
  // …and 张委员 behind 李委员: down once.
  await row(ids.zhang).getByTestId('queue-move-down').click();
  await eventually(() => queueOrder(host), (o) => o.join() === [ids.wang, ids.li, ids.zhang].join(), 10_000);
  // Every member's own page follows.
  await eventually(async () => [await placeOf(wang), await placeOf(li), await placeOf(zhang)], (p) => p.join() === '1,2,3', 10_000);
  await shot(host, '06-host-queue-reordered');
  await shot(zhang, '07-member-moved-down');

  // --- the floor ------------------------------------------------------------------------------
  // The chair mutes their own microphone while the member speaks, so that what a listener
  // receives is the speaker alone.
  await host.getByTestId('toggle-mic').click();
  await eventually(() => host.getByTestId('toggle-mic').getAttribute('data-state'), (s) => s === 'off', 10_000);
  // Let the chair's last packets arrive before listening.
  await sleep(1_000);
  const liTotalBefore = (await inboundPackets(li)).audio;
  const liFromWangBefore = await audioPacketsFrom(li, ids.wang);

  // The chosen time is the room's default (10 s), offered in the list as "10 s".
  expect(await host.getByTestId('speech-seconds').inputValue()).toBe('10');
  // The listener's page records every reading of its countdown as it renders it, so what the
  // test sees does not depend on how often a busy machine lets the test look.
  await recordCountdown(li);
  await host.getByTestId('queue-grant-next').click();

  // The listener (李委员) sees the speaker on the stage, with their camera playing.
  await li.getByTestId('floor-stage').waitFor({ timeout: 10_000 });
  expect(await li.getByTestId('floor-holder').innerText()).toContain('王委员');
  const firstFrames = await eventually(() => floorVideoFrames(li), (v) => v.frames > 0 && v.width > 0, 10_000);
  // The speaker's own page says so, and their microphone is live.
  await wang.getByTestId('floor-stage').waitFor({ timeout: 10_000 });
  await eventually(() => wang.getByTestId('mic-status').getAttribute('data-status'), (s) => s === 'live', 10_000);
  expect(await wang.getByTestId('mic-status').innerText()).toBe('可以发言');
  await eventually(() => wang.getByTestId('toggle-mic').getAttribute('data-mic-status'), (s) => s === 'live', 10_000);
  expect(await placeOf(wang)).toBeNull();
  await shot(li, '08-listener-floor-normal');
  await shot(wang, '08-speaker-floor');

  // At the warning (amber), the speaker has been heard for seconds: count what arrived. The
  // page's own log says the warning came (on a busy machine the steps above may outlast it);
  // the screenshots are taken while it is still on.
  await eventually(() => recordedCountdown(li), (log) => log.some((s) => s.phase === 'warning'), 15_000);
  const audioDuringSpeech = { total: (await inboundPackets(li)).audio, fromWang: await audioPacketsFrom(li, ids.wang) };
  if ((await li.locator('[data-testid="floor-countdown"][data-phase="warning"]').count()) > 0) {
    await shot(li, '08-listener-floor-warning');
    await shot(host, '08-host-floor-warning');
  }
  // The grace period lasts 2 s and may be over by the time the steps above are done on a busy
  // machine: the page's own log says it came. The screenshot is taken if it is still on.
  await eventually(() => recordedCountdown(li), (log) => log.some((s) => s.phase === 'grace'), 15_000);
  if ((await li.locator('[data-testid="floor-countdown"][data-phase="grace"]').count()) > 0) await shot(li, '08-listener-floor-grace');
  // The floor ends by itself after the grace period.
  await li.getByTestId('floor-stage').waitFor({ state: 'detached', timeout: 15_000 });
  const seen = await recordedCountdown(li);
  const phases = seen.map((s) => s.phase).filter((p, i, all) => all[i - 1] !== p);
  // (The last moment before the server's end of the floor arrives may read 'over'.)
  expect(phases.filter((p) => p !== 'over'), JSON.stringify(seen)).toEqual(['normal', 'warning', 'grace']);
  expect(phases.slice(0, -1)).not.toContain('over');
  // The numbers run: several different readings, counting down, then overtime (+mm:ss).
  const texts = [...new Set(seen.map((s) => s.text))];
  expect(texts.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(6);
  expect(seen.find((s) => s.phase === 'normal')?.text).toMatch(/^00:(10|0[5-9])$/);
  expect(seen.find((s) => s.phase === 'grace')?.text).toMatch(/^\+00:0[0-2]$/);
  // Counting down in normal time: each reading below the one before.
  const normal = seen.filter((s) => s.phase === 'normal').map((s) => s.text);
  expect([...normal].sort().reverse(), JSON.stringify(seen)).toEqual(normal);
  // The stage video kept playing during the speech.
  expect(firstFrames.frames).toBeGreaterThan(0);
  // While speaking, 王委员 reached the listener (and, the chair being muted, only 王委员).
  expect(audioDuringSpeech.fromWang - liFromWangBefore).toBeGreaterThan(50);
  expect(audioDuringSpeech.total - liTotalBefore).toBeGreaterThan(50);

  // After the floor ran out: nothing more of 王委员 reaches the listener.
  await sleep(500);
  const afterTotal = (await inboundPackets(li)).audio;
  const afterFromWang = await audioPacketsFrom(li, ids.wang);
  await sleep(1_500);
  expect(await audioPacketsFrom(li, ids.wang)).toBe(afterFromWang);
  expect((await inboundPackets(li)).audio).toBe(afterTotal);
  // The speaker is told why again, and the list moved on.
  await expect.poll(() => wang.getByTestId('mic-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('waitingFloor');
  expect(await queueOrder(host)).toEqual([ids.li, ids.zhang]);
  await eventually(async () => [await placeOf(li), await placeOf(zhang)], (p) => p.join() === '1,2', 10_000);
  await shot(li, '09-listener-after-floor');
  for (const page of [host, zhang, li, wang]) await page.context().close();
});

test('a yes/no vote is taken and published; a member who reloads comes back to the same place in line and the same vote', async () => {
  // An open room (no lobby: the first test covers it). The chair and 李委员 are browsers; the
  // other two members are protocol clients who raise a hand and vote.
  const { roomId, hostInvite } = await createRoom(server, { open: true });
  const host = await openPage(browser);
  await joinByInvite(host, server, hostInvite, '周主持');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });
  const li = await openPage(browser);
  await joinByInvite(li, server, await invite(server, roomId, 'member', 'd1'), '李委员');
  await li.getByTestId('room').waitFor({ timeout: 30_000 });
  const zhang = await TestPeer.connect(server.url);
  const wang = await TestPeer.connect(server.url);
  peers.push(zhang, wang);
  await zhang.join(await invite(server, roomId, 'member', 'city', '张委员'));
  await wang.join(await invite(server, roomId, 'member', 'd1'), '王委员');
  const ids = { zhang: zhang.joined?.participantId ?? '', wang: wang.joined?.participantId ?? '', li: '' };

  // 张委员 first in line, then 李委员 from the page.
  await zhang.command('queue:raise', { speechType: 'statement', note: '谈资金分摊' });
  await li.getByTestId('tab-queue').click();
  await li.getByTestId('queue-note').fill('低层住户的补偿');
  await li.getByTestId('queue-raise').click();
  await eventually(() => placeOf(li), (p) => p === 2, 10_000);
  ids.li = (await li.getByTestId('queue-entry').nth(1).getAttribute('data-participant-id')) ?? '';
  expect(ids.li).not.toBe('');

  // --- a yes/no vote --------------------------------------------------------------------------
  const question = '是否同意加装电梯方案？';
  await host.getByTestId('tab-polls').click();
  await host.getByTestId('poll-create').click();
  await host.getByTestId('poll-question').fill(question);
  await host.getByTestId('poll-kind').selectOption('yesno');
  await host.getByTestId('poll-threshold').selectOption('simple');
  await shot(host, '10-host-poll-form');
  await host.getByTestId('poll-submit-create').click();
  await host.getByTestId('poll-open').click();
  await expect.poll(() => host.getByTestId('poll-turnout').getAttribute('data-eligible'), { timeout: 10_000 }).toBe('3');
  const pollId = (await zhang.waitForRoom((room) => room.pollOrder.length === 1)).pollOrder[0] ?? '';

  await li.getByTestId('tab-polls').click();
  await li.getByTestId('poll-ballot').waitFor({ timeout: 10_000 });
  expect(await li.getByTestId('poll-ballot').innerText()).toContain(question);
  // Nothing chosen yet: the ballot cannot be cast.
  expect(await li.getByTestId('poll-vote-submit').isDisabled()).toBe(true);
  await shot(li, '11-member-ballot');
  await li.locator('[data-testid="poll-option"][data-index="0"]').check(); // 赞成
  await li.getByTestId('poll-vote-submit').click();
  await li.getByTestId('poll-voted').waitFor({ timeout: 10_000 });
  expect(await li.getByTestId('poll-voted').innerText()).toContain('赞成');
  await zhang.command('poll:vote', { pollId, choices: [0] }); // 赞成
  await wang.command('poll:vote', { pollId, choices: [1] }); // 反对
  await shot(li, '12-member-voted');
  await expect.poll(() => host.getByTestId('poll-turnout').getAttribute('data-voted'), { timeout: 10_000 }).toBe('3');
  await shot(host, '13-host-turnout');

  // --- a member reloads mid-meeting -------------------------------------------------------------
  // 李委员 is second in line when the page goes.
  await li.reload();
  await li.getByTestId('invite-summary').waitFor({ timeout: 20_000 });
  // The page says they were in the meeting, and the name typed before is still there.
  await li.getByTestId('join-returning').waitFor({ timeout: 10_000 });
  expect(await li.getByTestId('join-name').inputValue()).toBe('李委员');
  await shot(li, '14-member-reloaded-join');
  await li.getByTestId('join-submit').click();
  await li.getByTestId('room').waitFor({ timeout: 30_000 });
  // Same participant: same place in line, same vote.
  await li.getByTestId('tab-queue').click();
  await eventually(() => placeOf(li), (p) => p === 2, 10_000);
  expect(await queueOrder(li)).toEqual([ids.zhang, ids.li]);
  await li.getByTestId('tab-polls').click();
  await li.getByTestId('poll-voted').waitFor({ timeout: 10_000 });
  expect(await li.getByTestId('poll-voted').innerText()).toContain('赞成');
  expect(await li.getByTestId('poll-ballot').count()).toBe(0);
  // Nobody new appeared for the chair: still three members.
  await host.getByTestId('tab-people').click();
  await eventually(() => host.locator('[data-testid="participant-entry"][data-role="member"]').count(), (n) => n === 3, 10_000);
  expect(await host.locator('[data-testid="participant-entry"][data-role="member"]').count()).toBe(3);
  await shot(li, '15-member-back-after-reload');

  // --- results --------------------------------------------------------------------------------
  await host.getByTestId('tab-polls').click();
  await host.getByTestId('poll-close').click();
  await host.getByTestId('poll-publish').click();
  for (const page of [host, li]) {
    await page.getByTestId('tab-polls').click();
    const bars = await eventually(
      () => page.getByTestId('poll-result-bar').evaluateAll((els) => els.map((el) => [el.getAttribute('data-count'), el.getAttribute('data-percent')])),
      (b) => b.length === 3,
      10_000,
    );
    // 赞成 2 (67 %), 反对 1 (33 %), 弃权 0.
    expect(bars).toEqual([
      ['2', '67'],
      ['1', '33'],
      ['0', '0'],
    ]);
    expect(await page.getByTestId('poll-passed').getAttribute('data-passed')).toBe('true');
  }
  // The members without a page receive the same published result.
  for (const peer of [zhang, wang]) {
    const room = await peer.waitForRoom((r) => r.polls[pollId]?.status === 'published');
    expect(room.polls[pollId]?.result?.counts).toEqual([2, 1, 0]);
  }
  await shot(host, '16-host-results');
  await shot(li, '17-member-results');
  for (const page of [host, li]) await page.context().close();
});
