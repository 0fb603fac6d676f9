import { describe, expect, test } from 'vitest';
import { apiRoute } from './route.js';

describe('apiRoute()', () => {
  test('path() fills each parameter URL-encoded under /api, and the pattern stays as express reads it', () => {
    const route = apiRoute('/rooms/:roomId/invites/:inviteId/revoke');
    expect(route.pattern).toBe('/rooms/:roomId/invites/:inviteId/revoke');
    expect(route.path({ roomId: 'r 1', inviteId: 'a/b' })).toBe('/api/rooms/r%201/invites/a%2Fb/revoke');
  });

  test('path() fills a parameter that follows a dot, as in minutes.:format', () => {
    expect(apiRoute('/rooms/:roomId/minutes.:format').path({ roomId: 'r1', format: 'docx' })).toBe('/api/rooms/r1/minutes.docx');
  });

  test('path() of a route without parameters is the prefixed pattern', () => {
    expect(apiRoute('/rooms').path()).toBe('/api/rooms');
  });
});
