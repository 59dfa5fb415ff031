import { extractCode, type ExtractOptions } from './snippet.js';

/**
 * What to do with a message: run its code, answer with a notice (and run nothing), or ignore it.
 * The one place that words "no code found" and friends, so every platform says the same.
 *
 * One rule for DMs: a DM is addressed to the bot, so it is read like a mention (`explicit: true`),
 * and so is each message of the terminal chat. A DM without code gets the how-to, everywhere.
 */
export type Intake =
  | { kind: 'run'; code: string; stdin?: string }
  | { kind: 'notice'; message: string }
  | { kind: 'ignore' };

// Written for a newcomer who typed a plain sentence: every way to send code, each with its shape.
export type RunIntake = Extract<Intake, { kind: 'run' }>;

export const HOW_TO =
  'Put your code in a block: ```py, a new line, your code, a new line, ```. ' +
  'A one-liner also runs in backticks, like `print(2 + 2)`, or after /run, like /run print(2 + 2).';

const INPUT_ONLY =
  'That message has input (a ```stdin block) but no code to run. ' +
  'Put the code before it, in its own block: ```py, a new line, your code, a new line, ```.';

export function interpret(text: string, options: ExtractOptions): Intake {
  const found = extractCode(text, options);
  switch (found.kind) {
    case 'code':
      return { kind: 'run', code: found.code, ...(found.stdin === undefined ? {} : { stdin: found.stdin }) };
    case 'wrong_language':
      return {
        kind: 'notice',
        message: `Only Python can be run here, and that block is marked as ${found.language}. ${HOW_TO}`,
      };
    case 'empty':
      return { kind: 'notice', message: `That code is empty. ${HOW_TO}` };
    // Someone talking near the bot isn't asking for anything; someone addressing it is.
    case 'input_only':
      return options.explicit ? { kind: 'notice', message: INPUT_ONLY } : { kind: 'ignore' };
    case 'none':
      return options.explicit ? { kind: 'notice', message: `No code found. ${HOW_TO}` } : { kind: 'ignore' };
  }
}
