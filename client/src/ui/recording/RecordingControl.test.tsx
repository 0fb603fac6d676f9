// @vitest-environment jsdom
/**
 * 开始录制 / 停止录制 among the chair's room controls: the host's only; starting is one click,
 * stopping asks first and sends `recording:stop` only once confirmed.
 */
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fullRoom, ROLE_IDS } from '../../../../signaling/room/testing.js';
import type { Role } from '../../../../signaling/room/state.js';
import { setLanguage } from '../../i18n/index.js';
import { RoomControls } from '../people/RoomControls.js';
import { renderInRoom } from '../testing.js';
import { RecordingControl } from './RecordingControl.js';

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

const control = (room: Parameters<typeof RecordingControl>[0]['room']) => <RecordingControl room={room} />;
const controls = (room: Parameters<typeof RoomControls>[0]['room']) => <RoomControls room={room} />;

describe('the recording switch', () => {
  test.each(Object.entries(RECORDS))('%s: sees 开始录制 and 停止录制 = %s', (role, shown) => {
    const room = fullRoom();
    const view = renderInRoom(room, ROLE_IDS[role as Role], control);
    expect(screen.queryByRole('button', { name: '开始录制' }) !== null).toBe(shown);
    view.unmount();
    room.ok({ type: 'recording:start' }, 'host');
    renderInRoom(room, ROLE_IDS[role as Role], control);
    expect(screen.queryByRole('button', { name: '停止录制' }) !== null).toBe(shown);
  });

  test('the chair starts the recording from the room controls with one click', () => {
    const room = fullRoom();
    const view = renderInRoom(room, 'host', controls);
    fireEvent.click(screen.getByRole('button', { name: '开始录制' }));
    expect(view.sent).toEqual([{ type: 'recording:start', fields: {}, ok: true }]);
    expect(room.state.recording.on).toBe(true);
    expect(screen.getByRole('button', { name: '停止录制' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: '开始录制' })).toBeNull();
  });

  test('停止录制 asks first: cancelling sends nothing, confirming sends recording:stop', () => {
    const room = fullRoom();
    room.ok({ type: 'recording:start' }, 'host');
    const view = renderInRoom(room, 'host', controls);

    fireEvent.click(screen.getByRole('button', { name: '停止录制' }));
    const asked = screen.getByRole('dialog', { name: /停止录制？/ });
    expect(view.sent).toEqual([]);
    fireEvent.click(within(asked).getByRole('button', { name: '取消' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(view.sent).toEqual([]);
    expect(room.state.recording.on).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: '停止录制' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '停止录制' }));
    expect(view.sent).toEqual([{ type: 'recording:stop', fields: {}, ok: true }]);
    expect(room.state.recording.on).toBe(false);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('button', { name: '开始录制' })).toBeTruthy();
  });

  test('once the meeting has ended there is nothing to start', () => {
    const room = fullRoom();
    room.ok({ type: 'room:end' }, 'host');
    renderInRoom(room, 'host', control);
    expect(screen.queryByRole('button', { name: '开始录制' })).toBeNull();
  });
});
