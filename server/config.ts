/**
 * Environment → validated configuration. Every setting has a default that runs the product
 * on one machine; a bad value stops the start with a message naming the variable.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_LIMITS, type LimitsConfig } from './limits/Limits.js';

const port = z.coerce.number().int().min(0).max(65535);
const positive = z.coerce.number().int().min(1).max(1_000_000);

const EnvSchema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** The IP (or host name) browsers reach this server's media on; required off one machine. */
    ANNOUNCED_IP: z.string().min(1).optional(),
    /** The local address mediasoup listens on for media (see loadConfig for the default). */
    RTC_LISTEN_IP: z.string().min(1).optional(),
    RTC_MIN_PORT: port.default(40000),
    RTC_MAX_PORT: port.default(49999),
    /** mediasoup workers; one per core by default. */
    MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
    /** How long a dropped participant is kept for a resume, in seconds. */
    RESUME_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    DATA_DIR: z.string().min(1).default(path.resolve('data')),
    /** Protects room creation and invites; generated into DATA_DIR/admin-secret when unset. */
    ADMIN_SECRET: z.string().min(16).optional(),
    /** Signs invite tokens; generated into DATA_DIR/invite-secret when unset. */
    INVITE_SECRET: z.string().min(32).optional(),
    /** Seals secret ballots of open polls; generated into DATA_DIR/ballot-secret when unset. */
    BALLOT_SECRET: z.string().min(32).optional(),
    /** Base URL of invite links (https://… behind a proxy); unset: the address a request came to. */
    PUBLIC_URL: z.url().optional(),
    CLIENT_DIR: z.string().min(1).default(path.resolve('dist/client')),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** json: one JSON object per line (for a collector); pretty: readable lines for a terminal. */
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
    /** TURN relays handed to clients, comma-separated (turn:host:3478?transport=udp,turns:host:443?transport=tcp). */
    TURN_URLS: z
      .string()
      .transform((value) => value.split(',').map((url) => url.trim()).filter((url) => url !== ''))
      .pipe(z.array(z.string().regex(/^turns?:[^\s]+$/, 'each must start with turn: or turns:')).min(1))
      .optional(),
    /** coturn's static-auth-secret: the server mints short-lived TURN credentials with it. */
    TURN_SECRET: z.string().min(16).optional(),
    /** How long a minted TURN credential is valid, in seconds. */
    TURN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    /** PEM certificate (chain) and key files: the server speaks HTTPS itself. */
    TLS_CERT: z.string().min(1).optional(),
    TLS_KEY: z.string().min(1).optional(),
    /** Bearer secret of GET /metrics (Prometheus); unset with no METRICS_PORT: no metrics served. */
    METRICS_SECRET: z.string().min(16).optional(),
    /** A separate listen port for /metrics only (bind it to an operator network with METRICS_HOST). */
    METRICS_PORT: port.optional(),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** redis://host:port/db: rooms live in Redis and several processes serve them together. */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
    /** Prefix of every Redis key, so several deployments can share one Redis. */
    REDIS_PREFIX: z.string().min(1).max(64).default('wsl:'),
    /** Browser transports each worker takes at most; a join beyond answers CAPACITY. */
    MEDIA_MAX_TRANSPORTS_PER_WORKER: z.coerce.number().int().min(2).max(100_000).default(1000),
    /** How many proxies (nginx…) stand in front: client addresses come from X-Forwarded-For then. */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    /** A connection that has not joined a room after this long is closed, in seconds. */
    JOIN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
    /** How often the audience counts (在线观众, 累计访问) are shared between processes and shown, in ms. */
    AUDIENCE_COUNTS_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
    /** on: the program is also encoded to a live HLS stream (/stream/<roomId>/index.m3u8) with ffmpeg. */
    STREAM: z.enum(['on', 'off']).default('on'),
    /** The ffmpeg the stream runs (Debian's package by default, found on PATH). */
    FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
    /** A room's stream stops after nobody asked for its playlist for this long, in seconds. */
    STREAM_IDLE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    /** Where recordings are written (one directory per room); with several processes, storage they all share. */
    RECORDINGS_DIR: z.string().min(1).optional(),
    /** The ffprobe that measures a recording when the minutes are locked (Debian's ffmpeg package has it). */
    FFPROBE_PATH: z.string().min(1).default('ffprobe'),
    LIMIT_SOCKET_EVENTS_PER_10S: positive.default(DEFAULT_LIMITS.socketEventsPer10s),
    LIMIT_COMMANDS_PER_10S: positive.default(DEFAULT_LIMITS.commandsPer10s),
    LIMIT_JOINS_PER_MINUTE_PER_ADDRESS: positive.default(DEFAULT_LIMITS.joinsPerMinutePerAddress),
    LIMIT_FAILED_JOINS_PER_MINUTE_PER_ADDRESS: positive.default(DEFAULT_LIMITS.failedJoinsPerMinutePerAddress),
    LIMIT_JOINS_PER_SECOND_PER_INVITE: positive.default(DEFAULT_LIMITS.joinsPerSecondPerInvite),
    LIMIT_JOINS_PER_MINUTE_PER_PERSONAL_INVITE: positive.default(DEFAULT_LIMITS.joinsPerMinutePerPersonalInvite),
    LIMIT_CONNECTIONS_PER_10S_PER_ADDRESS: positive.default(DEFAULT_LIMITS.connectionsPer10sPerAddress),
    LIMIT_LOOKUPS_PER_MINUTE_PER_ADDRESS: positive.default(DEFAULT_LIMITS.lookupsPerMinutePerAddress),
    LIMIT_RECORDING_REQUESTS_PER_MINUTE_PER_ADDRESS: positive.default(DEFAULT_LIMITS.recordingRequestsPerMinutePerAddress),
    LIMIT_FAILED_LOOKUPS_PER_10_MINUTES_PER_ADDRESS: positive.default(DEFAULT_LIMITS.failedLookupsPer10MinutesPerAddress),
    LIMIT_FAILED_ADMIN_SECRETS_PER_10_MINUTES_PER_ADDRESS: positive.default(DEFAULT_LIMITS.failedAdminSecretsPer10MinutesPerAddress),
    LIMIT_FAILED_LOGINS_PER_10_MINUTES_PER_ADDRESS: positive.default(DEFAULT_LIMITS.failedLoginsPer10MinutesPerAddress),
    LIMIT_FAILED_LOGINS_PER_10_MINUTES_PER_USERNAME: positive.default(DEFAULT_LIMITS.failedLoginsPer10MinutesPerUsername),
    LIMIT_COMMENTS_PER_10_MINUTES_PER_BROWSER: positive.default(DEFAULT_LIMITS.commentsPer10MinutesPerBrowser),
    LIMIT_COMMENTS_PER_10_MINUTES_PER_ADDRESS: positive.default(DEFAULT_LIMITS.commentsPer10MinutesPerAddress),
    LIMIT_UPVOTES_PER_MINUTE_PER_BROWSER: positive.default(DEFAULT_LIMITS.upvotesPerMinutePerBrowser),
    LIMIT_UPVOTES_PER_MINUTE_PER_ADDRESS: positive.default(DEFAULT_LIMITS.upvotesPerMinutePerAddress),
    LIMIT_BROWSER_IDS_PER_MINUTE_PER_ADDRESS: positive.default(DEFAULT_LIMITS.browserIdsPerMinutePerAddress),
  })
  // NOTE: every process must verify the invites and resume tokens the others signed; secrets
  // generated per process into DATA_DIR would make a client's resume fail on the other one.
  .refine((env) => env.REDIS_URL === undefined || (env.INVITE_SECRET !== undefined && env.ADMIN_SECRET !== undefined && env.BALLOT_SECRET !== undefined), {
    message: 'with REDIS_URL, set INVITE_SECRET, ADMIN_SECRET and BALLOT_SECRET to the same values on every process',
    path: ['REDIS_URL'],
  })
  .refine((env) => (env.TURN_URLS === undefined) === (env.TURN_SECRET === undefined), {
    message: 'set TURN_URLS and TURN_SECRET together (the secret is coturn\'s static-auth-secret)',
    path: ['TURN_URLS'],
  })
  .refine((env) => (env.TLS_CERT === undefined) === (env.TLS_KEY === undefined), {
    message: 'set TLS_CERT and TLS_KEY together',
    path: ['TLS_CERT'],
  })
  .refine((env) => env.RTC_MIN_PORT <= env.RTC_MAX_PORT, {
    message: 'RTC_MIN_PORT must not be above RTC_MAX_PORT',
    path: ['RTC_MIN_PORT'],
  });

