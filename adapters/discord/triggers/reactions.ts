import { Events, type MessageReaction, type PartialMessageReaction, type PartialUser, type User } from 'discord.js';
import { ExpiringMap } from '../../../src/expiring-map.js';
import { answerMessage } from '../answer.js';
import type { Bot } from '../bot.js';
import { isAllowed } from '../places.js';
import { readAsked } from '../read.js';

/** The run emoji on a message with code: run it and reply to that message. */
export function listenForReactions(bot: Bot): void {
  // One run per message per edit window: removing and adding the emoji again doesn't re-run it.
  const reacted = new ExpiringMap<string, true>(bot.config.editWindowMs);
  bot.client.on(Events.MessageReactionAdd, (reaction, user) => {
    const { message } = reaction;
    if (user.id === bot.client.user?.id || !isRunEmoji(reaction, bot.config.runEmoji)) return;
    if (!isAllowed(bot.config, message) || reacted.has(message.id) || bot.tracker.isAnswered(message.id)) return;
    reacted.set(message.id, true);
    bot.jobs.start('reaction', () => runReacted(bot, reaction, user));
  });
}

async function runReacted(bot: Bot, reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): Promise<void> {
  // Partials: reactions on messages from before the bot started, and from users it hasn't seen.
  const reactor = user.partial ? await user.fetch() : user;
  const source = reaction.message.partial ? await reaction.message.fetch() : reaction.message;
  if (reactor.bot || source.author.id === bot.client.user?.id) return;
  const intake = readAsked(source, bot, false);
  if (intake.kind !== 'ignore') await answerMessage(bot, source, reactor, 'reaction', intake);
}

/** A Unicode emoji matches with or without its variation selector (▶ and ▶️); a custom one by id. */
function isRunEmoji({ emoji }: MessageReaction | PartialMessageReaction, configured: string): boolean {
  const customId = /(\d{17,20})>?$/.exec(configured)?.[1];
  if (customId) return emoji.id === customId;
  const plain = (name: string) => name.replace(/\uFE0F/g, '');
  return emoji.name !== null && plain(emoji.name) === plain(configured);
}
