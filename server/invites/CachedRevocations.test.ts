import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CachedRevocations } from './CachedRevocations.js';
import { describeInviteRegistryContract } from './InviteRegistry.contract.js';
import type { InviteRecord, InviteRegistry } from './InviteRegistry.js';
import { SqliteInviteRegistry } from './SqliteInviteRegistry.js';

const STALE_MS = 1000;

function invite(inviteId: string): InviteRecord {
  return {
    inviteId, roomId: 'room-a', code: `C${inviteId.slice(-5).toUpperCase()}`, role: 'public', venue: 'city', name: null, sector: '',
    token: 'header.payload.signature', issuedAt: 1000, expiresAt: 3_601_000, revokedAt: null,
  };
}

/** Counts the backend's isRevoked reads. */
function counted(registry: InviteRegistry): { registry: InviteRegistry; reads: () => number } {
  let reads = 0;
  const isRevoked = registry.isRevoked.bind(registry);
  registry.isRevoked = (inviteId) => {
    reads++;
    return isRevoked(inviteId);
  };
  return { registry, reads: () => reads };
}

describe('CachedRevocations', () => {
  describeInviteRegistryContract('CachedRevocations over SqliteInviteRegistry', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsl-invites-'));
    const file = path.join(dir, 'invites.sqlite');
    const opened = [new CachedRevocations(SqliteInviteRegistry.open(file))];
    return {
      registry: opened[0]!,
      reopen: async () => {
        const again = new CachedRevocations(SqliteInviteRegistry.open(file));
        opened.push(again);
        return again;
      },
      cleanup: async () => {
        for (const r of opened) await r.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });

  let dir: string | undefined;
  const toClose: InviteRegistry[] = [];
  afterEach(async () => {
    for (const r of toClose.splice(0)) await r.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** Two processes' registries on one file, each with its own cache and the same clock. */
  async function twoProcesses() {
    dir = await mkdtemp(path.join(tmpdir(), 'wsl-invites-'));
    const file = path.join(dir, 'invites.sqlite');
    let clock = 10_000;
    const backendA = counted(SqliteInviteRegistry.open(file));
    const a = new CachedRevocations(backendA.registry, { maxStaleMs: STALE_MS, now: () => clock });
    const b = new CachedRevocations(SqliteInviteRegistry.open(file), { maxStaleMs: STALE_MS, now: () => clock });
    toClose.push(a, b);
    return { a, b, readsOfA: backendA.reads, advance: (ms: number) => (clock += ms) };
  }

  test('isRevoked() reads the backend once per invite per maxStaleMs, however many joins ask', async () => {
    const { a, readsOfA, advance } = await twoProcesses();
    await a.add(invite('inv-public'));
    const answers = await Promise.all(Array.from({ length: 50 }, () => a.isRevoked('inv-public')));
    expect(answers.every((revoked) => !revoked)).toBe(true);
    expect(readsOfA()).toBe(1);
    advance(STALE_MS - 1);
    expect(await a.isRevoked('inv-public')).toBe(false);
    expect(readsOfA()).toBe(1);
    advance(1);
    expect(await a.isRevoked('inv-public')).toBe(false);
    expect(readsOfA()).toBe(2);
  });

  test('an invite revoked through this process is refused by it at once, though "not revoked" was just cached', async () => {
    const { a, readsOfA } = await twoProcesses();
    await a.add(invite('inv-public'));
    expect(await a.isRevoked('inv-public')).toBe(false);
    expect((await a.revoke('room-a', 'inv-public', 12_000))?.revokedAt).toBe(12_000);
    expect(await a.isRevoked('inv-public')).toBe(true);
    expect(readsOfA()).toBe(1);
  });

  test('an invite revoked by another process is refused here within maxStaleMs of this process\'s last read', async () => {
    const { a, b, advance } = await twoProcesses();
    await a.add(invite('inv-public'));
    expect(await a.isRevoked('inv-public')).toBe(false);
    await b.revoke('room-a', 'inv-public', 10_500);
    expect(await b.isRevoked('inv-public')).toBe(true);
    advance(STALE_MS);
    expect(await a.isRevoked('inv-public')).toBe(true);
  });

  test('a revocation read from the backend is kept: later joins are refused without a read', async () => {
    const { a, b, readsOfA, advance } = await twoProcesses();
    await a.add(invite('inv-public'));
    await b.revoke('room-a', 'inv-public', 10_500);
    expect(await a.isRevoked('inv-public')).toBe(true);
    advance(10 * STALE_MS);
    expect(await a.isRevoked('inv-public')).toBe(true);
    expect(readsOfA()).toBe(1);
  });

  test('a failed read is not remembered: the next join asks again', async () => {
    const { a } = await twoProcesses();
    let fail = true;
    const flaky: InviteRegistry = Object.assign(Object.create(a) as InviteRegistry, {
      isRevoked: async (inviteId: string) => {
        if (fail) throw new Error('redis away');
        return a.isRevoked(inviteId);
      },
    });
    const cached = new CachedRevocations(flaky, { maxStaleMs: STALE_MS, now: () => 0 });
    await expect(cached.isRevoked('inv-public')).rejects.toThrow('redis away');
    fail = false;
    expect(await cached.isRevoked('inv-public')).toBe(false);
  });
});
