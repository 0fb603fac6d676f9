import { beforeAll, describe, expect, test } from 'vitest';
import { hashPassword, needsRehash, verifyPassword, verifyUnknownAccount } from './passwords.js';

const PASSWORD = '协商议事-correct horse';

// Each hash or check costs tens of milliseconds of scrypt by design, and seconds on a loaded
// machine: the tests share one hash and get time for the few they make.
const SCRYPT_TIME = { timeout: 60_000 };

describe('passwords', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashPassword(PASSWORD);
  }, 60_000);

  test('verifyPassword() accepts the password a hash was made from and refuses any other', SCRYPT_TIME, async () => {
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword(`${PASSWORD} `, stored)).toBe(false);
    expect(await verifyPassword('协商议事-Correct horse', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  test('hashPassword() salts: the same password gives different hashes, each of which verifies', SCRYPT_TIME, async () => {
    const one = stored;
    const two = await hashPassword(PASSWORD);
    expect(one).not.toBe(two);
    expect(one.split('$')[4]).not.toBe(two.split('$')[4]);
    expect(await verifyPassword(PASSWORD, one)).toBe(true);
    expect(await verifyPassword(PASSWORD, two)).toBe(true);
  });

  test('a password composed or decomposed (NFC/NFD) is the same password', SCRYPT_TIME, async () => {
    const composed = 'café-passwort';
    const stored = await hashPassword(composed);
    expect(await verifyPassword(composed.normalize('NFD'), stored)).toBe(true);
  });

  test('a tampered or malformed stored string verifies false and never throws', SCRYPT_TIME, async () => {
    const [scheme, n, r, p, salt, key] = stored.split('$') as [string, string, string, string, string, string];
    const flip = (text: string): string => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    const tampered = [
      [scheme, n, r, p, flip(salt), key],
      [scheme, n, r, p, salt, flip(key)],
      [scheme, String(Number(n) / 2), r, p, salt, key],
      [scheme, n, '7', p, salt, key],
      [scheme, n, r, '2', salt, key],
    ].map((parts) => parts.join('$'));
    const malformed = [
      '',
      'plain-text-password',
      PASSWORD,
      stored.slice(0, -4),
      `${stored}$extra`,
      stored.replace('scrypt$', 'argon2id$'),
      // Parameters a planted hash might use to exhaust the server: refused before any work.
      ['scrypt', String(2 ** 30), r, p, salt, key].join('$'),
      ['scrypt', String(2 ** 20), '32', p, salt, key].join('$'),
      ['scrypt', '1000', r, p, salt, key].join('$'),
      ['scrypt', n, '0', p, salt, key].join('$'),
      ['scrypt', n, r, p, 'c2hvcnQ', key].join('$'),
      ['scrypt', n, r, p, salt, 'not base64 url!'].join('$'),
    ];
    for (const bad of [...tampered, ...malformed]) {
      await expect(verifyPassword(PASSWORD, bad), bad).resolves.toBe(false);
    }
  });

  test('needsRehash() is false for a fresh hash and true for weaker parameters or a malformed string', () => {
    expect(needsRehash(stored)).toBe(false);
    const parts = stored.split('$');
    expect(needsRehash(['scrypt', String(2 ** 14), ...parts.slice(2)].join('$'))).toBe(true);
    expect(needsRehash('garbage')).toBe(true);
  });

  test('verifyUnknownAccount() answers false whatever the password', SCRYPT_TIME, async () => {
    expect(await verifyUnknownAccount(PASSWORD)).toBe(false);
    expect(await verifyUnknownAccount('')).toBe(false);
  });
});
