/**
 * Wires the process together: the event store and rooms, mediasoup workers, HTTP and
 * Socket.IO. `startServer` is what the entry point and the integration tests call.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Request } from 'express';
import { Server as SocketServer } from 'socket.io';
import { LocalCluster, type Cluster } from './cluster/Cluster.js';
import { joinMediaAcrossProcesses } from './cluster/mediaDiscovery.js';
import { newProcessId, RedisCluster } from './cluster/RedisCluster.js';
import { CommentNotifier } from './comments/CommentNotifier.js';
import type { CommentStore } from './comments/CommentStore.js';
import { RedisCommentStore } from './comments/RedisCommentStore.js';
import { ThreadedCommentStore } from './comments/ThreadedCommentStore.js';
import type { Config } from './config.js';
import { createAdminRouter } from './http/adminRoutes.js';
import { BrowserIds } from './http/browserId.js';
import { createCommentRouter } from './http/commentRoutes.js';
import { createLinkRouter } from './http/linkRoutes.js';
import { createMinutesRouter } from './http/minutesRoutes.js';
import { createInviteIssuer } from './http/inviteIssuer.js';
import { createOrgAuth } from './http/orgAuth.js';
import { createOrgRouter } from './http/orgRoutes.js';
import { createDutyRouter } from './http/dutyRoutes.js';
import { createRosterRouter } from './http/rosterRoutes.js';
import { createHttpApp } from './http/routes.js';
import { TlsCertificate } from './http/TlsCertificate.js';
import { loadAdminSecret, loadSecret } from './identity/adminAuth.js';
import { InviteTokens, MIN_INVITE_SECRET_LENGTH } from './identity/InviteTokens.js';
import { CachedRevocations } from './invites/CachedRevocations.js';
import type { InviteRegistry } from './invites/InviteRegistry.js';
import { RedisInviteRegistry } from './invites/RedisInviteRegistry.js';
import { SqliteInviteRegistry } from './invites/SqliteInviteRegistry.js';
import { Limits, type SharedLimitStore } from './limits/Limits.js';
import { bindProcess, createLogger, neverLog, passwordOf, type Logger } from './log.js';
import { MediaRooms } from './media/MediaRooms.js';
import { openOrgDirectory } from './orgs/openOrgDirectory.js';
import type { OrgDirectory } from './orgs/OrgDirectory.js';
import { MicActivity, type MicSource } from './media/MicActivity.js';
import { listenForMetrics, metricsRoute, type MetricsListener } from './metrics/metricsHttp.js';
import { ServerMetrics } from './metrics/ServerMetrics.js';
import { tellHostsAboutEncoders } from './stream/hostNotice.js';
import { createRecordingFileRouter, createRecordingListingRouter } from './http/recordingRoutes.js';
import { RecordingFiles } from './recording/RecordingFiles.js';
import { RecordingKeys } from './recording/RecordingKeys.js';
import { Recorders } from './recording/Recorders.js';
import { LiveStreams } from './stream/LiveStreams.js';
import { createStreamRouter } from './http/streamRoutes.js';
import { WorkerPool } from './media/WorkerPool.js';
import { turnRelays } from './media/turnCredentials.js';
import { BallotBox } from './rooms/BallotBox.js';
import { RoomService } from './rooms/RoomService.js';
import { withdrawingStaged } from './rooms/commentWithdrawal.js';
import { hearRollCalls } from './rooms/rollCallMics.js';
import { attachSignaling } from './sockets/connection.js';
import { hostsChannel, type AppServer } from './sockets/channels.js';
import { addressOf } from './sockets/context.js';
import { eventsParser } from './sockets/eventsParser.js';
import { RoomHub } from './sockets/RoomHub.js';
import type { RouterRtpCapabilities } from '../signaling/protocol.js';
import { AudienceHub } from './sockets/audience/AudienceHub.js';
import { openVisitStore } from './sockets/audience/visitStore.js';
import { TurnQueue } from './sockets/TurnQueue.js';
import { Presence } from './sockets/Presence.js';
import type { ProcessLoad } from './cluster/Cluster.js';
import type { EventStore } from './store/EventStore.js';
import { RedisEventStore } from './store/RedisEventStore.js';
import { CONNECT_TIMEOUT_MS, connectOrFail, reconnectDelay } from './store/redisConnection.js';
import { SqliteEventStore } from './store/SqliteEventStore.js';

/** WebSocket handshakes that go on in one turn of the event loop (TurnQueue). */
const HANDSHAKES_PER_TURN = 8;

