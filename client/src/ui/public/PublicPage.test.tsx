// @vitest-environment jsdom
/**
 * The public page's two ways to watch: 实时模式 (WebRTC) with a switch to 流畅模式, the stream
 * with its delay once chosen, and the fallback to the stream (with why, and a retry) when the
 * WebRTC audience is full, WebRTC fails, or the server offers none. The viewer's client is a
 * stand-in holding the state; hls.js is replaced at its module boundary.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { FakeHls } from '../audience/hlsFake.js';
import { aPublicView, renderPublicPage, StandInAudience } from './testing.js';

vi.mock('../../audience/loadHls.js', async () => {
  const { FakeHls: Fake } = await import('../audience/hlsFake.js');
  return { loadHls: async () => Fake };
});
vi.mock('../../net/commentsApi.js', () => ({
  fetchPublicComments: () => new Promise(() => undefined),
  fetchApprovedCsv: () => new Promise(() => undefined),
  upvoteComment: () => new Promise(() => undefined),
}));

beforeAll(() => setLanguage('zh-CN'));
beforeEach(() => {
  FakeHls.reset();
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  vi.spyOn(HTMLMediaElement.prototype, 'load').mockImplementation(() => undefined);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const VIEW = aPublicView();

const label = (): string => screen.getByTestId('watch-mode-label').textContent ?? '';
const switchButton = (): HTMLElement => screen.getByTestId('watch-mode-switch');

describe('PublicPage: 实时模式 and 流畅模式', () => {
  test('实时模式 plays WebRTC; 流畅模式 chosen plays the stream with its delay; back to 实时模式', async () => {
    const client = new StandInAudience(VIEW, 'realtime', 'playing');
    await renderPublicPage(client);
    expect(label()).toBe('实时模式');
    expect(screen.getByTestId('program-video')).toBeTruthy();
    expect(screen.queryByTestId('hls-player')).toBeNull();
    expect(switchButton().textContent).toBe('切换到流畅模式');

    await act(async () => {
      fireEvent.click(switchButton());
    });
    expect(client.chosen).toEqual(['smooth']);
    expect(screen.queryByTestId('program-video')).toBeNull();
    expect(screen.getByTestId('hls-player')).toBeTruthy();
    const hls = FakeHls.instances.at(-1);
    expect(hls?.source).toBe('/stream/room-1/index.m3u8');
    expect(label()).toBe('流畅模式');
    expect(screen.queryByTestId('watch-mode-why')).toBeNull();
    await act(async () => {
      if (!hls) return;
      hls.latency = 3.2;
      hls.emit(FakeHls.Events.LEVEL_UPDATED);
    });
    expect(label()).toBe('流畅模式 · 延迟约 3 秒');

    expect(switchButton().textContent).toBe('切换到实时模式');
    await act(async () => {
      fireEvent.click(switchButton());
    });
    expect(client.chosen).toEqual(['smooth', 'realtime']);
    expect(hls?.destroyed).toBe(true);
    expect(screen.getByTestId('program-video')).toBeTruthy();
    expect(label()).toBe('实时模式');
  });

  test.each([
    ['full', '实时观看人数已满，已为您切换到流畅模式。'],
    ['failed', '实时连接未能建立，已为您切换到流畅模式。'],
  ] as const)('WebRTC %s: the stream plays, the page says why and offers 重试实时模式', async (realtime, why) => {
    const client = new StandInAudience(VIEW, 'realtime', 'connecting');
    await renderPublicPage(client);
    expect(screen.queryByTestId('hls-player')).toBeNull();
    await act(async () => client.set({ realtime }));
    expect(screen.getByTestId('hls-player')).toBeTruthy();
    expect(screen.getByTestId('watch-mode').dataset['fallback']).toBe(realtime);
    expect(screen.getByTestId('watch-mode-why').textContent).toBe(why);
    expect(switchButton().textContent).toBe('重试实时模式');
    await act(async () => {
      fireEvent.click(switchButton());
    });
    expect(client.chosen).toEqual(['realtime']);
    expect(screen.queryByTestId('hls-player')).toBeNull();
  });

  test('a server with no WebRTC program: the stream, and nothing to switch to', async () => {
    await renderPublicPage(new StandInAudience(VIEW, 'realtime', 'absent'));
    expect(screen.getByTestId('hls-player')).toBeTruthy();
    expect(screen.getByTestId('watch-mode-why').textContent).toBe('本场会议以流畅模式直播。');
    expect(screen.queryByTestId('watch-mode-switch')).toBeNull();
  });

  test('after the meeting neither plays and there is no switch', async () => {
    const client = new StandInAudience(VIEW, 'smooth', 'idle');
    client.state = { ...client.state, view: { ...VIEW, phase: 'ended' } };
    await renderPublicPage(client);
    expect(screen.queryByTestId('hls-player')).toBeNull();
    expect(screen.queryByTestId('watch-mode')).toBeNull();
  });
});

describe('PublicPage: the comments tab', () => {
  test('the comments are listened to only while 留言 is shown, not while the viewer watches 直播', async () => {
    const client = new StandInAudience(VIEW, 'realtime', 'playing');
    await renderPublicPage(client);
    expect(client.commentListeners).toBe(0);
    await act(async () => {
      fireEvent.click(screen.getByTestId('public-tab-comments'));
    });
    expect(client.commentListeners).toBe(1);
    await act(async () => {
      fireEvent.click(screen.getByTestId('public-tab-live'));
    });
    expect(client.commentListeners).toBe(0);
  });

  test('on 留言, the comments are not listened to while the page is in the background (another app, a locked phone), and are again once it is back', async () => {
    let visibility: DocumentVisibilityState = 'visible';
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    const turn = async (to: DocumentVisibilityState): Promise<void> => {
      visibility = to;
      await act(async () => {
        document.dispatchEvent(new Event('visibilitychange'));
      });
    };
    const client = new StandInAudience(VIEW, 'realtime', 'playing');
    await renderPublicPage(client);
    await act(async () => {
      fireEvent.click(screen.getByTestId('public-tab-comments'));
    });
    expect(client.commentListeners).toBe(1);
    await turn('hidden');
    expect(client.commentListeners).toBe(0);
    await turn('visible');
    expect(client.commentListeners).toBe(1);
    // On 直播, coming back to the page listens to nothing.
    await act(async () => {
      fireEvent.click(screen.getByTestId('public-tab-live'));
    });
    await turn('hidden');
    await turn('visible');
    expect(client.commentListeners).toBe(0);
  });
});
