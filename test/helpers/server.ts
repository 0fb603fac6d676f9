/**
 * Starts the real server in this process for a test: serverEnv.ts's settings (port 0, loopback
 * media, one mediasoup worker, its own data directory) and the test's own, through the same
 * config parser as production. Nothing is read from this process's environment.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Logger } from '../../server/log.js';
import { serverSettings } from './serverEnv.js';

/** Starts a server on a free port (`logger`: where its lines go, e.g. a test that reads them). */
export async function startTestServer(env: Record<string, string> = {}, logger?: Logger): Promise<RunningServer> {
  const config = loadConfig(serverSettings({ dataDir: mkdtempSync(path.join(tmpdir(), 'wsl-test-')), env }));
  return logger ? startServer(config, logger) : startServer(config);
}
