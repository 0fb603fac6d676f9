/**
 * Keyboard and screen-reader basics in Debian's Chromium: on the join page, in the lobby and
 * in the chair's room (each tab of the meeting panel, with a speaker on the floor, hands
 * raised, someone in the lobby and a poll being drafted), every control is reached by the
 * Tab key, has an accessible name (as Chromium's accessibility tree computes it) and shows
 * where the focus is (an outline or a shadow).
 *
 * Only the page under test is a browser; the other participants who make up the scene (hands
 * raised, someone knocking, the speaker) are protocol clients, so each test runs a page or two
 * rather than five Chromium pages with fake cameras on a small machine.
 */
import type { Browser, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import type { RunningServer } from '../../server/app.js';
import { openPage, screenshot } from '../helpers/browser.js';
import { joinByInvite, tabThrough, unreachedControls, type FocusStop } from '../helpers/meeting.js';
import { createRoom, invite } from '../helpers/rooms.js';
import { withServerAndBrowser } from '../helpers/browserTest.js';
import { TestPeer } from '../helpers/TestPeer.js';

let server: RunningServer;
let browser: Browser;

withServerAndBrowser((s, b) => {
  server = s;
  browser = b;
});

/** Stops without a name or without a visible focus, described for the failure message. */
function problems(stops: FocusStop[]): string[] {
  return stops
    .filter((s) => s.name === '' || !s.visibleFocus)
    .map((s) => `${s.what} [${s.role}]: name "${s.name}", outline ${s.outline}, box-shadow ${s.boxShadow}`);
}

/** Walks the page with Tab and checks every stop; answers the test ids reached. */
async function walk(page: Page, label: string): Promise<string[]> {
  const stops = await tabThrough(page);
  expect(stops.length, `${label}: nothing took the focus`).toBeGreaterThan(2);
  expect(problems(stops), label).toEqual([]);
  expect(await unreachedControls(page), `${label}: controls the Tab key never reached`).toEqual([]);
  await screenshot(page, `keyboard-${label}`);
  return stops.map((s) => s.testId ?? '');
}

/** Protocol clients of the current test, closed after it. */
let peers: TestPeer[] = [];
afterEach(() => {
  for (const peer of peers) peer.close();
  peers = [];
});

/** A member as a protocol client (no media sent): joins by a fresh invite for `venue`. */
async function participant(roomId: string, name: string, venue = 'city'): Promise<TestPeer> {
  const peer = await TestPeer.connect(server.url);
  peers.push(peer);
  await peer.join(await invite(server, roomId, 'member', venue), name);
  return peer;
}

/** The id a participant got from the room. */
const idOf = (peer: TestPeer): string => peer.joined?.participantId ?? '';

/** The chair's page, in the room by keyboard alone from the join page. */
async function chairInRoom(hostInvite: string): Promise<Page> {
  const host = await openPage(browser);
  await host.goto(`${server.url}/join?invite=${hostInvite}`);
  await host.getByTestId('invite-summary').waitFor({ timeout: 20_000 });
  await host.getByTestId('join-name').focus();
  await host.keyboard.type('周主持');
  await host.keyboard.press('Enter');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });
  return host;
}

const focusedOn = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.getAttribute('role'));

test('the join page and the lobby can be worked by keyboard', async () => {
  const { roomId, hostInvite } = await createRoom(server, { defaultSpeechSeconds: 600 });

  // The chair's join page, then in by keyboard alone: type the name, press Enter.
  const host = await openPage(browser);
  await host.goto(`${server.url}/join?invite=${hostInvite}`);
  await host.getByTestId('invite-summary').waitFor({ timeout: 20_000 });
  const join = await walk(host, 'join');
  expect(join).toEqual(expect.arrayContaining(['lang-switch', 'join-toggle-mic', 'join-toggle-camera', 'join-name', 'join-submit']));
  await host.getByTestId('join-name').focus();
  await host.keyboard.type('周主持');
  await host.keyboard.press('Enter');
  await host.getByTestId('room').waitFor({ timeout: 30_000 });

  // A member waiting to be admitted.
  const late = await openPage(browser);
  await joinByInvite(late, server, await invite(server, roomId, 'member', 'd1'), '赵委员');
  await late.getByTestId('lobby-waiting').waitFor({ timeout: 30_000 });
  const lobby = await walk(late, 'lobby');
  expect(lobby).toContain('leave');
  await late.context().close();
  await host.context().close();
});

