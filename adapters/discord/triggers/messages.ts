import { Events } from 'discord.js';
import { answerMessage } from '../answer.js';
import type { Bot } from '../bot.js';
import { isAllowed } from '../places.js';
import { readAddressed } from '../read.js';

/** A message with the prefix, a mention of the bot, or a DM: run its code and reply to it. */
export function listenForMessages(bot: Bot): void {
  bot.client.on(Events.MessageCreate, (message) => {
    // Bots are ignored, the bot itself first of all: Discord echoes its own replies back.
    if (message.author.bot || !isAllowed(bot.config, message)) return;
    const intake = readAddressed(message, bot);
    if (!intake || intake.kind === 'ignore') return;
    bot.jobs.start('message', () => answerMessage(bot, message, message.author, 'message', intake));
  });
}
