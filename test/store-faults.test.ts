/**
 * The room store under faults: SQLite on a disk that fills up (a real tmpfs, mounted by the
 * test), SQLite on an ext4 file system the kernel turns read-only (a real loop device), and
 * Redis killed with SIGKILL. Each time the clients get UNAVAILABLE (which they retry with the
 * same command id), /healthz says so, the process goes on, and nothing already acknowledged
 * is lost. The server recovers by itself when space comes back or Redis restarts; a file
 * system the kernel made read-only stays so until it is checked and mounted again, which
 * needs the server stopped (see the README).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statfsSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import type { RoomEvent } from '../signaling/room/events.js';
import { RedisEventStore } from '../server/store/RedisEventStore.js';
import { chain } from '../server/store/EventStore.contract.js';
import { createRoom } from './helpers/rooms.js';
import { startRedis } from './helpers/redisServer.js';
import { startTestServer } from './helpers/server.js';
import { RequestError, TestPeer } from './helpers/TestPeer.js';

const peers: TestPeer[] = [];
afterEach(() => {
  for (const p of peers.splice(0)) p.close();
});

/** A command of the chair that appends one small event each time (the list opened, closed…). */
async function toggle(host: TestPeer, open: boolean, commandId?: string): Promise<number> {
  return host.command('queue:setOpen', { open }, commandId);
}

