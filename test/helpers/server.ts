/**
 * Starts the real server for a test: port 0, loopback media, one mediasoup worker, its own
 * data directory. Environment overrides go through the same config parser as production.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Logger } from '../../server/log.js';

/** Starts a server on a free port (`logger`: where its lines go, e.g. a test that reads them). */
export async function startTestServer(env: Record<string, string> = {}, logger?: Logger): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    RTC_LISTEN_IP: '127.0.0.1',
    MEDIA_WORKERS: '1',
    LOG_LEVEL: 'error',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'wsl-test-')),
    ...env,
  });
  return logger ? startServer(config, logger) : startServer(config);
}
