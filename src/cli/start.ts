import { startBot } from '../main.js';

/** `sandpiper start` (what `npm start` runs): the bot, until a signal or the end of console input. */
export async function startCommand(): Promise<number> {
  const bot = await startBot();
  await bot.stopped;
  return 0;
}
