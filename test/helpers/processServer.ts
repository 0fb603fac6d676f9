/**
 * The server as its own operating-system process (`node --import tsx server/main.ts`), for
 * tests that kill it the hard way and start it again on the same data. Its environment is
 * serverEnv.ts's, nothing inherited beyond what node needs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { freePort, serverProcessEnv, waitHealthy } from './serverEnv.js';

export { freePort } from './serverEnv.js';

/** A server process and how to reach it. */
export type ServerProcess = { url: string; port: number; adminSecret: string; child: ChildProcess; stop(signal?: NodeJS.Signals): Promise<void> };

/** Starts `server/main.ts` in a child process and waits until /healthz answers. */
export async function startServerProcess(options: { dataDir: string; port?: number; adminSecret?: string; env?: Record<string, string> }): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const adminSecret = options.adminSecret ?? randomBytes(16).toString('hex');
  // node itself (not the tsx wrapper, which forks), so a signal reaches the server process.
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/main.ts')], {
    env: serverProcessEnv({ dataDir: options.dataDir, port, adminSecret, logLevel: 'warn', ...(options.env ? { env: options.env } : {}) }),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const stop = (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return { url, port, adminSecret, child, stop };
}