/** The health of encoders that are off (STREAM=off, RECORDING=off). */
const NO_ENCODERS = { running: 0, live: 0, failing: 0, restarts: 0, lastError: null };

/** A running server. */
export type RunningServer = {
  /** http://host:port (https:// with TLS_CERT) this server answers on. */
  url: string;
  port: number;
  http: HttpServer;
  io: AppServer;
  pool: WorkerPool;
  media: MediaRooms;
  rooms: RoomService;
  store: EventStore;
  cluster: Cluster;
  invites: InviteTokens;
  /** Issued invites (short codes, revocations) and meeting numbers. */
  registry: InviteRegistry;
  /** Public comments (留言), beside the room logs. */
  comments: CommentStore;
  /** Organisations, accounts, sessions, rosters and which consultation is whose. */
  directory: OrgDirectory;
  adminSecret: string;
  logger: Logger;
  /** The metrics' own listener (METRICS_PORT): its URL, http://host:port/metrics. */
  metricsUrl: string | undefined;
  /** The rooms' live HLS streams (undefined with STREAM=off). */
  streams: LiveStreams | undefined;
  /** The rooms' recorders and their files. */
  recorders: Recorders;
  recordingFiles: RecordingFiles;
  /** Stops accepting, disconnects everybody, closes the workers and the store. */
  close(): Promise<void>;
};