/** The server's configuration. */
export type Config = {
  port: number;
  host: string;
  rtc: { listenIp: string; announcedAddress: string | undefined; minPort: number; maxPort: number };
  mediaWorkers: number;
  resumeGraceMs: number;
  /** The rhythm of the audience counts, in ms. */
  audienceCountsMs: number;
  /** Set: the live HLS stream of each room's program, encoded by this ffmpeg; unset: STREAM=off. */
  stream: { ffmpegPath: string; idleMs: number } | undefined;
  /** Recordings are written into `dir` with this ffmpeg and measured with this ffprobe. */
  recording: { dir: string; ffmpegPath: string; ffprobePath: string };
  dataDir: string;
  adminSecret: string | undefined;
  inviteSecret: string | undefined;
  ballotSecret: string | undefined;
  publicUrl: string | undefined;
  clientDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  logFormat: 'json' | 'pretty';
  /** Set: clients get these TURN relays with credentials minted per transport. */
  turn: { urls: string[]; secret: string; ttlSeconds: number } | undefined;
  /** Set: the server serves HTTPS with this certificate and key (PEM file paths). */
  tls: { certFile: string; keyFile: string } | undefined;
  /**
   * GET /metrics: on the main port behind a bearer secret, and/or on a port of its own (no
   * secret needed there: bind it to where only the operator reaches). Both unset: not served.
   */
  metrics: { secret: string | undefined; port: number | undefined; host: string };
  /** Set: rooms in Redis, shared with other processes; unset: SQLite, one process. */
  redis: { url: string; prefix: string } | undefined;
  maxTransportsPerWorker: number;
  /** Proxies in front whose X-Forwarded-For is believed (0: none). */
  trustProxy: number;
  joinTimeoutMs: number;
  limits: LimitsConfig;
};

