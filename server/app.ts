/**
 * Wires the process together: mediasoup workers, HTTP, Socket.IO. `startServer` is what the
 * entry point and the integration tests call.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../signaling/protocol.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/routes.js';
import { createLogger, type Logger } from './log.js';
import { MediaRooms } from './media/MediaRooms.js';
import { WorkerPool } from './media/WorkerPool.js';
import { attachMediaSignaling } from './sockets/mediaHandlers.js';
import { Sessions } from './sockets/sessions.js';

/** A running server. */
export type RunningServer = {
  /** http://host:port this server answers on. */
  url: string;
  port: number;
  http: HttpServer;
  io: SocketServer<ClientToServerEvents, ServerToClientEvents>;
  pool: WorkerPool;
  rooms: MediaRooms;
  logger: Logger;
  /** Stops accepting, disconnects everybody, closes the workers. */
  close(): Promise<void>;
};

/** Starts the server described by `config`. */
export async function startServer(config: Config, logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const pool = await WorkerPool.create({ size: config.mediaWorkers, logger: logger.child('media') });
  const rooms = new MediaRooms(pool, config.rtc, logger.child('room'));
  const sessions = new Sessions();
  const rtpCapabilities = await pool.rtpCapabilities();
  const startedAt = Date.now();

  const app = createHttpApp({
    logger: logger.child('http'),
    clientDir: config.clientDir,
    rtpCapabilities,
    health: () => ({
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      mediaWorkers: pool.pids.length,
      rooms: rooms.size,
    }),
  });
  const http = createServer(app);
  const io = new SocketServer<ClientToServerEvents, ServerToClientEvents>(http, {
    // Payloads are small; a large one is an attack or a bug.
    maxHttpBufferSize: 256 * 1024,
    serveClient: false,
  });
  attachMediaSignaling(io, { rooms, sessions, resumeGraceMs: config.resumeGraceMs, logger: logger.child('socket') });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      sessions.clear();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await rooms.close();
      pool.close();
    })();
    return closing;
  };

  return { url: `http://${shownHost}:${port}`, port, http, io, pool, rooms, logger, close };
}
