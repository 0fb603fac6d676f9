/**
 * A throwaway redis-server for tests: its own port on loopback, its own directory, started and
 * stopped by the test, so no test depends on a Redis already running (issue 6, "Tests").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './serverEnv.js';

/** A running test Redis. */
export type TestRedis = {
  url: string;
  port: number;
  /** Its working directory (the append-only file lives here). */
  dir: string;
  /** Stops the server (SIGTERM: it flushes its append-only file first); the directory stays. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL: no flush, as a crash); the directory stays. */
  kill(): Promise<void>;
  /** Starts it again (stopping it first if needed) on the same port and directory. */
  restart(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
  pause(): void;
  /** Lets a paused process run again (SIGCONT). */
  resume(): void;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
};

const REDIS_SERVER = '/usr/bin/redis-server';
const READY_WITHIN_MS = 10_000;

/** Starts redis-server; with `persistence`, an append-only file synced every second. */
export async function startRedis(options: { persistence?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'wsl-redis-'));
  const logFile = path.join(dir, 'redis.log');
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--protected-mode', 'yes',
    '--daemonize', 'no',
    '--dir', dir,
    '--logfile', logFile,
    '--save', '',
    ...(options.persistence ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no']),
  ];
  let child: ChildProcess | undefined;
  // A test that dies before its afterAll must not leave a redis-server behind.
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const start = async (): Promise<void> => {
    const started = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    child = started;
    try {
      await waitForPong(port, started);
    } catch (error) {
      started.kill('SIGKILL');
      const log = await readFile(logFile, 'utf8').catch((readError: unknown) => `(no log: ${String(readError)})`);
      throw new Error(`redis-server on port ${port} did not start: ${String(error)}\n${log.slice(-2000)}`, { cause: error });
    }
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    // A paused server would sit on SIGTERM until continued.
    running.kill('SIGCONT');
    await new Promise<void>((resolve) => {
      const hard = setTimeout(() => running.kill('SIGKILL'), 5000);
      running.once('exit', () => {
        clearTimeout(hard);
        resolve();
      });
      running.kill('SIGTERM');
    });
  };

  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop,
    kill,
    restart: async () => {
      await stop();
      await start();
    },
    pause: () => {
      child?.kill('SIGSTOP');
    },
    resume: () => {
      child?.kill('SIGCONT');
    },
    destroy: async () => {
      await stop();
      process.off('exit', killOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the server answers PING with PONG (not LOADING, not refused). */
async function waitForPong(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    }
    last = await ping(port);
    if (last.startsWith('+PONG')) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no PONG within ${READY_WITHIN_MS} ms (last answer: ${last.trim()})`);
}

/** One inline PING over a raw socket; answers the reply line or why there was none. */
function ping(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (answer: string): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done('timeout'));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply);
    });
    socket.once('error', (error) => done(error.message));
  });
}
