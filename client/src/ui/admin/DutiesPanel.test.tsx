// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { DutyRecords } from '../../net/orgApi.js';
import { setLanguage } from '../../i18n/index.js';
import { fakeFetch } from '../comments/fakeCommentsServer.js';
import { DutiesPanel } from './DutiesPanel.js';
import { anAccount, DISTRICT, orgContext } from './orgTesting.js';

beforeAll(() => setLanguage('en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ZERO = { invited: 0, attended: 0, attendedMs: 0, speeches: 0, speakingMs: 0, namedVotes: 0, secretVotes: 0, statements: 0, passagesConfirmed: 0 };
const RECORDS: DutyRecords = {
  from: null,
  to: null,
  consultations: 1,
  members: [{ ...ZERO, memberId: 'm-wang01', name: 'Wang Li', sector: 'Economy', district: 'Huangpu', invited: 1, attended: 1, attendedMs: 95 * 60_000, speeches: 2, speakingMs: 250_000, secretVotes: 1 }],
  sectors: [{ ...ZERO, sector: 'Economy', members: 1, invited: 1, attended: 1, attendedMs: 95 * 60_000, speeches: 2, speakingMs: 250_000, secretVotes: 1 }],
};

describe('duty records', () => {
  test('per member and per sector, times in minutes with one decimal; a period goes to the server and into the export links', async () => {
    const sent = fakeFetch({ 'GET /api/orgs/org-huangpu/duties': () => ({ status: 200, body: RECORDS }) });
    const { ctx } = orgContext({ account: anAccount(DISTRICT, 'organiser'), orgs: [DISTRICT] }, DISTRICT);
    render(<DutiesPanel ctx={ctx} />);
    const member = await screen.findByTestId('duties-member');
    expect(within(member).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Economy', 'Huangpu', '1', '1', '95 min', '2', '4.2 min', '0', '1', '0', '0']);
    expect(within(screen.getByTestId('duties-sector')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1', '1', '1', '95 min', '2', '4.2 min', '0', '1', '0', '0']);
    expect(screen.getByTestId('duties-consultations').textContent).toBe('1 consultation in the period');
    expect(sent[0]?.path).toBe('/api/orgs/org-huangpu/duties');

    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-01-01' } });
    fireEvent.change(screen.getByLabelText('to'), { target: { value: '2026-06-30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    const from = new Date('2026-01-01T00:00:00').getTime();
    const to = new Date('2026-06-30T23:59:59.999').getTime();
    await vi.waitFor(() => expect(sent.at(-1)?.path).toBe(`/api/orgs/org-huangpu/duties?from=${from}&to=${to}`));
    expect(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe(`/api/orgs/org-huangpu/duties.csv?from=${from}&to=${to}`);
    expect(screen.getByRole('link', { name: 'Export Excel' }).getAttribute('href')).toBe(`/api/orgs/org-huangpu/duties.xlsx?from=${from}&to=${to}`);
  });
});
