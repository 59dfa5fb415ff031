import { pino, type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

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
export function createLogger(level: string, destination: DestinationStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: { app: 'sandpiper' },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    destination,
  );
}

/**
 * The terminal chat's logs: a person reads them, so one short line each ("[12:00:01] WARN: …"),
 * not JSON. They go to stderr until the chat redirects them above its prompt, where they cannot
 * break the line being typed.
 */
export class TerminalLogs implements DestinationStream {
  private readonly prettify = prettyFactory({
    colorize: process.stderr.isTTY === true,
    singleLine: true,
    translateTime: 'HH:MM:ss',
    ignore: 'pid,hostname,app',
  });
  private print = toStderr;

  /** pino writes one JSON line at a time. */
  write(line: string): void {
    this.print(this.prettify(line));
  }

  /** From now on, lines go to `print`; undefined sends them back to stderr. */
  redirect(print: ((text: string) => void) | undefined): void {
    this.print = print ?? toStderr;
  }
}

function toStderr(text: string): void {
  process.stderr.write(text);
}
