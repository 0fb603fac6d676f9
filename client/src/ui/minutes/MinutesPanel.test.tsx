// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fullRoom, type TestRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { MinutesPanel } from './MinutesPanel.js';

beforeAll(() => setLanguage('en'));
afterEach(cleanup);

const panel = (room: Parameters<typeof MinutesPanel>[0]['room']) => <MinutesPanel room={room} />;

/** The meeting with a second secretary and one speech by m1. */
function meetingWithSpeech(): TestRoom {
  const room = fullRoom();
  room.arrive('sec2', 'secretary');
  room.ok({ type: 'queue:raise', speechType: 'statement', note: 'about the lift costs' }, 'm1');
  room.ok({ type: 'floor:grant', target: { kind: 'next' }, seconds: 180 }, 'host');
  room.advance(95_000);
  room.ok({ type: 'floor:yield' }, 'm1');
  return room;
}

const speech = () => screen.getByRole('article', { name: /^1\. name-m1/ });
const speechBox = () => within(speech()).getByRole<HTMLTextAreaElement>('textbox', { name: 'Record of speech 1 (name-m1)' });
const type = (box: HTMLTextAreaElement, text: string) => fireEvent.change(box, { target: { value: text } });
const saveIn = (scope: HTMLElement) => within(scope).getByRole<HTMLButtonElement>('button', { name: 'Save' });

