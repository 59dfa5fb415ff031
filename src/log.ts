import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log line: tokens and secrets never reach the
 * logs, even if a whole config or request object is logged by mistake.
 */
const REDACT = [
  'token',
  '*.token',
  '*.*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.*.headers.authorization',
];

/** The logger: JSON lines on stderr, so stdout stays for results (`eval --json`, the console). */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: { app: 'sandpiper' },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    destination,
  );
}
