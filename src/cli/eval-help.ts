import type { CommandHelp } from './usage.js';

export const evalHelp: CommandHelp = {
  synopsis: 'eval [FILE...|-] [--json]',
  summary: 'run Python files or stdin in the sandbox, as the bot does',
  details: `Each FILE runs in a sandbox of its own, one after another; - (or no FILE) reads stdin.

  --json    print one RunResult per input as JSON Lines, in input order

Prints each program's output, and a status line on stderr. Exit code 0 when every run was ok,
1 otherwise. The limits are the SANDBOX_* settings (see .env.example).`,
};
