// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fullRoom, type TestRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { PollsPanel } from './PollsPanel.js';

beforeAll(() => setLanguage('en'));
afterEach(cleanup);

const panel = (room: Parameters<typeof PollsPanel>[0]['room']) => <PollsPanel room={room} />;

/** A yes/no poll through the real commands: m1 (主会场, 经济界) yes, m2 (一区, 教育界) no, v1 (二区 terminal) yes. */
function closedPoll(room: TestRoom, secret: boolean, votes: Record<string, number> = { m1: 0, m2: 1, v1: 0 }, roundOf?: string): string {
  room.ok({ type: 'poll:create', question: 'Build the lift?', kind: 'yesno', options: [], secret, allowChange: !secret, quorumPercent: null, threshold: 'none', durationSeconds: null, ...(roundOf ? { roundOf } : {}) }, 'host');
  const id = room.state.pollOrder.at(-1) ?? '';
  room.ok({ type: 'poll:open', pollId: id }, 'host');
  for (const [voter, choice] of Object.entries(votes)) room.ok({ type: 'poll:vote', pollId: id, choices: [choice] }, voter);
  room.ok({ type: 'poll:close', pollId: id }, 'host');
  return id;
}

const rowsOf = (testId: string) =>
  within(screen.getByTestId(testId))
    .getAllByTestId('poll-breakdown-row')
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.getAttribute('aria-label') ?? cell.textContent));

describe('results by venue and sector', () => {
  test('the chair sees a named poll by venue (by name) and by sector; a member only once it is published', () => {
    const room = fullRoom();
    const id = closedPoll(room, false);
    const chair = renderInRoom(room, 'host', panel);
    expect(rowsOf('poll-breakdown-venue')).toEqual([
      ['主会场', '1', '1 (100%)', '0 (0%)', '0 (0%)'],
      ['一区', '1', '0 (0%)', '1 (100%)', '0 (0%)'],
      ['二区', '1', '1 (100%)', '0 (0%)', '0 (0%)'],
    ]);
    // The terminal has no sector on its invite: shown as such, not as a blank.
    expect(rowsOf('poll-breakdown-sector').map((r) => r[0])).toEqual(['Not given', '教育界', '经济界']);
    chair.unmount();

    const member = renderInRoom(room, 'm1', panel);
    expect(screen.queryByTestId('poll-breakdown')).toBeNull();
    member.unmount();
    room.ok({ type: 'poll:publish', pollId: id }, 'host');
    renderInRoom(room, 'm1', panel);
    expect(screen.getByTestId('poll-breakdown')).toBeTruthy();
  });

  test('a secret poll of three voters says why nothing is shown by group', () => {
    const room = fullRoom();
    closedPoll(room, true);
    renderInRoom(room, 'host', panel);
    expect(screen.getByTestId('poll-breakdown-merged').textContent).toContain('fewer than 5 voters');
    expect(screen.getByTestId('poll-breakdown-venue').textContent).toBe('By venue: not shown by group (the groups are too small, or could be worked out from each other)');
    expect(screen.queryAllByTestId('poll-breakdown-row')).toEqual([]);
  });
});

describe('a second round', () => {
  test('the chair asks again from the closed poll, and the second round shows the shift per option', async () => {
    const room = fullRoom();
    const first = closedPoll(room, false);
    const view = renderInRoom(room, 'host', panel);
    const card = () => screen.getAllByRole('article', { name: 'Build the lift?' });
    fireEvent.click(within(card()[0] ?? document.body).getByRole('button', { name: 'Ask again' }));
    expect(view.sent.map((s) => [s.type, s.ok])).toEqual([['poll:create', true]]);
    const second = room.state.pollOrder.at(-1) ?? '';
    expect(room.state.polls[second]).toMatchObject({ roundOf: first, status: 'draft', kind: 'yesno', secret: false });
    // Only once: neither round offers another.
    expect(screen.queryByRole('button', { name: 'Ask again' })).toBeNull();
    expect(screen.getByTestId('poll-second-round').textContent).toBe('Round 2');
    view.unmount();

    room.ok({ type: 'poll:open', pollId: second }, 'host');
    for (const voter of ['m1', 'm2', 'v1']) room.ok({ type: 'poll:vote', pollId: second, choices: [0] }, voter);
    room.ok({ type: 'poll:close', pollId: second }, 'host');
    renderInRoom(room, 'host', panel);
    // 2 yes 1 no → 3 yes: +1 vote, 67 % → 100 % (+33 points); no: −1, −33 points.
    expect(screen.getAllByTestId('poll-shift-row').map((li) => li.textContent)).toEqual([
      'Yes: 2 → 3 votes, +1 (+33 points)',
      'No: 1 → 0 votes, -1 (-33 points)',
      'Abstain: 0 → 0 votes, no change',
    ]);
  });
});
