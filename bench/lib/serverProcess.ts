/**
 * The server as child processes for the benchmarks: `node --import tsx server/main.ts`, with
 * the environment every test and benchmark server gets (test/helpers/serverEnv.ts: explicit,
 * not inherited), plus what a benchmark needs of it: its pid, its start line, its log in a
 * file, a CPU profile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, serverProcessEnv, waitHealthy } from '../../test/helpers/serverEnv.js';

/** A running server process. */
export type BenchServer = {
  /** For the log: `a1`, `b2`, … */
  name: string;
  url: string;
  pid: number;
  adminSecret: string;
  /**
   * The line the server logged once it listened (`微商量 is running at … (node v…, mediasoup …)`),
   * when started with `logStart`; null otherwise.
   */
  startLine: string | null;
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
  /** The node binary to run it with; this process's own (process.execPath) by default. */
  node?: string;
  /**
   * Log at `info` instead of `warn` and keep the line the server logs at start (which names
   * the Node.js and mediasoup it runs on). Its log is still passed on to this process's stderr.
   */
  logStart?: boolean;
  /**
   * A file the server's stdout and stderr go to (appended), as a collector or the journal would
   * take its log lines, instead of this process's own; not with `logStart`.
   */
  logFile?: string;
  /** Node options after `--import tsx` (a preload written in TypeScript, say: lib/heapReading.ts). */
  nodeArgs?: readonly string[];
  /** Where its data directory is made: the OS's temporary directory by default. */
  dataParent?: string;
};

const HEALTHY_WITHIN_MS = 60_000;
/** server/main.ts logs this right after the server listens, so shortly after /healthz answers. */
const START_LINE = /is running at .*\(node v\d/;
const START_LINE_WITHIN_MS = 10_000;

/** Starts one server process in a fresh data directory and waits until /healthz answers. */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(options.dataParent ?? tmpdir(), `wsl-bench-${options.name}-`));
  const env = serverProcessEnv({
    dataDir,
    port,
    adminSecret: options.adminSecret,
    logLevel: options.logStart ? 'info' : 'warn',
    ...(options.env ? { env: options.env } : {}),
  });
  // node itself (not the tsx wrapper, which forks): the pid is the server's, for its CPU time.
  // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (open it in
  // Chrome's DevTools), to see where a figure's time goes.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  if (options.logStart && options.logFile) throw new TypeError('logStart reads stderr itself: it cannot go to a logFile too');
  const log = options.logFile ? openSync(options.logFile, 'a') : undefined;
  let child: ChildProcess;
  try {
    child = spawn(options.node ?? process.execPath, [...profile, '--import', 'tsx', ...(options.nodeArgs ?? []), path.resolve('server/main.ts')], {
      env,
      stdio: ['ignore', log ?? 'inherit', options.logStart ? 'pipe' : (log ?? 'inherit')],
    });
  } finally {
    // The child has its own copy of the descriptor.
    if (log !== undefined) closeSync(log);
  }
  const startLine = options.logStart ? watchStartLine(child) : null;
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
  let logged: string | null = null;
  try {
    await waitHealthy(url, child, HEALTHY_WITHIN_MS);
    logged = startLine ? await startLineSoon(startLine) : null;
  } catch (error) {
    await stop();
    throw new Error(`${options.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { name: options.name, url, pid, adminSecret: options.adminSecret, startLine: logged, stop };
}

/**
 * Passes the child's stderr on line by line (a pipe that nobody read would block the server's
 * logging); answers the start line once it comes, or null if stderr closes without it.
 */
function watchStartLine(child: ChildProcess): Promise<string | null> {
  const stderr = child.stderr;
  if (!stderr) throw new TypeError('the server process has no stderr pipe');
  return new Promise((resolve) => {
    const lines = createInterface({ input: stderr, crlfDelay: Infinity });
    lines.on('line', (line) => {
      process.stderr.write(`${line}\n`);
      if (START_LINE.test(line)) resolve(messageOf(line));
    });
    lines.once('close', () => resolve(null));
  });
}

/** The message of a log line: its `msg` when it is JSON (LOG_FORMAT=json), else the line as it is. */
function messageOf(line: string): string {
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && 'msg' in parsed && typeof parsed.msg === 'string') return parsed.msg;
  } catch {
    // A line of the pretty format, or not a log line at all.
  }
  return line;
}

/** The start line, once the server is healthy: it comes right after the server listens. */
async function startLineSoon(startLine: Promise<string | null>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), START_LINE_WITHIN_MS);
  });
  const line = await Promise.race([startLine, late]);
  clearTimeout(timer);
  if (line === null) throw new Error(`the server logged no start line within ${START_LINE_WITHIN_MS / 1000} s of answering /healthz`);
  return line;
}

function terminate(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    // NOTE: SIGKILL, as test/helpers/cluster.ts destroys its processes: a graceful close with
    // a thousand clients still connected records their departures one by one, each fanned out
    // to the rest (N² events) only to be thrown away with the data directory.
    child.once('exit', () => resolve());
    if (!process.env.BENCH_CPU_PROF) {
      child.kill('SIGKILL');
      return;
    }
    // A profile is written only by a process that exits by itself: close it, then insist.
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  });
}
