// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { Controls } from '../Controls.js';
import { renderInRoom } from '../testing.js';
import { ChairNotice } from './ChairNotice.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(cleanup);

const toolbar = () => <Controls />;

describe('the chair leaving', () => {
  test('离开会议 asks: hand over to a member present, end for everybody, or cancel', () => {
    const room = fullRoom();
    room.ok({ type: 'system:disconnect', participantId: 'm2' }, { kind: 'system' });
    const view = renderInRoom(room, 'host', toolbar);
    const leave = vi.spyOn(view.client, 'leave');
    fireEvent.click(screen.getByTestId('leave'));
    const dialog = screen.getByRole('dialog', { name: '离开会议' });
    // Only members present may take the chair: not the secretary, the terminal, the observer,
    // the public, nor 王 whose connection dropped.
    const options = within(dialog).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['请选择在场委员', 'name-m1（经济界）']);
    expect(within(dialog).getByRole<HTMLButtonElement>('button', { name: '移交主持后离开' }).disabled).toBe(true);
    expect(within(dialog).getByRole('button', { name: '结束会议（全体）' })).toBeTruthy();
    // The focus is on the question, not on an answer Enter would pick.
    expect(document.activeElement?.textContent).toBe('离开会议');

    fireEvent.click(within(dialog).getByRole('button', { name: '取消' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByTestId('leave'));
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(view.sent).toEqual([]);
    expect(leave).not.toHaveBeenCalled();
  });

  test('移交主持后离开 hands the chair to the member chosen', async () => {
    const room = fullRoom();
    const view = renderInRoom(room, 'host', toolbar);
    fireEvent.click(screen.getByTestId('leave'));
    fireEvent.change(screen.getByTestId('leave-handover-to'), { target: { value: 'm2' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '移交主持后离开' })));
    expect(view.sent.map((s) => [s.type, s.fields, s.ok])).toEqual([['room:handOver', { participantId: 'm2' }, true]]);
    expect(room.state.participants['m2']?.role).toBe('host');
    expect(room.state.participants['host']?.role).toBe('observer');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  test('结束会议（全体） ends the meeting', () => {
    const room = fullRoom();
    const view = renderInRoom(room, 'host', toolbar);
    fireEvent.click(screen.getByTestId('leave'));
    fireEvent.click(screen.getByRole('button', { name: '结束会议（全体）' }));
    expect(view.sent.map((s) => s.type)).toEqual(['room:end']);
    expect(room.state.ended).toBe(true);
  });

  test('a member leaves at once, with no question', () => {
    const view = renderInRoom(fullRoom(), 'm1', toolbar);
    const leave = vi.spyOn(view.client, 'leave').mockImplementation(() => undefined);
    fireEvent.click(screen.getByTestId('leave'));
    expect(leave).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('<ChairNotice>', () => {
  test('members are told when the chair is handed over, and when the chair has left', () => {
    const room = fullRoom();
    const view = renderInRoom(room, 'm1', (r) => <ChairNotice room={r} />);
    expect(screen.queryByTestId('chair-notice')).toBeNull();
    room.ok({ type: 'room:handOver', participantId: 'm2' }, 'host');
    room.ok({ type: 'system:leave', participantId: 'host' }, { kind: 'system' });
    act(() => view.refresh());
    expect(screen.getByTestId('chair-notice').textContent).toContain('主持人已移交给 name-m2');
    fireEvent.click(screen.getByRole('button', { name: '知道了' }));
    expect(screen.queryByTestId('chair-notice')).toBeNull();

    // The new chair leaves without handing over: nobody runs the meeting, and members see it.
    room.ok({ type: 'system:leave', participantId: 'm2' }, { kind: 'system' });
    act(() => view.refresh());
    expect(screen.getByTestId('chair-notice').textContent).toBe('主持人已离开会议');
  });

  test('the member who takes the chair is told it is theirs', () => {
    const room = fullRoom();
    const view = renderInRoom(room, 'm1', (r) => <ChairNotice room={r} />);
    room.ok({ type: 'room:handOver', participantId: 'm1' }, 'host');
    act(() => view.refresh());
    expect(screen.getByTestId('chair-notice').textContent).toContain('您已成为本次会议的主持人');
  });
});
