import { describe, expect, test } from 'vitest';
import { isValidRoomId, roomIdFromLocation, roomLink } from './roomId.js';

describe('roomIdFromLocation()', () => {
  test.each([
    ['/', '?room=abc', 'abc'],
    ['/r/xyz', '?room=abc', 'abc'],
    ['/city-2024_05', '', 'city-2024_05'],
    ['/r/xyz/', '', 'xyz'],
    ['/', '', ''],
    ['/index.html', '', ''],
    ['/', '?room=bad%20id', ''],
    ['/bad%2Fid', '', ''],
    ['/%E0%A4%A', '', ''],
    ['/会议', '', ''],
  ])('%s%s → %j', (pathname, search, expected) => {
    expect(roomIdFromLocation(pathname, search)).toBe(expected);
  });
});

describe('isValidRoomId()', () => {
  test('accepts what the server schema accepts', () => {
    expect(isValidRoomId('a')).toBe(true);
    expect(isValidRoomId('A-b_9')).toBe(true);
    expect(isValidRoomId('x'.repeat(64))).toBe(true);
  });

  test('rejects empty, too long and other characters', () => {
    expect(isValidRoomId('')).toBe(false);
    expect(isValidRoomId('x'.repeat(65))).toBe(false);
    expect(isValidRoomId('a b')).toBe(false);
    expect(isValidRoomId('会议')).toBe(false);
  });
});

test('roomLink() round-trips through roomIdFromLocation()', () => {
  const url = new URL(roomLink('https://example.org', 'city-1'));
  expect(roomIdFromLocation(url.pathname, url.search)).toBe('city-1');
});
