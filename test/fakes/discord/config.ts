import { ChannelType, DEFAULT_BOT_PERMISSIONS, Limits } from './constants.js';
import { snowflake } from './snowflake.js';
import type { FakeDiscordOptions, FakeGuild, FakeUser } from './types.js';

/** Options with every default filled in. */
export interface FakeConfig {
  bot: FakeUser;
  applicationId: string;
  token: string | undefined;
  guilds: FakeGuild[];
  privileged: { messageContent: boolean; guildMembers: boolean; guildPresences: boolean };
  onDisallowedIntents: 'close' | 'strip';
  heartbeatIntervalMs: number;
  interactionAckDeadlineMs: number;
  interactionTokenTtlMs: number;
  echoBotEvents: boolean;
  maxUploadBytes: number;
}

/** A full user object; unspecified fields get plausible values. */
export function makeUser(partial: Partial<FakeUser> = {}): FakeUser {
  const id = partial.id ?? snowflake();
  return {
    id,
    username: partial.username ?? `user${id.slice(-4)}`,
    global_name: partial.global_name ?? null,
    discriminator: partial.discriminator ?? '0',
    avatar: partial.avatar ?? null,
    bot: partial.bot ?? false,
    public_flags: partial.public_flags ?? 0,
  };
}

export function resolveConfig(opts: FakeDiscordOptions): FakeConfig {
  const bot = makeUser({ username: 'sandpiper-test', ...opts.botUser, bot: true });
  const guildOpts = opts.guilds ?? [{ name: 'Fake Guild' }];
  const guilds = guildOpts.map((g, i): FakeGuild => {
    const id = g.id ?? snowflake();
    const channelOpts = g.channels ?? [{ name: 'general' }];
    return {
      id,
      name: g.name ?? `Fake Guild ${i + 1}`,
      // Someone else owns it: owners bypass permissions, and the bot must not.
      ownerId: g.ownerId ?? snowflake(),
      botRoleId: snowflake(),
      botPermissions: g.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
      unavailable: g.unavailable ?? false,
      channels: channelOpts.map((c, j) => ({
        id: c.id ?? snowflake(),
        type: c.type ?? ChannelType.GuildText,
        name: c.name ?? `channel-${j + 1}`,
        guildId: id,
        ...(c.botPermissions !== undefined && { botPermissions: c.botPermissions }),
      })),
    };
  });
  return {
    bot,
    applicationId: opts.applicationId ?? bot.id,
    token: opts.token,
    guilds,
    privileged: {
      messageContent: opts.privilegedIntents?.messageContent ?? true,
      guildMembers: opts.privilegedIntents?.guildMembers ?? false,
      guildPresences: opts.privilegedIntents?.guildPresences ?? false,
    },
    onDisallowedIntents: opts.onDisallowedIntents ?? 'close',
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250,
    interactionAckDeadlineMs: opts.interactionAckDeadlineMs ?? 3_000,
    interactionTokenTtlMs: opts.interactionTokenTtlMs ?? 15 * 60_000,
    echoBotEvents: opts.echoBotEvents ?? true,
    maxUploadBytes: opts.maxUploadBytes ?? Limits.uploadBytes,
  };
}
