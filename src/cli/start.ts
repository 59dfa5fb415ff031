import { parseArgs } from 'node:util';
import { StartError, startBot } from '../main.js';
import type { CommandHelp } from './usage.js';

export const startHelp: CommandHelp = {
  synopsis: 'start',
  summary: 'run the bot: on Discord/Slack when configured, else a terminal chat',
  details: `\`npm start\` runs this. SIGINT or SIGTERM stops it cleanly (a second one exits at once); the
terminal chat also stops at the end of its input (Ctrl-D).`,
};

/** How long a stopped bot may take to exit by itself before it is made to (a platform library holding a socket). */
const EXIT_GRACE_MS = 2_000;

/**
 * `sandpiper start` (what `npm start` runs): the bot, until SIGINT/SIGTERM or the end of console
 * input. The first signal stops it cleanly (within the run timeout plus a few seconds); a second
 * one exits at once. A failed start names the part that failed and exits 1, with nothing left
 * running.
 */
export async function startCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  let bot;
  try {
    bot = await startBot();
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    process.stderr.write(`sandpiper: ${error.message}\n`);
    return exitSoon(1);
  }
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      process.stderr.write(`sandpiper: ${signal} again: exiting without waiting\n`);
      process.exit(130);
    }
    signalled = true;
    void bot.stop();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  await bot.stopped;
  const clean = await bot.stop();
  return exitSoon(clean ? 0 : 1);
}

/** Returns `code`, and makes sure the process really ends with it soon after. */
function exitSoon(code: number): number {
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  return code;
}
