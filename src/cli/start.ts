import { parseArgs } from 'node:util';
import { StartError, startBot } from '../main.js';
import { exitSoon, stopOnSignals } from './signals.js';
import type { CommandHelp } from './usage.js';

export const startHelp: CommandHelp = {
  synopsis: 'start',
  summary: 'run the bot: on Discord/Slack when configured, else a terminal chat',
  details: `\`npm start\` runs this. SIGINT or SIGTERM stops it cleanly (a second one exits at once); the
terminal chat also stops at the end of its input (Ctrl-D).`,
};

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
  stopOnSignals(() => void bot.stop());
  await bot.stopped;
  const clean = await bot.stop();
  return exitSoon(clean ? 0 : 1);
}
