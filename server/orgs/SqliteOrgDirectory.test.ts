import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { describeOrgDirectoryContract } from './OrgDirectory.contract.js';
import { openOrgDirectory } from './openOrgDirectory.js';
import { SqliteOrgDirectory } from './SqliteOrgDirectory.js';
import { CorruptRecordError } from './storedRecords.js';

async function tempFile(): Promise<{ file: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wsl-orgs-'));
  return { file: path.join(dir, 'data', 'orgs.sqlite'), remove: () => rm(dir, { recursive: true, force: true }) };
}

// NOTE: a suite declared in this file itself: `vitest list`, which CI's closing line compares
// the run with, reads each file's own declarations and fails on a file that makes none.
describe('SqliteOrgDirectory', () => {
  describeOrgDirectoryContract('SqliteOrgDirectory', async () => {
    const { file, remove } = await tempFile();
    const opened = [SqliteOrgDirectory.open(file)];
    return {
      directory: opened[0]!,
      another: async () => {
        const again = SqliteOrgDirectory.open(file);
        opened.push(again);
        return again;
      },
      cleanup: async () => {
        for (const d of opened) await d.close();
        await remove();
      },
    };
  });

  test('openOrgDirectory() without Redis keeps the directory in orgs.sqlite in DATA_DIR', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsl-orgs-'));
    try {
      const directory = await openOrgDirectory({ dataDir: dir, redis: undefined });
      await directory.assignRoom('room-1', 'city-body');
      await directory.close();
      await access(path.join(dir, 'orgs.sqlite'));
      const again = SqliteOrgDirectory.open(path.join(dir, 'orgs.sqlite'));
      expect(await again.orgOfRoom('room-1')).toBe('city-body');
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a row changed by hand into something the directory never writes stops with CorruptRecordError', async () => {
    const { file, remove } = await tempFile();
    const directory = SqliteOrgDirectory.open(file);
    try {
      const org = { orgId: 'city-body', name: '市政协', parentId: null, createdAt: 1000 };
      const account = {
        accountId: 'account-1', username: 'admin', displayName: '管理员', orgId: org.orgId,
        role: 'administrator' as const, createdAt: 1000, disabled: false, passwordHash: 'scrypt$1$1$1$x$y',
      };
      expect(await directory.bootstrap(org, account)).toBe(true);
      const raw = new Database(file);
      try {
        raw.prepare("UPDATE accounts SET role = 'superuser'").run();
        raw.prepare('UPDATE orgs SET created_at = -5').run();
      } finally {
        raw.close();
      }
      await expect(directory.account('account-1')).rejects.toThrow(CorruptRecordError);
      await expect(directory.accountByUsername('admin')).rejects.toThrow(/role/);
      await expect(directory.orgs()).rejects.toThrow(CorruptRecordError);
    } finally {
      await directory.close();
      await remove();
    }
  });
});
