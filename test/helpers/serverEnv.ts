/**
 * The settings of every server a test or a benchmark starts, in its own thread or process,
 * made explicit in one place: loopback, one mediasoup worker, its own data directory, and
 * what the caller adds. A server process gets these and the few variables node, tsx and the
 * media worker need to run, never the rest of the shell's environment: a REDIS_URL, a secret
 * or a LIMIT_* set there would otherwise turn the embedded SQLite reference into a Redis one,
 * split a cluster's secrets, or change what a test checks.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** What a test or benchmark server runs with besides its defaults. */
export type ServerSettings = {
  dataDir: string;
  /** 0 (the default): any free port, for a server in this process. */
  port?: number;
  adminSecret?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Further settings (REDIS_URL, LIMIT_*, …), as the server's environment names them. */
  env?: Record<string, string>;
};

/** Inherited by a server process as they are: what node, tsx and the media worker need to run at all. */
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'MEDIASOUP_WORKER_BIN', 'WSL_CACHE_DIR', 'NODE_OPTIONS'] as const;

/** The server's environment variables for `settings` (what loadConfig reads). */
export function serverSettings(settings: ServerSettings): Record<string, string> {
  return {
    PORT: String(settings.port ?? 0),
    HOST: '127.0.0.1',
    RTC_LISTEN_IP: '127.0.0.1',
    MEDIA_WORKERS: '1',
    LOG_LEVEL: settings.logLevel ?? 'error',
    DATA_DIR: settings.dataDir,
    ...(settings.adminSecret === undefined ? {} : { ADMIN_SECRET: settings.adminSecret }),
    ...settings.env,
  };
}

/** The whole environment of a server process: `serverSettings` and the few variables passed through. */
export function serverProcessEnv(settings: ServerSettings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_THROUGH) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...serverSettings(settings) };
}

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

/** Waits until the server process answers /healthz; fails when it exits first or takes longer than `withinMs`. */
export async function waitHealthy(url: string, child: ChildProcess, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server process exited (${child.exitCode ?? child.signalCode})`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`server process not healthy within ${withinMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
