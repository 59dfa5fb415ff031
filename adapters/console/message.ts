import { interpret, leadingCommand, readCommand, type CommandWords, type Intake } from '../../src/intake.js';

// As the platforms' slash commands: what follows /run is the code to run, after /timeit the code to time.
const COMMANDS: CommandWords = { run: '/run', timeit: '/timeit' };

/**
 * How the terminal chat reads a message: as a DM to the bot (code blocks, or one `inline` span;
 * anything else gets the how-to a DM gets), or, after /run or /timeit, as the code itself.
 */
export function readMessage(text: string): Intake {
  return readCommand(text, COMMANDS) ?? interpret(text, { explicit: true });
}

/** `/run` or `/timeit` alone on a line, or with a version alone (`/run 3.14`): the code follows on the next lines. */
export function isBareCommand(line: string): boolean {
  return leadingCommand(line, COMMANDS)?.code.trim() === '';
}
