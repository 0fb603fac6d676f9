/**
 * Log lines: one JSON object per line (pino), or a readable form for a terminal
 * (LOG_FORMAT=pretty). A line carries its level, time, component name, the process's pid (and
 * its cluster process id once known) and the fields bound to the logger (roomId,
 * participantId, ...), so an operator can follow one room or one person across processes.
 *
 * Nothing secret may reach a line; three nets, from the most precise to the bluntest:
 * call sites pass ids, never tokens or payloads; `redact` blanks well-known keys of any
 * object logged; every finished line is scrubbed of token-shaped strings (invites and resume
 * tokens are JWTs) and of the secret values the process registered (neverLog).
 */
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import { prettyFactory } from 'pino-pretty';

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** A log level name. */
export type LogLevel = (typeof LEVELS)[number];

/** How lines are written: JSON lines, or readable ones for a terminal. */
export type LogFormat = 'json' | 'pretty';

/** Fields a line carries beside its message (ids, counts; never secrets). */
export type LogFields = Record<string, unknown>;

/** A logger bound to one component name and, optionally, to fields such as a room's id. */
export type Logger = {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
  /** A logger named `<name>:<child>` whose lines also carry `fields`. */
  child(name: string, fields?: LogFields): Logger;
};

/** Where lines go: one `write` per line (default: stderr, as before). */
export type LogDestination = { write(line: string): unknown };

/** How createLogger() is configured. */
export type LoggerOptions = {
  /** Component name of the root logger (default 'wsl'). */
  name?: string;
  format?: LogFormat;
  destination?: LogDestination;
  /** Colours in the pretty form (default: when writing to a terminal). */
  colorize?: boolean;
};

/** Keys whose values are blanked wherever they appear in a logged object (up to two levels deep). */
const SECRET_KEYS = [
  'secret',
  'adminSecret',
  'inviteSecret',
  'ballotSecret',
  'turnSecret',
  'metricsSecret',
  'token',
  'inviteToken',
  'resumeToken',
  'invite',
  'receipt',
  'password',
  'credential',
  'credentials',
  'authorization',
  'cookie',
  'set-cookie',
  'browserId',
  'choice',
  'choices',
  'optionId',
  'optionIds',
  'ballot',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const at = key.includes('-') ? `["${key}"]` : key;
  const below = key.includes('-') ? at : `.${key}`;
  return [at, `*${below}`, `*.*${below}`];
});
const CENSOR = '[redacted]';
/** Invite and resume tokens are JWTs (three base64url parts, the first `{"`-encoded). */
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** Shorter values could collide with ordinary words; every secret of ours is longer. */
const MIN_SECRET_LENGTH = 8;

/** What every logger made by one createLogger() shares: bound after some loggers were handed out. */
type Shared = { processId: string | undefined; secrets: Set<string> };
const shared = new WeakMap<Logger, Shared>();

/** Creates a logger writing lines at `level` and above (`name`: the root's component name). */
export function createLogger(level: LogLevel, options: LoggerOptions | string = {}): Logger {
  const { name = 'wsl', format = 'json', destination, colorize } = typeof options === 'string' ? { name: options } : options;
  const state: Shared = { processId: undefined, secrets: new Set() };
  const out = destination ?? pino.destination({ fd: 2, sync: true });
  const scrub = (line: string): string => {
    let clean = line.replace(JWT, CENSOR);
    for (const secret of state.secrets) clean = clean.replaceAll(secret, CENSOR);
    return clean;
  };
  const stream: DestinationStream =
    format === 'pretty'
      ? prettyStream(out, colorize ?? (destination === undefined && process.stderr.isTTY))
      : { write: (line: string) => out.write(line) };
  const root = pino(
    {
      level,
      // Names and ISO times: readable with jq or grep, and what log collectors parse without help.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      // pid and hostname, as pino does by default; the cluster's process id joins them once known.
      mixin: () => (state.processId === undefined ? {} : { processId: state.processId }),
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      hooks: { streamWrite: scrub },
    },
    stream,
  );
  return wrap(root, root.child({ name }), name, {}, state);
}

/** From now on, every line of `logger` and of every logger made with it carries `processId`. */
export function bindProcess(logger: Logger, processId: string): void {
  const state = shared.get(logger);
  if (state) state.processId = processId;
}

/**
 * Values no line of `logger` (and its relatives) may show, replaced wherever they appear: the
 * process's own secrets, known only once loaded. Loggers not made by createLogger() are left as
 * they are (tests' recorders).
 */
export function neverLog(logger: Logger, ...secrets: (string | undefined)[]): void {
  const state = shared.get(logger);
  if (!state) return;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    // As it is, and as it reads inside a JSON string (a quote or a backslash escaped).
    state.secrets.add(secret);
    state.secrets.add(JSON.stringify(secret).slice(1, -1));
  }
}

function wrap(root: Pino, pinoLogger: Pino, name: string, fields: LogFields, state: Shared): Logger {
  const write = (level: Exclude<LogLevel, 'silent'>, message: string, details: unknown[]): void => {
    if (!pinoLogger.isLevelEnabled(level)) return;
    if (details.length === 0) pinoLogger[level](message);
    else pinoLogger[level](detailFields(details), message);
  };
  const logger: Logger = {
    debug: (m, ...d) => write('debug', m, d),
    info: (m, ...d) => write('info', m, d),
    warn: (m, ...d) => write('warn', m, d),
    error: (m, ...d) => write('error', m, d),
    child: (child, more = {}) => {
      const childName = `${name}:${child}`;
      // NOTE: every child is a child of the root with all its bindings, not a child of a child:
      // pino writes the bindings of every ancestor, so a key bound twice (name) would appear twice.
      const merged = { ...fields, ...more };
      return wrap(root, root.child({ name: childName, ...merged }), childName, merged, state);
    },
  };
  shared.set(logger, state);
  return logger;
}

/** An Error becomes `err` (message, stack); plain objects merge as fields; anything else goes in `details`. */
function detailFields(details: unknown[]): LogFields {
  const fields: LogFields = {};
  const rest: unknown[] = [];
  for (const detail of details) {
    if (detail instanceof Error && fields.err === undefined) fields.err = detail;
    else if (isPlainObject(detail)) Object.assign(fields, detail);
    else rest.push(detail);
  }
  if (rest.length > 0) fields.details = rest.map((d) => (d instanceof Error ? pino.stdSerializers.err(d) : d));
  return fields;
}

function isPlainObject(value: unknown): value is LogFields {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** pino-pretty's formatter called in-process for each line: no worker thread, no lost lines at exit. */
function prettyStream(out: LogDestination, colorize: boolean): DestinationStream {
  const pretty = prettyFactory({ colorize, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l', ignore: 'hostname' });
  return { write: (line: string) => out.write(pretty(line)) };
}

/** The password in a URL such as REDIS_URL's `redis://:pass@host`, if any. */
export function passwordOf(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  const { password } = new URL(url);
  return password === '' ? undefined : decodeURIComponent(password);
}