/** Starts the server described by `config`. */
export async function startServer(config: Config, logger = createLogger(config.logLevel, { format: config.logFormat })): Promise<RunningServer> {
  const clock = Date.now;
  // Read first: a bad certificate file stops the start before anything else is opened.
  const tls = config.tls ? TlsCertificate.read(config.tls, logger.child('tls')) : undefined;
  const admin = loadAdminSecret(config.dataDir, config.adminSecret);
  // The last net under the call sites' care: these values are blanked in any line that shows them.
  neverLog(logger, admin.secret, config.inviteSecret, config.ballotSecret, config.turn?.secret, config.metrics.secret, passwordOf(config.redis?.url));
  // With other processes, every line says which process wrote it, from the first one on.
  const processId = config.redis ? newProcessId() : undefined;
  if (processId !== undefined) bindProcess(logger, processId);
  const pool = await WorkerPool.create({
    size: config.mediaWorkers,
    listen: config.rtc,
    maxTransportsPerWorker: config.maxTransportsPerWorker,
    logger: logger.child('media'),
  });
  logger.info('mediasoup workers started', { workerPids: pool.pids });
  // The audience's program follows the floor from the room state (read when a room's first viewer arrives).
  const media = new MediaRooms(pool, logger.child('media'), { roomState: (roomId) => rooms.state(roomId) });
  // The port is known only once listening; the heartbeat reads the URL when it runs.
  let announcedUrl = config.publicUrl ?? '';
  let socketCount = (): number => 0;
  const { store, cluster } = await openStorage(config, logger, {
    processId,
    publicUrl: () => announcedUrl,
    load: () => ({ sockets: socketCount(), mediaRooms: media.size }),
  });
  // Metrics only when somebody may read them: otherwise no hook costs anything.
  const metrics = config.metrics.secret !== undefined || config.metrics.port !== undefined ? new ServerMetrics() : undefined;
  const registry = await openRegistry(config);
  const comments = await openComments(config);
  const directory = await openOrgDirectory(config);
  // Every check of an invite asks the registry whether it was revoked (InviteTokens.verify).
  const invites = await InviteTokens.load({
    dataDir: config.dataDir,
    ...(config.inviteSecret ? { secret: config.inviteSecret } : {}),
    isRevoked: (inviteId) => registry.isRevoked(inviteId),
  });
  // The roll call hears the microphones this process receives (MicActivity, rollCallMics.ts).
  const mics: MicActivity = new MicActivity({ find: (roomId): Promise<MicSource | undefined> => media.find(roomId), logger: logger.child('mics') });
  const recordingFiles = new RecordingFiles(config.recording.dir, config.recording.ffprobePath);
  // Made below, once the rooms exist: a lock waits for this process's recorder to close its file.
  let recorders: Recorders | undefined;
  const rooms = new RoomService({
    store: metrics ? metrics.timeAppends(store, config.redis ? 'redis' : 'sqlite') : store,
    ballotBox: BallotBox.load({ dataDir: config.dataDir, ...(config.ballotSecret ? { secret: config.ballotSecret } : {}) }),
    logger: logger.child('rooms'),
    clock,
    ...(cluster.follower ? { follower: cluster.follower, maxAttempts: 30 } : {}),
    comments,
    ...(metrics ? { timeCommand: metrics.timeCommand } : {}),
    mics,
    recordings: {
      read: async (roomId, parts) => {
        await recorders?.settled(roomId);
        return recordingFiles.read(roomId, parts);
      },
    },
  });
  const stopHearing = hearRollCalls({ media, rooms, mics, logger: logger.child('mics') });
  const presence = new Presence({ rooms, cluster, resumeGraceMs: config.resumeGraceMs, logger: logger.child('presence') });
  // With other processes: their routers and ours are joined for every room both have media for.
  const mediaLinks = config.redis ? joinMediaAcrossProcesses({ cluster, media, listen: config.rtc, logger: logger.child('pipes') }) : undefined;
  const rtpCapabilities = await pool.rtpCapabilities();
  const startedAt = Date.now();

  const limitStore = config.redis ? await redisLimitStore(config.redis, logger.child('limits')) : undefined;
  const limits = new Limits(config.limits, limitStore?.shared);
  const publicUrl = (req: Request): string => config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const roomDirectory = {
    create: async (input: Parameters<RoomService['create']>[0]) => ({ roomId: await rooms.create(input) }),
    state: (roomId: string) => rooms.state(roomId),
  };
  // Who asks on the organisers' routes: a session cookie or the admin secret (wrong secrets counted as before).
  const orgAuth = createOrgAuth({
    directory,
    adminSecret: admin.secret,
    limits,
    trustProxy: config.trustProxy,
    ...(config.publicUrl === undefined ? {} : { publicUrl: config.publicUrl }),
    now: clock,
  });
  const organisers = { auth: orgAuth, directory };
  const adminRouter = createAdminRouter({
    adminSecret: admin.secret,
    invites,
    registry,
    limits,
    trustProxy: config.trustProxy,
    publicUrl,
    rooms: roomDirectory,
    logger: logger.child('admin'),
    orgs: organisers,
  });
  const orgRouter = createOrgRouter({
    directory,
    auth: orgAuth,
    issuer: createInviteIssuer({ invites, registry, rooms: roomDirectory, publicUrl, now: clock }),
    registry,
    rooms: roomDirectory,
    limits,
    trustProxy: config.trustProxy,
    logger: logger.child('orgs'),
    now: clock,
  });
  const dutyRouter = createDutyRouter({ directory, store, registry, auth: orgAuth, logger: logger.child('duties') });
  const rosterRouter = createRosterRouter({ directory, auth: orgAuth, logger: logger.child('roster'), now: clock });
  const linkRouter = createLinkRouter({ registry, limits, rooms: roomDirectory, trustProxy: config.trustProxy, publicUrl, logger: logger.child('links') });
  // Comment news goes through Socket.IO (so through the Redis adapter to every process) and the
  // audience hub; both are made below, and nothing is told before they exist.
  const notifier = new CommentNotifier({
    io: { to: (channels) => io.to(channels) },
    viewers: { changed: (news) => audience.comments.changed(news) },
    counts: (roomId) => comments.counts(roomId),
    logger: logger.child('comments'),
  });
  const commentRouter = createCommentRouter({
    invites,
    isRevoked: (inviteId) => registry.isRevoked(inviteId),
    store: comments,
    limits,
    // Signed with a key derived from the invite secret: every process recognises every browser.
    browserIds: new BrowserIds(loadSecret(path.join(config.dataDir, 'invite-secret'), MIN_INVITE_SECRET_LENGTH, config.inviteSecret).secret),
    rooms: roomDirectory,
    // A staged comment staff take back from the public leaves the stage and the record's text.
    notifier: withdrawingStaged(notifier, rooms, logger.child('comments')),
    adminSecret: admin.secret,
    orgs: organisers,
    trustProxy: config.trustProxy,
    logger: logger.child('comments'),
  });
  // The live HLS stream of each room's program, encoded by ffmpeg on the first request for it.
  const streams = config.stream
    ? new LiveStreams({
        dir: path.join(config.dataDir, 'stream'),
        ffmpegPath: config.stream.ffmpegPath,
        idleMs: config.stream.idleMs,
        openTap: (roomId) => media.audience.openTap(roomId),
        logger: logger.child('stream'),
      })
    : undefined;
  recorders = new Recorders({
    files: recordingFiles,
    ffmpegPath: config.recording.ffmpegPath,
    media,
    openTap: (roomId) => media.audience.openTap(roomId),
    rooms,
    cluster,
    logger: logger.child('recording'),
  });
  const recordingRoutes = {
    invites,
    state: (roomId: string) => rooms.state(roomId),
    files: recordingFiles,
    // Its own key, derived from the invite secret: every process opens every link.
    keys: new RecordingKeys(loadSecret(path.join(config.dataDir, 'invite-secret'), MIN_INVITE_SECRET_LENGTH, config.inviteSecret).secret),
    limits,
    trustProxy: config.trustProxy,
    logger: logger.child('recording'),
  };
  const streamRouter = createStreamRouter({ streams, registry, rooms: roomDirectory, logger: logger.child('stream') });
  const minutesRouter = createMinutesRouter({ invites, state: (roomId) => rooms.state(roomId), publicUrl, recordingKeys: recordingRoutes.keys, logger: logger.child('minutes') });
  const app = createHttpApp({
    logger: logger.child('http'),
    clientDir: config.clientDir,
    rtpCapabilities,
    api: [commentRouter, adminRouter, orgRouter, rosterRouter, dutyRouter, linkRouter, minutesRouter, createRecordingListingRouter(recordingRoutes)],
    routes: [metricsRoute(metrics, config.metrics.secret, logger.child('metrics')), streamRouter, createRecordingFileRouter(recordingRoutes)],
    health: () => {
      const clusterHealth = cluster.health();
      const storeReady = store.available();
      return {
        // Without its store (Redis, for several processes) a process can neither read nor append
        // a room's log; the store and the cluster each have their own connection.
        healthy: storeReady && (clusterHealth.mode === 'single' || clusterHealth.redis === 'ready'),
        store: storeReady ? 'ready' : 'unavailable',
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        mediaWorkers: pool.pids.length,
        mediaRooms: media.size,
        cluster: clusterHealth,
        stream: { enabled: streams !== undefined, ...(streams?.health() ?? NO_ENCODERS) },
        recording: { enabled: true, ...(recorders?.health() ?? NO_ENCODERS) },
      };
    },
  });
  const http = tls ? tls.createServer(app) : createServer(app);
  const handshakes = new TurnQueue(HANDSHAKES_PER_TURN);
  const io: AppServer = new SocketServer(http, {
    // Payloads are small; a large one is an attack or a bug.
    maxHttpBufferSize: 256 * 1024,
    serveClient: false,
    // The default parser, but a room's batch that carries its JSON text is sent as that text (RoomHub).
    parser: eventsParser,
    // Notice a dead connection within ~20 s rather than Socket.IO's default ~45 s. The pong
    // gets 10 s: a process stalled a few seconds under load (two cores, an encoder, a burst of
    // joins) must not drop every client at once and bring them all back in a reconnect storm.
    pingInterval: 10_000,
    pingTimeout: 10_000,
    // New connections per address are limited before Socket.IO sets anything up for them.
    allowRequest: (req, callback) => {
      const address = addressOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], config.trustProxy);
      // A crowd's handshakes take turns (TurnQueue), so that the rooms' commands are read between them.
      handshakes
        .turn()
        .then(() => limits.connection(address))
        .then(
          (allowed) => callback(allowed ? null : 'too many connections from this address', allowed),
          (error: unknown) => {
            logger.warn('connection limit failed; letting the connection in', error);
            callback(null, true);
          },
        );
    },
  });
  socketCount = () => io.engine.clientsCount;
  const adapter = config.redis ? await redisAdapter(config.redis, logger.child('cluster')) : undefined;
  if (adapter) io.adapter(adapter.create);
  const visits = await openVisitStore(config);
  const audience = new AudienceHub(io, { rooms, cluster, visits, logger: logger.child('audience'), countsMs: config.audienceCountsMs });
  const hub = new RoomHub(io, { rooms, media, presence, cluster, logger: logger.child('hub'), audience, ...(metrics ? { fanOut: metrics.fannedOut } : {}) });
  metrics?.watch({
    rooms,
    workers: () => pool.stats(),
    viewers: () => [...audience.counts.rooms()].reduce((sum, roomId) => sum + audience.counts.localOnline(roomId), 0),
    sockets: () => io.engine.clientsCount,
    cluster: () => cluster.health(),
    storeAvailable: () => store.available(),
    pipeLinks: () => mediaLinks?.pipes.links() ?? [],
    ...(streams ? { streams: () => streams.health() } : {}),
  });
  const stopTellingHosts = streams ? tellHostsAboutEncoders(streams, (roomId, state) => io.to(hostsChannel(roomId)).emit('stream:status', { state })) : undefined;
  const stopTellingHostsOfRecorders = tellHostsAboutEncoders(recorders, (roomId, state) => io.to(hostsChannel(roomId)).emit('recording:status', { state }));
  attachSignaling(io, {
    limits,
    trustProxy: config.trustProxy,
    joinTimeoutMs: config.joinTimeoutMs,
    cluster,
    rooms,
    media,
    hub,
    audience,
    // NOTE: a router's capabilities give every codec its payload type (mediasoup types it optional).
    program: { rtpCapabilities: rtpCapabilities as RouterRtpCapabilities, open: (roomId, viewerId) => media.audience.openViewer(roomId, viewerId) },
    invites,
    relays: turnRelays(config.turn, clock),
    presence,
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
  let metricsListener: MetricsListener | undefined;
  if (metrics && config.metrics.port !== undefined) {
    metricsListener = await listenForMetrics(metrics, config.metrics.host, config.metrics.port, logger.child('metrics'));
    logger.info(`metrics for Prometheus at ${metricsListener.url}`);
  }
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `${tls ? 'https' : 'http'}://${shownHost}:${port}`;
  announcedUrl = config.publicUrl ?? url;
  if (admin.generated) {
    logger.info(
      `first start: the admin secret is in ${path.join(config.dataDir, 'admin-secret')}.\n` +
        `  Create the first consultation at ${url}/admin, or:\n` +
        `  curl -H "Authorization: Bearer $(cat ${path.join(config.dataDir, 'admin-secret')})" -H 'Content-Type: application/json' \\\n` +
        `    -d '{"topic":"老旧小区加装电梯","venues":[{"id":"city","name":"主会场"}]}' ${url}/api/rooms\n` +
        `  The first administrator's account (then log in at ${url}/admin):\n` +
        `  curl -H "Authorization: Bearer $(cat ${path.join(config.dataDir, 'admin-secret')})" -H 'Content-Type: application/json' \\\n` +
        `    -d '{"orgName":"市政协","username":"city.admin","displayName":"市政协办公厅","password":"<10 characters or more>"}' ${url}/api/auth/bootstrap`,
    );
  }

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      presence.clear();
      await metricsListener?.close();
      tls?.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      adapter?.close();
      limitStore?.close();
      await hub.close();
      audience.close();
      await visits.close();
      stopHearing();
      stopTellingHosts?.();
      stopTellingHostsOfRecorders();
      streams?.close();
      // Before the rooms and the media: a recorder closes its file whole while its program still flows.
      await recorders?.close();
      await rooms.close();
      mediaLinks?.close();
      await media.close();
      pool.close();
      await cluster.close();
      notifier.close();
      await store.close();
      await registry.close();
      await comments.close();
      await directory.close();
    })();
    return closing;
  };

  return { url, port, http, io, pool, media, rooms, store, cluster, invites, registry, comments, directory, adminSecret: admin.secret, logger, metricsUrl: metricsListener?.url, streams, recorders, recordingFiles, close };
}

