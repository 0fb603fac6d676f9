// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { fakeFetch } from '../comments/fakeCommentsServer.js';
import { LoginForm } from './LoginForm.js';
import { anAccount, CITY } from './orgTesting.js';

beforeAll(() => setLanguage('en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderLogin(answer: { status: number; body: unknown }) {
  const sent = fakeFetch({ 'POST /api/auth/login': () => answer });
  const loggedIn = vi.fn();
  const useSecret = vi.fn();
  render(<LoginForm onLoggedIn={loggedIn} onUseSecret={useSecret} />);
  fireEvent.change(screen.getByLabelText('Username'), { target: { value: ' Wang.Li ' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'not the password' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  return { sent, loggedIn, useSecret };
}

describe('the login form', () => {
  test('a wrong name or password is said in words; what was typed stays to correct', async () => {
    const { sent, loggedIn } = renderLogin({ status: 401, body: { error: 'UNAUTHORIZED', detail: 'wrong username or password' } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Wrong username or password. Please try again.');
    expect(sent[0]?.body).toEqual({ username: 'Wang.Li', password: 'not the password' });
    expect(sent[0]?.auth).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>('Username').value).toBe(' Wang.Li ');
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
    expect(loggedIn).not.toHaveBeenCalled();
  });

  test('too many tries say how long to wait', async () => {
    renderLogin({ status: 429, body: { error: 'RATE_LIMITED', detail: 'slow down', retryAfterMs: 4 * 60_000 + 1 } });
    expect((await screen.findByRole('alert')).textContent).toBe('Too many attempts. Please try again in 5 min.');
  });

  test('a right password hands over the account; the admin key stays one click away', async () => {
    const me = { account: anAccount(CITY, 'administrator'), orgs: [CITY] };
    const { loggedIn, useSecret } = renderLogin({ status: 200, body: me });
    await vi.waitFor(() => expect(loggedIn).toHaveBeenCalledWith(me));
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Use the admin key' }));
    expect(useSecret).toHaveBeenCalledOnce();
  });
});
