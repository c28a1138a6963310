/** Logging to stderr (stdout carries only data the user asked for). */

/** Log verbosity. */
export type LogLevel = 'quiet' | 'info' | 'debug';

/** A minimal leveled logger. */
export interface Logger {
  info(message: string): void;
  /** Printed even with --quiet: what the operator must not miss (recovery instructions). */
  notice(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  readonly level: LogLevel;
}

/** A logger writing one line per message to `stream` (stderr by default). */
export function createLogger(
  level: LogLevel = 'info',
  stream: NodeJS.WritableStream = process.stderr,
): Logger {
  const write = (prefix: string, message: string) => stream.write(`${prefix}${message}\n`);
  return {
    level,
    info: (message) => level !== 'quiet' && write('', message),
    notice: (message) => write('', message),
    warn: (message) => write('warning: ', message),
    debug: (message) => level === 'debug' && write('debug: ', message),
  };
}

/** A logger that discards everything (tests, library use). */
export const silentLogger: Logger = {
  level: 'quiet',
  info: () => undefined,
  notice: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
};
