import { describe, expect, test } from 'vitest';
import { joinLink, parseRoute } from './routes.js';

describe('parseRoute()', () => {
  test.each([
    ['/', '', { page: 'landing' }],
    ['/join', '?invite=abc.def', { page: 'join', invite: 'abc.def' }],
    ['/join/', '?invite=abc', { page: 'join', invite: 'abc' }],
    ['/join', '', { page: 'join', invite: null }],
    ['/join', '?invite=%20', { page: 'join', invite: null }],
    ['/admin', '', { page: 'admin' }],
    ['/somewhere/else', '?room=x', { page: 'landing' }],
    ['/j/Ab3xK9mQ', '', { page: 'short', code: 'Ab3xK9mQ' }],
    ['/j/Ab3xK9mQ/', '', { page: 'short', code: 'Ab3xK9mQ' }],
    ['/j/', '', { page: 'landing' }],
    ['/j/a/b', '', { page: 'landing' }],
  ])('%s%s', (pathname, search, route) => {
    expect(parseRoute(pathname, search)).toEqual(route);
  });

  test('joinLink() round-trips through parseRoute()', () => {
    const url = new URL(joinLink('https://ws.example.org', 'a.b-c_d'));
    expect(parseRoute(url.pathname, url.search)).toEqual({ page: 'join', invite: 'a.b-c_d' });
  });
});
