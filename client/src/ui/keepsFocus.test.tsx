// @vitest-environment jsdom
/**
 * After raising a hand or voting, the control pressed is replaced by another: the focus goes
 * to what took its place (放下 / the hand button, the notice that the vote counted), never
 * back to the top of the page where a keyboard or screen-reader user would have to start over.
 */
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RoomState } from '../../../signaling/room/state.js';
import { fullRoom } from '../../../signaling/room/testing.js';
import { setLanguage } from '../i18n/index.js';
import { QueuePanel } from './panels/QueuePanel.js';
import { PollsPanel } from './polls/PollsPanel.js';
import { renderInRoom } from './testing.js';

beforeAll(() => setLanguage('en'));
afterEach(cleanup);

describe('the focus stays where the member acted', () => {
  test('raising a hand moves it to “withdraw”, withdrawing back to “raise hand”', async () => {
    renderInRoom(fullRoom(), 'm1', (room: RoomState) => <QueuePanel room={room} />);
    const raise = screen.getByRole('button', { name: 'Raise hand to speak' });
    raise.focus();
    fireEvent.click(raise);
    const withdraw = await screen.findByRole('button', { name: 'Withdraw my request' });
    expect(document.activeElement).toBe(withdraw);
    fireEvent.click(withdraw);
    const again = await screen.findByRole('button', { name: 'Raise hand to speak' });
    expect(document.activeElement).toBe(again);
  });

  test('casting moves it to the notice that the vote counted; “change” moves it to my choice', async () => {
    const room = fullRoom();
    room.ok(
      { type: 'poll:create', question: 'Build the lift?', kind: 'yesno', options: [], secret: false, allowChange: true, quorumPercent: null, threshold: 'simple', durationSeconds: null },
      'host',
    );
    room.ok({ type: 'poll:open', pollId: room.state.pollOrder.at(-1) ?? '' }, 'host');
    renderInRoom(room, 'm1', (r: RoomState) => <PollsPanel room={r} />);
    fireEvent.click(screen.getByRole('radio', { name: 'No' }));
    const cast = screen.getByRole('button', { name: 'Cast vote' });
    cast.focus();
    fireEvent.click(cast);
    const notice = await screen.findByTestId('poll-voted');
    expect(document.activeElement).toBe(notice);
    expect(notice.textContent).toContain('Your choice: No');

    fireEvent.click(screen.getByRole('button', { name: 'Change my vote' }));
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: 'No' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Yes' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cast vote' }));
    const again = await screen.findByTestId('poll-voted');
    expect(again.textContent).toContain('Your choice: Yes');
    expect(document.activeElement).toBe(again);
  });
});
