// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { RoomControls } from './RoomControls.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(cleanup);

const controls = (room: Parameters<typeof RoomControls>[0]['room']) => <RoomControls room={room} />;

describe('会议设置: the smallest group a secret vote shows', () => {
  test('reads 5 in a new room, and the chair sets 8 with one room:settings', () => {
    const room = fullRoom();
    const view = renderInRoom(room, 'host', controls);
    fireEvent.click(screen.getByRole('button', { name: '会议设置' }));
    const dialog = within(screen.getByRole('dialog', { name: '会议设置' }));
    const select = dialog.getByLabelText<HTMLSelectElement>('无记名表决分组显示的最少人数');
    expect(select.value).toBe('5');
    expect([...select.options].map((o) => o.textContent)).toEqual(['3 人', '5 人', '8 人', '10 人']);
    expect(dialog.getByText(/人数少于此数的组（以及可由其他组推算出的组）并入“其他”/)).toBeTruthy();
    fireEvent.change(select, { target: { value: '8' } });
    fireEvent.click(dialog.getByRole('button', { name: '保存' }));
    expect(view.sent).toEqual([{ type: 'room:settings', fields: { secretGroupMin: 8 }, ok: true }]);
    expect(room.state.settings.secretGroupMin).toBe(8);
  });
});
