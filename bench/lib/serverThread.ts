/**
 * Worker-thread entry of the signaling benchmarks: the real server (startTestServer, its own
 * data directory) and optionally the bare Socket.IO baseline, in one thread of their own, so
 * that the clients in the main thread do not share an event loop with the server they measure.
 * Also the entry of a child process (forked with an IPC channel, its options as the first
 * argument), so that the clients are not in the server's process either. Started through
 * lib/serverHost.ts; speaks lib/threadProtocol.ts either way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startTestServer } from '../../test/helpers/server.js';
import { startBareServer, type BareServer } from './bareServer.js';
import { ServerThreadOptions, ToServerThread, type FromServerThread } from './threadProtocol.js';

/** The channel to the benchmark: the worker's port, or the forked process's IPC channel. */
type Channel = { postMessage(message: FromServerThread): void; on(event: 'message', listener: (raw: unknown) => void): void; close(): void };

function processChannel(): Channel {
  const send = process.send?.bind(process);
  if (!send) throw new TypeError('serverThread.ts runs as a worker thread or a forked process (see serverHost.ts)');
  return {
    postMessage: (message) => send(message),
    on: (event, listener) => process.on(event, listener),
    close: () => process.disconnect(),
  };
}

const port: Channel = parentPort ?? processChannel();
const post = (message: FromServerThread): void => port.postMessage(message);
const dataDir = mkdtempSync(path.join(tmpdir(), 'wsl-bench-'));

async function main(): Promise<void> {
  const options = ServerThreadOptions.parse(parentPort ? workerData : JSON.parse(process.argv[2] ?? 'null'));
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const server = await startTestServer({ ...options.env, DATA_DIR: dataDir });
  let bare: BareServer | null = null;
  try {
    bare = options.bare ? await startBareServer() : null;
  } catch (error) {
    await server.close();
    throw error;
  }
  const close = async (): Promise<void> => {
    await bare?.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  port.on('message', (raw: unknown) => {
    const message = ToServerThread.parse(raw);
    switch (message.type) {
      case 'elu': {
        const { idle, active } = performance.eventLoopUtilization();
        // Only a process of its own has CPU time that is the server's alone (its store's thread too).
        const cpu = isMainThread ? process.cpuUsage() : null;
        post({ type: 'elu', idle, active, maxStallMs: stalls.max / 1e6, cpuMs: cpu === null ? null : (cpu.user + cpu.system) / 1000 });
        stalls.reset();
        return;
      }
      case 'profile':
        profile(message.file).then(
          () => post({ type: 'profiled' }),
          (error: unknown) => post({ type: 'failed', message: `profiling: ${String(error)}` }),
        );
        return;
      case 'close':
        stalls.disable();
        close().then(
          () => {
            post({ type: 'closed' });
            port.close();
          },
          (error: unknown) => post({ type: 'failed', message: `closing: ${String(error)}` }),
        );
        return;
    }
  });
  post({ type: 'ready', url: server.url, adminSecret: server.adminSecret, bareUrl: bare?.url ?? null });
}

/** The inspector session of a running profile (see the `profile` message). */
let profiler: Session | null = null;

/** Starts profiling this thread (file null), or stops and writes the profile to `file`. */
async function profile(file: string | null): Promise<void> {
  if (file === null) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    return;
  }
  if (profiler === null) throw new Error('no profile was started');
  const { profile: taken } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = null;
  writeFileSync(file, JSON.stringify(taken));
}

main().catch((error: unknown) => {
  rmSync(dataDir, { recursive: true, force: true });
  post({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  port.close();
});
