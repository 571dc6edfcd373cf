/**
 * pino, configured once. Three channels share one stream: `daemon` (life cycle), `fetch` (one line
 * per request on any protocol) and `security` (denials and blocks; a fail2ban filter keys on it).
 * Redaction is a second line of defence: no code path hands a password or a body to the logger.
 */
import { pino, type Logger } from 'pino';
import { createFetchLog, type FetchLog } from './fetch-log.js';
import { LineBuffer } from './line-buffer.js';

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
  /** Writes out every buffered line before returning; call before the process exits. */
  readonly flushSync: () => void;
}

export function createLoggers(opts: LoggerOptions): Loggers {
  if (!opts.async) {
    const destination = pino.destination({ fd: opts.fd ?? 1, sync: true });
    return assemble(opts, destination, () => destination.flushSync());
  }
  // The daemon's lines are gathered into chunks of about 16 KB (line-buffer.ts), written at
  // least every 100 ms: one write call per line cost about a tenth of the serving thread with a
  // new connection per request, and one sonic-boom call per line about 3 µs.
  const destination = pino.destination({ fd: opts.fd ?? 1, sync: false, minLength: 0 });
  const buffer = new LineBuffer(destination, { chunkChars: 16_000, flushMs: 100 });
  return assemble(opts, buffer, () => buffer.flushSync());
}

function assemble(opts: LoggerOptions, stream: { write(text: string): unknown }, flush: () => void): Loggers {
  const common = {
    level: opts.level,
    base: { app: 'provd' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return {
    logger: pino({ ...common, redact: { paths: REDACT, censor: '[redacted]' } }, stream),
    fetchLog: createFetchLog(stream, pino.levels.values[opts.level]! <= pino.levels.values.info!),
    flushSync: () => {
      try {
        flush();
      } catch {
        // Not open yet (nothing was written), or the stream is gone: nothing left to save.
      }
    },
  };
}

export function createLogger(opts: LoggerOptions): Logger {
  return createLoggers(opts).logger;
}

/** The log channels, so every module names them the same way. */
export const CHANNELS = { daemon: 'daemon', fetch: 'fetch', security: 'security' } as const;
