// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { fullRoom, type TestRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { Notices } from './Notices.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** m1 speaks for 60 s (warning 30 s); m2 is next in line, obs after; the browser's clock at the grant. */
function speechWithQueue(): TestRoom {
  const room = fullRoom();
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
  room.ok({ type: 'floor:grant', target: { kind: 'next' }, seconds: 60 }, 'host');
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm2');
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'obs');
  vi.useFakeTimers({ now: room.now });
  return room;
}

function renderFor(room: TestRoom, me: string) {
  const view = renderInRoom(room, me, () => <Notices />);
  const ring = vi.spyOn(view.client, 'ring').mockImplementation(() => undefined);
  return { ...view, ring };
}

const tick = (ms: number): void => act(() => void vi.advanceTimersByTime(ms));

describe('<Notices> 请准备发言', () => {
  test('the next in line is told once, when the speech reaches its warning, and rung for', () => {
    const room = speechWithQueue();
    const view = renderFor(room, 'm2');
    tick(29_000);
    expect(screen.queryByTestId('on-deck')).toBeNull();
    tick(1_500);
    const card = within(screen.getByTestId('on-deck'));
    expect(card.getByText('请准备发言')).toBeTruthy();
    expect(screen.getByTestId('on-deck').getAttribute('role')).toBe('alert');
    expect(view.ring).toHaveBeenCalledTimes(1);
    tick(10_000);
    expect(view.ring).toHaveBeenCalledTimes(1);
    // No camera or microphone opened (as in this test's browser): said so, with a way to open them.
    expect(screen.getByTestId('on-deck-camera').getAttribute('data-state')).toBe('off');
    expect(card.getByRole('button', { name: '打开摄像头' })).toBeTruthy();
    expect(screen.getByTestId('on-deck-mic').getAttribute('data-state')).toBe('off');
    expect(card.getByRole('button', { name: '打开麦克风' })).toBeTruthy();
    // The chair gives me the floor: the card has done its work.
    room.ok({ type: 'floor:grant', target: { kind: 'next' } }, 'host');
    act(() => view.refresh());
    expect(screen.queryByTestId('on-deck')).toBeNull();
  });

  test('nobody else is told: not the speaker, not the second in line', () => {
    const room = speechWithQueue();
    for (const me of ['m1', 'obs', 'host']) {
      const view = renderFor(room, me);
      tick(45_000);
      expect(screen.queryByTestId('on-deck'), me).toBeNull();
      expect(view.ring, me).not.toHaveBeenCalled();
      cleanup();
    }
  });

  test('stays after the speech ends until the floor comes; dismissed, it stays away for that speech', () => {
    const room = speechWithQueue();
    const view = renderFor(room, 'm2');
    tick(31_000);
    room.advance(31_000);
    room.ok({ type: 'floor:revoke' }, 'host');
    act(() => view.refresh());
    expect(screen.getByTestId('on-deck')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '知道了' }));
    expect(screen.queryByTestId('on-deck')).toBeNull();
    tick(5_000);
    expect(screen.queryByTestId('on-deck')).toBeNull();
    expect(view.ring).toHaveBeenCalledTimes(1);
  });

  test('blocked devices are named; without floor-only the card offers no microphone button', () => {
    const room = speechWithQueue();
    room.ok({ type: 'room:settings', floorOnly: false }, 'host');
    const view = renderFor(room, 'm2');
    act(() => {
      view.store.dispatch({ type: 'mediaError', source: 'camera', error: 'denied' });
    });
    tick(31_000);
    expect(screen.getByTestId('on-deck-camera').getAttribute('data-state')).toBe('blocked');
    expect(screen.getByTestId('on-deck-camera').textContent).toContain('摄像头被浏览器禁止');
    const mic = screen.getByTestId('on-deck-mic');
    expect(mic.textContent).toContain('轮到您发言时再打开');
    expect(within(mic).queryByRole('button')).toBeNull();
    act(() => {
      view.store.dispatch({ type: 'mediaError', source: 'mic', error: 'denied' });
    });
    expect(screen.getByTestId('on-deck-mic').getAttribute('data-state')).toBe('blocked');
    expect(screen.getByTestId('on-deck-mic').textContent).toContain('麦克风被浏览器禁止');
    // A camera in use by another program is named as such, with a way to try again.
    act(() => {
      view.store.dispatch({ type: 'mediaError', source: 'camera', error: 'inUse' });
    });
    const camera = screen.getByTestId('on-deck-camera');
    expect(camera.getAttribute('data-state')).toBe('failed');
    expect(camera.textContent).toContain('摄像头正被其他程序占用');
    expect(within(camera).getByRole('button', { name: '打开摄像头' })).toBeTruthy();
  });

  test('muted by the chair: the card says the chair must allow it', () => {
    const room = speechWithQueue();
    room.ok({ type: 'media:forceMute', participantId: 'm2' }, 'host');
    const view = renderFor(room, 'm2');
    act(() => {
      view.store.dispatch({ type: 'localSet', source: 'mic', media: { trackId: 't-mic', producerId: 'p-mic', paused: false } });
    });
    tick(31_000);
    expect(screen.getByTestId('on-deck-mic').getAttribute('data-state')).toBe('mutedByHost');
    expect(screen.getByTestId('on-deck-mic').textContent).toContain('主持人已将您静音');
  });
});
