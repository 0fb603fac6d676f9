/**
 * Worker-thread entry of the signaling benchmarks: the real server (startTestServer, its own
 * data directory) and optionally the bare Socket.IO baseline, in one thread of their own, so
 * that the clients in the main thread do not share an event loop with the server they measure.
 * Started through lib/serverHost.ts; speaks lib/threadProtocol.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { startTestServer } from '../../test/helpers/server.js';
import { startBareServer, type BareServer } from './bareServer.js';
import { ServerThreadOptions, ToServerThread, type FromServerThread } from './threadProtocol.js';

if (!parentPort) throw new TypeError('serverThread.ts runs as a worker thread (see serverHost.ts)');
const port = parentPort;
const post = (message: FromServerThread): void => port.postMessage(message);
const dataDir = mkdtempSync(path.join(tmpdir(), 'wsl-bench-'));

async function main(): Promise<void> {
  const options = ServerThreadOptions.parse(workerData);
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
        post({ type: 'elu', idle, active, maxStallMs: stalls.max / 1e6 });
        stalls.reset();
        return;
      }
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

main().catch((error: unknown) => {
  rmSync(dataDir, { recursive: true, force: true });
  post({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  port.close();
});
