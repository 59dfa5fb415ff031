import { Perm } from './constants.js';
import type { FakeChannel, FakeGuild, Json } from './types.js';

/**
 * The bot's permissions, modelled the way Discord computes them: @everyone has none, the bot's
 * managed role has `guild.botPermissions`, and a channel may override that with a member overwrite.
 * discord.js computes the same from GUILD_CREATE, so the client and the fake agree.
 */
const ALL = (1n << 53n) - 1n;

export function botPermissionsIn(guild: FakeGuild, channel: FakeChannel | undefined): bigint {
  if (guild.botPermissions & Perm.Administrator) return ALL;
  return channel?.botPermissions ?? guild.botPermissions;
}

/** The permission overwrite that makes a channel's `botPermissions` true for discord.js. */
export function botOverwrites(guild: FakeGuild, channel: FakeChannel, botId: string): Json[] {
  if (channel.botPermissions === undefined) return [];
  const allow = channel.botPermissions & ~guild.botPermissions;
  const deny = guild.botPermissions & ~channel.botPermissions;
  return [{ id: botId, type: 1, allow: allow.toString(), deny: deny.toString() }];
}

export function has(perms: bigint, ...needed: bigint[]): boolean {
  return needed.every((p) => (perms & p) === p);
}
