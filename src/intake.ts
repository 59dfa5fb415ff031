import { extractCode, extractTimeit, type ExtractOptions, type Extraction, type TimeitExtraction } from './snippet.js';

/**
 * What to do with a message: run its code, answer with a notice (and run nothing), or ignore it.
 * The one place that words "no code found" and friends, so every platform says the same.
 *
 * One rule for DMs: a DM is addressed to the bot, so it is read like a mention (`explicit: true`),
 * and so is each message of the terminal chat. A DM without code gets the how-to, everywhere.
 * A run names a Python version (`python`: "3.14") only when asked for one; else the default runs.
 */
export type Intake =
  | { kind: 'run'; code: string; stdin?: string; timeit?: { setup: string }; python?: string }
  | { kind: 'notice'; message: string }
  | { kind: 'ignore' };

export type RunIntake = Extract<Intake, { kind: 'run' }>;

// Written for a newcomer who typed a plain sentence: every way to send code, each with its shape.
export const HOW_TO =
  'Put your code in a block: ```py, a new line, your code, a new line, ```. ' +
  'A one-liner also runs in backticks, like `print(2 + 2)`, or after /run, like /run print(2 + 2).';

// The same for timing, with the one thing timing adds: where the setup goes.
export const TIMEIT_HOW_TO =
  'To time code, put it after /timeit, like /timeit sum(range(1000)), ' +
  'or in a block: ```py, a new line, your code, a new line, ```. ' +
  'With several blocks, the first is the setup: it runs once, untimed, and the rest is timed.';

const INPUT_ONLY =
  'That message has input (a ```stdin block) but no code to run. ' +
  'Put the code before it, in its own block: ```py, a new line, your code, a new line, ```.';

export interface ReadOptions extends ExtractOptions {
  /** Time the code with timeit instead of running it once (/timeit, !timeit): see extractTimeit. */
  timeit?: boolean;
}

export function interpret(text: string, options: ReadOptions): Intake {
  const found = options.timeit ? extractTimeit(text, options) : extractCode(text, options);
  const howTo = howToFor(options.timeit);
  switch (found.kind) {
    case 'code':
      return runIntake(found);
    case 'wrong_language':
      return {
        kind: 'notice',
        message: `Only Python can be ${options.timeit ? 'timed' : 'run'} here, and that block is marked as ${found.language}. ${howTo}`,
      };
    case 'empty':
      return { kind: 'notice', message: `That code is empty. ${howTo}` };
    // Someone talking near the bot isn't asking for anything; someone addressing it is.
    case 'input_only':
      return options.explicit ? { kind: 'notice', message: INPUT_ONLY } : { kind: 'ignore' };
    case 'none':
      return options.explicit ? noCode(howTo) : { kind: 'ignore' };
  }
}

function howToFor(timeit: boolean | undefined): string {
  return timeit ? TIMEIT_HOW_TO : HOW_TO;
}

function noCode(howTo: string): Intake {
  return { kind: 'notice', message: `No code found. ${howTo}` };
}

/**
 * The same intake, to run in `python` ("3.14") rather than the version it names or the default:
 * Discord's version option, a "Run in 3.14" button. Notices stay as they are.
 */
export function inPython(intake: Intake, python: string | undefined): Intake {
  return intake.kind === 'run' && python !== undefined ? { ...intake, python } : intake;
}

/** The run asked for; a timing carries its setup. */
function runIntake(found: Extract<Extraction | TimeitExtraction, { kind: 'code' }>): RunIntake {
  const { code, stdin } = found;
  return {
    kind: 'run',
    code,
    ...(stdin === undefined ? {} : { stdin }),
    ...('setup' in found ? { timeit: { setup: found.setup } } : {}),
  };
}

// ---- commands: a word that opens a message, then the code ---------------------------------------

/** What a command asks for: a run, or timing with timeit. */
export type CodeMode = 'run' | 'timeit';

/** The words that open a message as a command, by what they ask for: `!run`/`!timeit` on Discord, `/run`/`/timeit` in the terminal chat. */
export type CommandWords = Readonly<Record<CodeMode, string>>;

/** A command as read: what it asks for, the Python version it names ("3.14"), if any, and its code. */
export interface Command {
  mode: CodeMode;
  python?: string;
  code: string;
}

/**
 * What a command was given (/run's or /timeit's text, what follows !run): a Python version first
 * if it names one (`3.14 print(1)`), then the code, all of it code unless it holds a block.
 */
export function readCode(text: string, mode: CodeMode): Intake {
  return readGiven({ mode, ...versionFirst(text) });
}

/** A message opening with one of the command words, read as that command's code; undefined when it opens with none. */
export function readCommand(text: string, words: CommandWords): Intake | undefined {
  const command = leadingCommand(text, words);
  return command && readGiven(command);
}

/** A command's code, read as /run reads it, to run in the version it names. */
function readGiven({ mode, python, code }: Command): Intake {
  const timeit = mode === 'timeit';
  // `!run 3.14` alone: the code was left out, not given empty.
  if (python !== undefined && code.trim() === '') return noCode(howToFor(timeit));
  return inPython(interpret(code, { explicit: true, raw: true, timeit }), python);
}

// A command word ends where the word does: "!runner" is not "!run", while "!run```py" is.
const WORD_GOES_ON = /^[\p{L}\p{N}_]/u;

/**
 * The command a message opens with, the version named after it, if any, and the code; undefined
 * when it opens with none. The longest word is tried first, so a word that begins another ("!t",
 * "!t+") can't take its messages. The spaces after the word go: they would indent the code's first
 * line.
 */
export function leadingCommand(text: string, words: CommandWords): Command | undefined {
  const trimmed = text.trimStart();
  const longestFirst = (Object.entries(words) as Array<[CodeMode, string]>).sort(([, a], [, b]) => b.length - a.length);
  for (const [mode, word] of longestFirst) {
    const rest = trimmed.startsWith(word) ? trimmed.slice(word.length) : undefined;
    if (rest !== undefined && !WORD_GOES_ON.test(rest)) return { mode, ...versionFirst(rest.replace(/^[ \t]+/, '')) };
  }
  return undefined;
}

// A version is a word of its own: "3.14 print(1)" and "3.14" then a new line name one; "3.14*2",
// "3.14.0" and "3.14e0" are code. So `!run 3.14 * 2` runs `* 2` in 3.14: a script that starts with
// a bare number and a space would hardly ever show anything (there is no REPL to echo it).
const VERSION_FIRST = /^[ \t]*(3\.\d+)(?=\s|$)[ \t]*/;

/** The Python version `text` starts with, if any, and the code after it (the spaces between them go, as after a command word). */
function versionFirst(text: string): { python?: string; code: string } {
  const found = VERSION_FIRST.exec(text);
  return found ? { python: found[1]!, code: text.slice(found[0].length) } : { code: text };
}
