import { isatty } from 'node:tty';
import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import type { LogFormat } from '../config/config.js';
import { prettyDestination } from './pretty.js';

export const LOGGER = Symbol('guddu.logger');
export type { Logger };

/**
 * JSON lines, or readable lines when `format` says so or is `auto` on a terminal (LOG_FORMAT).
 * On stdout for servers and on stderr for CLI commands (whose stdout is their result, e.g. for
 * `| jq`). Secrets never reach here: nothing logs a request body or a header.
 */
export function createLogger(level: string, to: 'stdout' | 'stderr' = 'stdout', format: LogFormat = 'json'): Logger {
  const fd = to === 'stdout' ? 1 : 2;
  const pretty = format === 'pretty' || (format === 'auto' && isatty(fd));
  return pino(
    {
      level,
      base: { service: 'guddu' },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.accessToken', '*.refreshToken', '*.access_token', '*.refresh_token', '*.appPassword', '*.clientSecret', '*.client_secret', '*.codeVerifier'], censor: '[redacted]' },
    },
    pretty ? prettyDestination(fd) : pino.destination(fd),
  );
}

/**
 * A step the operator must take (the first-run setup): shown whatever LOG_LEVEL says, framed on
 * a terminal, and in JSON its lines stay together in `banner` for whoever reads the log.
 */
export function announce(log: Logger, message: string, banner: string[], fields: Record<string, unknown> = {}): void {
  log.child({}, { level: 'info' }).info({ ...fields, banner }, message);
}

const NEST_START_DETAIL = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Routes Nest's own log lines into the same pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}
  log(message: unknown, context?: string) {
    // One line per module and route at start is a wall on a terminal: those go to debug.
    if (context !== undefined && NEST_START_DETAIL.has(context)) this.pino.debug({ context }, String(message));
    else this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.pino.trace({ context }, String(message));
  }
}
