// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { CommentSettings } from '../../../../signaling/comments/model.js';
import { setLanguage } from '../../i18n/index.js';
import { AdminApi } from '../../net/adminApi.js';
import type { RoomSummary } from '../../net/inviteApi.js';
import { fakeFetch, type Sent } from '../comments/fakeCommentsServer.js';
import type { AdminContext } from './adminContext.js';
import { CommentSettingsForm, fromLocalInput, toLocalInput } from './CommentSettingsForm.js';

beforeAll(() => setLanguage('en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const DAY = 86_400_000;
const ROOM: RoomSummary = { roomId: 'r1', topic: 'Lifts', startsAt: Date.UTC(2030, 0, 10, 2), endsAt: Date.UTC(2030, 0, 10, 4), venues: [] };
const NEVER_SET: CommentSettings = { opensAt: null, closesAt: null, background: '', themes: [], heldWords: [] };
const PATH = 'GET /api/admin/rooms/r1/comments';

function renderForm(stored: CommentSettings, answer: (sent: Sent) => { status: number; body: unknown } = (s) => ({ status: 200, body: s.body })) {
  const sent = fakeFetch({ [PATH]: () => ({ status: 200, body: stored }), 'PUT /api/admin/rooms/r1/comments': answer });
  const failures: unknown[] = [];
  const api = new AdminApi('the-secret');
  const ctx: AdminContext = {
    api,
    busy: false,
    run: async (request) => {
      try {
        return await request(api);
      } catch (error) {
        failures.push(error);
        return undefined;
      }
    },
  };
  render(<CommentSettingsForm ctx={ctx} room={ROOM} />);
  return { sent, failures };
}

const field = (name: string) => screen.getByLabelText<HTMLInputElement>(name);

describe('the organiser’s comment settings', () => {
  test('never set: offered from now until seven days after the meeting, saved only on 保存, with the admin secret', async () => {
    const before = Date.now();
    const { sent } = renderForm(NEVER_SET);
    await screen.findByLabelText('Open from');
    expect(sent[0]?.auth).toBe('Bearer the-secret');
    const opens = fromLocalInput(field('Open from').value) ?? 0;
    // The input holds minutes: now, within the minute.
    expect(opens).toBeGreaterThan(before - 60_000);
    expect(opens).toBeLessThanOrEqual(Date.now());
    expect(field('Open until').value).toBe(toLocalInput((ROOM.endsAt ?? 0) + 7 * DAY));
    expect(sent.filter((s) => s.method === 'PUT')).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Background'), { target: { value: '  <b>Why</b> lifts\nmatter  ' } });
    fireEvent.change(screen.getByLabelText('Words held for review (one per line)'), { target: { value: '电话\n\n  身份证 \n电话' } });
    const themeInput = screen.getByLabelText('New theme');
    fireEvent.change(themeInput, { target: { value: ' 交通 ' } });
    fireEvent.keyDown(themeInput, { key: 'Enter' });
    fireEvent.change(themeInput, { target: { value: '养老' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add theme' }));
    fireEvent.change(themeInput, { target: { value: '交通' } });
    // A theme already listed is not added twice.
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Add theme' }).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Remove theme “养老”' }));
    expect(within(screen.getByTestId('comment-settings-themes')).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['交通 ×']);

    fireEvent.click(screen.getByRole('button', { name: 'Save comment settings' }));
    await screen.findByText('Comment settings saved.');
    const put = sent.find((s) => s.method === 'PUT');
    expect(put?.auth).toBe('Bearer the-secret');
    expect(put?.body).toEqual({
      opensAt: fromLocalInput(field('Open from').value),
      closesAt: fromLocalInput(field('Open until').value),
      background: '<b>Why</b> lifts\nmatter',
      themes: ['交通'],
      heldWords: ['电话', '身份证'],
    });
  });

  test('settings already made are shown as they are, closed ones too', async () => {
    const stored: CommentSettings = { opensAt: null, closesAt: null, background: 'Read this', themes: ['交通'], heldWords: ['a', 'b'] };
    renderForm(stored);
    expect((await screen.findByLabelText<HTMLInputElement>('Open from')).value).toBe('');
    expect(field('Open until').value).toBe('');
    expect(screen.getByLabelText<HTMLTextAreaElement>('Background').value).toBe('Read this');
    expect(screen.getByLabelText<HTMLTextAreaElement>('Words held for review (one per line)').value).toBe('a\nb');
  });

  test('comments must close after they open', async () => {
    const stored: CommentSettings = { ...NEVER_SET, opensAt: Date.UTC(2030, 0, 1), closesAt: Date.UTC(2030, 0, 20), background: 'x' };
    const { sent } = renderForm(stored);
    const until = await screen.findByLabelText<HTMLInputElement>('Open until');
    fireEvent.change(until, { target: { value: toLocalInput(Date.UTC(2029, 11, 31)) } });
    expect(screen.getByRole('alert').textContent).toBe('Comments must close after they open.');
    expect(until.getAttribute('aria-invalid')).toBe('true');
    const save = screen.getByRole<HTMLButtonElement>('button', { name: 'Save comment settings' });
    expect(save.disabled).toBe(true);
    fireEvent.submit(save.closest('form') as HTMLFormElement);
    expect(sent.filter((s) => s.method === 'PUT')).toHaveLength(0);
  });

  test('a refusal from the server is reported by the page and nothing is said to be saved', async () => {
    const { failures } = renderForm(NEVER_SET, () => ({ status: 400, body: { error: 'BAD_REQUEST', detail: 'at most 20 characters' } }));
    fireEvent.click(await screen.findByRole('button', { name: 'Save comment settings' }));
    await waitFor(() => expect(failures).toHaveLength(1));
    expect(screen.getByTestId('comment-settings-status').textContent).toBe('');
  });
});
