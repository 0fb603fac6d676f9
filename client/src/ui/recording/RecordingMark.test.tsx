// @vitest-environment jsdom
/**
 * 录制中 is seen by everybody while the meeting is recorded: in the room's header whatever the
 * viewer's role, and on the public page; and by nobody while it is not.
 */
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { aPublicView } from '../public/testing.js';
import { fullRoom, ROLE_IDS } from '../../../../signaling/room/testing.js';
import type { Role } from '../../../../signaling/room/state.js';
import { setLanguage } from '../../i18n/index.js';
import { AudienceView } from '../audience/AudienceView.js';
import { LobbyScreen } from '../LobbyScreen.js';
import { RoomHeaderInfo } from '../RoomHeaderInfo.js';
import { renderInRoom } from '../testing.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(cleanup);

/** Every role there is: the mark is for all of them, not for a chosen few. */
const EVERY_ROLE: Role[] = ['host', 'secretary', 'member', 'venue', 'observer', 'department', 'public'];

const header = () => <RoomHeaderInfo />;

describe('录制中 in the room’s header', () => {
  test.each(EVERY_ROLE)('the %s sees it while the recording runs, with a spoken name, and not once it stops', (role) => {
    const room = fullRoom();
    const view = renderInRoom(room, ROLE_IDS[role], header);
    expect(screen.queryByTestId('recording-mark')).toBeNull();

    room.ok({ type: 'recording:start' }, 'host');
    act(() => view.refresh());
    const mark = screen.getByRole('status', { name: '本次会议正在录像' });
    expect(mark.textContent).toBe('录制中');

    room.ok({ type: 'recording:stop' }, 'host');
    act(() => view.refresh());
    expect(screen.queryByRole('status', { name: '本次会议正在录像' })).toBeNull();
    expect(screen.queryByText('录制中')).toBeNull();
  });

  test('in English it reads Recording', async () => {
    await setLanguage('en');
    try {
      const room = fullRoom();
      room.ok({ type: 'recording:start' }, 'host');
      renderInRoom(room, 'm1', header);
      expect(screen.getByRole('status', { name: 'This meeting is being recorded' }).textContent).toBe('Recording');
    } finally {
      await setLanguage('zh-CN');
    }
  });
});

const VIEW = aPublicView({ audience: { online: 3, visits: 9 } });

describe('录制中 on the public page', () => {
  test('shown while the view says the meeting is recorded, not otherwise', () => {
    const { rerender } = render(<AudienceView view={{ ...VIEW, recording: true }} stream={null} consumerIds={[]} clockOffset={0} />);
    expect(screen.getByRole('status', { name: '本次会议正在录像' }).textContent).toBe('录制中');
    rerender(<AudienceView view={VIEW} stream={null} consumerIds={[]} clockOffset={0} />);
    expect(screen.queryByTestId('recording-mark')).toBeNull();
  });
});

describe('录制中 in the lobby', () => {
  test('someone waiting is told, before being let in, that the meeting is recorded', () => {
    const room = fullRoom();
    room.arrive('late', 'member', 'd1');
    renderInRoom(room, 'late', () => <LobbyScreen />);
    expect(screen.queryByTestId('lobby-recording')).toBeNull();
    cleanup();
    room.ok({ type: 'recording:start' }, 'host');
    renderInRoom(room, 'late', () => <LobbyScreen />);
    expect(screen.getByTestId('lobby-recording').textContent).toContain('本次会议正在录像：进入后，你的发言和画面会被录制。');
  });
});
