/**
 * Several server processes behind one throwaway Redis, as an operator runs them (README,
 * "Several processes with Redis"): the same secrets, their own ports and data directories.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServerProcess, type ServerProcess } from './processServer.js';
import { startRedis, type TestRedis } from './redisServer.js';

/** A Redis and the processes sharing it. */
export type TestCluster = {
  redis: TestRedis;
  servers: ServerProcess[];
  /** Starts one more process of the cluster. */
  add(env?: Record<string, string>): Promise<ServerProcess>;
  /** Kills every process (SIGKILL) and removes Redis. */
  destroy(): Promise<void>;
};

/** Starts Redis (with its append-only file) and `processes` server processes. */
export async function startCluster(processes: number, env: Record<string, string> = {}): Promise<TestCluster> {
  const redis = await startRedis({ persistence: true });
  const adminSecret = randomBytes(16).toString('hex');
  const shared = { REDIS_URL: redis.url, INVITE_SECRET: randomBytes(32).toString('hex'), BALLOT_SECRET: randomBytes(32).toString('hex'), ...env };
  const servers: ServerProcess[] = [];
  const add = async (more: Record<string, string> = {}): Promise<ServerProcess> => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wsl-cluster-'));
    const server = await startServerProcess({ dataDir, adminSecret, env: { ...shared, ...more } });
    servers.push(server);
    return server;
  };
  try {
    for (let i = 0; i < processes; i++) await add();
  } catch (error) {
    for (const s of servers) await s.stop('SIGKILL');
    await redis.destroy();
    throw error;
  }
  return {
    redis,
    servers,
    add,
    destroy: async () => {
      for (const s of servers) await s.stop('SIGKILL');
      await redis.destroy();
    },
  };
}

/** Polls `check` until it holds (or throws after `timeoutMs`, saying `what`; a function is asked only then, to describe the state at the failure). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
