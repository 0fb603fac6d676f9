import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startRedis, type TestRedis } from '../../test/helpers/redisServer.js';
import { CachedRevocations } from './CachedRevocations.js';
import { RedisInviteRegistry } from './RedisInviteRegistry.js';

const STALE_MS = 1000;

let shared: TestRedis;
beforeAll(async () => {
  shared = await startRedis();
});
afterAll(async () => {
  await shared?.destroy();
});

describe('CachedRevocations over RedisInviteRegistry', () => {
  const opened: CachedRevocations[] = [];
  afterEach(async () => {
    for (const r of opened.splice(0)) await r.close();
  });

  test('a revocation is refused at once by the process that made it, and by another process within maxStaleMs', async () => {
    const prefix = `t-${randomUUID()}:`;
    let clock = 10_000;
    const connect = async () => {
      const registry = new CachedRevocations(await RedisInviteRegistry.connect(shared.url, prefix), { maxStaleMs: STALE_MS, now: () => clock });
      opened.push(registry);
      return registry;
    };
    const [a, b] = [await connect(), await connect()];
    expect(
      await a.add({
        inviteId: 'inv-public', roomId: 'room-a', code: 'PUBLIC', role: 'public', venue: 'city', name: null, sector: '',
        token: 'header.payload.signature', issuedAt: 1000, expiresAt: 3_601_000, revokedAt: null,
      }),
    ).toBe(true);
    expect(await a.isRevoked('inv-public')).toBe(false);
    expect(await b.isRevoked('inv-public')).toBe(false);

    expect((await b.revoke('room-a', 'inv-public', 10_100))?.revokedAt).toBe(10_100);
    expect(await b.isRevoked('inv-public')).toBe(true);
    clock += STALE_MS;
    expect(await a.isRevoked('inv-public')).toBe(true);
  });
});
