/**
 * The server as its own operating-system process (`tsx server/main.ts`), for tests that kill
 * it the hard way and start it again on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';

/** A server process and how to reach it. */
export type ServerProcess = { url: string; port: number; adminSecret: string; child: ChildProcess; stop(signal?: NodeJS.Signals): Promise<void> };

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts `server/main.ts` in a child process and waits until /healthz answers. */
export async function startServerProcess(options: { dataDir: string; port?: number; adminSecret?: string; env?: Record<string, string> }): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const adminSecret = options.adminSecret ?? randomBytes(16).toString('hex');
  // node itself (not the tsx wrapper, which forks), so a signal reaches the server process.
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/main.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      RTC_LISTEN_IP: '127.0.0.1',
      MEDIA_WORKERS: '1',
      LOG_LEVEL: 'warn',
      DATA_DIR: options.dataDir,
      ADMIN_SECRET: adminSecret,
      ...options.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server process exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('server process did not become healthy in 30 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return { url, port, adminSecret, child, stop };
}