/** Thrown when the environment holds an unusable value. */
export class ConfigError extends Error {}

/** Reads the configuration from an environment (process.env by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    rtc: {
      // Without an announced address only browsers on this machine can reach the media, so
      // listen on loopback; with one, listen on every interface and announce that address.
      listenIp: e.RTC_LISTEN_IP ?? (e.ANNOUNCED_IP === undefined ? '127.0.0.1' : '0.0.0.0'),
      announcedAddress: e.ANNOUNCED_IP,
      minPort: e.RTC_MIN_PORT,
      maxPort: e.RTC_MAX_PORT,
    },
    mediaWorkers: e.MEDIA_WORKERS,
    resumeGraceMs: e.RESUME_GRACE_SECONDS * 1000,
    dataDir: path.resolve(e.DATA_DIR),
    adminSecret: e.ADMIN_SECRET,
    inviteSecret: e.INVITE_SECRET,
    ballotSecret: e.BALLOT_SECRET,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    clientDir: path.resolve(e.CLIENT_DIR),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    turn: e.TURN_URLS === undefined || e.TURN_SECRET === undefined ? undefined : { urls: e.TURN_URLS, secret: e.TURN_SECRET, ttlSeconds: e.TURN_TTL_SECONDS },
    tls: e.TLS_CERT === undefined || e.TLS_KEY === undefined ? undefined : { certFile: path.resolve(e.TLS_CERT), keyFile: path.resolve(e.TLS_KEY) },
    metrics: { secret: e.METRICS_SECRET, port: e.METRICS_PORT, host: e.METRICS_HOST },
    redis: e.REDIS_URL === undefined ? undefined : { url: e.REDIS_URL, prefix: e.REDIS_PREFIX },
    maxTransportsPerWorker: e.MEDIA_MAX_TRANSPORTS_PER_WORKER,
    trustProxy: e.TRUST_PROXY,
    joinTimeoutMs: e.JOIN_TIMEOUT_SECONDS * 1000,
    audienceCountsMs: e.AUDIENCE_COUNTS_MS,
    stream: e.STREAM === 'off' ? undefined : { ffmpegPath: e.FFMPEG_PATH, idleMs: e.STREAM_IDLE_SECONDS * 1000 },
    recording: { dir: path.resolve(e.RECORDINGS_DIR ?? path.join(e.DATA_DIR, 'recordings')), ffmpegPath: e.FFMPEG_PATH, ffprobePath: e.FFPROBE_PATH },
    limits: {
      socketEventsPer10s: e.LIMIT_SOCKET_EVENTS_PER_10S,
      commandsPer10s: e.LIMIT_COMMANDS_PER_10S,
      joinsPerMinutePerAddress: e.LIMIT_JOINS_PER_MINUTE_PER_ADDRESS,
      failedJoinsPerMinutePerAddress: e.LIMIT_FAILED_JOINS_PER_MINUTE_PER_ADDRESS,
      joinsPerSecondPerInvite: e.LIMIT_JOINS_PER_SECOND_PER_INVITE,
      joinsPerMinutePerPersonalInvite: e.LIMIT_JOINS_PER_MINUTE_PER_PERSONAL_INVITE,
      connectionsPer10sPerAddress: e.LIMIT_CONNECTIONS_PER_10S_PER_ADDRESS,
      lookupsPerMinutePerAddress: e.LIMIT_LOOKUPS_PER_MINUTE_PER_ADDRESS,
      recordingRequestsPerMinutePerAddress: e.LIMIT_RECORDING_REQUESTS_PER_MINUTE_PER_ADDRESS,
      failedLookupsPer10MinutesPerAddress: e.LIMIT_FAILED_LOOKUPS_PER_10_MINUTES_PER_ADDRESS,
      failedAdminSecretsPer10MinutesPerAddress: e.LIMIT_FAILED_ADMIN_SECRETS_PER_10_MINUTES_PER_ADDRESS,
      failedLoginsPer10MinutesPerAddress: e.LIMIT_FAILED_LOGINS_PER_10_MINUTES_PER_ADDRESS,
      failedLoginsPer10MinutesPerUsername: e.LIMIT_FAILED_LOGINS_PER_10_MINUTES_PER_USERNAME,
      commentsPer10MinutesPerBrowser: e.LIMIT_COMMENTS_PER_10_MINUTES_PER_BROWSER,
      commentsPer10MinutesPerAddress: e.LIMIT_COMMENTS_PER_10_MINUTES_PER_ADDRESS,
      upvotesPerMinutePerBrowser: e.LIMIT_UPVOTES_PER_MINUTE_PER_BROWSER,
      upvotesPerMinutePerAddress: e.LIMIT_UPVOTES_PER_MINUTE_PER_ADDRESS,
      browserIdsPerMinutePerAddress: e.LIMIT_BROWSER_IDS_PER_MINUTE_PER_ADDRESS,
    },
  };
}
