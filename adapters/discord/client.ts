import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { DiscordConfig } from '../../src/config.js';

/**
 * The discord.js Client as Sandpiper needs it (DESIGN.md §5). `messageContent: false` is the
 * fallback when the app hasn't been granted that privileged intent.
 */
export function createClient(config: DiscordConfig, messageContent: boolean): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      ...(messageContent ? [GatewayIntentBits.MessageContent] : []),
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.GuildMessageReactions,
      GatewayIntentBits.DirectMessageReactions,
    ],
    // Without these, DMs and reactions on uncached messages (or from uncached users) are dropped.
    partials: [Partials.Channel, Partials.Message, Partials.Reaction, Partials.User],
    rest: { api: config.apiUrl },
    // Nobody is ever pinged by a reply, whatever the output says: this covers every message sent.
    allowedMentions: { parse: [], repliedUser: false },
  });
}
