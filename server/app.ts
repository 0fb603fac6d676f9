/**
 * Wires the process together: the event store and rooms, mediasoup workers, HTTP and
 * Socket.IO. `startServer` is what the entry point and the integration tests call.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Server as SocketServer } from 'socket.io';
import type { Config } from './config.js';
import { createAdminRouter } from './http/adminRoutes.js';
import { createMinutesRouter } from './http/minutesRoutes.js';
import { createHttpApp } from './http/routes.js';
import { loadAdminSecret } from './identity/adminAuth.js';
import { InviteTokens } from './identity/InviteTokens.js';
import { createLogger, type Logger } from './log.js';
import { MediaRooms } from './media/MediaRooms.js';
import { WorkerPool } from './media/WorkerPool.js';
import { RoomService } from './rooms/RoomService.js';
import { attachSignaling } from './sockets/connection.js';
import type { AppServer } from './sockets/context.js';
import { RoomHub } from './sockets/RoomHub.js';
import { Sessions } from './sockets/sessions.js';
import type { EventStore } from './store/EventStore.js';
import { SqliteEventStore } from './store/SqliteEventStore.js';

/** A running server. */
export type RunningServer = {
  /** http://host:port this server answers on. */
  url: string;
  port: number;
  http: HttpServer;
  io: AppServer;
  pool: WorkerPool;
  media: MediaRooms;
  rooms: RoomService;
  store: EventStore;
  invites: InviteTokens;
  adminSecret: string;
  logger: Logger;
  /** Stops accepting, disconnects everybody, closes the workers and the store. */
  close(): Promise<void>;
};

/** Starts the server described by `config`. */
export async function startServer(config: Config, logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const clock = Date.now;
  const store = SqliteEventStore.open(path.join(config.dataDir, 'rooms.sqlite'));
  const rooms = new RoomService({ store, logger: logger.child('rooms'), clock });
  const admin = loadAdminSecret(config.dataDir, config.adminSecret);
  const invites = await InviteTokens.load({ dataDir: config.dataDir, ...(config.inviteSecret ? { secret: config.inviteSecret } : {}) });
  const pool = await WorkerPool.create({ size: config.mediaWorkers, logger: logger.child('media') });
  const media = new MediaRooms(pool, config.rtc, logger.child('media'));
  const sessions = new Sessions();
  const rtpCapabilities = await pool.rtpCapabilities();
  const startedAt = Date.now();

  const adminRouter = createAdminRouter({
    adminSecret: admin.secret,
    invites,
    publicUrl: (req) => config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`,
    rooms: {
      create: async (input) => ({ roomId: await rooms.create(input) }),
      info: async (roomId) => (await rooms.state(roomId))?.info,
    },
    logger: logger.child('admin'),
  });
  const minutesRouter = createMinutesRouter({ invites, state: (roomId) => rooms.state(roomId), logger: logger.child('minutes') });
  const app = createHttpApp({
    logger: logger.child('http'),
    clientDir: config.clientDir,
    rtpCapabilities,
    api: [adminRouter, minutesRouter],
    health: () => ({
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      mediaWorkers: pool.pids.length,
      mediaRooms: media.size,
    }),
  });
  const http = createServer(app);
  const io: AppServer = new SocketServer(http, {
    // Payloads are small; a large one is an attack or a bug.
    maxHttpBufferSize: 256 * 1024,
    serveClient: false,
    // Notice a dead connection within ~15 s rather than Socket.IO's default ~45 s.
    pingInterval: 10_000,
    pingTimeout: 5_000,
  });
  const hub = new RoomHub(io, { rooms, media, sessions, resumeGraceMs: config.resumeGraceMs, logger: logger.child('hub') });
  attachSignaling(io, {
    rooms,
    media,
    hub,
    invites,
    sessions,
    resumeGraceMs: config.resumeGraceMs,
    clock,
    logger: logger.child('socket'),
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}`;
  if (admin.generated) {
    logger.info(
      `first start: the admin secret is in ${path.join(config.dataDir, 'admin-secret')}.\n` +
        `  Create the first consultation at ${url}/admin, or:\n` +
        `  curl -H "Authorization: Bearer $(cat ${path.join(config.dataDir, 'admin-secret')})" -H 'Content-Type: application/json' \\\n` +
        `    -d '{"topic":"老旧小区加装电梯","venues":[{"id":"city","name":"主会场"}]}' ${url}/api/rooms`,
    );
  }

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      sessions.clear();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await hub.close();
      await rooms.close();
      await media.close();
      pool.close();
      await store.close();
    })();
    return closing;
  };

  return { url, port, http, io, pool, media, rooms, store, invites, adminSecret: admin.secret, logger, close };
}
