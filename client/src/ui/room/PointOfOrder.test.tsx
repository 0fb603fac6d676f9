// @vitest-environment jsdom
/**
 * The point of order on the stage: the chair alone gets the alert with its one action, which
 * pauses the speech and gives the point of order the floor; everybody sees the waiting speech
 * with its time left, frozen; the chair alone may end it (after a question).
 */
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { RoomState } from '../../../../signaling/room/state.js';
import { fullRoom, type TestRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { FloorStage } from './FloorStage.js';

beforeAll(() => setLanguage('zh-CN'));
beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const stage = (room: RoomState) => (room.floor === null ? <p>无人发言</p> : <FloorStage floor={room.floor} />);

/** m2 has spoken 40 s of 120 when obs raises a point of order. */
function raised(): TestRoom {
  const room = fullRoom();
  room.ok({ type: 'floor:grant', target: { kind: 'participant', participantId: 'm2' }, seconds: 120 }, 'host');
  room.advance(40_000);
  room.ok({ type: 'queue:raise', speechType: 'order', note: '议程有误' }, 'obs');
  return room;
}

describe('a point of order on the stage', () => {
  test('the chair is alerted and takes it in one click; the waiting speech shows its time left, which does not run', () => {
    const room = raised();
    vi.setSystemTime(room.now);
    const host = renderInRoom(room, 'host', stage);
    const alert = screen.getByTestId('point-of-order-alert');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('name-obs 提出程序性问题');
    expect(alert.textContent).toContain('事由：议程有误');
    fireEvent.click(screen.getByRole('button', { name: '暂停发言，处理程序性问题' }));
    expect(host.sent.at(-1)).toMatchObject({ type: 'floor:interrupt', fields: { participantId: 'obs' }, ok: true });
    expect(screen.getByTestId('floor-holder').textContent).toBe('name-obs');
    expect(screen.queryByTestId('point-of-order-alert')).toBeNull();
    const waiting = screen.getByTestId('waiting-speech');
    expect(waiting.textContent).toContain('name-m2的发言已暂停，剩余 01:20');
    act(() => vi.advanceTimersByTime(30_000));
    expect(screen.getByTestId('waiting-speech').getAttribute('data-remaining-ms')).toBe('80000');
  });

  test('a member sees neither the alert nor the action, but sees the waiting speech', () => {
    const room = raised();
    vi.setSystemTime(room.now);
    renderInRoom(room, 'm1', stage);
    expect(screen.queryByTestId('point-of-order-alert')).toBeNull();
    expect(screen.queryByRole('button', { name: '暂停发言，处理程序性问题' })).toBeNull();
    cleanup();
    room.ok({ type: 'floor:interrupt' }, 'host');
    renderInRoom(room, 'm1', stage);
    expect(screen.getByTestId('waiting-speech').textContent).toContain('程序性问题结束后自动继续');
    expect(screen.queryByTestId('waiting-speech-end')).toBeNull();
  });

  test('the chair may end the waiting speech, after saying so', () => {
    const room = raised();
    room.ok({ type: 'floor:interrupt' }, 'host');
    vi.setSystemTime(room.now);
    const host = renderInRoom(room, 'host', stage);
    fireEvent.click(screen.getByTestId('waiting-speech-end'));
    expect(host.sent).toEqual([]);
    fireEvent.click(screen.getByTestId('waiting-speech-end-dialog-confirm'));
    expect(host.sent.at(-1)).toMatchObject({ type: 'floor:revoke', fields: { interrupted: true }, ok: true });
    expect(screen.queryByTestId('waiting-speech')).toBeNull();
    expect(room.state.speeches.at(-1)).toMatchObject({ end: 'revoked', spokenMs: 40_000 });
  });
});
