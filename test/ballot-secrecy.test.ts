/**
 * Secret ballots on disk, read the way an attacker holding the data would read it: the raw
 * SQLite file and its WAL, and Redis's append-only files. Twenty members vote in a known order,
 * each for a different option (so every ballot is recognisable), in a secret poll.
 *
 * - While the poll is open, no ballot is readable in those files (they are sealed).
 * - Once it closed, the ballots are there in the clear, every one; pairing the k-th ballot in
 *   the file with the k-th voter of the log (or the k-th from the end) must not link them: a
 *   random order matches a handful at most (8 or more of 20 happens with probability < 10⁻⁵).
 *   No sealed ballot is left, and the SQLite WAL is empty.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { afterEach, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { createRoom, invite } from './helpers/rooms.js';
import { startRedis, type TestRedis } from './helpers/redisServer.js';
import { startTestServer } from './helpers/server.js';
import { TestPeer } from './helpers/TestPeer.js';

const VOTERS = 20;

const peers: TestPeer[] = [];
let server: RunningServer | undefined;
let redis: TestRedis | undefined;
afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await server?.close();
  server = undefined;
  await redis?.destroy();
  redis = undefined;
});

/**
 * A secret poll with one option per voter; voter i (in this order) chooses option i. Answers the
 * room and a function that closes the poll.
 */
async function secretPollOf20(s: RunningServer): Promise<{ roomId: string; close: () => Promise<void> }> {
  const { roomId, hostInvite } = await createRoom(s, { open: true });
  const host = await TestPeer.connect(s.url);
  peers.push(host);
  await host.join(hostInvite, '主持人');
  const voters: TestPeer[] = [];
  for (let i = 0; i < VOTERS; i++) {
    const v = await TestPeer.connect(s.url);
    peers.push(v);
    await v.join(await invite(s, roomId, 'member', 'city'), `委员${i}`);
    voters.push(v);
  }
  const options = Array.from({ length: VOTERS }, (_, i) => `方案${i}`);
  await host.command('poll:create', { question: '选择方案', kind: 'single', options, secret: true, allowChange: false });
  await host.command('poll:open', { pollId: 'poll-1' });
  for (const [i, v] of voters.entries()) {
    await v.waitForRoom((r) => r.polls['poll-1']?.status === 'open');
    await v.command('poll:vote', { pollId: 'poll-1', choices: [i] });
  }
  // The log has the voting order: who voted when.
  const state = await s.rooms.state(roomId);
  expect(state?.polls['poll-1']?.voted).toEqual(voters.map((v) => v.joined?.participantId));
  return {
    roomId,
    close: async () => {
      await host.command('poll:close', { pollId: 'poll-1' });
      await host.waitForRoom((r) => r.polls['poll-1']?.status === 'closed');
      expect(host.room.polls['poll-1']?.result?.counts).toEqual(Array.from({ length: VOTERS }, () => 1));
    },
  };
}

/** The choices of the ballots readable in `bytes`, in the order they sit there. */
function readableBallots(bytes: Buffer): number[] {
  // An open entry, stored as it is (SQLite) or inside a JSON member (Redis: quotes escaped).
  return [...bytes.toString('latin1').matchAll(/open:\{\\?"choices\\?":\[(\d+)\]/g)].map((m) => Number(m[1]));
}

/** How many ballots the attacker links right by pairing file order with voting order, forwards or backwards. */
function linkedByOrder(order: number[]): { forwards: number; backwards: number } {
  return {
    forwards: order.filter((choice, k) => choice === k).length,
    backwards: order.filter((choice, k) => choice === order.length - 1 - k).length,
  };
}

async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('secret ballots on disk', () => {
  test('SQLite: nothing readable while open; after the close, every ballot and no order, the WAL empty', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wsl-ballots-'));
    server = await startTestServer({ DATA_DIR: dataDir });
    const file = path.join(dataDir, 'rooms.sqlite');
    const raw = () => Buffer.concat([readFileSync(file), readFileSync(`${file}-wal`)]);
    const { close } = await secretPollOf20(server);

    expect(readableBallots(raw())).toEqual([]);
    expect(raw().includes('sealed:')).toBe(true);

    await close();
    // The store compacts right after the close: the WAL is copied in and emptied.
    await until(() => statSync(`${file}-wal`).size === 0, 'the WAL to be emptied');
    const order = readableBallots(readFileSync(file));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: VOTERS }, (_, i) => i));
    const linked = linkedByOrder(order);
    expect(linked.forwards, `file order ${order.join(',')}`).toBeLessThanOrEqual(7);
    expect(linked.backwards, `file order ${order.join(',')}`).toBeLessThanOrEqual(7);
    expect(readFileSync(file).includes('sealed:')).toBe(false);
  }, 120_000);

  test('Redis: nothing readable in the append-only file while open; after the close it is rewritten, every ballot and no order', async () => {
    redis = await startRedis({ persistence: true });
    server = await startTestServer({
      REDIS_URL: redis.url,
      ADMIN_SECRET: randomBytes(16).toString('hex'),
      INVITE_SECRET: randomBytes(32).toString('hex'),
      BALLOT_SECRET: randomBytes(32).toString('hex'),
    });
    const aofDir = path.join(redis.dir, 'appendonlydir');
    const aof = () => Buffer.concat(readdirSync(aofDir).map((name) => readFileSync(path.join(aofDir, name))));
    const admin = createClient({ url: redis.url, RESP: 2 });
    await admin.connect();
    try {
      const { close } = await secretPollOf20(server);
      const rewritesBefore = Number(/aof_rewrites:(\d+)/.exec(await admin.info('persistence'))?.[1] ?? 'NaN');
      // What Redis has written so far is on disk (everysec), and none of it is readable.
      await admin.sendCommand(['BGREWRITEAOF']).catch(() => undefined);
      await until(async () => /aof_rewrite_in_progress:0/.test(await admin.info('persistence')), 'a first rewrite');
      expect(readableBallots(aof())).toEqual([]);

      await close();
      await until(async () => {
        const info = await admin.info('persistence');
        const rewrites = Number(/aof_rewrites:(\d+)/.exec(info)?.[1] ?? 'NaN');
        return rewrites >= rewritesBefore + 2 && /aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info);
      }, 'the rewrite after the close');
      const order = readableBallots(aof());
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: VOTERS }, (_, i) => i));
      const linked = linkedByOrder(order);
      expect(linked.forwards, `file order ${order.join(',')}`).toBeLessThanOrEqual(7);
      expect(linked.backwards, `file order ${order.join(',')}`).toBeLessThanOrEqual(7);
      expect(aof().includes('sealed:')).toBe(false);
    } finally {
      await admin.close();
    }
  }, 120_000);
});
