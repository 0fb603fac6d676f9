// @vitest-environment jsdom
/**
 * The stream player (流畅模式) with hls.js replaced at its module boundary: 直播准备中 until the
 * first frame, the delay hls.js estimates, a missing stream asked for again after a growing
 * wait, sound refused before a touch, the browser's own HLS where hls.js cannot run.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { FakeHls } from './hlsFake.js';
import { HlsPlayer } from './HlsPlayer.js';

vi.mock('../../audience/loadHls.js', async () => {
  const { FakeHls: Fake } = await import('./hlsFake.js');
  return { loadHls: async () => Fake };
});

const SRC = '/stream/room-1/index.m3u8';

beforeAll(() => setLanguage('zh-CN'));
beforeEach(() => {
  FakeHls.reset();
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  // jsdom does not implement media loading.
  vi.spyOn(HTMLMediaElement.prototype, 'load').mockImplementation(() => undefined);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function renderPlayer(props: { waiting?: boolean; onDelay?: (s: number | null) => void } = {}) {
  const onDelay = props.onDelay ?? vi.fn();
  await act(async () => {
    render(<HlsPlayer src={SRC} waiting={props.waiting ?? false} onDelay={onDelay} />);
  });
  return { onDelay, video: screen.getByTestId('hls-video') as HTMLVideoElement };
}

function only(): FakeHls {
  const hls = FakeHls.instances.at(-1);
  if (!hls) throw new Error('no hls.js player was made');
  return hls;
}

const notFound = { fatal: true, type: 'networkError', details: 'manifestLoadError', response: { code: 404, text: 'Not Found' } };

describe('HlsPlayer', () => {
  test('直播准备中 until the first frame, hls.js set for live, then playing with the delay it estimates', async () => {
    const { onDelay, video } = await renderPlayer();
    expect(screen.getByTestId('hls-notice-text').textContent).toContain('直播准备中');
    const hls = only();
    expect(hls.source).toBe(SRC);
    expect(hls.media).toBe(video);
    expect(hls.config).toMatchObject({ lowLatencyMode: true, enableWorker: false });
    expect(screen.getByTestId('hls-player').dataset['engine']).toBe('hls.js');

    await act(async () => hls.emit(FakeHls.Events.MANIFEST_PARSED));
    expect(HTMLMediaElement.prototype.play).toHaveBeenCalled();
    expect(video.muted).toBe(false);
    hls.latency = 4.4;
    await act(async () => hls.emit(FakeHls.Events.LEVEL_UPDATED));
    expect(onDelay).toHaveBeenLastCalledWith(4);
    await act(async () => {
      fireEvent(video, new Event('playing'));
    });
    expect(screen.getByTestId('hls-player').dataset['phase']).toBe('playing');
    expect(screen.queryByTestId('hls-notice')).toBeNull();
    expect(screen.queryByTestId('hls-unmute')).toBeNull();
  });

  test('404: 直播暂不可用, asked again after 1 s, then 2 s; 503 (the encoder starting) is 直播准备中', async () => {
    vi.useFakeTimers();
    await renderPlayer();
    const first = only();
    await act(async () => first.emit(FakeHls.Events.ERROR, notFound));
    expect(first.destroyed).toBe(true);
    expect(screen.getByTestId('hls-notice-text').textContent).toBe('直播暂不可用，正在自动重试…');
    await act(async () => vi.advanceTimersByTime(999));
    expect(FakeHls.instances).toHaveLength(1);
    await act(async () => vi.advanceTimersByTime(1));
    expect(FakeHls.instances).toHaveLength(2);
    expect(only().source).toBe(SRC);

    await act(async () => only().emit(FakeHls.Events.ERROR, notFound));
    await act(async () => vi.advanceTimersByTime(1999));
    expect(FakeHls.instances).toHaveLength(2);
    await act(async () => vi.advanceTimersByTime(1));
    expect(FakeHls.instances).toHaveLength(3);

    await act(async () => only().emit(FakeHls.Events.ERROR, { ...notFound, response: { code: 503, text: 'Service Unavailable' } }));
    expect(screen.getByTestId('hls-notice-text').textContent).toContain('直播准备中');
  });

  test('before the meeting starts, a missing stream says the live meeting will play here', async () => {
    await renderPlayer({ waiting: true });
    await act(async () => only().emit(FakeHls.Events.ERROR, notFound));
    expect(screen.getByTestId('hls-notice-text').textContent).toBe('会议开始后，这里将播放会议直播。');
  });

  test('a non-fatal error changes nothing; a fatal media error is recovered in the same player, a second one starts afresh', async () => {
    vi.useFakeTimers();
    await renderPlayer();
    const hls = only();
    await act(async () => hls.emit(FakeHls.Events.ERROR, { ...notFound, fatal: false }));
    const mediaError = { fatal: true, type: 'mediaError', details: 'bufferAppendError' };
    await act(async () => hls.emit(FakeHls.Events.ERROR, mediaError));
    expect(hls.recoveries).toBe(1);
    expect(hls.destroyed).toBe(false);
    expect(FakeHls.instances).toHaveLength(1);
    expect(screen.getByTestId('hls-player').dataset['phase']).toBe('starting');

    // The stream gained a track hls.js has no buffer for: recovering in place would fail forever.
    await act(async () => hls.emit(FakeHls.Events.ERROR, mediaError));
    expect(hls.recoveries).toBe(1);
    expect(hls.destroyed).toBe(true);
    expect(screen.getByTestId('hls-notice-text').textContent).toBe('直播准备中…');
    await act(async () => vi.advanceTimersByTime(1000));
    expect(FakeHls.instances).toHaveLength(2);
    expect(only().source).toBe(SRC);
  });

  test('sound refused before a touch: the picture plays muted and 点击开启声音 turns it on', async () => {
    const play = vi.mocked(HTMLMediaElement.prototype.play);
    play.mockRejectedValueOnce(new DOMException('blocked', 'NotAllowedError'));
    const { video } = await renderPlayer();
    await act(async () => only().emit(FakeHls.Events.MANIFEST_PARSED));
    expect(video.muted).toBe(true);
    expect(play).toHaveBeenCalledTimes(2);
    const unmute = screen.getByTestId('hls-unmute');
    expect(unmute.textContent).toBe('点击开启声音');
    await act(async () => {
      fireEvent.click(unmute);
    });
    expect(video.muted).toBe(false);
    expect(screen.queryByTestId('hls-unmute')).toBeNull();
  });

  test("where hls.js cannot run, the browser's own HLS plays the playlist", async () => {
    FakeHls.supported = false;
    vi.spyOn(HTMLMediaElement.prototype, 'canPlayType').mockImplementation((type) => (type === 'application/vnd.apple.mpegurl' ? 'maybe' : ''));
    const { video } = await renderPlayer();
    expect(FakeHls.instances).toHaveLength(0);
    expect(screen.getByTestId('hls-player').dataset['engine']).toBe('native');
    expect(video.getAttribute('src')).toBe(SRC);
    await act(async () => {
      fireEvent(video, new Event('loadedmetadata'));
    });
    expect(HTMLMediaElement.prototype.play).toHaveBeenCalled();
  });

  test('with neither, the viewer is told to use another browser', async () => {
    FakeHls.supported = false;
    vi.spyOn(HTMLMediaElement.prototype, 'canPlayType').mockReturnValue('');
    await renderPlayer();
    expect(screen.getByTestId('hls-player').dataset['engine']).toBe('none');
    expect(screen.getByTestId('hls-notice-text').textContent).toBe('此浏览器无法播放直播，请换用其他浏览器。');
  });

  test('leaving the page destroys the player and forgets the delay', async () => {
    const onDelay = vi.fn();
    await renderPlayer({ onDelay });
    const hls = only();
    cleanup();
    expect(hls.destroyed).toBe(true);
    expect(onDelay).toHaveBeenLastCalledWith(null);
  });
});
