import { extractCode, type ExtractOptions } from './snippet.js';

/**
 * What to do with a message: run its code, answer with a notice (and run nothing), or ignore it.
 * The one place that words "no code found" and friends, so every platform says the same.
 */
export type Intake =
  | { kind: 'run'; code: string; stdin?: string }
  | { kind: 'notice'; message: string }
  | { kind: 'ignore' };

export const HOW_TO = 'Put your code in a block: ```py, a new line, your code, a new line, ```.';

export function interpret(text: string, options: ExtractOptions): Intake {
  const found = extractCode(text, options);
  switch (found.kind) {
    case 'code':
      if (!found.code.trim()) return { kind: 'notice', message: `That code is empty. ${HOW_TO}` };
      return { kind: 'run', code: found.code, ...(found.stdin === undefined ? {} : { stdin: found.stdin }) };
    case 'wrong_language':
      return {
        kind: 'notice',
        message: `Only Python can be run here, and that block is marked as ${found.language}. ${HOW_TO}`,
      };
    case 'empty':
      return { kind: 'notice', message: `That code is empty. ${HOW_TO}` };
    case 'none':
      // Someone talking near the bot isn't asking for anything; someone addressing it is.
      return options.explicit ? { kind: 'notice', message: `No code found. ${HOW_TO}` } : { kind: 'ignore' };
  }
}
