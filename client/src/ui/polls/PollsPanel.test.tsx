// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { ClientCommand } from '../../../../signaling/room/commands.js';
import { fullRoom, type TestRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { PollsPanel } from './PollsPanel.js';

beforeAll(() => setLanguage('en'));
afterEach(cleanup);

const panel = (room: Parameters<typeof PollsPanel>[0]['room']) => <PollsPanel room={room} />;

type Create = Extract<ClientCommand, { type: 'poll:create' }>;

/** The host drafts a poll and opens it; answers its id. */
function openPoll(room: TestRoom, over: Partial<Create> = {}): string {
  room.ok(
    {
      type: 'poll:create',
      question: 'Build the lift?',
      kind: 'yesno',
      options: [],
      secret: false,
      allowChange: true,
      quorumPercent: null,
      threshold: 'simple',
      durationSeconds: null,
      ...over,
    },
    'host',
  );
  const id = room.state.pollOrder.at(-1) ?? '';
  room.ok({ type: 'poll:open', pollId: id }, 'host');
  return id;
}

const castButton = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Cast vote' });
const radio = (name: string) => screen.getByRole<HTMLInputElement>('radio', { name });
const checkbox = (name: string) => screen.getByRole<HTMLInputElement>('checkbox', { name });

describe('the ballot', () => {
  test('a multiple-choice ballot can be cast only with between min and max choices', async () => {
    const room = fullRoom();
    openPoll(room, { kind: 'multiple', options: ['Lift A', 'Lift B', 'Ramp'], minChoices: 2, maxChoices: 2, threshold: 'none' });
    const view = renderInRoom(room, 'm1', panel);

    const ballot = screen.getByRole('group', { name: 'Build the lift?' });
    expect(within(ballot).getByText('Choose 2 to 2 options.')).toBeTruthy();
    expect(castButton().disabled).toBe(true);
    fireEvent.click(checkbox('Lift A'));
    expect(castButton().disabled).toBe(true);
    fireEvent.click(checkbox('Ramp'));
    expect(castButton().disabled).toBe(false);
    fireEvent.click(checkbox('Lift B'));
    expect(castButton().disabled).toBe(true);
    fireEvent.click(checkbox('Lift A'));
    expect(castButton().disabled).toBe(false);

    fireEvent.click(castButton());
    const notice = await screen.findByRole('status');
    expect(notice.textContent).toContain('Your vote has been recorded');
    expect(notice.textContent).toContain('Your choice: Lift B、Ramp');
    expect(view.sent.map((s) => [s.type, s.fields, s.ok])).toEqual([['poll:vote', { pollId: room.state.pollOrder[0], choices: [1, 2] }, true]]);
    expect(screen.queryByRole('button', { name: 'Cast vote' })).toBeNull();
  });

  test('a named yes/no vote may be changed; the ballot comes back with the earlier choice', async () => {
    const room = fullRoom();
    const id = openPoll(room);
    renderInRoom(room, 'm1', panel);
    // The pass rule, and what it counts against, is on the card before anyone votes.
    expect(within(screen.getByRole('article', { name: 'Build the lift?' })).getByText('Simple majority (of votes cast, abstentions left out)')).toBeTruthy();
    fireEvent.click(radio('Yes'));
    fireEvent.click(castButton());
    expect((await screen.findByRole('status')).textContent).toContain('Your choice: Yes');

    fireEvent.click(screen.getByRole('button', { name: 'Change my vote' }));
    expect(radio('Yes').checked).toBe(true);
    fireEvent.click(radio('No'));
    fireEvent.click(castButton());
    expect((await screen.findByRole('status')).textContent).toContain('Your choice: No');
    expect(room.state.polls[id]?.choices['m1']).toEqual([1]);
  });

  test('a secret ballot is final and its choice is not shown back', async () => {
    const room = fullRoom();
    openPoll(room, { secret: true, allowChange: false });
    renderInRoom(room, 'm1', panel);
    expect(screen.getByText('Secret')).toBeTruthy();
    fireEvent.click(radio('Abstain'));
    fireEvent.click(castButton());
    const notice = await screen.findByRole('status');
    expect(notice.textContent).toContain('Your vote has been recorded');
    expect(notice.textContent).not.toContain('Your choice');
    expect(screen.queryByRole('button', { name: 'Change my vote' })).toBeNull();
  });

  test('on the consensus scale, a dissenting choice asks for a reason', () => {
    const room = fullRoom();
    openPoll(room, { kind: 'consensus', threshold: 'none' });
    renderInRoom(room, 'm1', panel);
    expect(screen.getAllByRole('radio').map((r) => r.closest('label')?.textContent)).toEqual(['Agree', 'Broadly agree', 'Needs more discussion', 'Disagree']);
    fireEvent.click(radio('Agree'));
    expect(screen.queryByLabelText('Reason (optional)')).toBeNull();
    fireEvent.click(radio('Disagree'));
    expect(screen.getByLabelText('Reason (optional)')).toBeTruthy();
  });

  test('observers and the chair get no ballot; only the chair sees turnout and the buttons', () => {
    const room = fullRoom();
    const id = openPoll(room, { durationSeconds: 60 });
    room.ok({ type: 'poll:vote', pollId: id, choices: [0] }, 'm2');
    renderInRoom(room, 'obs', panel);
    expect(screen.queryByRole('button', { name: 'Cast vote' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Close voting' })).toBeNull();
    expect(screen.queryByText(/have voted/)).toBeNull();
    cleanup();

    // A member who voted sees their own vote and the deadline, not how many voted.
    renderInRoom(room, 'm2', panel);
    expect(screen.getByRole('status').textContent).toContain('Your vote has been recorded');
    expect(screen.getByText(/^Closes in \d+ s$/)).toBeTruthy();
    expect(screen.queryByText(/have voted/)).toBeNull();
    cleanup();

    renderInRoom(room, 'host', panel);
    expect(screen.queryByRole('button', { name: 'Cast vote' })).toBeNull();
    // Members m1, m2 and the venue v1 are eligible; m2 voted.
    expect(screen.getByText('1 / 3 have voted').textContent).toMatch(/^1 \/ 3 have voted · Closes in \d+ s$/);
    expect(screen.getByRole('button', { name: 'Close voting' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'New vote' })).toBeTruthy();
  });
});

describe('results', () => {
  test('bars carry counts and percentages in their names; pass or fail is written out', () => {
    const room = fullRoom();
    const id = openPoll(room);
    room.ok({ type: 'poll:vote', pollId: id, choices: [0] }, 'm1');
    room.ok({ type: 'poll:vote', pollId: id, choices: [0] }, 'm2');
    room.ok({ type: 'poll:vote', pollId: id, choices: [1] }, 'v1');
    room.ok({ type: 'poll:close', pollId: id }, 'host');

    // Closed but not published: members wait, the chair may publish.
    renderInRoom(room, 'm1', panel);
    expect(screen.getByText('Voting has closed; the result will be published shortly.')).toBeTruthy();
    expect(screen.queryAllByRole('img')).toEqual([]);
    cleanup();
    // The secretary, who writes the result into the minutes, sees it too, marked as not public.
    renderInRoom(room, 'sec', panel);
    expect(screen.getAllByRole('img').map((bar) => bar.getAttribute('aria-label'))).toEqual(['Yes: 2 votes, 67%', 'No: 1 vote, 33%', 'Abstain: 0 votes, 0%']);
    expect(screen.getByText('Not published yet: only the host and the secretaries see this result.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Publish result' })).toBeNull();
    cleanup();
    renderInRoom(room, 'host', panel);
    // The chair sees the result first, and is told nobody else does yet.
    expect(screen.getAllByRole('img')).toHaveLength(3);
    expect(screen.getByText('Only you and the secretaries see the result so far; select “Publish result” to show everyone')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Publish result' }));
    expect(screen.queryByText(/see the result so far/)).toBeNull();
    cleanup();

    renderInRoom(room, 'm1', panel);
    expect(screen.getAllByRole('img').map((bar) => bar.getAttribute('aria-label'))).toEqual([
      'Yes: 2 votes, 67%',
      'No: 1 vote, 33%',
      'Abstain: 0 votes, 0%',
    ]);
    expect(screen.getByText('3 votes cast, 3 eligible')).toBeTruthy();
    expect(screen.getByText('Passed')).toBeTruthy();
    expect(screen.queryByText(/Not published yet/)).toBeNull();
  });

  test('single-answer percentages add up to 100; multiple-choice ones are shares of ballots', () => {
    const room = fullRoom();
    const single = openPoll(room, { kind: 'single', options: ['A', 'B', 'C'], threshold: 'none' });
    for (const [who, choice] of [['m1', 0], ['m2', 1], ['v1', 2]] as const) room.ok({ type: 'poll:vote', pollId: single, choices: [choice] }, who);
    room.ok({ type: 'poll:close', pollId: single }, 'host');
    room.ok({ type: 'poll:publish', pollId: single }, 'host');

    const multiple = openPoll(room, { kind: 'multiple', options: ['A', 'B', 'C'], minChoices: 1, maxChoices: 3, threshold: 'none' });
    room.ok({ type: 'poll:vote', pollId: multiple, choices: [0, 1] }, 'm1');
    room.ok({ type: 'poll:vote', pollId: multiple, choices: [0] }, 'm2');
    room.ok({ type: 'poll:close', pollId: multiple }, 'host');
    room.ok({ type: 'poll:publish', pollId: multiple }, 'host');

    renderInRoom(room, 'm1', panel);
    const [newest, oldest] = screen.getAllByRole('article');
    const percents = (card: HTMLElement) => within(card).getAllByRole('img').map((bar) => bar.getAttribute('aria-label')?.split(', ')[1]);
    // One vote in three each: 34 + 33 + 33 (the largest remainder gets the odd point).
    expect(percents(oldest!)).toEqual(['34%', '33%', '33%']);
    expect(percents(newest!)).toEqual(['100%', '50%', '0%']);
    // No pass rule: no verdict.
    expect(screen.queryByText('Passed')).toBeNull();
    expect(screen.queryByText('Not passed')).toBeNull();
  });

  test('a two-thirds vote that falls short says "Not passed"', () => {
    const room = fullRoom();
    const id = openPoll(room, { threshold: 'twoThirds' });
    room.ok({ type: 'poll:vote', pollId: id, choices: [0] }, 'm1');
    room.ok({ type: 'poll:vote', pollId: id, choices: [1] }, 'm2');
    room.ok({ type: 'poll:close', pollId: id }, 'host');
    room.ok({ type: 'poll:publish', pollId: id }, 'host');
    renderInRoom(room, 'm1', panel);
    expect(screen.getByText('Not passed')).toBeTruthy();
  });
});
