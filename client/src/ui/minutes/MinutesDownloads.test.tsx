// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { fullRoom } from '../../../../signaling/room/testing.js';
import { setLanguage } from '../../i18n/index.js';
import { renderInRoom } from '../testing.js';
import { MinutesDownloads } from './MinutesDownloads.js';

beforeAll(() => setLanguage('zh-CN'));

const PAGE = '<!DOCTYPE html><title>会议纪要 · 老旧小区加装电梯</title><h1>会议纪要</h1>';
const NAME = '老旧小区加装电梯-2026年12月2日-纪要-第1版草稿.html';

/** A stand-in for the browser tab window.open gives: it "loads" whatever it is sent to. */
function fakeTab() {
  const tab = {
    opener: {} as unknown,
    closed: false,
    document: { title: '', readyState: 'loading', body: { textContent: '' } },
    location: { href: 'about:blank', replace: (url: string) => Object.assign(tab.location, { href: url }) && Object.assign(tab.document, { readyState: 'complete' }) },
    focus: vi.fn(),
    print: vi.fn(),
    close: vi.fn(),
  };
  return tab;
}

let saved: string[];

beforeEach(() => {
  saved = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(PAGE, { headers: { 'content-type': 'text/html; charset=utf-8', 'content-disposition': `inline; filename="m.html"; filename*=UTF-8''${encodeURIComponent(NAME)}` } })),
  );
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:print-page');
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  // A download is an <a download> clicked: record the name instead of navigating jsdom.
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push(this.download);
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function renderDownloads() {
  const rendered = renderInRoom(fullRoom(), 'sec', (room) => <MinutesDownloads roomId={room.id} />);
  act(() => rendered.store.dispatch({ type: 'invite', invite: { kind: 'loading', token: 'invite-token' } }));
  return rendered;
}

describe('下载纪要: the print page and the files', () => {
  test('打印页 opens a new tab at once, shows the print page there when it arrives, and asks to print it', async () => {
    const tab = fakeTab();
    const open = vi.spyOn(window, 'open').mockReturnValue(tab as unknown as Window);
    renderDownloads();
    fireEvent.click(screen.getByRole('button', { name: '打印页' }));
    // Opened within the click (later it would be a blocked popup), cut off from this page.
    expect(open).toHaveBeenCalledWith('', '_blank');
    expect(tab.opener).toBeNull();
    expect(tab.document.body.textContent).toBe('正在准备打印页…');
    await vi.waitFor(() => expect(tab.print).toHaveBeenCalledTimes(1));
    expect(tab.location.href).toBe('blob:print-page');
    expect(saved).toEqual([]);
    expect(screen.getByTestId('minutes-download-status').textContent).toBe('');
  });

  test('when the browser refuses a new tab, 打印页 is saved as a file and the page says so', async () => {
    vi.spyOn(window, 'open').mockReturnValue(null);
    renderDownloads();
    fireEvent.click(screen.getByRole('button', { name: '打印页' }));
    await vi.waitFor(() => expect(saved).toEqual([NAME]));
    expect(screen.getByTestId('minutes-download-status').textContent).toBe('浏览器没有允许打开新标签页，已改为下载打印页文件，打开后即可打印。');
  });

  test('the Word file is saved under the name the server gives, with no tab opened', async () => {
    const open = vi.spyOn(window, 'open');
    renderDownloads();
    fireEvent.click(screen.getByRole('button', { name: 'Word 文档（.docx）' }));
    await vi.waitFor(() => expect(saved).toEqual([NAME]));
    expect(open).not.toHaveBeenCalled();
  });
});
