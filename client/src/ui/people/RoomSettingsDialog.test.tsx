// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { RoomControls } from './RoomControls.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(cleanup);

const controls = (room: Parameters<typeof RoomControls>[0]['room']) => <RoomControls room={room} />;

function openSettings() {
  fireEvent.click(screen.getByRole('button', { name: '会议设置' }));
  return within(screen.getByRole('dialog', { name: '会议设置' }));
}

describe('<RoomSettingsDialog> (会议设置)', () => {
  test('the chair sets quorum, warning, grace and the quota; one room:settings carries only what changed', async () => {
    const room = fullRoom();
    const view = renderInRoom(room, 'host', controls);
    const dialog = openSettings();
    // Each setting says what it means.
    expect(dialog.getByText(/剩余这么多时间时，计时变黄，并提醒下一位发言人做准备/)).toBeTruthy();
    expect(dialog.getByText(/程序性问题不计/)).toBeTruthy();
    fireEvent.change(dialog.getByLabelText('法定人数'), { target: { value: '67' } });
    fireEvent.change(dialog.getByLabelText('提前提醒'), { target: { value: '15' } });
    fireEvent.change(dialog.getByLabelText('超时宽限'), { target: { value: '0' } });
    fireEvent.change(dialog.getByLabelText('每个会场发言次数'), { target: { value: '2' } });
    fireEvent.click(dialog.getByRole('button', { name: '保存' }));

    expect(view.sent).toEqual([
      { type: 'room:settings', fields: { warningSeconds: 15, graceSeconds: 0, speechesPerVenue: 2, quorumPercent: 67 }, ok: true },
    ]);
    expect(room.state.settings).toMatchObject({ warningSeconds: 15, graceSeconds: 0, speechesPerVenue: 2, quorumPercent: 67, defaultSpeechSeconds: 180 });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByTestId('room-settings-summary').textContent).toBe(
      '默认发言：3 分钟；提前提醒：15 秒；超时宽限：到时立即结束；每会场发言：2 次；法定人数：三分之二（67%）',
    );
  });

  test('back to none: no quota and no quorum are sent as null', () => {
    const room = fullRoom({ speechesPerVenue: 3, quorumPercent: 50 });
    const view = renderInRoom(room, 'host', controls);
    const dialog = openSettings();
    expect(dialog.getByLabelText<HTMLSelectElement>('每个会场发言次数').value).toBe('3');
    fireEvent.change(dialog.getByLabelText('每个会场发言次数'), { target: { value: 'none' } });
    fireEvent.change(dialog.getByLabelText('法定人数'), { target: { value: 'none' } });
    fireEvent.click(dialog.getByRole('button', { name: '保存' }));
    expect(view.sent).toEqual([{ type: 'room:settings', fields: { speechesPerVenue: null, quorumPercent: null }, ok: true }]);
    expect(room.state.settings).toMatchObject({ speechesPerVenue: null, quorumPercent: null });
  });

  test('the lobby and floor-only switches read as what they do, and turn the room’s flags', () => {
    const room = fullRoom();
    const view = renderInRoom(room, 'host', controls);
    const dialog = openSettings();
    const lobby = dialog.getByRole<HTMLInputElement>('checkbox', { name: '入会需主持人准入' });
    const floorOnly = dialog.getByRole<HTMLInputElement>('checkbox', { name: '仅获得发言者可开麦' });
    expect([lobby.checked, floorOnly.checked]).toEqual([true, true]);
    fireEvent.click(lobby);
    fireEvent.click(dialog.getByRole('button', { name: '保存' }));
    expect(view.sent).toEqual([{ type: 'room:settings', fields: { open: true }, ok: true }]);
    expect(room.state.settings.open).toBe(true);
  });

  test('a warning as long as the speech is pointed out before saving', () => {
    const room = fullRoom();
    renderInRoom(room, 'host', controls);
    const dialog = openSettings();
    expect(dialog.queryByTestId('settings-warning-too-long')).toBeNull();
    fireEvent.change(dialog.getByLabelText('默认发言时长'), { target: { value: '60' } });
    fireEvent.change(dialog.getByLabelText('提前提醒'), { target: { value: '60' } });
    expect(dialog.getByTestId('settings-warning-too-long').textContent).toContain('发言一开始就会进入提醒');
  });

  test('cancel, or saving without a change, sends nothing', () => {
    const room = fullRoom();
    const view = renderInRoom(room, 'host', controls);
    let dialog = openSettings();
    fireEvent.change(dialog.getByLabelText('每个会场发言次数'), { target: { value: '1' } });
    fireEvent.click(dialog.getByRole('button', { name: '取消' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    dialog = openSettings();
    expect(dialog.getByLabelText<HTMLSelectElement>('每个会场发言次数').value).toBe('none');
    fireEvent.click(dialog.getByRole('button', { name: '保存' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(view.sent).toEqual([]);
    expect(room.state.settings.speechesPerVenue).toBeNull();
  });
});
