// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { ListedConsultation } from '../../net/orgApi.js';
import { setLanguage } from '../../i18n/index.js';
import { fakeFetch } from '../comments/fakeCommentsServer.js';
import { OrgAdminPage } from './OrgAdminPage.js';
import { anAccount, CITY, DISTRICT } from './orgTesting.js';

beforeAll(() => setLanguage('en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const RUNNING: ListedConsultation = {
  roomId: 'room-run',
  orgId: DISTRICT.orgId,
  orgName: DISTRICT.name,
  meetingNumber: '123456789',
  topic: 'Lifts',
  startsAt: Date.UTC(2026, 11, 3, 1),
  status: 'running',
  live: { online: 7, members: 5 },
  minutes: 'draft',
  invited: 9,
};
const ENDED: ListedConsultation = { ...RUNNING, roomId: 'room-end', topic: 'Parks', status: 'ended', live: null, minutes: 'locked' };

function serve() {
  return fakeFetch({
    'GET /api/consultations': () => ({ status: 200, body: { consultations: [RUNNING, ENDED] } }),
    'GET /api/orgs/org-huangpu/accounts': () => ({ status: 200, body: { accounts: [anAccount(DISTRICT, 'organiser')] } }),
    'GET /api/orgs/org-city/accounts': () => ({ status: 200, body: { accounts: [anAccount(CITY, 'administrator')] } }),
    'POST /api/auth/logout': () => ({ status: 204, body: null }),
  });
}

const tabNames = (): string[] => within(screen.getByRole('tablist')).getAllByRole('tab').map((tab) => tab.textContent ?? '');

describe('the logged-in admin page', () => {
  test('an organiser of a district sees its four panels and no “Organisations and accounts”', async () => {
    serve();
    render(<OrgAdminPage me={{ account: anAccount(DISTRICT, 'organiser'), orgs: [DISTRICT] }} onLoggedOut={() => undefined} />);
    await screen.findByText('Lifts');
    expect(tabNames()).toEqual(['Consultations', 'New consultation', 'Roster', 'Duty records']);
    expect(screen.queryByRole('tab', { name: 'Organisations and accounts' })).toBeNull();
    // One organisation: named, not a switcher.
    expect(screen.getByTestId('admin-org').textContent).toBe('Organisation: Huangpu CPPCC');
    expect(screen.queryByLabelText('Switch organisation')).toBeNull();
  });

  test('a city administrator sees the fifth panel, in the city and in a district they switch to', async () => {
    const sent = serve();
    render(<OrgAdminPage me={{ account: anAccount(CITY, 'administrator'), orgs: [CITY, DISTRICT] }} onLoggedOut={() => undefined} />);
    await screen.findByText('Lifts');
    expect(tabNames()).toEqual(['Consultations', 'New consultation', 'Roster', 'Duty records', 'Organisations and accounts']);
    expect(sent[0]?.path).toBe('/api/consultations?orgId=org-city');
    fireEvent.change(screen.getByLabelText('Switch organisation'), { target: { value: DISTRICT.orgId } });
    await vi.waitFor(() => expect(sent.at(-1)?.path).toBe('/api/consultations?orgId=org-huangpu'));
    fireEvent.click(screen.getByRole('tab', { name: 'Organisations and accounts' }));
    expect(await screen.findByText('Accounts of “Huangpu CPPCC”')).toBeTruthy();
  });

  test('the list shows running consultations with live counts and ended ones with their minutes', async () => {
    serve();
    render(<OrgAdminPage me={{ account: anAccount(DISTRICT, 'organiser'), orgs: [DISTRICT] }} onLoggedOut={() => undefined} />);
    const running = within(await screen.findByTestId('consultations-running'));
    expect(running.getByTestId('consultation-live').textContent).toBe('7 online · 5 members');
    const ended = within(screen.getByTestId('consultations-ended'));
    expect(ended.getByTestId('consultation-minutes').textContent).toBe('Minutes: locked');
    expect(within(screen.getByTestId('consultations-upcoming')).getByText('No consultations.')).toBeTruthy();
  });

  test('退出登录 ends the session on the server and leaves the page', async () => {
    const sent = serve();
    const loggedOut = vi.fn();
    render(<OrgAdminPage me={{ account: anAccount(DISTRICT, 'organiser'), orgs: [DISTRICT] }} onLoggedOut={loggedOut} />);
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await vi.waitFor(() => expect(loggedOut).toHaveBeenCalledWith(false));
    expect(sent.some((s) => s.method === 'POST' && s.path === '/api/auth/logout')).toBe(true);
  });
});
