/**
 * Several server processes behind one Redis (REDIS_URL). Keys, under the prefix:
 * - `proc:<id>`  the process's ProcessInfo (JSON), expiring unless its heartbeat renews it;
 * - `procs`  a set of process ids; an id whose `proc:` key expired belongs to a process gone;
 * - `presence:<room>`  a hash participant id → id of the process speaking for them;
 * - `media:<room>`  a set of ids of the processes with media (a router) for the room.
 * Channels: `appended:<room>` (RedisEventStore announces every append) and `bus:<id>` (messages
 * for one process).
 *
 * NOTE: presence and media sets hold process ids, and every reader checks the id is alive: a
 * process killed with SIGKILL cleans nothing up, and its entries must not keep its
 * participants "online" or its routers "linked".
 *
 * A process is known gone in two ways. Its `proc:` key expires when its heartbeat stops (a
 * machine that died, a process cut off from Redis): seconds. And, much sooner, its subscriber
 * connection is gone from Redis: a process that exits (SIGKILL, a crash) has its connections
 * closed by its operating system at once, and Redis drops their subscriptions with them, so
 * `PUBSUB NUMSUB` of its `bus:` channel answers 0. A process that is only busy (an event loop
 * stalled by a vote storm) keeps its connections: the kernel holds them open whatever its
 * JavaScript does, so it never looks gone this way. Only a connection that stays gone for
 * `confirmMs` counts (a live process whose connection dropped subscribes again within
 * reconnectDelay's 50–500 ms), and only while this process's own connection has been up long
 * enough to see the others come back after a Redis restart.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ClientOfflineError, createClient, defineScript, type CommandParser } from 'redis';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { LogFollower } from '../rooms/RoomService.js';
import { connectOrFail, CONNECT_TIMEOUT_MS, reconnectDelay, withDeadline } from '../store/redisConnection.js';
import { appendedChannel, escapeId } from '../store/redisKeys.js';
import type { BusHandler, Cluster, ClusterEvents, ClusterHealth, Holder, ProcessInfo, ProcessLoad } from './Cluster.js';

/** How RedisCluster.connect() is configured. */
export type RedisClusterOptions = {
  url: string;
  keyPrefix: string;
  logger: Logger;
  /** Where this process answers (announced to the others and to operators); read at every heartbeat. */
  publicUrl: () => string;
  /** The current load, read at every heartbeat. */
  load: () => ProcessLoad;
  /** How often the process renews its announcement (default 2000 ms). */
  heartbeatMs?: number;
  /** This process's id (default: a new one), made before connecting so that every log line of the start carries it. */
  processId?: string;
  /** After how long without a heartbeat a process counts as gone (default 3 heartbeats). */
  expireMs?: number;
  /** How often the other processes' subscriber connections are looked for (default 250 ms; 0: never, the heartbeat's expiry only). */
  watchMs?: number;
  /** How long a process's subscriber connection must stay gone before the process counts as gone (default 1000 ms). */
  confirmMs?: number;
};

const ProcessInfoSchema = z.object({
  id: z.string(),
  url: z.string(),
  startedAt: z.number(),
  load: z.object({ sockets: z.number(), mediaRooms: z.number() }),
});

const Envelope = z.object({ from: z.string().min(1), topic: z.string().min(1), message: z.unknown() });

/** Takes over a participant if nobody alive holds them: KEYS presence; ARGV participant, self, proc key prefix. */
const ADOPT_SCRIPT = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and current ~= ARGV[2] and redis.call('EXISTS', ARGV[3] .. current) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

