// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { fakeFetch } from '../comments/fakeCommentsServer.js';
import { AccountsPanel } from './AccountsPanel.js';
import { anAccount, CITY, DISTRICT, orgContext } from './orgTesting.js';

beforeAll(() => setLanguage('en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ORGANISER = anAccount(DISTRICT, 'organiser', { displayName: 'Zhou Min' });

describe('organisations and accounts', () => {
  test('a district is created below the organisation shown; an account is created with the role chosen', async () => {
    const sent = fakeFetch({
      'GET /api/orgs/org-city/accounts': () => ({ status: 200, body: { accounts: [] } }),
      'POST /api/orgs': (s) => ({ status: 201, body: { ...DISTRICT, name: (s.body as { name: string }).name } }),
      'POST /api/orgs/org-city/accounts': () => ({ status: 201, body: anAccount(CITY, 'administrator', { username: 'deputy', displayName: 'Deputy' }) }),
    });
    const { ctx, failures } = orgContext({ account: anAccount(CITY, 'administrator'), orgs: [CITY] }, CITY);
    const reloadOrgs = vi.fn();
    render(<AccountsPanel ctx={{ ...ctx, reloadOrgs }} onManage={() => undefined} />);
    await screen.findByText('No accounts yet.');
    fireEvent.change(screen.getByLabelText('Organisation name'), { target: { value: ' Huangpu ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create organisation' }));
    await screen.findByText('“Huangpu” created.');
    expect(sent.find((s) => s.path === '/api/orgs')?.body).toEqual({ name: 'Huangpu', parentId: 'org-city' });
    expect(reloadOrgs).toHaveBeenCalledOnce();

    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'deputy' } });
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Deputy' } });
    fireEvent.change(screen.getByLabelText('First password (at least 10 characters)'), { target: { value: 'long enough pass' } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'administrator' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await screen.findByText('Account deputy created.');
    expect(sent.find((s) => s.path === '/api/orgs/org-city/accounts' && s.method === 'POST')?.body).toEqual({
      username: 'deputy',
      displayName: 'Deputy',
      password: 'long enough pass',
      role: 'administrator',
    });
    expect(failures).toEqual([]);
  });

  test('disabling asks first; a new password is sent for the account chosen', async () => {
    const sent = fakeFetch({
      'GET /api/orgs/org-huangpu/accounts': () => ({ status: 200, body: { accounts: [ORGANISER] } }),
      'PATCH /api/orgs/org-huangpu/accounts/acc-organiser-org-huangpu': (s) => ({ status: 200, body: { ...ORGANISER, ...(s.body as object) } }),
    });
    const { ctx } = orgContext({ account: anAccount(CITY, 'administrator'), orgs: [CITY, DISTRICT] }, DISTRICT);
    render(<AccountsPanel ctx={ctx} onManage={() => undefined} />);
    const row = await screen.findByText('Zhou Min').then((cell) => cell.closest('tr') as HTMLElement);
    fireEvent.click(within(row).getByRole('button', { name: 'Disable' }));
    expect(sent.filter((s) => s.method === 'PATCH')).toEqual([]);
    fireEvent.click(screen.getByTestId('account-disable-dialog-confirm'));
    await vi.waitFor(() => expect(row.getAttribute('data-disabled')).toBe('true'));
    expect(sent.find((s) => s.method === 'PATCH')?.body).toEqual({ disabled: true });

    fireEvent.click(within(row).getByRole('button', { name: 'Reset password' }));
    fireEvent.change(screen.getByLabelText('New password (at least 10 characters)'), { target: { value: 'another passphrase' } });
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    await screen.findByText('The password of “Zhou Min” was reset.');
    expect(sent.filter((s) => s.method === 'PATCH').at(-1)?.body).toEqual({ password: 'another passphrase' });
  });
});
