// @vitest-environment jsdom
/**
 * 录像 in the staff's minutes: the parts from the listing route (fetched with the page's invite,
 * as the minutes' exports are), each speech given while recording linked to its place, and the
 * host's 公开录像 once the minutes are locked with the recording. The server is the room model
 * (renderInRoom); the listing route is a stand-in fetch answering as the HTTP contract says.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { fullRoom, type TestRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { MinutesPanel } from '../minutes/MinutesPanel.js';
import { renderInRoom } from '../testing.js';

beforeAll(() => setLanguage('zh-CN'));

const PART_URL = '/recordings/test-room/part-1.mp4?key=k1';

type ListedPart = { name: string; startedAt: number; durationMs: number | null; bytes: number | null; sha256: string | null; url: string };

/** What the listing route answers, and the requests it saw. */
let listing: { status: number; body: unknown };
let requests: Array<{ url: string; authorization: string | null }>;

beforeEach(() => {
  requests = [];
  listing = { status: 200, body: null };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      requests.push({ url, authorization: new Headers(init?.headers).get('authorization') });
      if (url !== '/api/rooms/test-room/recording') return new Response(null, { status: 404 });
      return Response.json(listing.body, { status: listing.status });
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/**
 * m2 speaks before the recording starts (it starts 10 s after that speech); the recorder's
 * part-1 begins at `partStart`; m1 is given the floor 65 s into it and speaks 95 s.
 */
function recordedMeeting(): { room: TestRoom; partStart: number } {
  const room = fullRoom();
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm2');
  room.ok({ type: 'floor:grant', target: { kind: 'next' }, seconds: 180 }, 'host');
  room.advance(30_000);
  room.ok({ type: 'floor:yield' }, 'm2');
  room.advance(10_000);
  room.ok({ type: 'recording:start' }, 'host');
  const partStart = room.now;
  room.ok({ type: 'system:recordingPart', name: 'part-1', startedAt: partStart }, { kind: 'system' });
  room.ok({ type: 'queue:raise', speechType: 'statement', note: '' }, 'm1');
  room.advance(65_000);
  room.ok({ type: 'floor:grant', target: { kind: 'next' }, seconds: 180 }, 'host');
  room.advance(95_000);
  room.ok({ type: 'floor:yield' }, 'm1');
  return { room, partStart };
}

function listed(part: Partial<ListedPart> & { startedAt: number }): ListedPart {
  return { name: 'part-1', durationMs: null, bytes: null, sha256: null, url: PART_URL, ...part };
}

function renderMinutes(room: TestRoom, me: string) {
  const view = renderInRoom(room, me, (state) => <MinutesPanel room={state} />);
  act(() => view.store.dispatch({ type: 'invite', invite: { kind: 'loading', token: `invite-of-${me}` } }));
  return view;
}

/** The panel's speeches in order. */
const speeches = () => screen.getAllByTestId('minutes-speech');

describe('录像 in the staff’s minutes', () => {
  test.each(['host', 'sec'])('%s: the parts are listed with a link, and a speech given while recording links to its place (#t=)', async (me) => {
    const { room, partStart } = recordedMeeting();
    listing.body = { recording: true, published: false, parts: [listed({ startedAt: partStart })] };
    renderMinutes(room, me);

    const section = screen.getByRole('region', { name: '录像' });
    const part = await within(section).findByRole('link', { name: '播放或下载录像第1段' });
    expect(part.getAttribute('href')).toBe(PART_URL);
    expect(part.textContent).toBe('播放/下载');
    expect(within(section).getAllByTestId('recording-part')[0]?.textContent).toContain('第1段');
    // Still being written: no length yet, and the page says so rather than inventing one.
    expect(within(section).getAllByTestId('recording-part')[0]?.textContent).toContain('录制中，时长未定');
    expect(requests).toContainEqual({ url: '/api/rooms/test-room/recording', authorization: `Bearer invite-of-${me}` });

    // m1 was given the floor 65 s after the part began: 01:05, and the player starts at second 65.
    const [before, during] = speeches();
    const link = within(during!).getByRole('link', { name: '从此发言开始播放录像（第1段 01:05）' });
    expect(link.getAttribute('href')).toBe(`${PART_URL}#t=65`);
    expect(link.textContent).toBe('▶ 录像 01:05');
    // m2 spoke before anything was recorded.
    expect(within(before!).queryByTestId('minutes-speech-recording')).toBeNull();
  });

  test('a meeting never recorded has no 录像 section and asks for no listing', () => {
    const room = fullRoom();
    renderMinutes(room, 'host');
    expect(screen.queryByRole('region', { name: '录像' })).toBeNull();
    expect(requests).toEqual([]);
  });

  test('a refused listing is said, and no link is offered', async () => {
    const { room } = recordedMeeting();
    listing = { status: 403, body: { error: 'FORBIDDEN' } };
    renderMinutes(room, 'sec');
    const status = await screen.findByText(/^无法读取录像/);
    expect(status.textContent).toBe('无法读取录像：您无权进行此操作。');
    expect(screen.queryByRole('link', { name: /录像/ })).toBeNull();
  });
});

/** The meeting ended and the minutes locked with the recording's part-1 as read from its file. */
function lockedWithRecording(): { room: TestRoom; partStart: number } {
  const { room, partStart } = recordedMeeting();
  room.ok({ type: 'room:end' }, 'host');
  room.recordingSummary = { parts: [{ name: 'part-1', startedAt: partStart, durationMs: 200_000, bytes: 12_500_000, sha256: 'a'.repeat(64) }] };
  room.ok({ type: 'minutes:lock' }, 'sec');
  return { room, partStart };
}

describe('公开录像: the host’s, after a lock with the recording', () => {
  test('the locked parts show their length and size; the host publishes after confirming, and withdraws', async () => {
    const { room, partStart } = lockedWithRecording();
    listing.body = { recording: false, published: false, parts: [listed({ startedAt: partStart, durationMs: 200_000, bytes: 12_500_000, sha256: 'a'.repeat(64) })] };
    const view = renderMinutes(room, 'host');
    const section = screen.getByRole('region', { name: '录像' });
    const part = within(section).getAllByTestId('recording-part')[0]!;
    expect(part.textContent).toContain('时长 3 分 20 秒');
    expect(part.textContent).toContain('大小 12.5 MB');
    await within(section).findByRole('link', { name: '播放或下载录像第1段' });

    fireEvent.click(within(section).getByRole('button', { name: '公开录像' }));
    const asked = screen.getByRole('dialog', { name: /公开录像？/ });
    expect(view.sent).toEqual([]);
    fireEvent.click(within(asked).getByRole('button', { name: '公开录像' }));
    expect(view.sent).toEqual([{ type: 'recording:publish', fields: { published: true }, ok: true }]);
    expect(room.state.recording.published).toBe(true);

    fireEvent.click(within(section).getByRole('button', { name: '撤回公开' }));
    expect(view.sent.at(-1)).toEqual({ type: 'recording:publish', fields: { published: false }, ok: true });
    expect(room.state.recording.published).toBe(false);
  });

  test('the secretary sees the parts but no publish button', async () => {
    const { room, partStart } = lockedWithRecording();
    listing.body = { recording: false, published: false, parts: [listed({ startedAt: partStart, durationMs: 200_000, bytes: 12_500_000 })] };
    renderMinutes(room, 'sec');
    const section = screen.getByRole('region', { name: '录像' });
    await within(section).findByRole('link', { name: '播放或下载录像第1段' });
    expect(within(section).queryByRole('button', { name: '公开录像' })).toBeNull();
    expect(within(section).queryByRole('button', { name: '撤回公开' })).toBeNull();
  });

  test('before the lock the host cannot publish yet', async () => {
    const { room, partStart } = recordedMeeting();
    room.ok({ type: 'room:end' }, 'host');
    listing.body = { recording: false, published: false, parts: [listed({ startedAt: partStart })] };
    renderMinutes(room, 'host');
    const section = screen.getByRole('region', { name: '录像' });
    await within(section).findByRole('link', { name: '播放或下载录像第1段' });
    expect(within(section).queryByRole('button', { name: '公开录像' })).toBeNull();
  });

  test('a lock without any recording offers nothing to publish', () => {
    const room = fullRoom();
    room.ok({ type: 'room:end' }, 'host');
    room.ok({ type: 'minutes:lock' }, 'sec');
    renderMinutes(room, 'host');
    expect(screen.queryByRole('button', { name: '公开录像' })).toBeNull();
    expect(screen.queryByRole('region', { name: '录像' })).toBeNull();
  });
});
