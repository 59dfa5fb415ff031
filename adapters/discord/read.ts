import type { Message } from 'discord.js';
import { interpret, leadingCommand, readCommand, type CommandWords, type Intake } from '../../src/intake.js';

// A mention means the bot itself, named on purpose: not a reply's ping, @everyone or a role.
const DIRECT_MENTION = { ignoreEveryone: true, ignoreRepliedUser: true, ignoreRoles: true } as const;

/** The message prefixes (DISCORD_PREFIX, DISCORD_TIMEIT_PREFIX): after them comes the code itself. */
export interface Prefixes {
  prefix: string;
  timeitPrefix: string;
}

/** Where to look for whether a message is addressed to the bot. */
export interface Addressing extends Prefixes {
  /** DISCORD_DMS: a DM is addressed to the bot without the prefix. */
  dms: boolean;
}

/**
 * Whether `message` is addressed to the bot: it starts with a prefix, mentions the bot, or is a
 * DM (when DISCORD_DMS is on). Addressed messages are read like a mention: no code is worth a notice.
 */
export function isAddressed(message: Message, addressing: Addressing): boolean {
  const me = message.client.user;
  return (
    leadingCommand(message.content, commandWords(addressing)) !== undefined ||
    message.mentions.has(me, DIRECT_MENTION) ||
    (addressing.dms && !message.inGuild())
  );
}

/**
 * What a message asks for: after a prefix, the rest reads like /run's (or /timeit's) code;
 * otherwise its code blocks count, and `explicit` makes "no code" a notice rather than nothing.
 */
export function readMessage(text: string, prefixes: Prefixes, explicit: boolean): Intake {
  return readCommand(text, commandWords(prefixes)) ?? interpret(text, { explicit });
}

function commandWords({ prefix, timeitPrefix }: Prefixes): CommandWords {
  return { run: prefix, timeit: timeitPrefix };
}
