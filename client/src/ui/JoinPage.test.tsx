// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { io } from 'socket.io-client';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Role } from '../../../signaling/room/state.js';
import { setLanguage } from '../i18n/index.js';
import type { InviteInfo } from '../net/inviteApi.js';
import { RoomClient } from '../RoomClient.js';
import { createStore } from '../store.js';
import { RoomClientProvider } from './context.js';
import { JoinPage } from './JoinPage.js';

/**
 * The join page with a real RoomClient and store. In place of the server, `fetch` answers the
 * invite info and leaves everything else (RTP capabilities, the network check's /healthz,
 * minutes files) pending, so a test can see which requests the page made; in place of the
 * browser's devices, getUserMedia only records that someone asked for the camera.
 */

const TOKEN = 'invite-token';

type Answer = { ended: boolean; minutesPublished?: boolean; role: Role; name?: string };

function inviteInfo({ ended, minutesPublished = false, role, name }: Answer): InviteInfo {
  return {
    invite: { room: 'r1', role, venue: 'city', sector: '', inviteId: 'abcdefgh', ...(name === undefined ? {} : { name }) },
    room: {
      roomId: 'r1',
      topic: '老旧小区加装电梯',
      startsAt: null,
      endsAt: null,
      venues: [{ id: 'city', name: '主会场', expectedMembers: 5 }],
      ended,
      minutesPublished,
    },
  };
}

let fetchMock: ReturnType<typeof vi.fn<(url: string, init?: RequestInit) => Promise<Response>>>;
let getUserMedia: ReturnType<typeof vi.fn<() => Promise<MediaStream>>>;
let sockets: Array<ReturnType<typeof io>> = [];

beforeAll(() => setLanguage('zh-CN'));

beforeEach(() => {
  // jsdom has no WebRTC: loading the mediasoup Device fails, and the client reports it.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  getUserMedia = vi.fn(() => new Promise<MediaStream>(() => undefined));
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: { getUserMedia, enumerateDevices: async () => [], addEventListener: () => undefined, removeEventListener: () => undefined },
  });
});

afterEach(() => {
  cleanup();
  for (const socket of sockets) socket.disconnect();
  sockets = [];
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Renders the join page of an invite whose info the "server" answers with `answer`. */
async function openJoinPage(answer: Answer): Promise<RoomClient> {
  fetchMock = vi.fn(async (url: string) => {
    if (url === `/api/invites/${TOKEN}`) return Response.json(inviteInfo(answer));
    return new Promise<Response>(() => undefined);
  });
  vi.stubGlobal('fetch', fetchMock);
  // A socket that cannot connect: the join itself is not under test here.
  const socket = io('http://127.0.0.1:9', { autoConnect: false, reconnection: false });
  sockets.push(socket);
  const client = new RoomClient(createStore(), { socket, storage: null });
  render(
    <RoomClientProvider client={client}>
      <JoinPage invite={TOKEN} />
    </RoomClientProvider>,
  );
  await screen.findByTestId('invite-summary');
  return client;
}

const requested = (path: string): boolean => fetchMock.mock.calls.some(([url]) => url === path);

describe('the join page of an ended meeting', () => {
  test('a speaker sees that it ended and 查看纪要, which joins for review; no camera is asked for, no device or network check', async () => {
    const client = await openJoinPage({ ended: true, role: 'member', name: '李委员' });
    const join = vi.spyOn(client, 'join').mockImplementation(() => undefined);

    expect(screen.getByTestId('join-ended').textContent).toContain('会议已结束。您可以查看并确认会议纪要。');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('会后纪要');
    const button = screen.getByTestId('join-submit');
    expect(button.textContent).toBe('查看纪要');
    expect(screen.queryByText('进入会议')).toBeNull();
    // Nothing that only matters for media: preview, device pickers, level meter, network line.
    expect(screen.queryByRole('region', { name: '摄像头预览' })).toBeNull();
    expect(screen.queryAllByRole('combobox')).toEqual([]);
    expect(screen.queryByTestId('network-check')).toBeNull();
    // Give a preview that would start after the invite info a moment to do so.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(getUserMedia).not.toHaveBeenCalled();
    expect(requested('/healthz')).toBe(false);

    fireEvent.click(button);
    expect(join).toHaveBeenCalledWith(null);
  });

  test('while the meeting is on, the same invite gets the preview, the device pickers and the network check', async () => {
    await openJoinPage({ ended: false, role: 'member', name: '李委员' });
    expect(screen.getByTestId('join-submit').textContent).toBe('进入会议');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('加入协商会议');
    expect(screen.queryByTestId('join-ended')).toBeNull();
    expect(screen.getByRole('region', { name: '摄像头预览' })).toBeTruthy();
    expect(screen.getByTestId('network-check')).toBeTruthy();
    await waitFor(() => expect(getUserMedia).toHaveBeenCalled());
    expect(requested('/healthz')).toBe(true);
  });

  test('the secretary with an unnamed invite gives a name before reviewing', async () => {
    const client = await openJoinPage({ ended: true, role: 'secretary' });
    const join = vi.spyOn(client, 'join').mockImplementation(() => undefined);
    fireEvent.click(screen.getByTestId('join-submit'));
    expect(join).not.toHaveBeenCalled();
    fireEvent.change(screen.getByTestId('join-name'), { target: { value: '赵记录' } });
    fireEvent.click(screen.getByTestId('join-submit'));
    expect(join).toHaveBeenCalledWith('赵记录');
  });

  test('the public learns that it ended, without a button; the minutes are offered once published', async () => {
    await openJoinPage({ ended: true, role: 'public' });
    expect(screen.getByTestId('join-ended').textContent).toContain('会议已结束，无法再进入。');
    expect(screen.getByTestId('join-ended-unpublished').textContent).toBe('会议纪要发布后，可通过此链接阅读。');
    expect(screen.queryByTestId('join-submit')).toBeNull();
    expect(screen.queryByTestId('join-name')).toBeNull();
    expect(screen.queryByTestId('minutes-download-html')).toBeNull();
    cleanup();

    await openJoinPage({ ended: true, minutesPublished: true, role: 'public' });
    expect(screen.getByTestId('join-ended').textContent).toContain('会议纪要已发布，可下载阅读：');
    expect(screen.queryByTestId('join-submit')).toBeNull();
    fireEvent.click(screen.getByTestId('minutes-download-html'));
    // The invite goes as a bearer token, which the server accepts from any invite once published.
    const [url, init] = fetchMock.mock.calls.at(-1) ?? [];
    expect(url).toBe('/api/rooms/r1/minutes.html');
    expect(new Headers(init?.headers).get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(getUserMedia).not.toHaveBeenCalled();
  });
});

describe('the join page of a meeting under way', () => {
  test('says the meeting and who joins (name, role, venue) before the camera preview, which a phone stacks in that order', async () => {
    await openJoinPage({ ended: false, role: 'member', name: '李委员' });
    const who = screen.getByRole('region', { name: '会议与参会身份' });
    const preview = screen.getByRole('region', { name: '摄像头预览' });
    expect(who.textContent).toMatch(/议题老旧小区加装电梯.*身份委员.*会场主会场.*您的姓名李委员/);
    // Document order is reading order, and the narrow layout's order (join.css).
    expect(who.compareDocumentPosition(preview) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // The form with the button comes after both.
    expect(preview.compareDocumentPosition(screen.getByTestId('join-submit')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
