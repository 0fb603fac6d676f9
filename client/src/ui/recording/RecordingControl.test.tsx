// @vitest-environment jsdom
/**
 * 录制 / 停止录制 in the meeting's control bar, beside the microphone and camera, where a chair
 * used to 腾讯会议 looks for it: the host's only; starting is one click, stopping asks first and
 * sends `recording:stop` only once confirmed. The 参会 tab's room controls no longer carry it.
 */
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fullRoom, ROLE_IDS } from '../../../../signaling/room/testing.js';
import type { Role } from '../../../../signaling/room/state.js';
import { setLanguage } from '../../i18n/index.js';
import { Controls } from '../Controls.js';
import { RoomControls } from '../people/RoomControls.js';
import { renderInRoom } from '../testing.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(cleanup);

/** Who may start and stop the recording: the chair, nobody else. */
const RECORDS: Record<Role, boolean> = {
  host: true,
  secretary: false,
  member: false,
  venue: false,
  observer: false,
  department: false,
  public: false,
};

const toolbar = () => <Controls />;
const controls = (room: Parameters<typeof RoomControls>[0]['room']) => <RoomControls room={room} />;
/** The meeting's bottom bar, by its spoken name, as a screen reader finds it. */
const bar = () => screen.getByRole('toolbar', { name: '会议控制' });

describe('录制 in the control bar', () => {
  test.each(Object.entries(RECORDS))('%s: sees 录制 and 停止录制 in the control bar = %s', (role, shown) => {
    const room = fullRoom();
    const view = renderInRoom(room, ROLE_IDS[role as Role], toolbar);
    expect(within(bar()).queryByRole('button', { name: '录制' }) !== null).toBe(shown);
    view.unmount();
    room.ok({ type: 'recording:start' }, 'host');
    renderInRoom(room, ROLE_IDS[role as Role], toolbar);
    expect(within(bar()).queryByRole('button', { name: '停止录制' }) !== null).toBe(shown);
  });

  test('the chair starts the recording from the control bar with one click', () => {
    const room = fullRoom();
    const view = renderInRoom(room, 'host', toolbar);
    const start = within(bar()).getByRole('button', { name: '录制' });
    // It sits with the microphone and camera, not apart with 离开会议.
    expect(start.closest('.controls-main')).toBe(within(bar()).getByTestId('toggle-mic').closest('.controls-main'));
    expect(start.className).toContain('control');
    fireEvent.click(start);
    expect(view.sent).toEqual([{ type: 'recording:start', fields: {}, ok: true }]);
    expect(room.state.recording.on).toBe(true);
    expect(within(bar()).getByRole('button', { name: '停止录制' })).toBeTruthy();
    expect(within(bar()).queryByRole('button', { name: '录制' })).toBeNull();
  });

  test('停止录制 asks first: cancelling sends nothing, confirming sends recording:stop', () => {
    const room = fullRoom();
    room.ok({ type: 'recording:start' }, 'host');
    const view = renderInRoom(room, 'host', toolbar);

    fireEvent.click(within(bar()).getByRole('button', { name: '停止录制' }));
    const asked = screen.getByRole('dialog', { name: /停止录制？/ });
    expect(view.sent).toEqual([]);
    fireEvent.click(within(asked).getByRole('button', { name: '取消' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(view.sent).toEqual([]);
    expect(room.state.recording.on).toBe(true);

    fireEvent.click(within(bar()).getByRole('button', { name: '停止录制' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '停止录制' }));
    expect(view.sent).toEqual([{ type: 'recording:stop', fields: {}, ok: true }]);
    expect(room.state.recording.on).toBe(false);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(within(bar()).getByRole('button', { name: '录制' })).toBeTruthy();
  });

  test('once the meeting has ended there is nothing to start', () => {
    const room = fullRoom();
    room.ok({ type: 'room:end' }, 'host');
    renderInRoom(room, 'host', toolbar);
    expect(screen.queryByRole('button', { name: '录制' })).toBeNull();
  });

  test('the 参会 tab\'s room controls no longer carry it: one place to record', () => {
    const room = fullRoom();
    renderInRoom(room, 'host', controls);
    expect(screen.getByTestId('room-end')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /录制/ })).toBeNull();
    room.ok({ type: 'recording:start' }, 'host');
    cleanup();
    renderInRoom(room, 'host', controls);
    expect(screen.queryByRole('button', { name: /录制/ })).toBeNull();
  });
});