test('the chair’s people and queue tabs can be worked by keyboard, with hands raised, someone knocking and a speaker', async () => {
  const { roomId, hostInvite } = await createRoom(server, { defaultSpeechSeconds: 600 });
  const host = await chairInRoom(hostInvite);

  // Three members in the room with their hands raised, one more still in the lobby.
  const zhang = await participant(roomId, '张委员', 'city');
  const li = await participant(roomId, '李委员', 'd1');
  const wang = await participant(roomId, '王委员', 'd1');
  await host.getByTestId('tab-people').click();
  // "Admit all" admits whom it lists: all three must be listed first.
  await expect.poll(() => host.getByTestId('lobby-entry').count(), { timeout: 10_000 }).toBe(3);
  await host.getByTestId('lobby-admit-all').click();
  await host.getByTestId('lobby-admit-all-dialog-confirm').click();
  for (const [peer, name] of [[zhang, '张委员'], [li, '李委员'], [wang, '王委员']] as const) {
    await peer.waitForRoom((room) => room.participants[idOf(peer)]?.status === 'admitted');
    await peer.command('queue:raise', { speechType: 'statement', note: `${name}的意见` });
  }
  await participant(roomId, '赵委员', 'd1');

  // 王委员 gets the floor from the people list (the others stay in line).
  await host.getByTestId('lobby-entry').waitFor({ timeout: 10_000 });
  await host.locator('[data-testid="participant-entry"]', { hasText: '王委员' }).getByTestId('participant-grant').click();
  await host.getByTestId('floor-stage').waitFor({ timeout: 10_000 });

  // The people tab: lobby, room controls, the list with its buttons. Its badge is read out
  // with what it counts.
  const peopleStops = await tabThrough(host);
  expect(peopleStops.find((s) => s.testId === 'tab-people')?.name).toBe('参会 （1 人等候入会）');
  expect(peopleStops.find((s) => s.testId === 'tab-queue')).toBeUndefined();
  const people = await walk(host, 'host-people');
  expect(people).toEqual(
    expect.arrayContaining(['lobby-admit', 'lobby-deny', 'lobby-admit-all', 'rollcall-start', 'room-lock', 'room-end', 'participant-grant', 'participant-remove', 'floor-revoke', 'toggle-mic', 'leave']),
  );

  // Arrow keys move between the tabs (one tab stop for the whole tab list).
  await host.getByTestId('tab-people').focus();
  await host.keyboard.press('Home');
  expect(await host.getByTestId('tab-queue').getAttribute('aria-selected')).toBe('true');
  expect(await focusedOn(host)).toBe('tab-queue');
  const queue = await walk(host, 'host-queue');
  expect(queue).toEqual(
    expect.arrayContaining(['speech-seconds', 'queue-grant-next', 'queue-set-open', 'queue-lower-all', 'queue-grant', 'queue-move-down', 'queue-move-up', 'queue-remove', 'floor-extend-60', 'floor-pause', 'floor-revoke']),
  );

  // While 王委员 speaks, "next" would cut them off: Enter opens the question (取消 first and
  // focused), Escape takes it back to the button, and Tab then Enter on 确定 gives the floor to
  // the first in line (张委员).
  const next = host.getByTestId('queue-grant-next');
  await next.focus();
  await host.keyboard.press('Enter');
  const question = host.getByRole('dialog', { name: '结束当前发言并请下一位？' });
  await question.waitFor();
  await expect.poll(() => next.getAttribute('data-confirming')).toBe('true');
  expect(await focusedOn(host)).toBe('queue-grant-next-dialog-cancel');
  await screenshot(host, 'keyboard-host-queue-confirm');
  await host.keyboard.press('Escape');
  await question.waitFor({ state: 'detached' });
  expect(await focusedOn(host)).toBe('queue-grant-next');
  expect(await host.getByTestId('floor-holder').innerText()).toContain('王委员');
  await host.keyboard.press('Enter');
  await question.waitFor();
  await host.keyboard.press('Tab');
  expect(await focusedOn(host)).toBe('queue-grant-next-dialog-confirm');
  await host.keyboard.press('Enter');
  await expect.poll(() => host.getByTestId('floor-holder').innerText(), { timeout: 10_000 }).toContain('张委员');
  await host.context().close();
});

