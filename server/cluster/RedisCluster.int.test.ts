/**
 * RedisCluster against a real redis-server: presence and its takeover rules, noticing a gone
 * process, messages between processes, and announcements of appends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startRedis, type TestRedis } from '../../test/helpers/redisServer.js';
import { createLogger } from '../log.js';
import { appendedChannel } from '../store/redisKeys.js';
import { RedisCluster, type RedisClusterOptions } from './RedisCluster.js';

let redis: TestRedis;
const open: RedisCluster[] = [];
const logger = createLogger('silent');
let prefixCount = 0;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.destroy();
});

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function node(prefix: string, heartbeatMs = 100, more: Partial<RedisClusterOptions> = {}): Promise<RedisCluster> {
  const cluster = await RedisCluster.connect({
    url: redis.url,
    keyPrefix: prefix,
    logger,
    publicUrl: () => `http://node-${open.length}`,
    load: () => ({ sockets: 3, mediaRooms: 1 }),
    heartbeatMs,
    ...more,
  });
  open.push(cluster);
  return cluster;
}

const freshPrefix = (): string => `t${++prefixCount}:`;

const children: ChildProcess[] = [];

/**
 * A RedisCluster in a process of its own (test/fixtures/clusterMember.ts), holding participant
 * p1 of room r1, with a heartbeat so slow (60 s) that its expiry decides nothing here.
 */
async function member(prefix: string): Promise<{ processId: string; child: ChildProcess; next(): Promise<string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/fixtures/clusterMember.ts'), redis.url, prefix], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error('the member process ended');
    return line.value;
  };
  const ready = await next();
  const processId = /^ready (\S+)$/.exec(ready)?.[1];
  if (!processId) throw new Error(`unexpected line from the member process: ${ready}`);
  return { processId, child, next };
}

