// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { IssuedInvite } from '../../net/adminApi.js';
import { setLanguage } from '../../i18n/index.js';
import { fakeFetch } from '../comments/fakeCommentsServer.js';
import { NewConsultationPanel } from './NewConsultationPanel.js';
import { aMember, anAccount, DISTRICT, orgContext } from './orgTesting.js';

beforeAll(() => setLanguage('en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const WANG = aMember(DISTRICT, 'm-wang01', 'Wang Li', 'Economy', 'd1');
const ZHAO = aMember(DISTRICT, 'm-zhao01', 'Zhao Min', 'Economy', 'd2');
const LI = aMember(DISTRICT, 'm-li0001', 'Li Hua', 'Science', 'd1');
const SUN = aMember(DISTRICT, 'm-sun001', 'Sun Yu', 'Science', '');

function invite(n: number, role: IssuedInvite['role'], venue: string, name: string | null, sector = ''): IssuedInvite {
  return {
    inviteId: `inv-${n}`,
    token: `token-${n}`,
    url: `http://localhost/join?invite=token-${n}`,
    shortUrl: `http://localhost/j/code000${n}`,
    code: `code000${n}`,
    role,
    venue,
    name,
    sector,
    issuedAt: Date.now(),
    expiresAt: Date.now() + 86_400_000,
    revokedAt: null,
  };
}

describe('a consultation from the roster', () => {
  test('sends the members chosen (a sector, then one more) with the room; the invites come back as cards per venue and a CSV link', async () => {
    const sent = fakeFetch({
      'GET /api/orgs/org-huangpu/roster': () => ({ status: 200, body: { members: [WANG, ZHAO, LI, SUN] } }),
      'POST /api/orgs/org-huangpu/consultations': () => ({
        status: 201,
        body: {
          roomId: 'room-1',
          meetingNumber: '123456789',
          hostInvite: invite(0, 'host', 'city', 'Chair'),
          invites: [
            { ...invite(1, 'member', 'd1', 'Wang Li', 'Economy'), memberId: WANG.memberId },
            { ...invite(2, 'member', 'city', 'Zhao Min', 'Economy'), memberId: ZHAO.memberId },
            { ...invite(3, 'member', 'd1', 'Li Hua', 'Science'), memberId: LI.memberId },
          ],
        },
      }),
    });
    const { ctx, failures } = orgContext({ account: anAccount(DISTRICT, 'organiser'), orgs: [DISTRICT] }, DISTRICT);
    render(<NewConsultationPanel ctx={ctx} />);
    await screen.findByText('Wang Li');
    fireEvent.change(screen.getByLabelText('Topic'), { target: { value: ' Lifts for old buildings ' } });
    // The roster's venues d1 and d2 become venues of the room at a click; d2 is taken out again,
    // so Zhao (of d2) joins from the default venue.
    fireEvent.click(screen.getByRole('button', { name: 'Add the roster’s venues (d1, d2)' }));
    expect(screen.getAllByLabelText<HTMLInputElement>('Venue ID').map((input) => input.value)).toEqual(['city', 'd1', 'd2']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove venue d2' }));

    fireEvent.change(screen.getByLabelText('Select by sector'), { target: { value: '=Economy' } });
    fireEvent.click(screen.getByTestId('member-by-sector-add'));
    fireEvent.click(screen.getByLabelText('Select Li Hua'));
    expect(screen.getByTestId('member-picker-count').textContent).toBe('3 selected');
    fireEvent.click(screen.getByRole('button', { name: 'Create and issue invites' }));

    await screen.findByTestId('created-consultation');
    const post = sent.find((s) => s.method === 'POST');
    expect(post?.body).toMatchObject({
      room: { topic: 'Lifts for old buildings', venues: [{ id: 'city' }, { id: 'd1', name: 'd1' }] },
      memberIds: ['m-wang01', 'm-zhao01', 'm-li0001'],
      defaultVenue: 'city',
    });
    expect(failures).toEqual([]);
    expect(screen.getByTestId('created-consultation-status').textContent).toContain('personal invites issued to 3 members');
    expect(screen.getByTestId('export-invites').getAttribute('href')).toBe('/api/rooms/room-1/invites.csv');
    const members = screen.getByTestId('cards-members');
    const byVenue = within(members)
      .getAllByTestId('venue-cards')
      .map((group) => [group.getAttribute('data-venue'), within(group).getAllByTestId('invite-card').length]);
    expect(byVenue).toEqual([
      ['city', 1],
      ['d1', 2],
    ]);
    expect(within(screen.getByTestId('cards-staff')).getAllByTestId('invite-card')).toHaveLength(1);
  });

  test('an empty roster says where to fill it', async () => {
    fakeFetch({ 'GET /api/orgs/org-huangpu/roster': () => ({ status: 200, body: { members: [] } }) });
    const { ctx } = orgContext({ account: anAccount(DISTRICT, 'organiser'), orgs: [DISTRICT] }, DISTRICT);
    render(<NewConsultationPanel ctx={ctx} />);
    expect(await screen.findByText(/The roster is empty/)).toBeTruthy();
  });
});
