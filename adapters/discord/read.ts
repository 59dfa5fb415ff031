import type { Message } from 'discord.js';
import { interpret, type Intake } from '../../src/intake.js';

// A mention means the bot itself, named on purpose: not a reply's ping, @everyone or a role.
const DIRECT_MENTION = { ignoreEveryone: true, ignoreRepliedUser: true, ignoreRoles: true } as const;

/** Where to look for whether a message is addressed to the bot. */
export interface Addressing {
  prefix: string;
  /** DISCORD_DMS: a DM is addressed to the bot without the prefix. */
  dms: boolean;
}

/**
 * Whether `message` is addressed to the bot: it starts with the prefix, mentions the bot, or is a
 * DM (when DISCORD_DMS is on). Addressed messages are read like a mention: no code is worth a notice.
 */
export function isAddressed(message: Message, { prefix, dms }: Addressing): boolean {
  const me = message.client.user;
  return (
    withoutPrefix(message.content, prefix) !== undefined ||
    message.mentions.has(me, DIRECT_MENTION) ||
    (dms && !message.inGuild())
  );
}

/**
 * What a message asks for: after the prefix, the rest reads like /run's code; otherwise its code
 * blocks count, and `explicit` makes "no code" a notice rather than nothing.
 */
export function readMessage(text: string, prefix: string, explicit: boolean): Intake {
  const afterPrefix = withoutPrefix(text, prefix);
  return afterPrefix === undefined ? interpret(text, { explicit }) : readCode(afterPrefix);
}

/** What /run was given: all of it is code, unless it holds a block. */
export function readCode(text: string): Intake {
  return interpret(text, { explicit: true, raw: true });
}

/** The text after a leading prefix ("!run print(1)", "!run```py …"), or undefined ("!runner"). */
function withoutPrefix(text: string, prefix: string): string | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith(prefix)) return undefined;
  const rest = trimmed.slice(prefix.length);
  return /^[\p{L}\p{N}_]/u.test(rest) ? undefined : rest;
}
