/**
 * Entry point: configuration from the environment, then the server, until a signal stops it.
 */
import { AppError } from '../signaling/errors.js';
import { loadConfig, ConfigError } from './config.js';
import { startServer } from './app.js';
import { MissingWorkerError } from './media/workerBinary.js';
import { version as mediasoupVersion } from 'mediasoup';

async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  server.logger.info(`微商量 is running at ${server.url} (node ${process.version}, mediasoup ${mediasoupVersion})`);
  if (config.rtc.announcedAddress === undefined) {
    server.logger.info('media is reachable from this machine only; set ANNOUNCED_IP for other devices');
  }
  const stop = (signal: string): void => {
    server.logger.info(`${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // A bad setting, a missing worker or an unreachable Redis: the message says what to do.
  if (error instanceof ConfigError || error instanceof MissingWorkerError || (error instanceof AppError && error.code === 'UNAVAILABLE')) {
    console.error(error.message);
  } else {
    console.error('failed to start', error);
  }
  process.exit(1);
});
