/**
 * pino, configured once. Three channels share one stream: `daemon` (life cycle), `fetch` (one line
 * per request on any protocol) and `security` (denials and blocks; a fail2ban filter keys on it).
 * Redaction is a second line of defence: no code path hands a password or a body to the logger.
 */
import { pino, type Logger } from 'pino';
import { createFetchLog, type FetchLog } from './fetch-log.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly level: string;
  /** File descriptor to write to; 1 (stdout) by default. */
  readonly fd?: number;
  /** Buffered asynchronous writes: right for the daemon; CLI commands keep the default sync. */
  readonly async?: boolean;
}

const REDACT = [
  'password',
  '*.password',
  '*.*.password',
  'credentials',
  '*.credentials',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'body',
  '*.body',
];

export interface Loggers {
  /** Daemon and security channels: redacted, for lines that carry arbitrary objects and errors. */
  readonly logger: Logger;
  /** The `fetch` channel (see fetch-log.ts), on the same stream. */
  readonly fetchLog: FetchLog;
}

export function createLoggers(opts: LoggerOptions): Loggers {
  const destination = pino.destination({ fd: opts.fd ?? 1, sync: !opts.async, minLength: 0 });
  const common = {
    level: opts.level,
    base: { app: 'provd' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return {
    logger: pino({ ...common, redact: { paths: REDACT, censor: '[redacted]' } }, destination),
    fetchLog: createFetchLog(destination, pino.levels.values[opts.level]! <= pino.levels.values.info!),
  };
}

export function createLogger(opts: LoggerOptions): Logger {
  return createLoggers(opts).logger;
}

/** Writes out anything buffered; call before exit. */
export function flushLogger(logger: Logger): void {
  try {
    logger.flush();
  } catch {
    // A destination that is not ready yet has nothing buffered to lose.
  }
}

/** The log channels, so every module names them the same way. */
export const CHANNELS = { daemon: 'daemon', fetch: 'fetch', security: 'security' } as const;
