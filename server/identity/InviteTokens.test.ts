import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../signaling/errors.js';
import type { InviteClaims } from '../../signaling/invite.js';
import { ConfigError } from '../config.js';
import { loadAdminSecret } from './adminAuth.js';
import { InviteTokens } from './InviteTokens.js';

const SECRET = 'a-configured-secret-of-at-least-32-characters';
const HOUR = 3_600_000;
const claims: InviteClaims = {
  room: 'room-1',
  role: 'member',
  name: '王小明',
  venue: 'district-3',
  sector: '经济界',
  inviteId: 'inv_abcdefgh',
};

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'wsl-invites-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function expectUnauthorized(promise: Promise<unknown>, reason: RegExp): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(reason) });
}

describe('InviteTokens', () => {
  test('verify() returns the claims sign() put in, Chinese names included', async () => {
    const tokens = await InviteTokens.load({ dataDir, secret: SECRET });
    const token = await tokens.sign(claims, new Date(Date.now() + HOUR));
    expect(await tokens.verify(token)).toEqual(claims);
    expect(await tokens.verify(token, 'room-1')).toEqual(claims);
  });

  test('verify() keeps a nameless invite nameless', async () => {
    const tokens = await InviteTokens.load({ dataDir, secret: SECRET });
    const { name: _name, ...nameless } = claims;
    const token = await tokens.sign(nameless, new Date(Date.now() + HOUR));
    const verified = await tokens.verify(token);
    expect(verified.name).toBeUndefined();
    expect(verified).toEqual(nameless);
  });

  test('sign() refuses claims verify() would refuse', async () => {
    const tokens = await InviteTokens.load({ dataDir, secret: SECRET });
    await expect(tokens.sign({ ...claims, room: 'no spaces allowed' }, new Date(Date.now() + HOUR))).rejects.toThrow();
  });

  test('verify() rejects a tampered token with UNAUTHORIZED', async () => {
    const tokens = await InviteTokens.load({ dataDir, secret: SECRET });
    const token = await tokens.sign(claims, new Date(Date.now() + HOUR));
    const [header, payload, signature] = token.split('.');
    const decoded = z.record(z.string(), z.unknown()).parse(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')));
    const forgedPayload = Buffer.from(JSON.stringify({ ...decoded, role: 'host' })).toString('base64url');
    await expectUnauthorized(tokens.verify(`${header}.${forgedPayload}.${signature}`), /signature/);
    await expectUnauthorized(tokens.verify(`${token.slice(0, -2)}AA`), /signature|malformed/);
    await expectUnauthorized(tokens.verify('not-a-token'), /malformed/);
  });

  test('verify() rejects an expired token with UNAUTHORIZED', async () => {
    const tokens = await InviteTokens.load({ dataDir, secret: SECRET });
    const token = await tokens.sign(claims, new Date(Date.now() - 60_000));
    await expectUnauthorized(tokens.verify(token), /expired/);
  });

  test('verify() rejects a token for another room with UNAUTHORIZED', async () => {
    const tokens = await InviteTokens.load({ dataDir, secret: SECRET });
    const token = await tokens.sign(claims, new Date(Date.now() + HOUR));
    await expectUnauthorized(tokens.verify(token, 'room-2'), /another room/);
  });

  test('verify() rejects a token signed with another secret with UNAUTHORIZED', async () => {
    const ours = await InviteTokens.load({ dataDir, secret: SECRET });
    const theirs = await InviteTokens.load({ dataDir, secret: 'another-secret-that-is-32-characters-long' });
    const token = await theirs.sign(claims, new Date(Date.now() + HOUR));
    await expectUnauthorized(ours.verify(token), /signature/);
  });

  test('verify() rejects a correctly signed token whose claims are malformed', async () => {
    const tokens = await InviteTokens.load({ dataDir, secret: SECRET });
    const key = new TextEncoder().encode(SECRET);
    const token = await new SignJWT({ room: 'room-1', role: 'emperor', venue: 'city', inviteId: 'inv_abcdefgh' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('wei-shangliang')
      .setAudience('invite')
      .setExpirationTime('1h')
      .sign(key);
    await expectUnauthorized(tokens.verify(token), /claims are malformed/);
  });

  test('verify() rejects a token that is not an invite or not signed at all', async () => {
    const tokens = await InviteTokens.load({ dataDir, secret: SECRET });
    const key = new TextEncoder().encode(SECRET);
    const session = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('wei-shangliang')
      .setAudience('session')
      .setExpirationTime('1h')
      .sign(key);
    await expectUnauthorized(tokens.verify(session), /not an invite/);
    const unsigned = new UnsecuredJWT({ ...claims }).setIssuer('wei-shangliang').setAudience('invite').setExpirationTime('1h').encode();
    await expectUnauthorized(tokens.verify(unsigned), /./);
  });

  test('load() refuses a configured secret shorter than 32 characters', async () => {
    await expect(InviteTokens.load({ dataDir, secret: 'too-short' })).rejects.toBeInstanceOf(ConfigError);
  });

  test('load() generates a secret once, keeps it with mode 0600 and reuses it on restart', async () => {
    const nested = path.join(dataDir, 'not', 'there', 'yet');
    const first = await InviteTokens.load({ dataDir: nested });
    const file = path.join(nested, 'invite-secret');
    const kept = await readFile(file, 'utf8');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(kept.trim().length).toBeGreaterThanOrEqual(32);

    const second = await InviteTokens.load({ dataDir: nested });
    expect(await readFile(file, 'utf8')).toBe(kept);
    const token = await first.sign(claims, new Date(Date.now() + HOUR));
    expect(await second.verify(token)).toEqual(claims);

    // A different data dir means a different secret: proof the file, not chance, made them agree.
    const elsewhere = await InviteTokens.load({ dataDir: path.join(dataDir, 'elsewhere') });
    await expectUnauthorized(elsewhere.verify(token), /signature/);
  });
});

describe('loadAdminSecret', () => {
  test('generates a secret at first start, keeps it with mode 0600 and reuses it', async () => {
    const first = loadAdminSecret(dataDir);
    expect(first.generated).toBe(true);
    expect((await stat(path.join(dataDir, 'admin-secret'))).mode & 0o777).toBe(0o600);
    const second = loadAdminSecret(dataDir);
    expect(second).toEqual({ secret: first.secret, generated: false });
  });

  test('prefers a configured secret and refuses a short one', () => {
    expect(loadAdminSecret(dataDir, 'configured-admin-secret')).toEqual({ secret: 'configured-admin-secret', generated: false });
    expect(() => loadAdminSecret(dataDir, 'short')).toThrow(ConfigError);
  });
});

describe('InviteTokens revocation', () => {
  test('verify() refuses a genuine invite the organiser revoked with INVITE_REVOKED, and lets the others through', async () => {
    const revoked = new Set(['inv_revoked1']);
    const tokens = await InviteTokens.load({ dataDir, secret: SECRET, isRevoked: async (id) => revoked.has(id) });
    const good = await tokens.sign(claims, new Date(Date.now() + HOUR));
    const gone = await tokens.sign({ ...claims, inviteId: 'inv_revoked1' }, new Date(Date.now() + HOUR));
    expect(await tokens.verify(good)).toMatchObject({ inviteId: 'inv_abcdefgh' });
    await expect(tokens.verify(gone)).rejects.toMatchObject({ code: 'INVITE_REVOKED' });
    // A forged token is refused as forged before revocation is asked.
    await expectUnauthorized(tokens.verify(`${gone.slice(0, -4)}AAAA`), /signature/);
  });
});

describe('InviteTokens remembers a checked signature', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('verify() of a token checked before still refuses it once it expired, once revoked, and for another room', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const revoked = new Set<string>();
    const tokens = await InviteTokens.load({ dataDir, secret: SECRET, isRevoked: async (id) => revoked.has(id) });
    const token = await tokens.sign(claims, new Date(Date.now() + 10_000));
    expect(await tokens.verify(token, 'room-1')).toEqual(claims);
    expect(await tokens.verify(token, 'room-1')).toEqual(claims);
    await expectUnauthorized(tokens.verify(token, 'room-2'), /another room/);
    revoked.add(claims.inviteId);
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'INVITE_REVOKED' });
    revoked.clear();
    vi.setSystemTime(Date.now() + 11_000);
    await expectUnauthorized(tokens.verify(token), /expired/);
  });

  test('verify() answers each caller claims of its own: changing one answer changes no other', async () => {
    const tokens = await InviteTokens.load({ dataDir, secret: SECRET });
    const token = await tokens.sign(claims, new Date(Date.now() + HOUR));
    const first = await tokens.verify(token);
    first.name = '别人';
    expect(await tokens.verify(token)).toEqual(claims);
  });
});
