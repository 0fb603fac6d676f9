// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RoomState } from '../../../../signaling/room/state.js';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { QueuePanel } from '../panels/QueuePanel.js';
import { renderInRoom } from '../testing.js';
import { PeoplePanel } from './PeoplePanel.js';

beforeAll(() => setLanguage('en'));
afterEach(cleanup);

const panel = (room: RoomState) => <PeoplePanel room={room} />;

/** A full room with two more members knocking: k1 from the city, k2 from district 1. */
function withLobby() {
  const room = fullRoom();
  room.arrive('k1', 'member', 'city');
  room.arrive('k2', 'member', 'd1');
  return room;
}

describe('<PeoplePanel>', () => {
  test('the chair admits one person by name, then everybody else at once', () => {
    const room = withLobby();
    const view = renderInRoom(room, 'host', panel);
    const lobby = screen.getByRole('region', { name: 'Waiting to enter (2)' });
    // Each waiting person with role and venue.
    expect(within(lobby).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('name-k1'),
      expect.stringContaining('name-k2'),
    ]);
    expect(within(lobby).getAllByRole('listitem')[1]!.textContent).toContain('一区');

    fireEvent.click(within(lobby).getByRole('button', { name: 'Admit name-k2' }));
    expect(room.state.participants['k2']?.status).toBe('admitted');
    expect(screen.getByRole('region', { name: 'Waiting to enter (1)' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Admit all' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Admit everyone listed (1)?' })).getByRole('button', { name: 'Admit (1)' }));
    expect(room.state.participants['k1']?.status).toBe('admitted');
    expect(screen.getByText('Nobody is waiting.')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Admit all' }).disabled).toBe(true);
    expect(view.sent.map((s) => s.type)).toEqual(['lobby:admit', 'lobby:admitAll']);
  });

  test('people are grouped by venue with present against expected', () => {
    renderInRoom(fullRoom(), 'm1', panel);
    // The city has the chair, the secretary, m1, the observer and the public; two members are expected.
    expect(screen.getByRole('region', { name: '主会场: 1 present of 2 expected' })).toBeTruthy();
    expect(screen.getByRole('region', { name: '一区: 1 present of 2 expected' })).toBeTruthy();
    expect(screen.getByRole('region', { name: '二区: 1 present of 1 expected' })).toBeTruthy();
    expect(screen.getByText('name-m1 (me)')).toBeTruthy();
  });

  test('the speaker is not offered the floor; giving it to another asks first', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' }, seconds: 60 }, 'host');
    const view = renderInRoom(room, 'host', panel);
    const row = (name: string) => screen.getByText(name, { exact: false, selector: '.person-name' }).closest('li')!;
    expect(within(row('name-m1')).queryByRole('button', { name: /Give the floor/ })).toBeNull();
    // Others still may be muted or removed, and given the floor after a question.
    expect(within(row('name-m1')).getByRole('button', { name: 'Mute name-m1' })).toBeTruthy();
    fireEvent.click(within(row('name-m2')).getByRole('button', { name: 'Give the floor to name-m2' }));
    expect(view.sent).toEqual([]);
    const question = screen.getByRole('dialog', { name: 'End the current speech and give the floor to name-m2?' });
    fireEvent.click(within(question).getByRole('button', { name: 'OK' }));
    expect(room.state.floor?.holder).toEqual({ kind: 'participant', participantId: 'm2' });
    expect(within(row('name-m2')).queryByRole('button', { name: /Give the floor/ })).toBeNull();
    expect(within(row('name-m1')).getByRole('button', { name: 'Give the floor to name-m1' })).toBeTruthy();
  });

  test('a venue with the floor is not offered it again', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'venue', venue: 'd1' }, seconds: 60 }, 'host');
    renderInRoom(room, 'host', panel);
    expect(within(screen.getByRole('region', { name: /^一区/ })).queryByRole('button', { name: 'Give the floor to 一区' })).toBeNull();
    expect(within(screen.getByRole('region', { name: /^二区/ })).getByRole('button', { name: 'Give the floor to 二区' })).toBeTruthy();
  });

  test('the speakers tab and the people tab share one speaking time', () => {
    const room = fullRoom();
    renderInRoom(room, 'host', (r) => (
      <>
        <QueuePanel room={r} />
        <PeoplePanel room={r} />
      </>
    ));
    const [inQueue, inPeople] = screen.getAllByLabelText<HTMLSelectElement>('Speaking time');
    // The room's default (3 min) until the chair chooses.
    expect([inQueue!.value, inPeople!.value]).toEqual(['180', '180']);
    fireEvent.change(inPeople!, { target: { value: '300' } });
    expect([inQueue!.value, inPeople!.value]).toEqual(['300', '300']);
    fireEvent.click(screen.getByRole('button', { name: 'Give the floor to name-m2' }));
    expect(room.state.floor).toMatchObject({ holder: { kind: 'participant', participantId: 'm2' }, limitMs: 300_000 });
  });

  test('members see nobody’s lobby and no chair buttons', () => {
    renderInRoom(withLobby(), 'm1', panel);
    expect(screen.queryByRole('region', { name: /Waiting to enter/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Admit|Remove|Mute|Give the floor|End meeting|Lock/ })).toBeNull();
  });
});

describe('muting the one who speaks', () => {
  test('the chair says whether the speech pauses or ends; muting someone else asks nothing', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' } }, 'host');
    renderInRoom(room, 'host', panel);
    fireEvent.click(screen.getByRole('button', { name: 'Mute name-m1' }));
    // Nothing yet: the question first.
    expect(room.state.participants['m1']?.forceMuted).toBe(false);
    const choice = screen.getByRole('dialog', { name: 'Someone is speaking. Muting them will:' });
    fireEvent.click(within(choice).getByRole('button', { name: 'Pause the speech' }));
    expect(room.state.participants['m1']?.forceMuted).toBe(true);
    expect(room.state.floor?.pausedAt).not.toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Mute name-m2' }));
    expect(room.state.participants['m2']?.forceMuted).toBe(true);
  });

  test('mute everyone during a speech asks too, and can be taken back', () => {
    const room = fullRoom();
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' } }, 'host');
    renderInRoom(room, 'host', panel);
    fireEvent.click(screen.getByRole('button', { name: 'Mute everyone' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(room.state.allMuted).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Mute everyone' }));
    fireEvent.click(screen.getByRole('button', { name: 'End the speech' }));
    expect(room.state.allMuted).toBe(true);
    expect(room.state.floor).toBeNull();
  });
});
