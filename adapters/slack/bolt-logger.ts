import { format } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/log.js';

// Bolt and its clients log free text; a token must not reach the logs even if one is quoted there.
const TOKEN = /\bx(?:ox[a-z]|app)-[\w-]+/g;

/** Bolt's logger interface over our pino logger, so Bolt's lines are JSON lines like ours. */
export function boltLogger(log: Logger): BoltLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...parts: unknown[]) =>
    log[level](format(...parts).replace(TOKEN, '[redacted]'));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    // LOG_LEVEL decides; Bolt sets its own default level, which must not override it.
    setLevel: () => {},
    getLevel: () => boltLevel(log.level),
    setName: () => {},
  };
}

function boltLevel(level: string): LogLevel {
  switch (level) {
    case 'trace':
    case 'debug':
      return LogLevel.DEBUG;
    case 'info':
      return LogLevel.INFO;
    case 'warn':
      return LogLevel.WARN;
    default:
      return LogLevel.ERROR;
  }
}
