// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { Notices } from './Notices.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(() => cleanup());

describe('<Notices> the live stream', () => {
  test('the host is told, without a chime, while the stream fails, and the notice goes when it is live again', () => {
    const view = renderInRoom(fullRoom(), 'host', () => <Notices />);
    const ring = vi.spyOn(view.client, 'ring').mockImplementation(() => undefined);
    act(() => view.serverSends('stream:status', { state: 'failing' }));
    const notice = screen.getByTestId('notice');
    expect(notice.getAttribute('data-kind')).toBe('streamFailing');
    expect(notice.textContent).toContain('直播流（HLS）暂时中断，正在自动重启；会议本身不受影响。');
    // Every restart that fails again says nothing new.
    act(() => view.serverSends('stream:status', { state: 'failing' }));
    expect(screen.getAllByTestId('notice')).toHaveLength(1);
    expect(ring).not.toHaveBeenCalled();
    act(() => view.serverSends('stream:status', { state: 'live' }));
    expect(screen.queryByTestId('notice')).toBeNull();
  });
});

describe('<Notices> the recorder', () => {
  test('the host is told, without a chime, while the recorder fails, and the notice goes when it records again', () => {
    const view = renderInRoom(fullRoom(), 'host', () => <Notices />);
    const ring = vi.spyOn(view.client, 'ring').mockImplementation(() => undefined);
    act(() => view.serverSends('recording:status', { state: 'failing' }));
    const notice = screen.getByTestId('notice');
    expect(notice.getAttribute('data-kind')).toBe('recordingFailing');
    expect(notice.textContent).toContain('录像暂时中断，正在自动重启并另起一段；会议本身不受影响。');
    act(() => view.serverSends('stream:status', { state: 'failing' }));
    // Two different troubles, two notices; the recorder coming back dismisses only its own.
    expect(screen.getAllByTestId('notice')).toHaveLength(2);
    act(() => view.serverSends('recording:status', { state: 'live' }));
    expect(screen.getAllByTestId('notice').map((n) => n.getAttribute('data-kind'))).toEqual(['streamFailing']);
    expect(ring).not.toHaveBeenCalled();
  });
});
