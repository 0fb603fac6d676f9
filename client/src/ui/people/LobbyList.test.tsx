// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RoomState } from '../../../../signaling/room/state.js';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { LobbyList } from './LobbyList.js';

beforeAll(() => setLanguage('en'));
afterEach(cleanup);

const list = (room: RoomState) => <LobbyList room={room} />;

/** A full room with three more people knocking: k1 and k2 from the city, k3 from district 1. */
function knocking() {
  const room = fullRoom();
  room.arrive('k1', 'member', 'city');
  room.arrive('k2', 'observer', 'city');
  room.arrive('k3', 'member', 'd1');
  return room;
}

const focusedName = (): string | null => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? null;

describe('<LobbyList> admit all', () => {
  test('asks first, listing who will come in with role and venue; 取消 admits nobody', () => {
    const room = knocking();
    const view = renderInRoom(room, 'host', list);
    fireEvent.click(screen.getByRole('button', { name: 'Admit all' }));
    const dialog = screen.getByRole('dialog', { name: 'Admit everyone listed (3)?' });
    const listed = within(dialog).getAllByRole('listitem').map((li) => li.textContent);
    expect(listed).toEqual([
      expect.stringMatching(/name-k1.*Member.*主会场/),
      expect.stringMatching(/name-k2.*Observer.*主会场/),
      expect.stringMatching(/name-k3.*Member.*一区/),
    ]);
    // The safe answer has the focus, as in every question of the app.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(view.sent).toEqual([]);
    expect(room.state.participants['k1']?.status).toBe('lobby');
  });

  test('admits exactly those listed: someone who knocks while the chair reads waits on', () => {
    const room = knocking();
    const view = renderInRoom(room, 'host', list);
    fireEvent.click(screen.getByRole('button', { name: 'Admit all' }));
    const dialog = screen.getByRole('dialog', { name: 'Admit everyone listed (3)?' });
    // k4 arrives while the question is open: the list asked about does not grow.
    room.arrive('k4', 'member', 'd2');
    act(() => view.refresh());
    expect(within(dialog).getAllByRole('listitem')).toHaveLength(3);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Admit (3)' }));
    expect(view.sent).toEqual([{ type: 'lobby:admitAll', fields: { participantIds: ['k1', 'k2', 'k3'] }, ok: true }]);
    expect(['k1', 'k2', 'k3', 'k4'].map((id) => room.state.participants[id]?.status)).toEqual(['admitted', 'admitted', 'admitted', 'lobby']);
    expect(screen.getByRole('region', { name: 'Waiting to enter (1)' })).toBeTruthy();
    // The focus went on to whoever still waits, not to the top of the page.
    expect(focusedName()).toBe('Admit name-k4');
  });
});

describe('<LobbyList> keeps the focus in the list', () => {
  test('admitting moves the focus to the next entry’s admit button, the last one to the one above, then to the heading', () => {
    const room = knocking();
    renderInRoom(room, 'host', list);
    const admit = (name: string) => screen.getByRole('button', { name: `Admit ${name}` });
    admit('name-k2').focus();
    fireEvent.click(admit('name-k2'));
    expect(focusedName()).toBe('Admit name-k3');
    fireEvent.click(admit('name-k3'));
    expect(focusedName()).toBe('Admit name-k1');
    fireEvent.click(screen.getByRole('button', { name: 'Deny name-k1' }));
    expect(room.state.participants['k1']?.status).toBe('denied');
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Waiting to enter (0)' }));
  });
});
