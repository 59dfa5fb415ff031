import type { CommandHelp } from './usage.js';

export const evalHelp: CommandHelp = {
  synopsis: 'eval [--json] [--python X.Y] [--file PATH]... [--timeit [--setup CODE]] [FILE...|-]',
  summary: 'run Python files or stdin in the sandbox, as the bot does',
  details: `Each FILE runs in a sandbox of its own, one after another; - (or no FILE) reads stdin.

  --json          print one RunResult per input as JSON Lines, in input order; the files the
                  run left are in it, each { name, size, content } with content in base64, and
                  python, the full version that ran
  --python X.Y    run in this Python, one of those offered (SANDBOX_PYTHONS); the default is
                  the first of them
  --file PATH     put PATH in the working directory (under its base name) before each run;
                  repeat it for several files
  --timeit        time the code with Python's timeit instead of running it once: prints
                  timeit's summary line ("10000 loops, best of 5: 23.8 usec per loop")
  --setup CODE    with --timeit: code that runs first, untimed (timeit's -s)

Files the run leaves in its working directory (plots among them: plt.show() and figures left
open become figure-1.png, ...) are saved to a new folder under the temp dir, named on stderr.

Prints each program's output, and a status line on stderr. Exit code 0 when every run was ok,
1 otherwise. The limits are the SANDBOX_* settings (see .env.example).`,
};
