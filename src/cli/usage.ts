/** A mistake in how the CLI was called: reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';

  /** `showUsage`: the command line had the wrong shape, so the command's usage follows the message. */
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

/** What a command says about itself: its line in `sandpiper`'s usage, and its own `--help`. */
export interface CommandHelp {
  /** The command and its arguments, as typed after `sandpiper`: `eval [FILE...|-] [--json]`. */
  synopsis: string;
  /** What it does, in one line. */
  summary: string;
  /** Options, exit codes, anything else worth knowing; shown by `--help` only. */
  details?: string;
}

export function commandUsage(help: CommandHelp): string {
  return [`usage: sandpiper ${help.synopsis}`, '', help.summary, ...(help.details ? ['', help.details] : [])].join('\n');
}

/** `--help` or `-h` anywhere among the options (not after `--`, where arguments are taken as they are). */
export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** node:util parseArgs' errors (ERR_PARSE_ARGS_*), thrown by the commands that parse options. */
export function isParseArgsError(error: unknown): boolean {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}

/**
 * parseArgs' message in one line: its first sentence ("Unknown option '--nope'"), without the
 * advice that follows it, which has an unbalanced quote and is about positionals, not the mistake.
 */
export function parseArgsProblem(error: Error): string {
  const first = error.message.split(/\.\s|\n/)[0]!.replace(/\.$/, '');
  return first.charAt(0).toLowerCase() + first.slice(1);
}
