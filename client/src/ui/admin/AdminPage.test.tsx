// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { fakeFetch } from '../comments/fakeCommentsServer.js';
import { AdminPage } from './AdminPage.js';
import { anAccount, CITY, DISTRICT } from './orgTesting.js';

beforeAll(() => setLanguage('en'));
beforeEach(() => window.sessionStorage.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('/admin', () => {
  test('nobody logged in: the login form first, the admin key behind its link, and back', async () => {
    fakeFetch({ 'GET /api/auth/me': () => ({ status: 401, body: { error: 'UNAUTHORIZED', detail: 'no session' } }) });
    render(<AdminPage />);
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.queryByTestId('admin-secret')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Use the admin key' }));
    expect(screen.getByTestId('admin-secret')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in with an account instead' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
  });

  test('the admin key on a server without organisations: the first administrator is made on the page, then the login form', async () => {
    window.sessionStorage.setItem('wsl.adminSecret', 'the-admin-key-of-this-server');
    const sent = fakeFetch({
      'GET /api/orgs': () => ({ status: 200, body: { orgs: [] } }),
      'GET /api/rooms': () => ({ status: 200, body: { rooms: [] } }),
      'GET /api/auth/me': () => ({ status: 401, body: { error: 'UNAUTHORIZED', detail: 'no session' } }),
      'POST /api/auth/bootstrap': () => ({ status: 201, body: { account: anAccount(CITY, 'administrator', { username: 'city.admin' }), orgs: [CITY] } }),
    });
    render(<AdminPage />);
    await screen.findByRole('heading', { name: 'Create the first administrator' });
    fireEvent.change(screen.getByLabelText('Organisation name'), { target: { value: '市政协' } });
    fireEvent.change(screen.getByLabelText('Username (to sign in)'), { target: { value: 'City.Admin' } });
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: '市政协办公厅' } });
    const create = screen.getByRole('button', { name: 'Create the administrator' });
    fireEvent.change(screen.getByLabelText('Password (at least 10 characters)'), { target: { value: 'too short' } });
    expect((create as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Password (at least 10 characters)'), { target: { value: 'a long passphrase' } });
    fireEvent.click(create);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    const made = sent.find((r) => r.method === 'POST' && r.path === '/api/auth/bootstrap');
    expect(made?.auth).toBe('Bearer the-admin-key-of-this-server');
    expect(made?.body).toEqual({ orgName: '市政协', username: 'City.Admin', displayName: '市政协办公厅', password: 'a long passphrase' });
    // The key is forgotten: the page is the login form's now.
    expect(window.sessionStorage.getItem('wsl.adminSecret')).toBeNull();
  });

  test('a live session opens on the organisation’s consultations', async () => {
    fakeFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { account: anAccount(DISTRICT, 'organiser', { displayName: 'Zhou' }), orgs: [DISTRICT] } }),
      'GET /api/consultations': () => ({ status: 200, body: { consultations: [] } }),
    });
    render(<AdminPage />);
    expect((await screen.findByTestId('admin-account')).textContent).toBe('Zhou (Organiser)');
    expect(screen.getByRole('tab', { selected: true }).textContent).toBe('Consultations');
    expect(screen.queryByTestId('login-form')).toBeNull();
  });

  test('a session that has ended on the server asks to log in again, saying why', async () => {
    let session = true;
    fakeFetch({
      'GET /api/auth/me': () => ({ status: 200, body: { account: anAccount(DISTRICT, 'organiser'), orgs: [DISTRICT] } }),
      'GET /api/consultations': () => (session ? { status: 200, body: { consultations: [] } } : { status: 401, body: { error: 'UNAUTHORIZED' } }),
      'GET /api/orgs/org-huangpu/roster': () => ({ status: 401, body: { error: 'UNAUTHORIZED' } }),
    });
    render(<AdminPage />);
    await screen.findByTestId('admin-account');
    session = false;
    fireEvent.click(screen.getByRole('tab', { name: 'Roster' }));
    expect(await screen.findByText('Your session has ended. Please sign in again.')).toBeTruthy();
    expect(screen.getByTestId('login-form')).toBeTruthy();
  });
});
