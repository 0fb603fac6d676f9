import { webcrypto } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { mintIceServers, turnPassword, turnRelays } from './turnCredentials.js';

/** HMAC-SHA1 in base64 by WebCrypto: another implementation than the module's node:crypto. */
async function webCryptoPassword(secret: string, username: string): Promise<string> {
  const key = await webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const mac = await webcrypto.subtle.sign('HMAC', key, new TextEncoder().encode(username));
  return Buffer.from(mac).toString('base64');
}

const turn = { urls: ['turn:relay.example:3478?transport=udp', 'turns:relay.example:443?transport=tcp'], secret: 'north-hall-relay-secret', ttlSeconds: 3600 };

describe('turnPassword()', () => {
  test('is RFC 2202 test case 2 (HMAC-SHA1 of "what do ya want for nothing?" with key "Jefe") in base64', () => {
    // effcdf6ae5eb2fa2d27416d5f184df9c259a7c79 as printed in RFC 2202 §3, base64-encoded.
    expect(turnPassword('Jefe', 'what do ya want for nothing?')).toBe('7/zfauXrL6LSdBbV8YTfnCWafHk=');
  });

  test('agrees with WebCrypto on a coturn username', async () => {
    expect(turnPassword(turn.secret, '1767225600:p-42')).toBe(await webCryptoPassword(turn.secret, '1767225600:p-42'));
    expect(turnPassword(turn.secret, '1767225600:p-42')).toBe('mmpQOMJwMzfFiP5BbBUOIh/6zVo=');
  });
});

describe('mintIceServers()', () => {
  test('username is "<expiry in Unix seconds>:<holder>", expiring ttlSeconds from now', async () => {
    const nowMs = 1_767_222_000_500; // 2025-12-31T23:00:00.500Z
    const [server, ...rest] = mintIceServers(turn, 'p-42', nowMs);
    expect(rest).toEqual([]);
    expect(server?.username).toBe('1767225600:p-42');
    expect(server?.credential).toBe(await webCryptoPassword(turn.secret, '1767225600:p-42'));
    expect(server?.urls).toEqual(turn.urls);
  });

  test('a different secret gives a credential coturn would refuse', () => {
    const ours = mintIceServers(turn, 'v-1', 0)[0];
    const theirs = mintIceServers({ ...turn, secret: 'another-secret-of-16+' }, 'v-1', 0)[0];
    expect(ours?.username).toBe(theirs?.username);
    expect(ours?.credential).not.toBe(theirs?.credential);
  });
});

describe('turnRelays()', () => {
  test('offers nothing without TURN', () => {
    expect(turnRelays(undefined, () => 0)('p-1')).toBeUndefined();
  });

  test('mints at every hand-out, so a later one expires later', () => {
    let now = 1_000_000;
    const relays = turnRelays(turn, () => now);
    const first = relays('p-1')?.[0]?.username;
    now += 60_000;
    const second = relays('p-1')?.[0]?.username;
    expect(first).toBe(`${1000 + 3600}:p-1`);
    expect(second).toBe(`${1060 + 3600}:p-1`);
  });
});