test('the chair drafts and opens a poll, and a member casts a ballot, by keyboard', async () => {
  const { roomId, hostInvite } = await createRoom(server, { defaultSpeechSeconds: 600 });
  const host = await chairInRoom(hostInvite);
  const zhang = await openPage(browser);
  await joinByInvite(zhang, server, await invite(server, roomId, 'member', 'city'), '张委员');
  await zhang.getByTestId('lobby-waiting').waitFor({ timeout: 30_000 });
  await host.getByTestId('tab-people').click();
  await host.getByTestId('lobby-entry').waitFor({ timeout: 10_000 });
  await host.getByTestId('lobby-admit-all').click();
  await host.getByTestId('lobby-admit-all-dialog-confirm').click();
  await zhang.getByTestId('room').waitFor({ timeout: 30_000 });

  // From the speakers' tab, the arrow key moves on to the polls.
  await host.getByTestId('tab-queue').click();
  await host.getByTestId('tab-queue').focus();
  await host.keyboard.press('ArrowRight');
  expect(await host.getByTestId('tab-polls').getAttribute('aria-selected')).toBe('true');
  // Tab on into the panel until the "new vote" button (the panel itself is a stop on the way).
  for (let i = 0; i < 4 && (await focusedOn(host)) !== 'poll-create'; i++) await host.keyboard.press('Tab');
  expect(await focusedOn(host)).toBe('poll-create');
  await host.keyboard.press('Enter');
  await host.getByTestId('poll-form').waitFor();
  // The form took the button's place and the focus went to its question.
  expect(await focusedOn(host)).toBe('poll-question');
  await host.keyboard.type('是否同意加装电梯方案？');
  const form = await walk(host, 'host-poll-form');
  expect(form).toEqual(expect.arrayContaining(['poll-question', 'poll-kind', 'poll-secret', 'poll-threshold', 'poll-submit-create']));

  // A draft and an open poll with their buttons.
  await host.getByTestId('poll-submit-create').focus();
  await host.keyboard.press('Enter');
  await host.getByTestId('poll-open').waitFor({ timeout: 10_000 });
  // Saved: the focus is back on the button that opened the form.
  await expect.poll(() => focusedOn(host)).toBe('poll-create');
  const drafted = await walk(host, 'host-poll-draft');
  expect(drafted).toContain('poll-open');
  await host.getByTestId('poll-open').click();
  await host.getByTestId('poll-close').waitFor({ timeout: 10_000 });

  // A member's ballot: the radio group is one stop, arrows choose, Enter casts.
  await zhang.getByTestId('tab-polls').click();
  await zhang.getByTestId('poll-ballot').waitFor({ timeout: 10_000 });
  const ballot = await walk(zhang, 'member-ballot');
  expect(ballot).toEqual(expect.arrayContaining(['poll-option', 'tab-polls', 'toggle-mic']));
  await zhang.locator('[data-testid="poll-option"][data-index="0"]').focus();
  await zhang.keyboard.press('Space');
  await zhang.keyboard.press('ArrowDown');
  expect(await zhang.locator('[data-testid="poll-option"][data-index="1"]').isChecked()).toBe(true);
  await zhang.keyboard.press('Enter');
  await zhang.getByTestId('poll-voted').waitFor({ timeout: 10_000 });
  expect(await zhang.getByTestId('poll-voted').innerText()).toContain('反对');
  await zhang.context().close();
  await host.context().close();
});
