// @vitest-environment jsdom
/**
 * The public page's two ways to watch: 实时模式 (WebRTC) with a switch to 流畅模式, the stream
 * with its delay once chosen, and the fallback to the stream (with why, and a retry) when the
 * WebRTC audience is full, WebRTC fails, or the server offers none. The viewer's client is a
 * stand-in holding the state; hls.js is replaced at its module boundary.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { PublicView } from '../../../../signaling/audience.js';
import type { AudienceSource, AudienceState } from '../../audience/AudienceClient.js';
import type { RealtimeStatus, WatchMode } from '../../audience/watchMode.js';
import { setLanguage } from '../../i18n/index.js';
import { FakeHls } from '../audience/hlsFake.js';
import { PublicPage } from './PublicPage.js';

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

const VIEW: PublicView = {
  roomId: 'room-1',
  topic: '老旧小区加装电梯',
  startsAt: null,
  phase: 'live',
  floor: null,
  stage: null,
  recording: false,
  recordingPublished: false,
  results: [],
  audience: { online: 12, visits: 40 },
};

/** The viewer's client as the page sees it: its state, and the choices the page passed on. */
class StandIn implements AudienceSource {
  state: AudienceState;
  readonly chosen: WatchMode[] = [];
  readonly #listeners = new Set<() => void>();
  constructor(preference: WatchMode, realtime: RealtimeStatus) {
    this.state = { status: 'watching', error: null, view: VIEW, clockOffset: 0, stream: null, consumerIds: [], mediaLink: null, preference, realtime };
  }
  start(): void {}
  close(): void {}
  choose(mode: WatchMode): void {
    this.chosen.push(mode);
    this.set({ preference: mode, realtime: mode === 'smooth' ? 'idle' : 'connecting' });
  }
  set(patch: Partial<AudienceState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.#listeners) listener();
  }
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };
  readonly getState = (): AudienceState => this.state;
  readonly onComments = (): (() => void) => () => undefined;
}

async function renderPage(client: StandIn): Promise<void> {
  await act(async () => {
    render(<PublicPage invite="public-link" roomId="room-1" client={client} />);
  });
}

const label = (): string => screen.getByTestId('watch-mode-label').textContent ?? '';
const switchButton = (): HTMLElement => screen.getByTestId('watch-mode-switch');

describe('PublicPage: 实时模式 and 流畅模式', () => {
  test('实时模式 plays WebRTC; 流畅模式 chosen plays the stream with its delay; back to 实时模式', async () => {
    const client = new StandIn('realtime', 'playing');
    await renderPage(client);
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
    const client = new StandIn('realtime', 'connecting');
    await renderPage(client);
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
    await renderPage(new StandIn('realtime', 'absent'));
    expect(screen.getByTestId('hls-player')).toBeTruthy();
    expect(screen.getByTestId('watch-mode-why').textContent).toBe('本场会议以流畅模式直播。');
    expect(screen.queryByTestId('watch-mode-switch')).toBeNull();
  });

  test('after the meeting neither plays and there is no switch', async () => {
    const client = new StandIn('smooth', 'idle');
    client.state = { ...client.state, view: { ...VIEW, phase: 'ended' } };
    await renderPage(client);
    expect(screen.queryByTestId('hls-player')).toBeNull();
    expect(screen.queryByTestId('watch-mode')).toBeNull();
  });
});
