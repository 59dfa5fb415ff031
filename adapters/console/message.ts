import { interpret, type Intake } from '../../src/intake.js';

// `/run` opening a message, as the platforms' /run command: what follows is the code itself
// (the spaces after /run are not, or the code's first line would be indented).
const RUN_COMMAND = /^\s*\/run(?=\s|$)[ \t]*/;

/**
 * How the terminal chat reads a message: as a DM to the bot (code blocks, or one `inline` span;
 * anything else gets the how-to a DM gets), or, after /run, as the code itself.
 */
export function readMessage(text: string): Intake {
  const command = RUN_COMMAND.exec(text);
  if (command) return interpret(text.slice(command[0].length), { explicit: true, raw: true });
  return interpret(text, { explicit: true });
}

/** `/run` alone on a line: the code follows on the next lines. */
export function isBareRunCommand(line: string): boolean {
  return line.trim() === '/run';
}
