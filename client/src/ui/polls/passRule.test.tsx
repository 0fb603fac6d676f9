// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { minutesSkeleton } from '../../../../signaling/record/skeleton.js';
import { fullRoom, type TestRoom } from '../../../../signaling/room/testing.js';
import type { MajorityBasis } from '../../../../signaling/room/state.js';
import { setLanguage } from '../../i18n/index.js';
import { PollRecords } from '../minutes/SkeletonView.js';
import { renderInRoom } from '../testing.js';
import { PollsPanel } from './PollsPanel.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(cleanup);

const panel = (room: Parameters<typeof PollsPanel>[0]['room']) => <PollsPanel room={room} />;

/** The case from the field: 1 赞成 and 1 弃权 (v1 does not vote), published. */
function oneYesOneAbstention(basis: MajorityBasis): TestRoom {
  const room = fullRoom();
  room.ok(
    { type: 'poll:create', question: '是否同意加装电梯？', kind: 'yesno', options: [], secret: false, allowChange: true, quorumPercent: null, threshold: 'simple', basis, durationSeconds: null },
    'host',
  );
  room.ok({ type: 'poll:open', pollId: 'poll-1' }, 'host');
  room.ok({ type: 'poll:vote', pollId: 'poll-1', choices: [0] }, 'm1');
  room.ok({ type: 'poll:vote', pollId: 'poll-1', choices: [2] }, 'm2');
  room.ok({ type: 'poll:close', pollId: 'poll-1' }, 'host');
  room.ok({ type: 'poll:publish', pollId: 'poll-1' }, 'host');
  return room;
}

describe('the result names what its majority counted', () => {
  test.each([
    ['cast', '通过标准：过半数（以实际投票计，弃权不计） · 支持 1 票，计票基数 1 票', '通过'],
    ['castWithAbstentions', '通过标准：过半数（以实际投票计，弃权计入） · 支持 1 票，计票基数 2 票', '未通过'],
    ['eligible', '通过标准：过半数（以应投人数计） · 支持 1 票，计票基数 3 票', '未通过'],
  ] as const)('1 赞成, 1 弃权 of 3, counted against %s', (basis, rule, verdict) => {
    renderInRoom(oneYesOneAbstention(basis), 'm1', panel);
    expect(screen.getByTestId('poll-rule').textContent).toBe(rule);
    expect(screen.getByTestId('poll-passed').textContent).toBe(verdict);
    // Voters see the rule on the card itself, before any result.
    expect(screen.getByTestId('poll-rule-chip').textContent).toBe(rule.slice('通过标准：'.length, rule.indexOf(' · ')));
  });
});

describe('the organiser chooses the basis when drafting', () => {
  test('a yes/no poll offers three bases, explains the chosen one, and the poll carries it', () => {
    const room = fullRoom();
    const { sent } = renderInRoom(room, 'host', panel);
    fireEvent.click(screen.getByRole('button', { name: '发起表决' }));
    fireEvent.change(screen.getByTestId('poll-question'), { target: { value: '是否同意加装电梯？' } });
    // No pass rule, nothing to count against.
    expect(screen.queryByTestId('poll-basis')).toBeNull();
    fireEvent.change(screen.getByTestId('poll-threshold'), { target: { value: 'simple' } });
    const basis = screen.getByLabelText<HTMLSelectElement>('计票基数');
    expect(within(basis).getAllByRole('option').map((o) => o.textContent)).toEqual(['实际投票数（弃权不计）', '实际投票数（弃权计入）', '应投人数（含未投票者）']);
    expect(basis.value).toBe('cast');
    expect(screen.getByTestId('poll-basis-hint').textContent).toContain('弃权票不算在内');
    fireEvent.change(basis, { target: { value: 'castWithAbstentions' } });
    expect(screen.getByTestId('poll-basis-hint').textContent).toContain('算作 2 票中有 1 票赞成，未过半数');
    fireEvent.click(screen.getByTestId('poll-submit-create'));
    expect(sent.at(-1)).toMatchObject({ type: 'poll:create', ok: true, fields: { basis: 'castWithAbstentions', threshold: 'simple' } });
    expect(room.state.polls['poll-1']?.basis).toBe('castWithAbstentions');
    expect(screen.getByTestId('poll-rule-chip').textContent).toBe('过半数（以实际投票计，弃权计入）');
  });

  test('a consensus poll has no abstentions: no such basis, and a yes/no choice falls back to votes cast', () => {
    const room = fullRoom();
    const { sent } = renderInRoom(room, 'host', panel);
    fireEvent.click(screen.getByRole('button', { name: '发起表决' }));
    fireEvent.change(screen.getByTestId('poll-question'), { target: { value: '方案是否可行？' } });
    fireEvent.change(screen.getByTestId('poll-threshold'), { target: { value: 'simple' } });
    fireEvent.change(screen.getByTestId('poll-basis'), { target: { value: 'castWithAbstentions' } });
    fireEvent.change(screen.getByTestId('poll-kind'), { target: { value: 'consensus' } });
    const basis = screen.getByLabelText<HTMLSelectElement>('计票基数');
    expect(within(basis).getAllByRole('option').map((o) => o.textContent)).toEqual(['实际投票数', '应投人数（含未投票者）']);
    expect(basis.value).toBe('cast');
    fireEvent.click(screen.getByTestId('poll-submit-create'));
    expect(sent.at(-1)).toMatchObject({ ok: true, fields: { kind: 'consensus', basis: 'cast' } });
    expect(screen.getByTestId('poll-rule-chip').textContent).toBe('过半数（以实际投票计）');
  });
});

describe('the minutes panel names the basis as the exports do', () => {
  test('a recorded poll shows its rule with its basis; a record without one (older logs) reads votes cast, abstentions left out', () => {
    const [eligible] = minutesSkeleton(oneYesOneAbstention('eligible').state).polls;
    const [older] = minutesSkeleton(oneYesOneAbstention('cast').state).polls;
    expect(older).not.toHaveProperty('basis');
    render(<PollRecords polls={[eligible!, older!]} />);
    expect(screen.getAllByTestId('minutes-poll-rule').map((el) => el.textContent)).toEqual(['过半数（以应投人数计）', '过半数（以实际投票计，弃权不计）']);
  });
});
