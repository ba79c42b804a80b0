import { createRequire } from 'node:module';
import type { DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';

/**
 * Readable log lines for a person at a terminal. Runs in this thread and writes synchronously
 * (no transport worker): lines keep their order with anything else written to the terminal, and
 * the last lines before a crash are not lost.
 */
export function prettyDestination(destination: 1 | 2 | NodeJS.WritableStream): DestinationStream {
  // Loaded here, not at import: a server logging JSON never pays for the formatter.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pretty({
    destination,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service,context,banner,setupToken',
    messageFormat: (log, messageKey) => {
      const message = typeof log[messageKey] === 'string' ? log[messageKey] : '';
      // Nest's own lines carry the class that wrote them; on one line it reads as a prefix.
      const line = typeof log.context === 'string' ? `[${log.context}] ${message}` : message;
      return Array.isArray(log.banner) ? `${line}\n${frame(log.banner.map(String))}` : line;
    },
  });
}

/**
 * Lines between two heavy rules, so that a step the reader must take stands out from the log
 * around it. No side borders: a command inside must copy and paste as it is, and a long line
 * that wraps on a narrow terminal must not break the frame.
 */
export function frame(lines: string[]): string {
  const rule = '═'.repeat(RULE_WIDTH);
  return [rule, ...lines.map((l) => (l ? `  ${l}` : '')), rule].join('\n');
}

const RULE_WIDTH = 78;
