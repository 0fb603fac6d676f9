// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { QueuePanel } from './QueuePanel.js';

beforeAll(() => setLanguage('en'));
afterEach(cleanup);

const panel = (room: Parameters<typeof QueuePanel>[0]['room']) => <QueuePanel room={room} />;

/** Names in the list of speakers, top to bottom. */
function listed(): string[] {
  const list = screen.queryByRole('list');
  if (list === null) return [];
  return within(list)
    .getAllByRole('listitem')
    .map((item) => item.querySelector('.queue-name')?.textContent ?? '');
}

describe('<QueuePanel> for a member', () => {
  test('raises a hand with a kind and a note, then shows the place in line and withdraws', async () => {
    const room = fullRoom();
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm2');
    const view = renderInRoom(room, 'm1', panel);

    fireEvent.change(screen.getByLabelText('Kind of speech'), { target: { value: 'question' } });
    fireEvent.change(screen.getByLabelText('Short note (optional)'), { target: { value: 'on the costs' } });
    fireEvent.click(screen.getByRole('button', { name: 'Raise hand to speak' }));

    expect(await screen.findByText('You are number 2 in line')).toBeTruthy();
    expect(view.sent).toEqual([{ type: 'queue:raise', fields: { speechType: 'question', note: 'on the costs' }, ok: true }]);
    expect(listed()).toEqual(['name-m2', 'name-m1']);
    // My entry shows its kind and note to everybody.
    const mine = screen.getAllByRole('listitem')[1]!;
    expect(within(mine).getByText('Question')).toBeTruthy();
    expect(within(mine).getByText('on the costs')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Withdraw my request' }));
    expect(await screen.findByRole('button', { name: 'Raise hand to speak' })).toBeTruthy();
    expect(screen.queryByText(/in line/)).toBeNull();
    expect(listed()).toEqual(['name-m2']);
  });

  test('a member sees no chair controls: no ordering, no giving the floor', () => {
    const room = fullRoom();
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm2');
    renderInRoom(room, 'm1', panel);
    expect(screen.getByText('You are number 1 in line')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Give floor to next' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Move .* (up|down)/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Give the floor to/ })).toBeNull();
    expect(screen.queryByLabelText('Speaking time')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Close the list' })).toBeNull();
  });

  test('a closed list says so; only a point of order may still be raised', () => {
    const room = fullRoom();
    room.ok({ type: 'queue:setOpen', open: false }, 'host');
    renderInRoom(room, 'm1', panel);
    expect(screen.getByText('The list of speakers is closed; points of order may still be raised.')).toBeTruthy();
    const raise = screen.getByRole<HTMLButtonElement>('button', { name: 'Raise hand to speak' });
    expect(raise.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Kind of speech'), { target: { value: 'order' } });
    expect(raise.disabled).toBe(false);
  });
});

describe('<QueuePanel> for the chair', () => {
  test('has no hand to raise, but orders the list and gives the floor for the chosen time', async () => {
    const room = fullRoom();
    for (const id of ['m1', 'm2', 'v1']) room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, id);
    const view = renderInRoom(room, 'host', panel);
    expect(screen.queryByRole('button', { name: 'Raise hand to speak' })).toBeNull();
    expect(screen.queryByText(/in line/)).toBeNull();
    expect(listed()).toEqual(['name-m1', 'name-m2', 'name-v1']);

    // The ends cannot move further.
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Move name-m1 up' }).disabled).toBe(true);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Move name-v1 down' }).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Move name-v1 up' }));
    expect(listed()).toEqual(['name-m1', 'name-v1', 'name-m2']);
    fireEvent.click(screen.getByRole('button', { name: 'Move name-m1 down' }));
    expect(listed()).toEqual(['name-v1', 'name-m1', 'name-m2']);

    // Two minutes for the next speaker (name-v1, now first).
    fireEvent.change(screen.getByLabelText('Speaking time'), { target: { value: '120' } });
    fireEvent.click(screen.getByRole('button', { name: 'Give floor to next' }));
    expect(view.sent.at(-1)).toEqual({ type: 'floor:grant', fields: { target: { kind: 'next' }, seconds: 120 }, ok: true });
    expect(room.state.floor).toMatchObject({ holder: { kind: 'participant', participantId: 'v1' }, limitMs: 120_000 });
    expect(listed()).toEqual(['name-m1', 'name-m2']);

    // Or a chosen person: name-m2 for the same two minutes. name-v1 speaks, so the chair confirms.
    fireEvent.click(screen.getByRole('button', { name: 'Give the floor to name-m2' }));
    expect(room.state.floor).toMatchObject({ holder: { kind: 'participant', participantId: 'v1' } });
    const dialog = screen.getByRole('dialog', { name: 'End the current speech and give the floor to name-m2?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(room.state.floor).toMatchObject({ holder: { kind: 'participant', participantId: 'm2' }, limitMs: 120_000 });
  });

  test('with nobody speaking, one click gives the floor', () => {
    const room = fullRoom();
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
    renderInRoom(room, 'host', panel);
    fireEvent.click(screen.getByRole('button', { name: 'Give floor to next' }));
    expect(room.state.floor).toMatchObject({ holder: { kind: 'participant', participantId: 'm1' } });
  });

  test('while someone speaks, giving the floor asks first in the dialog; Escape or 取消 takes the question back', () => {
    const room = fullRoom();
    for (const id of ['m1', 'm2', 'v1']) room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, id);
    room.ok({ type: 'floor:grant', target: { kind: 'next' }, seconds: 60 }, 'host');
    const view = renderInRoom(room, 'host', panel);
    const speaker = () => room.state.floor?.holder;
    const question = () => screen.queryByRole('dialog', { name: 'End the current speech and give the floor?' });

    // First click: the question opens, with Cancel first and focused; nothing is sent.
    const next = screen.getByRole('button', { name: 'Give floor to next' });
    fireEvent.click(next);
    expect(next.dataset['confirming']).toBe('true');
    const dialog = question()!;
    expect(within(dialog).getAllByRole('button').map((b) => b.textContent)).toEqual(['Cancel', 'OK']);
    expect(document.activeElement?.textContent).toBe('Cancel');
    expect(view.sent).toEqual([]);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(question()).toBeNull();
    expect(next.dataset['confirming']).toBeUndefined();

    // Asked again, then cancelled: still nothing sent.
    fireEvent.click(next);
    fireEvent.click(within(question()!).getByRole('button', { name: 'Cancel' }));
    expect(question()).toBeNull();
    expect(view.sent).toEqual([]);
    expect(speaker()).toEqual({ kind: 'participant', participantId: 'm1' });

    // Asked and confirmed: name-m2 (next in line) speaks; the question is gone.
    fireEvent.click(screen.getByRole('button', { name: 'Give floor to next' }));
    fireEvent.click(within(question()!).getByRole('button', { name: 'OK' }));
    expect(view.sent.map((s) => [s.type, s.ok])).toEqual([['floor:grant', true]]);
    expect(speaker()).toEqual({ kind: 'participant', participantId: 'm2' });
    expect(question()).toBeNull();
    expect(screen.getByRole('button', { name: 'Give floor to next' }).dataset['confirming']).toBeUndefined();
    expect(listed()).toEqual(['name-v1']);
  });

  test('"lower all hands" asks first', () => {
    const room = fullRoom();
    for (const id of ['m1', 'm2']) room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, id);
    const view = renderInRoom(room, 'host', panel);
    fireEvent.click(screen.getByRole('button', { name: 'Lower all hands' }));
    expect(listed()).toEqual(['name-m1', 'name-m2']);
    expect(view.sent).toEqual([]);
    const dialog = screen.getByRole('dialog', { name: 'Lower every hand and clear the list?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'OK' }));
    expect(view.sent.map((s) => [s.type, s.ok])).toEqual([['queue:lowerAll', true]]);
    expect(listed()).toEqual([]);
    expect(screen.getByText('Nobody has asked to speak.')).toBeTruthy();
  });

  test('the room’s own default time is offered even when it is not a whole number of minutes', () => {
    const room = fullRoom();
    room.ok({ type: 'room:settings', defaultSpeechSeconds: 90 }, 'host');
    room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
    renderInRoom(room, 'host', panel);
    const select = screen.getByLabelText<HTMLSelectElement>('Speaking time');
    expect(select.value).toBe('90');
    expect(Array.from(select.options, (o) => o.text)).toEqual(['1 min', '90 s', '2 min', '3 min', '5 min', '10 min']);
  });

  test('with nobody in line, "next" and "lower all hands" are disabled', () => {
    renderInRoom(fullRoom(), 'host', panel);
    expect(screen.getByText('Nobody has asked to speak.')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Give floor to next' }).disabled).toBe(true);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Lower all hands' }).disabled).toBe(true);
  });
});
