// @vitest-environment jsdom
/**
 * 观看录像 on the public page: offered once the host has published the recording, its parts
 * fetched from the listing route with the page's own public invite (the credential the page
 * already uses over HTTP), gone again when the host withdraws it.
 */
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { PublicView } from '../../../../signaling/audience.js';
import { setLanguage } from '../../i18n/index.js';
import { aPublicView, renderPublicPage, StandInAudience } from '../public/testing.js';

vi.mock('../../net/commentsApi.js', () => ({
  fetchPublicComments: () => new Promise(() => undefined),
  fetchApprovedCsv: () => new Promise(() => undefined),
  upvoteComment: () => new Promise(() => undefined),
}));

beforeAll(() => setLanguage('zh-CN'));

const PARTS = [
  { name: 'part-1', startedAt: 1_700_000_000_000, durationMs: 600_000, bytes: 50_000_000, sha256: 'a'.repeat(64), url: '/recordings/room-1/part-1.mp4' },
  { name: 'part-2', startedAt: 1_700_000_700_000, durationMs: 300_000, bytes: 25_000_000, sha256: 'b'.repeat(64), url: '/recordings/room-1/part-2.mp4' },
];

let requests: Array<{ url: string; authorization: string | null }>;

beforeEach(() => {
  requests = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      requests.push({ url, authorization: new Headers(init?.headers).get('authorization') });
      if (url !== '/api/rooms/room-1/recording') return new Response(null, { status: 404 });
      return Response.json({ recording: false, published: true, parts: PARTS });
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const ENDED = aPublicView({ phase: 'ended', audience: { online: 2, visits: 40 } });

/** The viewer's client of a meeting that has ended; `setView` changes its public view. */
class StandIn extends StandInAudience {
  constructor() {
    super(ENDED);
  }
  setView(patch: Partial<PublicView>): void {
    this.set({ view: { ...ENDED, ...patch } });
  }
}

const recordingRequests = () => requests.filter((r) => r.url === '/api/rooms/room-1/recording');

describe('观看录像 on the public page', () => {
  test('nothing is offered, and nothing asked for, while the recording is not published', async () => {
    await renderPublicPage(new StandIn());
    expect(screen.queryByRole('region', { name: '观看录像' })).toBeNull();
    expect(recordingRequests()).toEqual([]);
  });

  test('once published: each part is a link to its file, fetched with the public link; withdrawn, it goes', async () => {
    const client = new StandIn();
    await renderPublicPage(client);
    await act(async () => client.setView({ recordingPublished: true }));

    const section = screen.getByRole('region', { name: '观看录像' });
    const first = await within(section).findByRole('link', { name: '观看第1段' });
    expect(first.getAttribute('href')).toBe('/recordings/room-1/part-1.mp4');
    expect(within(section).getByRole('link', { name: '观看第2段' }).getAttribute('href')).toBe('/recordings/room-1/part-2.mp4');
    expect(section.textContent).toContain('时长 10 分 0 秒');
    expect(recordingRequests()).toEqual([{ url: '/api/rooms/room-1/recording', authorization: 'Bearer public-link' }]);

    await act(async () => client.setView({ recordingPublished: false }));
    expect(screen.queryByRole('region', { name: '观看录像' })).toBeNull();
    expect(screen.queryByRole('link', { name: /观看第/ })).toBeNull();
  });
});
