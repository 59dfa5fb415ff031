import type { Message } from 'discord.js';
import { interpret, type Intake } from '../../src/intake.js';
import type { Bot } from './bot.js';

// A mention means the bot itself, named on purpose: not a reply's ping, @everyone or a role.
const DIRECT_MENTION = { ignoreEveryone: true, ignoreRepliedUser: true, ignoreRoles: true } as const;

/**
 * What a message addressed to the bot asks for, or undefined when it isn't addressed to the bot.
 * Addressed: it starts with the prefix (the rest reads like /run's code), it mentions the bot, or
 * it is a DM (when DISCORD_DMS is on; there only code blocks count, not chat).
 */
export function readAddressed(message: Message, bot: Bot): Intake | undefined {
  const afterPrefix = withoutPrefix(message.content, bot.config.prefix);
  if (afterPrefix !== undefined) return interpret(afterPrefix, { explicit: true, raw: true });
  const me = bot.client.user;
  if (me && message.mentions.has(me, DIRECT_MENTION)) return interpret(message.content, { explicit: true });
  if (bot.config.dms && !message.inGuild()) return interpret(message.content, { explicit: false });
  return undefined;
}

/**
 * What a message someone asked to run asks for (a reaction, the menu, an edit, "Run again"):
 * read as addressed when it is, else by its code blocks. `explicit` makes "no code" a notice.
 */
export function readAsked(message: Message, bot: Bot, explicit: boolean): Intake {
  const addressed = readAddressed(message, bot);
  return addressed && addressed.kind !== 'ignore' ? addressed : interpret(message.content, { explicit });
}

/** The text after a leading prefix ("!run print(1)", "!run```py …"), or undefined ("!runner"). */
function withoutPrefix(text: string, prefix: string): string | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith(prefix)) return undefined;
  const rest = trimmed.slice(prefix.length);
  return /^[\p{L}\p{N}_]/u.test(rest) ? undefined : rest;
}