/**
 * Issued invites beside the room logs: `invites.sqlite` in DATA_DIR, or Redis (REDIS_URL). Its
 * revocations are answered from memory: at once for those made here, within REVOCATION_STALE_MS
 * for another process's (CachedRevocations).
 */
async function openRegistry(config: Config): Promise<InviteRegistry> {
  if (!config.redis) return new CachedRevocations(SqliteInviteRegistry.open(path.join(config.dataDir, 'invites.sqlite')));
  return new CachedRevocations(await RedisInviteRegistry.connect(config.redis.url, config.redis.prefix));
}

/**
 * Public comments beside the room logs: `comments.sqlite` in DATA_DIR (a file of its own, so a
 * flood of comments never holds the room log's write lock), written on a thread of its own so
 * it never holds the meeting's event loop either; or Redis (REDIS_URL).
 */
async function openComments(config: Config): Promise<CommentStore> {
  if (!config.redis) return ThreadedCommentStore.open(path.join(config.dataDir, 'comments.sqlite'));
  return RedisCommentStore.connect(config.redis.url, config.redis.prefix);
}

/** SQLite and this process alone, or Redis shared with the other processes (REDIS_URL). */
async function openStorage(
  config: Config,
  logger: Logger,
  self: { processId: string | undefined; publicUrl: () => string; load: () => ProcessLoad },
): Promise<{ store: EventStore; cluster: Cluster }> {
  if (!config.redis) {
    return { store: SqliteEventStore.open(path.join(config.dataDir, 'rooms.sqlite'), logger.child('store')), cluster: new LocalCluster() };
  }
  const { url, prefix } = config.redis;
  const store = await RedisEventStore.connect(url, { keyPrefix: prefix, logger: logger.child('redis') });
  try {
    const cluster = await RedisCluster.connect({
      url,
      keyPrefix: prefix,
      logger: logger.child('cluster'),
      ...(self.processId === undefined ? {} : { processId: self.processId }),
      publicUrl: self.publicUrl,
      load: self.load,
    });
    logger.info(`rooms in redis; this is process ${cluster.processId}`);
    return { store, cluster };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * Socket.IO's Redis adapter carries what one process tells sockets on another: a participant's
 * older connection being dropped when they come back elsewhere, quality reports for hosts.
 * Room events do not go through it (RoomHub emits them locally; see there).
 */
async function redisAdapter(redis: { url: string; prefix: string }, logger: Logger): Promise<{ create: ReturnType<typeof createAdapter>; close(): void }> {
  // Unlike the store's, these connections keep node-redis's offline queue: what is told while
  // Redis is away goes out once it is back (within node-redis's default command timeout, 5 s).
  // RESP2 as in RedisEventStore (see there).
  const pub = createClient({ url: redis.url, RESP: 2, socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay } });
  // The adapter subscribes, and a connection that subscribed can run no other command.
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on('error', (error: Error) => logger.debug(`socket.io adapter: ${error.message}`));
  try {
    await Promise.all([connectOrFail(pub, redis.url), connectOrFail(sub, redis.url)]);
  } catch (error) {
    pub.destroy();
    sub.destroy();
    throw error;
  }
  return {
    create: createAdapter(handlingRejections(pub, logger), handlingRejections(sub, logger), { key: `${redis.prefix}socket.io` }),
    close: () => {
      pub.destroy();
      sub.destroy();
    },
  };
}

/**
 * The Redis connection the limits by participant, address and link count on, so that they hold
 * across processes. It fails fast (no offline queue): while Redis is away the limits count in
 * memory instead (see Limits).
 */
async function redisLimitStore(redis: { url: string; prefix: string }, logger: Logger): Promise<{ shared: SharedLimitStore; close(): void }> {
  const client = createClient({
    url: redis.url,
    RESP: 2,
    disableOfflineQueue: true,
    commandOptions: { timeout: CONNECT_TIMEOUT_MS },
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
  });
  client.on('error', (error: Error) => logger.debug(`limits: ${error.message}`));
  await connectOrFail(client, redis.url);
  return { shared: { redis: client, keyPrefix: redis.prefix }, close: () => client.destroy() };
}

/**
 * `client` as the adapter gets it. The adapter sends PUBLISH, SUBSCRIBE and UNSUBSCRIBE without
 * handling their promises, and node-redis rejects a command lost with its connection, queued
 * past its timeout or pending at destroy(): an unhandled rejection, which ends the process.
 * Every promise the adapter gets here has a handler that logs the loss (one who awaits it still
 * sees the rejection).
 */
function handlingRejections<T extends object>(client: T, logger: Logger): T {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      // The adapter reads `constructor.name` to recognise a cluster client: leave it as it is.
      if (typeof value !== 'function' || property === 'constructor') return value;
      return (...args: unknown[]): unknown => {
        const result: unknown = Reflect.apply(value, target, args);
        if (result instanceof Promise) {
          result.catch((error: unknown) => logger.debug(`socket.io adapter: redis ${String(property)} failed`, error));
        }
        return result;
      };
    },
  });
}
