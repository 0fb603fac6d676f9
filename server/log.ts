/**
 * A small leveled logger writing one line per message to stderr. Enough for one process
 * under systemd or a terminal; no structured sink is needed yet.
 */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

/** A log level name. */
export type LogLevel = keyof typeof LEVELS;

/** A logger bound to one component name. */
export type Logger = {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
  child(name: string): Logger;
};

/** Creates a logger printing messages at `level` and above. */
export function createLogger(level: LogLevel, name = 'wsl'): Logger {
  const threshold = LEVELS[level];
  const write = (at: Exclude<LogLevel, 'silent'>, message: string, details: unknown[]): void => {
    if (LEVELS[at] < threshold) return;
    const line = `${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} [${name}] ${message}`;
    console.error(line, ...details);
  };
  return {
    debug: (m, ...d) => write('debug', m, d),
    info: (m, ...d) => write('info', m, d),
    warn: (m, ...d) => write('warn', m, d),
    error: (m, ...d) => write('error', m, d),
    child: (child) => createLogger(level, `${name}:${child}`),
  };
}