/** Deletes a presence entry only if it is ours: KEYS presence; ARGV participant, self. */
const RELEASE_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1
`;

/** A command without an answer after this long fails (as in RedisEventStore). */
const COMMAND_TIMEOUT_MS = 2000;

const DEFAULT_WATCH_MS = 250;
const DEFAULT_CONFIRM_MS = 1000;
/**
 * After this process's own connection comes back, how long before it judges anybody by their
 * subscriber connection: after a Redis restart every process reconnects, each within
 * reconnectDelay's longest wait (500 ms) of Redis being back; twice that, and a margin.
 */
const RECONNECT_SETTLE_MS = 1500;

/** ADOPT_SCRIPT and RELEASE_SCRIPT for node-redis (EVALSHA; EVAL only after NOSCRIPT). */
const SCRIPTS = {
  wslAdopt: defineScript({
    SCRIPT: ADOPT_SCRIPT,
    NUMBER_OF_KEYS: 1,
    parseCommand(parser: CommandParser, presence: string, participantId: string, self: string, procPrefix: string) {
      parser.pushKey(presence);
      parser.push(participantId, self, procPrefix);
    },
    transformReply: (reply: unknown): unknown => reply,
  }),
  wslRelease: defineScript({
    SCRIPT: RELEASE_SCRIPT,
    NUMBER_OF_KEYS: 1,
    parseCommand(parser: CommandParser, presence: string, participantId: string, self: string) {
      parser.pushKey(presence);
      parser.push(participantId, self);
    },
    transformReply: (reply: unknown): unknown => reply,
  }),
};

/** The connection for commands; the subscriber is its duplicate(). */
function createClusterClient(url: string) {
  return createClient({
    url,
    // RESP2, as in RedisEventStore (see there).
    RESP: 2,
    // Commands fail fast while Redis is away, as in RedisEventStore (see the NOTE there); #call
    // adds the deadline for a Redis that hangs.
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnectDelay },
    scripts: SCRIPTS,
  });
}

type ClusterClient = ReturnType<typeof createClusterClient>;

/** This process as one of several behind Redis. */
export class RedisCluster extends EventEmitter<ClusterEvents> implements Cluster {
  readonly processId: string;
  readonly follower: LogFollower;
  readonly #redis: ClusterClient;
  readonly #sub: ClusterClient;
  readonly #prefix: string;
  readonly #logger: Logger;
  readonly #info: () => ProcessInfo;
  readonly #expireMs: number;
  /** Callbacks per `appended:` channel. */
  readonly #following = new Map<string, Set<(lastSeq: number | undefined) => void>>();
  readonly #handlers = new Map<string, Set<BusHandler>>();
  #processes: ProcessInfo[] = [];
  #seenAlive = new Set<string>();
  #heartbeat: NodeJS.Timeout | null = null;
  readonly #heartbeatMs: number;
  /** When the last heartbeat went through (0: never). */
  #lastBeat = 0;
  /** Processes are not declared gone before this time (see #beat). */
  #judgeAfter = 0;
  /** The subscriber lost its connection: announcements may have been missed. */
  #subLost = false;
  #closed = false;
  readonly #watchMs: number;
  readonly #confirmMs: number;
  #watch: NodeJS.Timeout | null = null;
  #watching = false;
  /** Since when the command connection has been up (0: it is not). */
  #readySince = 0;
  /** Processes whose subscriber connection was missing, and when the probe that first missed it was sent. */
  readonly #missing = new Map<string, number>();
  /** Processes declared gone here (each is declared once). */
  readonly #declared = new Set<string>();

  private constructor(redis: ClusterClient, sub: ClusterClient, options: RedisClusterOptions, processId: string) {
    super();
    this.processId = processId;
    this.#redis = redis;
    this.#sub = sub;
    this.#prefix = options.keyPrefix;
    this.#logger = options.logger;
    this.#heartbeatMs = options.heartbeatMs ?? 2000;
    this.#expireMs = options.expireMs ?? 3 * this.#heartbeatMs;
    this.#watchMs = options.watchMs ?? DEFAULT_WATCH_MS;
    this.#confirmMs = options.confirmMs ?? DEFAULT_CONFIRM_MS;
    const startedAt = Date.now();
    this.#info = () => ({ id: processId, url: options.publicUrl(), startedAt, load: options.load() });
    this.follower = { follow: (roomId, appended) => this.#follow(roomId, appended) };
    // Errors are reported by the store's connection already; these listeners are there because
    // node-redis ends the process on an 'error' nobody listens to.
    redis.on('error', (error: Error) => {
      this.#logger.debug(`redis: ${error.message}`);
      this.#readySince = 0;
    });
    redis.on('ready', () => {
      this.#readySince = Date.now();
    });
    sub.on('error', (error: Error) => {
      this.#logger.debug(`redis subscriber: ${error.message}`);
      this.#subLost = true;
    });
    sub.on('ready', () => {
      if (!this.#subLost) return;
      this.#subLost = false;
      this.#resubscribed();
    });
  }

  /** Connects both Redis connections, subscribes to this process's bus and starts the heartbeat. */
  static async connect(options: RedisClusterOptions): Promise<RedisCluster> {
    const redis = createClusterClient(options.url);
    // NOTE: a connection that subscribed can run no other command (RESP2), so the subscriber
    // is a connection of its own. It keeps an offline queue: a SUBSCRIBE asked for while Redis
    // is away goes out once it is back (node-redis also subscribes again by itself to what
    // was subscribed before the loss).
    const sub = redis.duplicate({ disableOfflineQueue: false });
    const processId = options.processId ?? newProcessId();
    const cluster = new RedisCluster(redis, sub, options, processId);
    try {
      await Promise.all([connectOrFail(redis, options.url), connectOrFail(sub, options.url)]);
      await sub.subscribe(cluster.#busChannel(processId), (message) => cluster.#onBusMessage(message));
      await cluster.#beat();
    } catch (error) {
      redis.destroy();
      sub.destroy();
      throw error;
    }
    cluster.#heartbeat = setInterval(() => {
      cluster.#beat().catch((error: unknown) => cluster.#logger.debug('heartbeat failed', error));
    }, options.heartbeatMs ?? 2000);
    cluster.#heartbeat.unref();
    cluster.#readySince = Date.now();
    if (cluster.#watchMs > 0) {
      cluster.#watch = setInterval(() => cluster.#probe(), cluster.#watchMs);
      cluster.#watch.unref();
    }
    return cluster;
  }

  async claim(roomId: string, participantId: string): Promise<void> {
    await this.#call((redis) => redis.hSet(this.#presenceKey(roomId), participantId, this.processId));
  }

  async holder(roomId: string, participantId: string): Promise<Holder> {
    const holder = await this.#call((redis) => redis.hGet(this.#presenceKey(roomId), participantId));
    if (holder === null) return 'nobody';
    if (holder === this.processId) return 'self';
    return (await this.#alive(holder)) ? 'other' : 'nobody';
  }

  async adopt(roomId: string, participantId: string): Promise<boolean> {
    const adopted = await this.#call((redis) => redis.wslAdopt(this.#presenceKey(roomId), participantId, this.processId, this.#key('proc:')));
    return adopted === 1;
  }

  async release(roomId: string, participantId: string): Promise<void> {
    await this.#call((redis) => redis.wslRelease(this.#presenceKey(roomId), participantId, this.processId));
  }

  // A duty is held like a participant (ADOPT_SCRIPT): in a hash of its own per room, taken over once its holder is gone.
  async lead(roomId: string, duty: string): Promise<boolean> {
    const taken = await this.#call((redis) => redis.wslAdopt(this.#key(`duty:${escapeId(roomId)}`), duty, this.processId, this.#key('proc:')));
    return taken === 1;
  }

  async resign(roomId: string, duty: string): Promise<void> {
    await this.#call((redis) => redis.wslRelease(this.#key(`duty:${escapeId(roomId)}`), duty, this.processId));
  }

  async mediaOpened(roomId: string): Promise<string[]> {
    const key = this.#key(`media:${escapeId(roomId)}`);
    await this.#call((redis) => redis.sAdd(key, this.processId));
    const members = await this.#call((redis) => redis.sMembers(key));
    const others: string[] = [];
    for (const id of members) {
      if (id === this.processId) continue;
      if (await this.#alive(id)) others.push(id);
      else await this.#call((redis) => redis.sRem(key, id));
    }
    return others;
  }

  async mediaClosed(roomId: string): Promise<void> {
    await this.#call((redis) => redis.sRem(this.#key(`media:${escapeId(roomId)}`), this.processId));
  }

  send(to: string, topic: string, message: unknown): void {
    const envelope = JSON.stringify({ from: this.processId, topic, message });
    this.#call((redis) => redis.publish(this.#busChannel(to), envelope)).catch((error: unknown) => {
      this.#logger.warn(`could not send ${topic} to process ${to}`, error);
    });
  }

  onMessage(topic: string, handler: BusHandler): () => void {
    let handlers = this.#handlers.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.#handlers.set(topic, handlers);
    }
    handlers.add(handler);
    return () => handlers.delete(handler);
  }

  health(): ClusterHealth {
    return {
      mode: 'redis',
      processId: this.processId,
      redis: this.#redis.isReady ? 'ready' : 'unreachable',
      processes: this.#processes,
    };
  }

  /** Stops the heartbeat and removes this process's announcement (the others see it gone at once). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (this.#watch) clearInterval(this.#watch);
    if (this.#redis.isReady) {
      try {
        await this.#call((redis) => redis.multi().del(this.#key(`proc:${this.processId}`)).sRem(this.#key('procs'), this.processId).exec());
      } catch (error) {
        this.#logger.debug('could not withdraw the announcement; it expires by itself', error);
      }
    }
    this.#sub.destroy();
    this.#redis.destroy();
    this.removeAllListeners();
  }

  /** Renews this process's announcement and notices the processes that stopped renewing theirs. */
  async #beat(): Promise<void> {
    if (this.#closed) return;
    const info = this.#info();
    await this.#call((redis) =>
      redis
        .multi()
        .set(this.#key(`proc:${this.processId}`), JSON.stringify(info), { expiration: { type: 'PX', value: this.#expireMs } })
        .sAdd(this.#key('procs'), this.processId)
        .exec(),
    );
    const ids = await this.#call((redis) => redis.sMembers(this.#key('procs')));
    const values = ids.length === 0 ? [] : await this.#call((redis) => redis.mGet(ids.map((id) => this.#key(`proc:${id}`))));
    const processes: ProcessInfo[] = [];
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const value = values[i];
      if (value === null || value === undefined) {
        gone.push(id);
        return;
      }
      const parsed = ProcessInfoSchema.safeParse(safeJson(value));
      if (parsed.success) processes.push(parsed.data);
      else this.#logger.warn(`process ${id} announces something unreadable; ignored`);
    });
    this.#processes = processes.sort((a, b) => a.startedAt - b.startedAt);
    // Another survivor may have removed a gone process from the set already: what this one
    // saw alive last time and no longer sees is gone too.
    const alive = new Set(processes.map((p) => p.id));
    // One declared gone that announces itself again came back (its connection was cut, not
    // its life): it can be declared gone again later.
    for (const id of alive) this.#declared.delete(id);
    for (const id of this.#seenAlive) if (!alive.has(id) && !gone.includes(id) && !ids.includes(id)) gone.push(id);
    this.#seenAlive = alive;
    // NOTE: after this process could not reach Redis for a while (or was paused), every other
    // process's announcement may have expired for the same reason; they are alive and renew
    // it on their next heartbeat. Judge nobody until a full expiry period has passed.
    const now = Date.now();
    if (this.#lastBeat === 0 || now - this.#lastBeat > 1.5 * this.#heartbeatMs) this.#judgeAfter = now + this.#expireMs;
    this.#lastBeat = now;
    if (now < this.#judgeAfter) return;
    for (const id of gone) {
      // Every survivor notices (see above) and takes over its own rooms' participants.
      await this.#call((redis) => redis.sRem(this.#key('procs'), id));
      if (this.#declared.has(id)) continue;
      this.#declared.add(id);
      this.#logger.warn(`process ${id} stopped announcing itself; taking over its participants`);
      this.emit('processGone', id);
    }
  }

  /**
   * Looks for the subscriber connection of every other process seen alive; declares gone the
   * ones whose connection stayed gone for confirmMs (see the NOTE at the top of the file).
   */
  #probe(): void {
    if (this.#closed || this.#watching) return;
    const sentAt = Date.now();
    // This process's own view is only good once its connection has been up a while.
    if (this.#readySince === 0 || !this.#redis.isReady || sentAt - this.#readySince < RECONNECT_SETTLE_MS) {
      this.#missing.clear();
      return;
    }
    const others = [...this.#seenAlive].filter((id) => id !== this.processId && !this.#declared.has(id));
    if (others.length === 0) return;
    this.#watching = true;
    this.#call((redis) => redis.pubSubNumSub(others.map((id) => this.#busChannel(id))))
      .then(async (counts) => {
        const confirmed: string[] = [];
        for (const id of others) {
          if ((counts[this.#busChannel(id)] ?? 0) > 0) {
            this.#missing.delete(id);
            continue;
          }
          const since = this.#missing.get(id);
          if (since === undefined) this.#missing.set(id, sentAt);
          else if (sentAt - since >= this.#confirmMs) confirmed.push(id);
        }
        for (const id of confirmed) await this.#declareGone(id, sentAt - (this.#missing.get(id) ?? sentAt));
      })
      .catch((error: unknown) => this.#logger.debug('could not look for the other processes’ connections', error))
      .finally(() => {
        this.#watching = false;
      });
  }

  /** A process whose connection is gone: withdraw its announcement for it (holder, adopt and lead read it) and tell the listeners. */
  async #declareGone(id: string, missingMs: number): Promise<void> {
    if (this.#closed || this.#declared.has(id)) return;
    this.#declared.add(id);
    this.#missing.delete(id);
    this.#seenAlive.delete(id);
    this.#processes = this.#processes.filter((p) => p.id !== id);
    await this.#call((redis) => redis.multi().del(this.#key(`proc:${id}`)).sRem(this.#key('procs'), id).exec()).catch((error: unknown) => {
      this.#logger.warn(`could not withdraw the announcement of process ${id}; it expires by itself`, error);
    });
    this.#logger.warn(`process ${id} has no connection to redis for ${missingMs} ms: it is gone; taking over its participants`);
    this.emit('processGone', id);
  }

  async #alive(processId: string): Promise<boolean> {
    return (await this.#call((redis) => redis.exists(this.#key(`proc:${processId}`)))) === 1;
  }

  /**
   * Runs a command only while connected, within the deadline. disableOfflineQueue covers
   * single commands; node-redis would still queue a MULTI until Redis is back.
   */
  #call<T>(command: (redis: ClusterClient) => Promise<T>): Promise<T> {
    if (!this.#redis.isReady) return Promise.reject(new ClientOfflineError());
    return withDeadline(command(this.#redis), COMMAND_TIMEOUT_MS);
  }

  #follow(roomId: string, appended: (lastSeq: number | undefined) => void): () => void {
    const channel = appendedChannel(this.#prefix, roomId);
    let callbacks = this.#following.get(channel);
    if (!callbacks) {
      callbacks = new Set();
      this.#following.set(channel, callbacks);
      this.#sub.subscribe(channel, this.#onAppended).catch((error: unknown) => {
        // The subscription is retried when the subscriber reconnects (#resubscribed); meanwhile say so.
        this.#logger.warn(`could not follow room ${roomId}; it catches up when redis answers`, error);
      });
    }
    callbacks.add(appended);
    return () => {
      callbacks.delete(appended);
      if (callbacks.size > 0) return;
      this.#following.delete(channel);
      this.#sub.unsubscribe(channel).catch((error: unknown) => this.#logger.debug(`unsubscribe ${channel}`, error));
    };
  }

  /**
   * The subscriber is back after a loss. node-redis subscribed again (before 'ready') to what it
   * had; a SUBSCRIBE that was lost with the connection is sent again here.
   */
  #resubscribed(): void {
    for (const channel of this.#following.keys()) {
      // NOTE: only once the channel is subscribed are its followers told to read: an append
      // from then on is announced, one from before is in what they read. What was appended
      // while the subscriber was away was announced to nobody.
      this.#sub.subscribe(channel, this.#onAppended).then(
        () => this.#announce(channel, undefined),
        (error: unknown) => this.#logger.warn(`could not follow ${channel} again; it catches up at the next reconnect`, error),
      );
    }
  }

  /** One listener for every `appended:` channel (node-redis keeps a set of listeners per channel). */
  readonly #onAppended = (message: string, channel: string): void => {
    const lastSeq = Number(message);
    this.#announce(channel, Number.isSafeInteger(lastSeq) ? lastSeq : undefined);
  };

  #announce(channel: string, lastSeq: number | undefined): void {
    for (const appended of this.#following.get(channel) ?? []) {
      // NOTE: node-redis calls listeners while it decodes a reply; a throw there would reset its
      // decoder and lose the rest of what arrived with this message.
      try {
        appended(lastSeq);
      } catch (error) {
        this.#logger.error(`a follower of ${channel} failed`, error);
      }
    }
  }

  #onBusMessage(message: string): void {
    const envelope = Envelope.safeParse(safeJson(message));
    if (!envelope.success) {
      this.#logger.warn('dropped an unreadable message from another process');
      return;
    }
    const { from, topic, message: payload } = envelope.data;
    for (const handler of this.#handlers.get(topic) ?? []) {
      try {
        handler(from, payload);
      } catch (error) {
        this.#logger.error(`handling ${topic} from ${from} failed`, error);
      }
    }
  }

  #key(name: string): string {
    return `${this.#prefix}${name}`;
  }

  #presenceKey(roomId: string): string {
    return this.#key(`presence:${escapeId(roomId)}`);
  }

  #busChannel(processId: string): string {
    return this.#key(`bus:${processId}`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A new process id: when it started (sortable), and random bits. */
export function newProcessId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