/** Kills the child the hard way and waits until it is gone. */
function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** A connection of the test's own, to write and publish behind the clusters' backs. */
async function rawClient(): Promise<RedisClientType> {
  const raw: RedisClientType = createClient({ url: redis.url });
  await raw.connect();
  return raw;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('RedisCluster', () => {
  test('presence: the holder is self, other or nobody; only the holder releases; a live holder cannot be adopted from', async () => {
    const prefix = freshPrefix();
    const [a, b] = [await node(prefix), await node(prefix)];
    expect(await a.holder('r1', 'p1')).toBe('nobody');
    await a.claim('r1', 'p1');
    expect(await a.holder('r1', 'p1')).toBe('self');
    expect(await b.holder('r1', 'p1')).toBe('other');
    expect(await b.adopt('r1', 'p1')).toBe(false);
    await b.release('r1', 'p1'); // not b's: nothing happens
    expect(await a.holder('r1', 'p1')).toBe('self');
    await b.claim('r1', 'p1'); // the participant came back on b
    expect(await a.holder('r1', 'p1')).toBe('other');
    await a.release('r1', 'p1'); // a's late release must not remove b's claim
    expect(await b.holder('r1', 'p1')).toBe('self');
    await b.release('r1', 'p1');
    expect(await a.holder('r1', 'p1')).toBe('nobody');
  });

  test('a process that stops announcing itself is noticed by every survivor, and its participants can be adopted', async () => {
    const prefix = freshPrefix();
    const [a, b, c] = [await node(prefix), await node(prefix), await node(prefix)];
    await c.claim('r1', 'p1');
    const gone: { a: string[]; b: string[] } = { a: [], b: [] };
    a.on('processGone', (id) => gone.a.push(id));
    b.on('processGone', (id) => gone.b.push(id));
    await until(() => a.health().mode === 'redis' && (a.health() as { processes: unknown[] }).processes.length === 3);
    // Killed: no goodbye. Simulated by stopping its heartbeat without withdrawing (close() withdraws).
    const cId = c.processId;
    open.splice(open.indexOf(c), 1);
    const raw = await rawClient();
    await c.close();
    // close() withdrew the announcement; put it back without a heartbeat, as a SIGKILL leaves it.
    const announcement = JSON.stringify({ id: cId, url: 'x', startedAt: 0, load: { sockets: 0, mediaRooms: 0 } });
    await raw.set(`${prefix}proc:${cId}`, announcement, { expiration: { type: 'PX', value: 300 } });
    await raw.sAdd(`${prefix}procs`, cId);
    await until(() => gone.a.includes(cId) && gone.b.includes(cId), 5000);
    expect(await a.holder('r1', 'p1')).toBe('nobody');
    const adopted = await Promise.all([a.adopt('r1', 'p1'), b.adopt('r1', 'p1')]);
    // Both may adopt a participant nobody holds (the later one wins); neither takes one a live process holds.
    expect(adopted.some(Boolean)).toBe(true);
    expect(['self', 'other']).toContain(await a.holder('r1', 'p1'));
    const health = a.health();
    expect(health).toMatchObject({ mode: 'redis', redis: 'ready' });
    if (health.mode === 'redis') expect(health.processes.map((p) => p.id).sort()).toEqual([a.processId, b.processId].sort());
    raw.destroy();
  });

  test('a killed process is declared gone as soon as its connection to Redis closes, long before its announcement expires; its participants can be adopted', async () => {
    const prefix = freshPrefix();
    const killed = await member(prefix);
    // a's own heartbeat is as slow: it sees the member alive once, when it starts, and only its
    // watch of the connections can tell it the member died (the member's announcement would
    // expire after 3 minutes).
    const a = await node(prefix, 60_000);
    const gone: string[] = [];
    a.on('processGone', (id) => gone.push(id));
    expect(await a.holder('r1', 'p1')).toBe('other');
    expect(await a.adopt('r1', 'p1')).toBe(false);
    await kill(killed.child);
    await until(() => gone.includes(killed.processId), 10_000);
    expect(gone).toEqual([killed.processId]);
    // Its announcement is withdrawn for it: nobody holds its participant, who can be adopted.
    expect(await a.holder('r1', 'p1')).toBe('nobody');
    expect(await a.adopt('r1', 'p1')).toBe(true);
    const health = a.health();
    if (health.mode === 'redis') expect(health.processes.map((p) => p.id)).toEqual([a.processId]);
  });

  test('a busy process (its event loop stalled ten times the confirmation time) is not declared gone; killed afterwards, it is', async () => {
    const prefix = freshPrefix();
    const busy = await member(prefix);
    const a = await node(prefix, 60_000, { watchMs: 50, confirmMs: 300 });
    const gone: string[] = [];
    a.on('processGone', (id) => gone.push(id));
    busy.child.stdin?.write('stall 3000\n');
    expect(await busy.next()).toBe('stalled');
    expect(gone).toEqual([]);
    expect(await a.holder('r1', 'p1')).toBe('other');
    expect(await a.adopt('r1', 'p1')).toBe(false);
    // The same watch notices it once it is really gone.
    await kill(busy.child);
    await until(() => gone.includes(busy.processId), 10_000);
    expect(await a.holder('r1', 'p1')).toBe('nobody');
  });

  test('Redis restarted: every process loses its connections at once and comes back; none is declared gone, and one killed afterwards is', async () => {
    const prefix = freshPrefix();
    const [stays, killed] = await Promise.all([member(prefix), member(prefix)]);
    const b = await node(prefix, 60_000, { watchMs: 50, confirmMs: 300 });
    const a = await node(prefix, 60_000, { watchMs: 50, confirmMs: 300 });
    const gone: string[] = [];
    a.on('processGone', (id) => gone.push(id));
    await redis.restart();
    await until(() => a.health().mode === 'redis' && (a.health() as { redis: string }).redis === 'ready', 10_000);
    // Once a judges again it finds the killed member gone; the others came back in time and are not.
    await kill(killed.child);
    await until(() => gone.includes(killed.processId), 10_000);
    expect(gone).toEqual([killed.processId]);
    expect(gone).not.toContain(stays.processId);
    expect(gone).not.toContain(b.processId);
  });

  test('messages reach the one process they are sent to, by topic; an unreadable message is dropped', async () => {
    const prefix = freshPrefix();
    const [a, b, c] = [await node(prefix), await node(prefix), await node(prefix)];
    const atB: Array<[string, unknown]> = [];
    const atC: unknown[] = [];
    b.onMessage('pipe', (from, message) => atB.push([from, message]));
    c.onMessage('pipe', (_from, message) => atC.push(message));
    const raw = await rawClient();
    await raw.publish(`${prefix}bus:${b.processId}`, 'not json {');
    await raw.publish(`${prefix}bus:${b.processId}`, JSON.stringify({ topic: 'pipe' }));
    for (let i = 0; i < 5; i++) a.send(b.processId, 'pipe', { n: i });
    a.send(b.processId, 'other-topic', { n: 99 });
    await until(() => atB.length === 5);
    expect(atB).toEqual([0, 1, 2, 3, 4].map((n) => [a.processId, { n }]));
    expect(atC).toEqual([]);
    raw.destroy();
  });

  test('appends announced on a room’s channel reach its followers with the seq; after a lost connection they are told to read', async () => {
    const prefix = freshPrefix();
    const a = await node(prefix);
    const heard: Array<number | undefined> = [];
    const stop = a.follower.follow('room:1', (seq) => heard.push(seq));
    const raw = await rawClient();
    const channel = appendedChannel(prefix, 'room:1');
    await until(async () => (await raw.pubSubNumSub(channel))[channel] === 1);
    await raw.publish(appendedChannel(prefix, 'room:1'), '7');
    await raw.publish(appendedChannel(prefix, 'room:1'), 'garbage');
    await until(() => heard.length === 2);
    expect(heard).toEqual([7, undefined]);
    await raw.clientKill({ filter: 'TYPE', type: 'pubsub' });
    await until(() => heard.length === 3);
    expect(heard[2]).toBeUndefined();
    stop();
    raw.destroy();
  });
});
