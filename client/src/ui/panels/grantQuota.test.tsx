// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fullRoom, type TestRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { ParticipantList } from '../people/ParticipantList.js';
import { renderInRoom } from '../testing.js';
import { QueuePanel } from './QueuePanel.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(cleanup);

const queue = (room: Parameters<typeof QueuePanel>[0]['room']) => <QueuePanel room={room} />;
const QUESTION = '一区已用完发言名额（1 次），仍要给予发言？';

/** A quota of one speech per venue; d1 (m2) has spoken; m3 of d1 and m1 of the city wait. */
function d1HasSpoken(): TestRoom {
  const room = fullRoom({ speechesPerVenue: 1 });
  room.arrive('m3', 'member', 'd1');
  room.ok({ type: 'lobby:admit', participantId: 'm3' }, 'host');
  // m3 raised before d1's speech was given: the hand stays, the quota binds the grant.
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm3');
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
  room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm2' } }, 'host');
  room.ok({ type: 'floor:revoke' }, 'host');
  return room;
}

describe('granting past the venue’s speech quota', () => {
  test('asks 仍要给予发言？; cancel sends nothing; confirming sends the override and the floor is given', () => {
    const room = d1HasSpoken();
    const view = renderInRoom(room, 'host', queue);
    // The list marks who would need the override: m3 (一区), not m1 (主会场).
    expect(screen.getAllByTestId('queue-quota-used').map((chip) => chip.closest('li')?.getAttribute('data-participant-id'))).toEqual(['m3']);
    expect(screen.getByTestId('queue-quota-used').textContent).toBe('本会场名额已用完');
    fireEvent.click(screen.getByRole('button', { name: '请name-m3发言' }));
    let dialog = within(screen.getByRole('dialog', { name: QUESTION }));
    fireEvent.click(dialog.getByRole('button', { name: '取消' }));
    expect(view.sent).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: '请下一位发言' }));
    dialog = within(screen.getByRole('dialog', { name: QUESTION }));
    fireEvent.click(dialog.getByRole('button', { name: '仍要给予' }));
    expect(view.sent).toEqual([{ type: 'floor:grant', fields: { target: { kind: 'next' }, seconds: 180, overrideQuota: true }, ok: true }]);
    expect(room.state.floor?.holder).toEqual({ kind: 'participant', participantId: 'm3' });
    expect(room.log.at(-1)).toMatchObject({ type: 'floor.granted', data: { quotaOverride: { venue: 'd1', used: 1, limit: 1 } } });
  });

  test('a venue with speeches left, or a point of order, is granted without the question and without override', () => {
    const room = d1HasSpoken();
    room.ok({ type: 'queue:raise', speechType: 'order', note: '' }, 'm2');
    const view = renderInRoom(room, 'host', queue);
    fireEvent.click(screen.getByRole('button', { name: '请name-m2发言' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(view.sent).toEqual([{ type: 'floor:grant', fields: { target: { kind: 'participant', participantId: 'm2' }, seconds: 180 }, ok: true }]);
  });

  test('while someone speaks, the question says the current speech ends too', () => {
    const room = d1HasSpoken();
    room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm1' } }, 'host');
    renderInRoom(room, 'host', queue);
    fireEvent.click(screen.getByRole('button', { name: '请name-m3发言' }));
    expect(screen.getByRole('dialog', { name: '一区已用完发言名额（1 次），仍要结束当前发言并给予发言？' })).toBeTruthy();
  });

  test('the people tab asks the same before giving the floor to a person or the whole venue', () => {
    const room = d1HasSpoken();
    const view = renderInRoom(room, 'host', (r) => <ParticipantList room={r} />);
    const d1 = within(screen.getAllByTestId('venue-group').find((g) => g.getAttribute('data-venue') === 'd1')!);
    fireEvent.click(d1.getByTestId('venue-grant'));
    fireEvent.click(within(screen.getByRole('dialog', { name: QUESTION })).getByRole('button', { name: '仍要给予' }));
    expect(view.sent).toEqual([{ type: 'floor:grant', fields: { target: { kind: 'venue', venue: 'd1' }, seconds: 180, overrideQuota: true }, ok: true }]);
  });
});