describe('the secretary edits the minutes', () => {
  test('the record of a speech is shown read-only, with a box under it that saves with its version', async () => {
    const room = meetingWithSpeech();
    const view = renderInRoom(room, 'sec', panel);
    const article = speech();
    // From the log: venue, sector, kind of speech, duration, the note the hand was raised with.
    expect(article.textContent).toContain('主会场');
    expect(article.textContent).toContain('Sector: 经济界');
    expect(article.textContent).toContain('spoke 1 min 35 s');
    expect(article.textContent).toContain('Raised hand to: about the lift costs');
    expect(screen.getByTestId('minutes-topic').textContent).toBe('老旧小区加装电梯');

    expect(within(article).getByRole('status').textContent).toBe('Saved');
    expect(saveIn(article).disabled).toBe(true);
    type(speechBox(), '张委员建议按楼层分摊费用。');
    expect(within(article).getByRole('status').textContent).toBe('Unsaved changes');
    await act(async () => fireEvent.click(saveIn(article)));
    expect(view.sent.map((s) => [s.type, s.fields, s.ok])).toEqual([
      ['minutes:edit', { section: 'speech:0', text: '张委员建议按楼层分摊费用。', baseVersion: 0 }, true],
    ]);
    expect(within(article).getByRole('status').textContent).toBe('Saved');
    expect(room.state.minutes.sections['speech:0']?.text).toBe('张委员建议按楼层分摊费用。');

    // The next save is based on the version the first one made; Ctrl+Enter saves too.
    type(speechBox(), '张委员建议按楼层分摊费用，低层少付。');
    await act(async () => fireEvent.keyDown(speechBox(), { key: 'Enter', ctrlKey: true }));
    expect(view.sent.at(-1)?.fields).toEqual({ section: 'speech:0', text: '张委员建议按楼层分摊费用，低层少付。', baseVersion: 1 });
  });

  test('the conclusions are a section of their own', async () => {
    const room = meetingWithSpeech();
    const view = renderInRoom(room, 'sec', panel);
    const block = screen.getByTestId('minutes-conclusions');
    type(within(block).getByRole('textbox', { name: 'Conclusions' }), '会议认为方案可行。');
    await act(async () => fireEvent.click(saveIn(block)));
    expect(view.sent.at(-1)?.fields).toEqual({ section: 'conclusions', text: '会议认为方案可行。', baseVersion: 0 });
  });

  test('another secretary saving the same section keeps my typing and shows both texts', async () => {
    const room = meetingWithSpeech();
    const view = renderInRoom(room, 'sec', panel);
    type(speechBox(), 'my notes');
    // sec2 saves first; this page hears of it.
    room.ok({ type: 'minutes:edit', section: 'speech:0', text: 'their notes', baseVersion: 0 }, 'sec2');
    act(() => view.refresh());

    const conflict = within(speech()).getByTestId('minutes-conflict');
    expect(within(conflict).getByRole('alert').textContent).toContain('was just changed and saved by someone else');
    expect(within(conflict).getByTestId('minutes-conflict-theirs').textContent).toBe('their notes');
    expect(within(speech()).getByRole<HTMLTextAreaElement>('textbox', { name: 'Your text (not saved)' }).value).toBe('my notes');

    // Merge by hand: pull theirs in, edit, save over their version.
    fireEvent.click(within(conflict).getByRole('button', { name: 'Add their text after mine' }));
    const box = within(speech()).getByRole<HTMLTextAreaElement>('textbox', { name: 'Your text (not saved)' });
    expect(box.value).toBe('my notes\n\ntheir notes');
    type(box, 'my notes; their notes');
    await act(async () => fireEvent.click(within(speech()).getByRole('button', { name: 'Save my text' })));
    expect(view.sent.at(-1)).toEqual({ type: 'minutes:edit', fields: { section: 'speech:0', text: 'my notes; their notes', baseVersion: 1 }, ok: true });
    expect(within(speech()).queryByTestId('minutes-conflict')).toBeNull();
    expect(speechBox().value).toBe('my notes; their notes');
  });

  test('a save refused with CONFLICT keeps my text; taking theirs asks first', async () => {
    const room = meetingWithSpeech();
    const view = renderInRoom(room, 'sec', panel);
    // sec2 saved, but this page has not heard of it yet when its own save goes out.
    room.ok({ type: 'minutes:edit', section: 'speech:0', text: 'their notes', baseVersion: 0 }, 'sec2');
    type(speechBox(), 'my notes');
    await act(async () => fireEvent.click(saveIn(speech())));
    expect(view.sent.at(-1)).toMatchObject({ type: 'minutes:edit', fields: { baseVersion: 0 }, ok: false });
    expect(within(speech()).getByTestId('minutes-conflict-theirs').textContent).toBe('their notes');
    expect(within(speech()).getByRole<HTMLTextAreaElement>('textbox', { name: 'Your text (not saved)' }).value).toBe('my notes');
    expect(room.state.minutes.sections['speech:0']?.text).toBe('their notes');

    const take = within(speech()).getByRole('button', { name: 'Take their text' });
    fireEvent.click(take);
    // The first click only asks.
    expect(within(speech()).getByTestId('minutes-conflict')).toBeTruthy();
    fireEvent.click(screen.getByTestId('minutes-conflict-take-theirs-dialog-confirm'));
    expect(within(speech()).queryByTestId('minutes-conflict')).toBeNull();
    expect(speechBox().value).toBe('their notes');
    expect(within(speech()).getByRole('status').textContent).toBe('Saved');
  });

  test('action items: add with owner and due date, remove after asking', async () => {
    const room = meetingWithSpeech();
    const view = renderInRoom(room, 'sec', panel);
    const block = screen.getByTestId('minutes-actions');
    const form = within(block).getByRole('form', { name: 'Add action item' });
    fireEvent.change(within(form).getByLabelText('Action'), { target: { value: '拟定加装方案' } });
    fireEvent.change(within(form).getByLabelText('Owner (department or person)'), { target: { value: '住建局' } });
    fireEvent.change(within(form).getByLabelText('Due date (optional)'), { target: { value: '2025-06-30' } });
    await act(async () => fireEvent.submit(form));
    expect(view.sent.at(-1)).toEqual({ type: 'minutes:addAction', fields: { owner: '住建局', due: '2025-06-30', text: '拟定加装方案' }, ok: true });
    const item = within(block).getByTestId('minutes-action');
    expect(item.textContent).toContain('拟定加装方案');
    expect(item.textContent).toContain('Owner: 住建局');
    expect(item.textContent).toContain('due 2025-06-30');

    fireEvent.click(within(item).getByRole('button', { name: 'Remove action item: 拟定加装方案' }));
    await act(async () => fireEvent.click(within(screen.getByRole('dialog', { name: 'Remove it?' })).getByRole('button', { name: 'OK' })));
    expect(view.sent.at(-1)).toEqual({ type: 'minutes:removeAction', fields: { actionId: 'action-1' }, ok: true });
    expect(within(block).queryByTestId('minutes-action')).toBeNull();
  });
});

