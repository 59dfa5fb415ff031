import type { Channel } from 'discord.js';
import type { DiscordConfig } from '../../src/config.js';

/** What an interaction outside the allow-lists is told: Discord would say "failed" otherwise. */
export const NOT_HERE = 'Sandpiper doesn’t run code here.';

/** Where a message or interaction happened (a Message and an Interaction both fit). */
export interface Place {
  guildId: string | null;
  channelId: string | null;
  channel: Channel | null;
}

/**
 * Whether the allow-lists (DISCORD_GUILDS, DISCORD_CHANNELS; empty means everywhere) let the bot
 * work here. A thread counts as its parent channel. DMs are in no guild or listed channel: they
 * are always allowed (DISCORD_DMS only decides whether they need the prefix).
 */
export function isAllowed(config: DiscordConfig, place: Place): boolean {
  if (place.guildId === null) return true;
  if (config.guilds.length > 0 && !config.guilds.includes(place.guildId)) return false;
  if (config.channels.length === 0) return true;
  const parentId = place.channel?.isThread() ? place.channel.parentId : null;
  return [place.channelId, parentId].some((id) => id !== null && config.channels.includes(id));
}
