/**
 * Debian's coturn (/usr/bin/turnserver) started by a test on loopback, with the shared-secret
 * scheme the server mints credentials for. Its log is kept to read which allocations it made.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export const TURNSERVER = process.env['TURNSERVER_PATH'] ?? '/usr/bin/turnserver';

/** A running coturn. */
export type Coturn = {
  /** The TURN URLs of its UDP and TCP listeners, as TURN_URLS takes them. */
  urls: string[];
  /** Everything it logged so far. */
  log(): string;
  /** Resolves once its log matches `pattern` (checked on every line it writes). */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
};

/** A port free for both TCP and UDP on 127.0.0.1 (coturn listens on both). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

/** A run of `count` UDP ports free on 127.0.0.1 now, above the media server's range (40000–49999). */
async function freeUdpRange(count: number): Promise<{ min: number; max: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const min = 50_000 + Math.floor(Math.random() * 10_000);
    // Held until the whole run is checked, then let go for coturn.
    const bound: Array<ReturnType<typeof createSocket>> = [];
    let free = true;
    for (let port = min; port < min + count && free; port++) {
      const socket = createSocket('udp4');
      free = await new Promise<boolean>((resolve) => {
        socket.once('error', () => resolve(false));
        socket.bind(port, '127.0.0.1', () => resolve(true));
      });
      if (free) bound.push(socket);
    }
    await Promise.all(bound.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    if (free) return { min, max: min + count - 1 };
  }
  throw new Error('no free UDP port range for the relay');
}

/** Starts coturn on loopback with `secret` as its static-auth-secret; resolves once it listens on UDP and TCP. */
export async function startCoturn(secret: string, realm = 'wsl.test'): Promise<Coturn> {
  if (!existsSync(TURNSERVER)) throw new Error(`coturn not found at ${TURNSERVER}: run npm run setup`);
  const port = await freePort();
  const relayPorts = await freeUdpRange(40);
  const child: ChildProcess = spawn(
    TURNSERVER,
    [
      '-n', // no configuration file: only these options
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      `--min-port=${relayPorts.min}`,
      `--max-port=${relayPorts.max}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      `--realm=${realm}`,
      // The media server is on loopback here; a real one is on the LAN (README, "TURN (coturn)").
      '--allow-loopback-peers',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--no-rfc5780',
      '--log-file=stdout',
      '--simple-log',
      '--verbose',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const wake of waiters) wake();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitForLog = (pattern: RegExp, timeoutMs = 10_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(text);
        if (match) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(match[0]);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`coturn did not log ${pattern} within ${timeoutMs} ms; its log:\n${text.slice(-4000)}`));
      }, timeoutMs);
      waiters.add(check);
      child.once('exit', (code) => {
        if (!waiters.has(check)) return;
        waiters.delete(check);
        clearTimeout(timer);
        reject(new Error(`coturn exited (${code}) before logging ${pattern}; its log:\n${text.slice(-4000)}`));
      });
      check();
    });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitForLog(new RegExp(`UDP listener opened on\\s*:\\s*127\\.0\\.0\\.1:${port}`));
    await waitForLog(new RegExp(`TCP listener opened on\\s*:\\s*127\\.0\\.0\\.1:${port}`));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls: [`turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`],
    log: () => text,
    waitForLog,
    stop,
  };
}
