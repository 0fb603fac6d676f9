import { randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { AppError } from '../../signaling/errors.js';
import type { NewRoomEvent, RoomEvent } from '../../signaling/room/events.js';
import { freePort } from '../../test/helpers/processServer.js';
import { startRedis, type TestRedis } from '../../test/helpers/redisServer.js';
import { createLogger, type Logger } from '../log.js';
import { chain, describeEventStoreContract } from './EventStore.contract.js';
import type { EventStore } from './EventStore.js';
import { RedisEventStore } from './RedisEventStore.js';

// One redis-server for the file; every store gets a key prefix of its own.
let shared: TestRedis;
let admin: RedisClientType;
beforeAll(async () => {
  shared = await startRedis();
  admin = createClient({ url: shared.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.close();
  await shared?.destroy();
});

const silent = createLogger('silent');
const newPrefix = (): string => `t-${randomUUID()}:`;

async function deleteKeys(prefix: string): Promise<void> {
  for await (const keys of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await admin.del(keys);
  }
}

describeEventStoreContract('RedisEventStore', async () => {
  const keyPrefix = newPrefix();
  const open = (): Promise<RedisEventStore> => RedisEventStore.connect(shared.url, { keyPrefix, logger: silent });
  const opened: EventStore[] = [await open()];
  const [store] = opened;
  if (!store) throw new Error('no store');
  return {
    store,
    reopen: async () => {
      const again = await open();
      opened.push(again);
      return again;
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
      await deleteKeys(keyPrefix);
    },
  };
}, { persistent: true });

const hand = (i: number): NewRoomEvent => ({
  type: 'queue.handRaised',
  data: { participantId: `m${i % 7}`, type: 'question', note: `第${i}个问题` },
});

/** Retries `attempt` until it succeeds (the store reconnecting); rethrows the last failure. */
async function eventually<T>(attempt: () => Promise<T>, withinMs = 10_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The error `call` rejects with, and how long it took. */
async function failure(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await call();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the call to reject');
}

function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
    child: () => logger,
  };
  return { logger, lines };
}

describe('RedisEventStore', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function open(url = shared.url, options: { keyPrefix?: string; logger?: Logger; commandTimeoutMs?: number } = {}): Promise<RedisEventStore> {
    const store = await RedisEventStore.connect(url, { keyPrefix: newPrefix(), logger: silent, ...options });
    cleanups.push(() => store.close());
    return store;
  }
  async function ownRedis(persistence: boolean): Promise<TestRedis> {
    const redis = await startRedis({ persistence });
    cleanups.push(() => redis.destroy());
    return redis;
  }

  test('two stores on two connections appending with the same expectedSeq: exactly one wins every round', async () => {
    const keyPrefix = newPrefix();
    const a = await open(shared.url, { keyPrefix });
    const b = await open(shared.url, { keyPrefix });
    let log: RoomEvent[] = [];
    for (let round = 0; round < 50; round++) {
      const fromA = chain(log, [hand(round)], 'a');
      const fromB = chain(log, [hand(round), hand(round + 1)], 'b');
      const [ra, rb] = await Promise.all([
        a.append('r1', log.length, fromA, { commandId: `c${round}`, actor: 'a' }),
        b.append('r1', log.length, fromB, { commandId: `c${round}`, actor: 'b' }),
      ]);
      expect([ra, rb].filter((r) => r.ok)).toHaveLength(1);
      const won = ra.ok ? fromA : fromB;
      expect(ra.ok ? rb : ra).toEqual({ ok: false, reason: 'conflict', actualSeq: log.length + won.length });
      expect(await a.commandResult('r1', ra.ok ? 'b' : 'a', `c${round}`)).toBeUndefined();
      log = [...log, ...won];
    }
    expect(await a.read('r1')).toEqual(log);
    expect(await b.read('r1')).toEqual(log);
  });

  test('Redis restarted with its append-only file: nothing is lost and appends continue', { timeout: 30_000 }, async () => {
    const redis = await ownRedis(true);
    const store = await open(redis.url);
    let log: RoomEvent[] = [];
    for (let i = 0; i < 10; i++) {
      const events = chain(log, [hand(i)], 'm1');
      expect(await store.append('r1', log.length, events, { commandId: `c${i}`, actor: 'm1' })).toEqual({ ok: true });
      log = [...log, ...events];
    }
    const vote = chain(log, [{ type: 'poll.voted', data: { pollId: 'p1', voterId: 'm1' } }], 'm1');
    await store.append('r1', log.length, vote, { ballot: { pollId: 'p1', entry: 'sealed:同意' } });
    log = [...log, ...vote];
    await store.saveSnapshot('r1', { seq: 10, state: '{"seq":10}' });

    await redis.restart();
    // The first call after the restart also finds Redis's script cache empty (NOSCRIPT → EVAL).
    const next = chain(log, [hand(99)]);
    expect(await eventually(() => store.append('r1', log.length, next))).toEqual({ ok: true });
    log = [...log, ...next];
    expect(await store.read('r1')).toEqual(log);
    expect(await store.commandResult('r1', 'm1', 'c9')).toEqual([10]);
    expect(await store.ballots('r1', 'p1')).toEqual(['sealed:同意']);
    expect(await store.loadSnapshot('r1')).toEqual({ seq: 10, state: '{"seq":10}' });
    expect(await store.rooms()).toEqual(['r1']);
  });

  test('while Redis is down every call rejects with UNAVAILABLE within 2 s, and the same store works once it is back', { timeout: 30_000 }, async () => {
    const unhandled = vi.spyOn(console, 'error');
    const redis = await ownRedis(true);
    const { logger, lines } = recordingLogger();
    const store = await open(redis.url, { logger });
    const log = chain([], [hand(1)]);
    await store.append('r1', 0, log);

    await redis.stop();
    const calls: (() => Promise<unknown>)[] = [
      () => store.append('r1', 1, chain(log, [hand(2)]), { commandId: 'c', actor: 'm1' }),
      () => store.read('r1'),
      () => store.lastSeq('r1'),
      () => store.commandResult('r1', 'm1', 'c'),
      () => store.ballots('r1', 'p1'),
      () => store.saveSnapshot('r1', { seq: 1, state: '{}' }),
      () => store.loadSnapshot('r1'),
      () => store.rooms(),
    ];
    for (const call of calls) {
      const { error, ms } = await failure(call);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
      expect(ms).toBeLessThan(2500);
    }
    expect(lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);

    await redis.restart();
    expect(await eventually(() => store.lastSeq('r1'))).toBe(1);
    // The append that failed was not written; its retry goes through.
    expect(await store.append('r1', 1, chain(log, [hand(2)]), { commandId: 'c', actor: 'm1' })).toEqual({ ok: true });
    expect(lines.at(-1)).toBe('info redis reachable again');
    expect(unhandled).not.toHaveBeenCalled();
    unhandled.mockRestore();
  });

  test('a Redis that hangs: calls reject with UNAVAILABLE after the command timeout (2 s), then recover', { timeout: 30_000 }, async () => {
    const redis = await ownRedis(false);
    const store = await open(redis.url);
    await store.append('r1', 0, chain([], [hand(1)]));
    redis.pause();
    const [read, append] = await Promise.all([failure(() => store.read('r1')), failure(() => store.append('r1', 1, chain([], [hand(1), hand(2)]).slice(1)))]);
    redis.resume();
    for (const { error, ms } of [read, append]) {
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
      expect(ms).toBeGreaterThanOrEqual(1900);
      expect(ms).toBeLessThan(4000);
    }
    // NOTE: the timed-out append still ran once Redis woke up: the caller was told UNAVAILABLE,
    // not "not written". Its retry (same expectedSeq) answers conflict and nothing is doubled.
    expect(await eventually(() => store.lastSeq('r1'))).toBe(2);
  });

  test('connect() rejects with UNAVAILABLE when nothing listens', async () => {
    const port = await freePort();
    const { error, ms } = await failure(() => RedisEventStore.connect(`redis://127.0.0.1:${port}`, { logger: silent }));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(ms).toBeLessThan(2500);
  });

  test('1,000 single-event appends in a row all succeed', { timeout: 30_000 }, async () => {
    const store = await open();
    const log: RoomEvent[] = [];
    for (let i = 0; i < 1000; i++) {
      const events = chain(log, [hand(i)]);
      expect(await store.append('r1', log.length, events)).toEqual({ ok: true });
      log.push(...events);
    }
    expect(await store.lastSeq('r1')).toBe(1000);
    expect(await store.read('r1')).toEqual(log);
    expect(await store.read('r1', 990, 5)).toEqual(log.slice(990, 995));
  });

  test('read(), ballots() and loadSnapshot() reject with a clear error on a corrupt value', async () => {
    const keyPrefix = newPrefix();
    const store = await open(shared.url, { keyPrefix });
    await store.append('r1', 0, chain([], [hand(1)]));
    await admin.xAdd(`${keyPrefix}room:r1:events`, '2-0', { at: '1', actor: 'host', type: 'floor.paused', data: '[1,2]', hash: 'h' });
    await expect(store.read('r1')).rejects.toThrow(/room r1, seq 2.*data is not an object/);
    expect(await store.read('r1', 0, 1)).toHaveLength(1);

    // A member from before box entries ([id, choices, reason]) is the open ballot it was.
    await admin.zAdd(`${keyPrefix}room:r1:ballots:p0`, { score: 1, value: '["id",[1],"理由"]' });
    expect(await store.ballots('r1', 'p0')).toEqual(['open:{"choices":[1],"reason":"理由"}']);
    await admin.zAdd(`${keyPrefix}room:r1:ballots:p1`, { score: 1, value: '["id",["x"],null]' });
    await expect(store.ballots('r1', 'p1')).rejects.toThrow(/poll p1 ballot.*choices/);
    await admin.hSet(`${keyPrefix}room:r1:snapshot`, { seq: 'seven', state: '{}' });
    await expect(store.loadSnapshot('r1')).rejects.toThrow(/room r1 snapshot.*seq/);
  });

  test('a reply error that is not about availability stays an unexpected error, not UNAVAILABLE', async () => {
    const keyPrefix = newPrefix();
    const store = await open(shared.url, { keyPrefix });
    await admin.set(`${keyPrefix}room:r1:events`, 'not a stream');
    const { error } = await failure(() => store.append('r1', 0, chain([], [hand(1)])));
    expect(error).not.toBeInstanceOf(AppError);
    expect(error).toMatchObject({ message: expect.stringMatching(/append failed.*WRONGTYPE/) });
  });

  test('room and poll ids holding ":" or "%" cannot reach the keys of another room', async () => {
    const store = await open();
    // Unescaped, the events of the first room and the ballot box of the second would be one key.
    const first = chain([], [hand(1)]);
    const second = chain([], [hand(2)]);
    expect(await store.append('x:ballots:p1', 0, first)).toEqual({ ok: true });
    expect(await store.append('x', 0, second, { ballot: { pollId: 'p1:events', entry: 'sealed:0' } })).toEqual({ ok: true });
    expect(await store.append('x%3Aballots%3Ap1', 0, second)).toEqual({ ok: true });
    expect(await store.read('x:ballots:p1')).toEqual(first);
    expect(await store.ballots('x', 'p1:events')).toEqual(['sealed:0']);
    expect(await store.read('x%3Aballots%3Ap1')).toEqual(second);
  });

  test('calls on a closed store reject with TypeError', async () => {
    const store = await open();
    await store.close();
    await expect(store.append('r1', 0, chain([], [hand(1)]))).rejects.toThrow(TypeError);
    await expect(store.read('r1')).rejects.toThrow(TypeError);
    await expect(store.rooms()).rejects.toThrow(TypeError);
  });
});
