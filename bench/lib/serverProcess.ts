/**
 * The server as child processes for the cluster benchmark: `node --import tsx server/main.ts`
 * (as test/helpers/processServer.ts starts it), with an environment built here rather than
 * inherited, so a REDIS_URL or secret set in the operator's shell cannot turn the embedded
 * SQLite reference into a Redis one, or split the secrets of a cluster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../test/helpers/processServer.js';

/** A running server process. */
export type BenchServer = {
  /** For the log: `a1`, `b2`, … */
  name: string;
  url: string;
  pid: number;
  adminSecret: string;
  /** Kills it and removes its data directory; safe to call twice. */
  stop(): Promise<void>;
};

/** What a server process gets besides its port and data directory. */
export type BenchServerOptions = {
  name: string;
  adminSecret: string;
  /**
   * REDIS_URL, INVITE_SECRET and BALLOT_SECRET for a cluster member; nothing for the SQLite default
   * (or an INVITE_SECRET a benchmark signs its own invites with).
   */
  env?: Record<string, string>;
};

const HEALTHY_WITHIN_MS = 60_000;
/** Inherited as they are: what node, tsx and the media worker need to run at all. */
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'MEDIASOUP_WORKER_BIN', 'WSL_CACHE_DIR', 'NODE_OPTIONS'];

/** Starts one server process in a fresh data directory and waits until /healthz answers. */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), `wsl-bench-${options.name}-`));
  const env: Record<string, string> = {};
  for (const key of PASSED_THROUGH) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    RTC_LISTEN_IP: '127.0.0.1',
    // The benchmark's clients ask for no media; one idle worker keeps the process honest.
    MEDIA_WORKERS: '1',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    ADMIN_SECRET: options.adminSecret,
    ...options.env,
  });
  // node itself (not the tsx wrapper, which forks): the pid is the server's, for its CPU time.
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/main.ts')], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: the server process did not start`);
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await terminate(child);
      await rm(dataDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child);
  } catch (error) {
    await stop();
    throw new Error(`${options.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { name: options.name, url, pid, adminSecret: options.adminSecret, stop };
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server process exited (${child.exitCode ?? child.signalCode})`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`server process not healthy within ${HEALTHY_WITHIN_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function terminate(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    // NOTE: SIGKILL, as test/helpers/cluster.ts destroys its processes: a graceful close with
    // a thousand clients still connected records their departures one by one, each fanned out
    // to the rest (N² events) only to be thrown away with the data directory.
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
