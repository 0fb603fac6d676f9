/**
 * A process of a cluster (REDIS_URL, here with a password): every one of its log lines, from the
 * first of its start on, says which process wrote it, and none shows the Redis password.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../server/app.js';
import { createLogger } from '../server/log.js';
import { startRedis, type TestRedis } from './helpers/redisServer.js';
import { createRoom } from './helpers/rooms.js';
import { startTestServer } from './helpers/server.js';

const PASSWORD = 'redis-password-of-the-log-test-4c8e1';
const lines: string[] = [];
let redis: TestRedis;
let server: RunningServer;
let roomId: string;

beforeAll(async () => {
  redis = await startRedis();
  const admin = createClient({ url: redis.url });
  await admin.connect();
  await admin.configSet('requirepass', PASSWORD);
  admin.destroy();
  const logger = createLogger('debug', { destination: { write: (line: string) => lines.push(line) } });
  const env = {
    LOG_LEVEL: 'debug',
    REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redis.port}`,
    ADMIN_SECRET: 'admin-secret-of-the-log-test-0123456789',
    INVITE_SECRET: 'invite-secret-of-the-log-test-0123456789',
    BALLOT_SECRET: 'ballot-secret-of-the-log-test-0123456789',
  };
  server = await startTestServer(env, logger);
  ({ roomId } = await createRoom(server));
}, 30_000);

afterAll(async () => {
  await server?.close();
  await redis?.destroy();
});

describe('log lines of a process in a cluster', () => {
  test('every line carries the process id, from the start on, and its pid', () => {
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.find((l) => l.msg === 'room created')).toMatchObject({ roomId });
    // Written before the process connected to Redis: its id was made before anything else.
    const first = parsed.findIndex((l) => l.msg === 'mediasoup workers started');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(parsed.findIndex((l) => String(l.msg).startsWith('rooms in redis')));
    for (const line of parsed) expect(line, JSON.stringify(line)).toMatchObject({ processId: server.cluster.processId, pid: process.pid });
  });

  test('no line shows the Redis password', () => {
    expect(lines.join('')).not.toContain(PASSWORD);
  });
});