describe('SQLite on a disk that fills up', () => {
  let mount: string;
  let server: RunningServer | undefined;

  beforeAll(() => {
    mount = mkdtempSync(path.join(tmpdir(), 'wsl-tinyfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount]);
  });
  afterAll(async () => {
    await server?.close();
    execFileSync('umount', [mount]);
    rmSync(mount, { recursive: true, force: true });
  });

  test('full, then space again: UNAVAILABLE meanwhile, the retry applies once, nothing acknowledged is lost', async () => {
    const dataDir = path.join(mount, 'data');
    server = await startTestServer({ DATA_DIR: dataDir });
    const { roomId, hostInvite } = await createRoom(server);
    const host = await TestPeer.connect(server.url);
    peers.push(host);
    await host.join(hostInvite, '主持人');

    // Leave a few pages free, then keep the chair busy until the disk refuses.
    const { bavail, bsize } = statfsSync(mount);
    const filler = path.join(mount, 'filler');
    writeFileSync(filler, Buffer.alloc(Math.max(0, Number(bavail) * Number(bsize) - 48 * 1024)));
    let acknowledged = 0;
    let refusal: unknown;
    let open = false;
    let failedId = '';
    for (let i = 0; i < 500 && refusal === undefined; i++) {
      failedId = `toggle-${i}`;
      try {
        acknowledged = await toggle(host, open, failedId);
        open = !open;
      } catch (error) {
        refusal = error;
      }
    }
    expect(refusal).toBeInstanceOf(RequestError);
    expect(refusal).toMatchObject({ code: 'UNAVAILABLE' });
    const down = await fetch(`${server.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ store: 'unavailable' });

    // Space again: the client retries the refused command with the same id. Whether or not the
    // refused attempt reached the file, the command is in the log exactly once.
    unlinkSync(filler);
    const retried = await toggle(host, open, failedId);
    expect(await toggle(host, open, failedId)).toBe(retried);
    expect(retried).toBe(acknowledged + 1);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    // A restarted server finds every acknowledged event (and the chain whole, or it would not load).
    const acknowledgedLog = (await server.store.read(roomId)).slice(0, retried);
    await server.close();
    server = await startTestServer({ DATA_DIR: dataDir });
    expect((await server.store.read(roomId)).slice(0, retried)).toEqual(acknowledgedLog);
    expect((await server.rooms.state(roomId))?.seq).toBeGreaterThanOrEqual(retried);
  });
});

describe('SQLite on a file system the kernel turns read-only', () => {
  let dir: string;
  let image: string;
  let mountPoint: string;
  let mounted = false;
  let server: RunningServer | undefined;

  function mountImage(): string {
    execFileSync('mount', ['-o', 'loop,errors=remount-ro', image, mountPoint]);
    mounted = true;
    return path.basename(execFileSync('findmnt', ['-n', '-o', 'SOURCE', mountPoint], { encoding: 'utf8' }).trim());
  }
  function unmountImage(): void {
    if (mounted) execFileSync('umount', [mountPoint]);
    mounted = false;
  }

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wsl-rofs-'));
    image = path.join(dir, 'disk.img');
    mountPoint = path.join(dir, 'mnt');
    writeFileSync(image, '');
    truncateSync(image, 64 * 1024 * 1024);
    execFileSync('mkfs.ext4', ['-q', '-F', image]);
    execFileSync('mkdir', [mountPoint]);
  });
  afterAll(async () => {
    await server?.close().catch(() => undefined);
    unmountImage();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an I/O error makes the disk read-only: UNAVAILABLE, the process goes on, and after a check every acknowledged event is there', async () => {
    const device = mountImage();
    const dataDir = path.join(mountPoint, 'data');
    server = await startTestServer({ DATA_DIR: dataDir });
    const { roomId, hostInvite } = await createRoom(server);
    const host = await TestPeer.connect(server.url);
    peers.push(host);
    await host.join(hostInvite, '主持人');
    let acknowledged = 0;
    // The list starts open: close, open, … and it ends open.
    for (let i = 0; i < 20; i++) acknowledged = await toggle(host, i % 2 === 1);
    const acknowledgedLog = (await server.store.read(roomId)).slice(0, acknowledged);

    // What the kernel does when ext4 meets an error under errors=remount-ro (the default of
    // many installations): the journal is aborted and every later write fails with EROFS.
    // Whatever was written but not yet synced to the disk is gone with it.
    writeFileSync(`/sys/fs/ext4/${device}/trigger_fs_error`, 'store-faults test');
    expect(readFileSync('/proc/mounts', 'utf8')).toMatch(new RegExp(`${mountPoint} ext4 \\S*emergency_ro`));
    await expect(toggle(host, false, 'after-error')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(toggle(host, false, 'after-error')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const down = await fetch(`${server.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ store: 'unavailable' });

    // The operator stops the server, checks the file system and mounts it again.
    await server.close().catch(() => undefined);
    server = undefined;
    unmountImage();
    const check = spawnSync('e2fsck', ['-f', '-y', image], { encoding: 'utf8' });
    expect(check.status === 0 || check.status === 1, `e2fsck: ${check.stdout}${check.stderr}`).toBe(true);
    mountImage();
    server = await startTestServer({ DATA_DIR: dataDir });
    expect((await server.store.read(roomId)).slice(0, acknowledged)).toEqual(acknowledgedLog);
    // The chair comes back (the same invite, a new connection) and retries the refused
    // command: it was never acknowledged, and now it is applied, once.
    const back = await TestPeer.connect(server.url);
    peers.push(back);
    await back.join(hostInvite, '主持人');
    const retried = await toggle(back, false, 'after-error');
    expect(await toggle(back, false, 'after-error')).toBe(retried);
    expect(retried).toBeGreaterThan(acknowledged);
  });
});

describe('Redis killed with SIGKILL', () => {
  test('calls fail with UNAVAILABLE within about 2 s; after the restart the same store goes on, with every event acknowledged a second before the kill', async () => {
    const redis = await startRedis({ persistence: true });
    const store = await RedisEventStore.connect(redis.url, { keyPrefix: 'faults:' });
    try {
      let log: RoomEvent[] = [];
      for (let i = 0; i < 20; i++) {
        const events = chain(log, [{ type: 'queue.openChanged', data: { open: i % 2 === 0 } }]);
        expect(await store.append('r1', log.length, events)).toEqual({ ok: true });
        log = [...log, ...events];
      }
      // appendfsync everysec: what was acknowledged more than a second ago is on disk.
      await new Promise((r) => setTimeout(r, 1500));
      await redis.kill();

      const next = chain(log, [{ type: 'queue.openChanged', data: { open: true } }]);
      const started = Date.now();
      await expect(store.append('r1', log.length, next)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(store.available()).toBe(false);

      await redis.restart();
      const deadline = Date.now() + 10_000;
      while (!store.available() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await store.read('r1')).toEqual(log);
      expect(await store.append('r1', log.length, next)).toEqual({ ok: true });
    } finally {
      await store.close();
      await redis.destroy();
    }
  });
});