describe('written statements and speaker confirmation', () => {
  test('a member submits a written statement; the secretary sees it marked as written', async () => {
    const room = meetingWithSpeech();
    const view = renderInRoom(room, 'm2', panel);
    expect(screen.queryByTestId('minutes-lock-bar')).toBeNull();
    fireEvent.change(screen.getByLabelText('Your written statement'), { target: { value: '<b>建议</b>增设无障碍坡道' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Submit written statement' })));
    expect(view.sent.at(-1)).toEqual({ type: 'minutes:submitStatement', fields: { text: '<b>建议</b>增设无障碍坡道' }, ok: true });
    expect(screen.getByTestId('minutes-my-statement').textContent).toContain('<b>建议</b>增设无障碍坡道');
    cleanup();

    renderInRoom(room, 'sec', panel);
    const statement = screen.getByTestId('minutes-statement');
    expect(within(statement).getByText('Written')).toBeTruthy();
    expect(statement.textContent).toContain('name-m2');
    // Rendered as text: the markup is shown, not interpreted.
    expect(statement.textContent).toContain('<b>建议</b>增设无障碍坡道');
    expect(statement.querySelector('b')).toBeNull();
  });

  test('statuses: draft, sent to the speaker, a proposed correction, accepted', async () => {
    const room = meetingWithSpeech();
    room.ok({ type: 'minutes:edit', section: 'speech:0', text: '按楼层分摊', baseVersion: 0 }, 'sec');
    let view = renderInRoom(room, 'sec', panel);
    const badge = () => within(speech()).getByTestId('minutes-confirmation');
    expect(badge().textContent).toBe('Not sent');
    // Speakers confirm after the meeting.
    expect(within(speech()).queryByRole('button', { name: 'Send to the speaker to confirm' })).toBeNull();
    room.ok({ type: 'room:end' }, 'host');
    act(() => view.refresh());
    await act(async () => fireEvent.click(within(speech()).getByRole('button', { name: 'Send to the speaker to confirm' })));
    expect(badge().textContent).toBe('Awaiting the speaker');
    cleanup();

    // The speaker sees their passage and proposes a correction starting from it.
    view = renderInRoom(room, 'm1', panel);
    const passage = screen.getByTestId('minutes-my-passage');
    expect(within(passage).getByTestId('minutes-my-passage-text').textContent).toBe('按楼层分摊');
    expect(within(passage).getByTestId('minutes-confirmation').textContent).toBe('Awaiting the speaker');
    fireEvent.click(within(passage).getByRole('button', { name: 'Propose a correction' }));
    const proposal = within(passage).getByLabelText<HTMLTextAreaElement>('It should read');
    expect(proposal.value).toBe('按楼层分摊');
    fireEvent.change(proposal, { target: { value: '按楼层和面积分摊' } });
    await act(async () => fireEvent.click(within(passage).getByRole('button', { name: 'Send correction' })));
    expect(view.sent.at(-1)).toEqual({ type: 'minutes:proposeCorrection', fields: { section: 'speech:0', text: '按楼层和面积分摊' }, ok: true });
    expect(within(screen.getByTestId('minutes-my-passage')).getByTestId('minutes-confirmation').textContent).toBe('Correction proposed');
    cleanup();

    // The secretary sees both texts, cannot edit over the proposal, and accepts it.
    renderInRoom(room, 'sec', panel);
    expect(badge().textContent).toBe('Correction proposed');
    expect(within(speech()).getByTestId('minutes-correction-text').textContent).toBe('按楼层和面积分摊');
    expect(speechBox().readOnly).toBe(true);
    await act(async () => fireEvent.click(within(speech()).getByRole('button', { name: 'Accept correction' })));
    expect(badge().textContent).toBe('Confirmed');
    expect(speechBox().value).toBe('按楼层和面积分摊');
  });

  test('the speaker confirms with one click', async () => {
    const room = meetingWithSpeech();
    room.ok({ type: 'room:end' }, 'host');
    room.ok({ type: 'minutes:requestConfirmation', section: 'speech:0' }, 'sec');
    const view = renderInRoom(room, 'm1', panel);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Confirm' })));
    expect(view.sent.at(-1)).toEqual({ type: 'minutes:confirm', fields: { section: 'speech:0' }, ok: true });
    expect(screen.getByTestId('minutes-confirmation').textContent).toBe('Confirmed');
  });
});

describe('locking', () => {
  test('locking asks first, shows the version, its hash and the chain head, and makes every section read-only', async () => {
    const room = meetingWithSpeech();
    room.ok({ type: 'minutes:edit', section: 'speech:0', text: '按楼层分摊', baseVersion: 0 }, 'sec');
    const view = renderInRoom(room, 'sec', panel);
    const lock = () => screen.getByTestId<HTMLButtonElement>('minutes-lock');
    // A meeting still running cannot be locked.
    expect(lock().disabled).toBe(true);
    room.ok({ type: 'room:end' }, 'host');
    act(() => view.refresh());
    // Unsaved typing holds the lock back.
    type(speechBox(), '按楼层分摊，低层少付');
    expect(lock().disabled).toBe(true);
    expect(screen.getByTestId('minutes-unsaved-count').textContent).toBe('1 change is not saved; save it before locking.');
    await act(async () => fireEvent.click(saveIn(speech())));
    expect(lock().disabled).toBe(false);

    fireEvent.click(lock());
    expect(view.sent.at(-1)?.type).toBe('minutes:edit');
    const question = screen.getByRole('dialog', { name: 'Version 1 cannot be changed once locked. Lock it?' });
    await act(async () => fireEvent.click(within(question).getByRole('button', { name: 'OK' })));
    expect(view.sent.at(-1)).toEqual({ type: 'minutes:lock', fields: {}, ok: true });

    const locked = room.state.minutes.lockedVersions[0];
    expect(screen.getByTestId('minutes-version-state').textContent).toBe('Locked');
    expect(screen.getByTestId('minutes-content-hash').textContent).toBe(locked?.contentHash);
    expect(screen.getByTestId('minutes-chain-hash').textContent).toBe(locked?.chainHash);
    expect(screen.getByTestId('minutes-locked-facts').textContent).toContain(`event ${locked?.chainSeq}`);
    // Read-only: no save buttons, no action form, text boxes locked.
    expect(screen.queryAllByRole('button', { name: 'Save' })).toEqual([]);
    expect(screen.queryByRole('form', { name: 'Add action item' })).toBeNull();
    for (const box of screen.getAllByRole<HTMLTextAreaElement>('textbox')) expect(box.readOnly).toBe(true);
    expect(speechBox().value).toBe('按楼层分摊，低层少付');

    // A new version opens the sections again.
    fireEvent.click(screen.getByRole('button', { name: 'New version' }));
    const again = screen.getByRole('dialog', { name: 'Start version 2? The locked version stays as it is.' });
    await act(async () => fireEvent.click(within(again).getByRole('button', { name: 'OK' })));
    expect(screen.getByTestId('minutes-version').textContent).toBe('Version 2');
    expect(speechBox().readOnly).toBe(false);
  });

  test('a lock by another secretary keeps my unsaved typing on screen', () => {
    const room = meetingWithSpeech();
    room.ok({ type: 'room:end' }, 'host');
    const view = renderInRoom(room, 'sec', panel);
    type(speechBox(), 'not yet saved');
    room.ok({ type: 'minutes:lock' }, 'sec2');
    act(() => view.refresh());
    expect(speechBox().readOnly).toBe(true);
    expect(speechBox().value).toBe('not yet saved');
    expect(within(speech()).getByRole('status').textContent).toBe('Unsaved changes');
  });

  test('the host publishes a locked version; the secretary has no such switch', async () => {
    const room = meetingWithSpeech();
    room.ok({ type: 'room:end' }, 'host');
    renderInRoom(room, 'sec', panel);
    expect(screen.queryByRole('checkbox')).toBeNull();
    cleanup();

    const view = renderInRoom(room, 'host', panel);
    // Nothing locked yet: nothing to publish.
    expect(screen.queryByRole('checkbox')).toBeNull();
    room.ok({ type: 'minutes:lock' }, 'sec');
    act(() => view.refresh());
    const publish = screen.getByRole<HTMLInputElement>('checkbox', { name: /^Publish the minutes/ });
    expect(publish.checked).toBe(false);
    await act(async () => fireEvent.click(publish));
    expect(view.sent.at(-1)).toEqual({ type: 'minutes:publish', fields: { published: true }, ok: true });
    expect(publish.checked).toBe(true);
    expect(screen.getByText('Published')).toBeTruthy();
  });
});

describe('poll results in the minutes', () => {
  /** A named and a secret yes/no poll, each voted by m1 (yes), m2 (no) and v1 (yes). */
  function meetingWithPolls(): { room: TestRoom; named: string; secret: string } {
    const room = meetingWithSpeech();
    const ids: string[] = [];
    for (const secret of [false, true]) {
      room.ok(
        {
          type: 'poll:create',
          question: secret ? 'Recommend the builder?' : 'Build the lift?',
          kind: 'yesno',
          options: [],
          secret,
          allowChange: !secret,
          quorumPercent: null,
          threshold: 'simple',
          durationSeconds: null,
        },
        'host',
      );
      const id = room.state.pollOrder.at(-1) ?? '';
      room.ok({ type: 'poll:open', pollId: id }, 'host');
      for (const [who, choice] of [['m1', 0], ['m2', 1], ['v1', 0]] as const) room.ok({ type: 'poll:vote', pollId: id, choices: [choice] }, who);
      ids.push(id);
    }
    return { room, named: ids[0] ?? '', secret: ids[1] ?? '' };
  }

  const pollRecord = (question: string) => screen.getAllByTestId('minutes-poll').find((el) => el.textContent?.includes(question))!;

  test('the secretary sees a closed poll’s result before the host publishes it; open polls wait', () => {
    const { room, named, secret } = meetingWithPolls();
    room.ok({ type: 'poll:close', pollId: named }, 'host');
    const view = renderInRoom(room, 'sec', panel);
    // Closed, not published: the counts and the verdict, as the host sees them.
    const record = within(pollRecord('Build the lift?'));
    expect(record.getByTestId('minutes-poll-result').textContent).toBe('Yes: 2; No: 1; Abstain: 0Passed');
    // Still open: no result, no running count.
    expect(within(pollRecord('Recommend the builder?')).queryByTestId('minutes-poll-result')).toBeNull();
    expect(pollRecord('Recommend the builder?').textContent).toContain('Voting is still open, or the result has not been published.');

    room.ok({ type: 'poll:close', pollId: secret }, 'host');
    act(() => view.refresh());
    // A secret poll gives counts only, never who voted how.
    expect(within(pollRecord('Recommend the builder?')).getByTestId('minutes-poll-result').textContent).toBe('Yes: 2; No: 1; Abstain: 0Passed');
    const shown = screen.getByTestId('minutes-polls').textContent ?? '';
    for (const name of ['name-m1', 'name-m2', 'name-v1']) expect(shown).not.toContain(name);
  });
});

describe('unsaved typing survives a reload', () => {
  /** A tab's sessionStorage, fresh per test. */
  const tabStorage = (): Storage => {
    const items = new Map<string, string>();
    return {
      get length() {
        return items.size;
      },
      key: (i) => [...items.keys()][i] ?? null,
      getItem: (k) => items.get(k) ?? null,
      setItem: (k, v) => void items.set(k, String(v)),
      removeItem: (k) => void items.delete(k),
      clear: () => items.clear(),
    };
  };
  /** The page is reloaded: everything on it is gone but the tab's storage. */
  const reload = (room: TestRoom, storage: Storage) => {
    cleanup();
    return renderInRoom(room, 'sec', panel, { storage });
  };

  test('the typing of each section comes back unsaved, and saves on the version it started from', async () => {
    const room = meetingWithSpeech();
    const storage = tabStorage();
    renderInRoom(room, 'sec', panel, { storage });
    type(speechBox(), '张委员建议按楼层分摊费用。');
    const conclusions = screen.getByTestId('minutes-conclusions');
    type(within(conclusions).getByRole('textbox', { name: 'Conclusions' }), '会议认为方案可行。');

    const view = reload(room, storage);
    expect(speechBox().value).toBe('张委员建议按楼层分摊费用。');
    expect(within(speech()).getByRole('status').textContent).toBe('Unsaved changes');
    const block = screen.getByTestId('minutes-conclusions');
    expect(within(block).getByRole<HTMLTextAreaElement>('textbox', { name: 'Conclusions' }).value).toBe('会议认为方案可行。');
    // Nothing reached the room before the save.
    expect(room.state.minutes.sections['speech:0']).toBeUndefined();
    await act(async () => fireEvent.click(saveIn(speech())));
    expect(view.sent.at(-1)).toEqual({ type: 'minutes:edit', fields: { section: 'speech:0', text: '张委员建议按楼层分摊费用。', baseVersion: 0 }, ok: true });

    // Saved: a reload shows the room's text, with nothing left to save; the other section still waits.
    reload(room, storage);
    expect(speechBox().value).toBe('张委员建议按楼层分摊费用。');
    expect(within(speech()).getByRole('status').textContent).toBe('Saved');
    expect(within(screen.getByTestId('minutes-conclusions')).getByRole('status').textContent).toBe('Unsaved changes');
  });

  test('typing kept over a section another secretary saved meanwhile comes back as a conflict', () => {
    const room = meetingWithSpeech();
    const storage = tabStorage();
    renderInRoom(room, 'sec', panel, { storage });
    type(speechBox(), '我的记录');
    cleanup();
    room.ok({ type: 'minutes:edit', section: 'speech:0', text: '另一位记录员的记录', baseVersion: 0 }, 'sec2');

    renderInRoom(room, 'sec', panel, { storage });
    // Neither text is lost: mine stays in the box, theirs is shown next to it.
    expect(within(speech()).getByRole<HTMLTextAreaElement>('textbox', { name: 'Your text (not saved)' }).value).toBe('我的记录');
    expect(within(speech()).getByTestId('minutes-conflict-theirs').textContent).toBe('另一位记录员的记录');
  });

  test('kept drafts belong to their room and to this tab', () => {
    const room = meetingWithSpeech();
    const storage = tabStorage();
    renderInRoom(room, 'sec', panel, { storage });
    type(speechBox(), '张委员的发言要点');
    cleanup();
    // Another tab (its own sessionStorage) starts from the room's text.
    renderInRoom(room, 'sec', panel, { storage: tabStorage() });
    expect(speechBox().value).toBe('');
    cleanup();
    // Another room in this tab does not get this room's typing.
    const other = meetingWithSpeech();
    other.state = { ...other.state, id: 'another-room' };
    renderInRoom(other, 'sec', panel, { storage });
    expect(speechBox().value).toBe('');
  });
});
