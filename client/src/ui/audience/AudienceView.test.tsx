// @vitest-environment jsdom
/**
 * The public's live view: the speaker and their time left, the comment on stage, published
 * results with translated fixed options, the counts; and, when the browser refuses to play
 * sound before a touch, the picture plays muted with a button that turns the sound on.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { PublicView } from '../../../../signaling/audience.js';
import { setLanguage } from '../../i18n/index.js';
import { AudienceView } from './AudienceView.js';

beforeAll(() => setLanguage('zh-CN'));
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const NOW = 1_700_000_000_000;

function aView(fields: Partial<PublicView> = {}): PublicView {
  return {
    roomId: 'r1',
    topic: '老旧小区加装电梯',
    startsAt: null,
    phase: 'live',
    floor: { name: '王委员', venue: '一区分会场', type: 'statement', grantedAt: NOW - 30_000, limitMs: 180_000, pausedAt: null, pausedMs: 0 },
    stage: null,
    recording: false,
    recordingPublished: false,
    results: [],
    audience: { online: 128, visits: 3456 },
    ...fields,
  };
}

describe('AudienceView', () => {
  test('who speaks with their time left, the counts, and no picture before the program arrives', () => {
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
    render(<AudienceView view={aView()} stream={null} consumerIds={[]} clockOffset={0} />);
    expect(screen.getByTestId('audience-speaker').textContent).toBe('王委员');
    expect(screen.getByTestId('audience-clock').textContent).toBe('剩余 02:30');
    expect(screen.getByTestId('audience-online').textContent).toBe('128');
    expect(screen.getByTestId('audience-visits').textContent).toBe('3456');
    expect(screen.getByText('暂无直播画面')).toBeTruthy();
  });

  test('the comment on stage with its answer, and a published consensus result in words', () => {
    const view = aView({
      stage: { commentId: 'c1', name: '<b>王阿姨</b>', place: '幸福街道', text: '三楼以上老人出行难', themes: [], answer: { department: '住建局', text: '将出台补贴办法', answeredAt: NOW }, stagedAt: NOW, askedParticipantId: null },
      results: [{ pollId: 'poll-1', kind: 'consensus', question: '是否赞同？', options: ['agree', 'basicallyAgree', 'needsDiscussion', 'disagree'], result: { counts: [5, 2, 1, 0], votes: 8, eligible: 9, quorumMet: null, passed: true, reasons: [] } }],
    });
    render(<AudienceView view={view} stream={null} consumerIds={[]} clockOffset={0} />);
    const stage = screen.getByTestId('audience-stage');
    // Typed by the public: shown as text, never as markup.
    expect(stage.textContent).toContain('<b>王阿姨</b>');
    expect(stage.querySelector('b')).toBeNull();
    expect(stage.textContent).toContain('住建局答复');
    const results = screen.getByTestId('audience-results');
    expect(results.textContent).toContain('是否赞同？');
    expect(results.textContent).not.toContain('basicallyAgree');
    expect(results.textContent).toContain('共 8 票，应参加 9 人');
    expect(results.textContent).toContain('通过');
  });

  test('sound refused before a touch: the picture plays muted and a tap turns the sound on', async () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play');
    // The first try (with sound) is refused, the muted one and the tap's are allowed.
    play.mockRejectedValueOnce(new DOMException('blocked', 'NotAllowedError')).mockResolvedValue(undefined);
    const stream = {} as MediaStream;
    await act(async () => {
      render(<AudienceView view={aView()} stream={stream} consumerIds={['c-1', 'c-2']} clockOffset={0} />);
    });
    const video = screen.getByTestId('program-video') as HTMLVideoElement;
    expect(video.muted).toBe(true);
    expect(video.dataset['consumers']).toBe('c-1,c-2');
    await act(async () => {
      fireEvent.click(screen.getByTestId('audience-unmute'));
    });
    expect(video.muted).toBe(false);
    expect(screen.queryByTestId('audience-unmute')).toBeNull();
  });

  test('after the meeting: the end, and no picture', () => {
    render(<AudienceView view={aView({ phase: 'ended', floor: null })} stream={null} consumerIds={[]} clockOffset={0} />);
    expect(screen.getByTestId('audience-phase').textContent).toBe('会议已结束');
    expect(screen.queryByTestId('program-video')).toBeNull();
  });
});
