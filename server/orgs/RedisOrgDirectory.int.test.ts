import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startRedis, type TestRedis } from '../../test/helpers/redisServer.js';
import { describeOrgDirectoryContract } from './OrgDirectory.contract.js';
import { openOrgDirectory } from './openOrgDirectory.js';
import { RedisOrgDirectory } from './RedisOrgDirectory.js';
import { CorruptRecordError } from './storedRecords.js';

let shared: TestRedis;
beforeAll(async () => {
  shared = await startRedis();
});
afterAll(async () => {
  await shared?.destroy();
});

// NOTE: a suite declared in this file itself: `vitest list`, which CI's closing line compares
// the run with, reads each file's own declarations and fails on a file that makes none.
describe('RedisOrgDirectory', () => {
  describeOrgDirectoryContract('RedisOrgDirectory', async () => {
    const prefix = `t-${randomUUID()}:`;
    const opened = [await RedisOrgDirectory.connect(shared.url, prefix)];
    return {
      directory: opened[0]!,
      another: async () => {
        const again = await RedisOrgDirectory.connect(shared.url, prefix);
        opened.push(again);
        return again;
      },
      cleanup: async () => {
        for (const d of opened) await d.close();
      },
    };
  });

  test('openOrgDirectory() with Redis keeps the directory there, under the configured prefix', async () => {
    const prefix = `t-${randomUUID()}:`;
    const directory = await openOrgDirectory({ dataDir: '/nonexistent', redis: { url: shared.url, prefix } });
    const raw = createClient({ url: shared.url });
    await raw.connect();
    try {
      await directory.assignRoom('room-1', 'city-body');
      expect(await raw.get(`${prefix}orgdir:room-org:room-1`)).toBe('city-body');
    } finally {
      raw.destroy();
      await directory.close();
    }
  });

  test('a session\'s key carries its expiry, so Redis removes it then, and touchSession() moves it', async () => {
    const prefix = `t-${randomUUID()}:`;
    const directory = await RedisOrgDirectory.connect(shared.url, prefix);
    const raw = createClient({ url: shared.url });
    await raw.connect();
    try {
      const now = Date.now();
      const session = { tokenHash: 'a'.repeat(64), accountId: 'account-1', createdAt: now, expiresAt: now + 3_600_000 };
      await directory.addSession(session);
      const key = `${prefix}orgdir:session:${session.tokenHash}`;
      expect(await raw.pExpireTime(key)).toBe(session.expiresAt);
      await directory.touchSession(session.tokenHash, now + 7_200_000);
      expect(await raw.pExpireTime(key)).toBe(now + 7_200_000);
    } finally {
      raw.destroy();
      await directory.close();
    }
  });

  test('a record changed by hand into something the directory never writes stops with CorruptRecordError', async () => {
    const prefix = `t-${randomUUID()}:`;
    const directory = await RedisOrgDirectory.connect(shared.url, prefix);
    const raw = createClient({ url: shared.url });
    await raw.connect();
    try {
      const org = { orgId: 'city-body', name: '市政协', parentId: null, createdAt: 1000 };
      const account = {
        accountId: 'account-1', username: 'admin', displayName: '管理员', orgId: org.orgId,
        role: 'administrator' as const, createdAt: 1000, disabled: false, passwordHash: 'scrypt$1$1$1$x$y',
      };
      expect(await directory.bootstrap(org, account)).toBe(true);
      await raw.set(`${prefix}orgdir:account:account-1`, JSON.stringify({ ...account, role: 'superuser' }));
      await raw.set(`${prefix}orgdir:org:city-body`, '{not json');
      await expect(directory.account('account-1')).rejects.toThrow(CorruptRecordError);
      await expect(directory.accountByUsername('admin')).rejects.toThrow(/role/);
      await expect(directory.orgs()).rejects.toThrow(/not JSON/);
    } finally {
      raw.destroy();
      await directory.close();
    }
  });
});
