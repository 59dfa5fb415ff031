import { ChannelType, DEFAULT_MEMBER_PERMISSIONS } from './constants.js';
import { botOverwrites } from './permissions.js';
import type { FakeState } from './state.js';
import type { FakeChannel, FakeGuild, FakeMessage, FakeUser, Json } from './types.js';

/**
 * Wire objects in the shapes Discord sends. discord.js checks `'field' in data` a lot, so fields
 * are present (often null) even when the fake has nothing to say about them.
 */

const JOINED_AT = new Date(Date.UTC(2024, 0, 1)).toISOString();

export function memberJson(user: FakeUser | undefined, roles: string[], extra: Json = {}): Json {
  return {
    ...(user && { user: { ...user } }),
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: JOINED_AT,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    ...extra,
  };
}

/** A guild member as interactions carry it (with the member's permissions in that channel). */
export function interactionMemberJson(user: FakeUser): Json {
  return memberJson(user, [], { permissions: DEFAULT_MEMBER_PERMISSIONS.toString() });
}

/** `authorizing_integration_owners`: key 0 = guild install; the value is "0" in the bot's DMs. */
export function integrationOwners(rec: { guildId: string | undefined }): Record<string, string> {
  return { '0': rec.guildId ?? '0' };
}

function roleJson(id: string, name: string, permissions: bigint, position: number, botId?: string): Json {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: botId !== undefined,
    mentionable: false,
    flags: 0,
    ...(botId !== undefined && { tags: { bot_id: botId } }),
  };
}

export function channelJson(state: FakeState, channel: FakeChannel): Json {
  const last = state.messagesIn(channel.id).at(-1)?.id ?? null;
  if (channel.type === ChannelType.DM) {
    return { id: channel.id, type: ChannelType.DM, last_message_id: last, flags: 0, recipients: channel.recipient ? [{ ...channel.recipient }] : [] };
  }
  const guild = state.guildOfChannel(channel.id);
  return {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    position: guild ? guild.channels.indexOf(channel) : 0,
    permission_overwrites: guild ? botOverwrites(guild, channel, state.bot.id) : [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: last,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

export function rolesJson(state: FakeState, guild: FakeGuild): Json[] {
  return [
    roleJson(guild.id, '@everyone', 0n, 0), // @everyone's id is the guild's id
    roleJson(guild.botRoleId, state.bot.username, guild.botPermissions, 1, state.bot.id),
  ];
}

export function guildCreateJson(state: FakeState, guild: FakeGuild): Json {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    features: [],
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    max_members: 500000,
    max_video_channel_users: 25,
    joined_at: JOINED_AT,
    large: false,
    unavailable: false,
    lazy: true,
    member_count: 2,
    roles: rolesJson(state, guild),
    emojis: [],
    stickers: [],
    // The bot's own member is what discord.js uses for guild.members.me and permission checks.
    members: [memberJson(state.bot, [guild.botRoleId])],
    channels: guild.channels.map((c) => channelJson(state, c)),
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** REST shape of a stored message (drops the fake's private bookkeeping). */
export function messageJson(msg: FakeMessage): Json {
  const { guildId: _guildId, reactions, ...wire } = msg;
  const out: Json = { ...wire, mentions: msg.mentions.map((u) => ({ ...u })) };
  if (reactions.length > 0) {
    out.reactions = reactions.map((r) => ({
      emoji: r.emoji,
      count: r.count,
      count_details: { burst: 0, normal: r.count },
      burst_colors: [],
      me: r.me,
      me_burst: false,
    }));
  }
  return out;
}

/** Gateway shape: REST shape plus guild_id, the author's member, and channel_type. */
export function gatewayMessageJson(state: FakeState, msg: FakeMessage): Json {
  const channel = state.channels.get(msg.channel_id);
  const out = messageJson(msg);
  if (channel) out.channel_type = channel.type;
  if (msg.guildId !== undefined) {
    out.guild_id = msg.guildId;
    const roles = msg.author.id === state.bot.id ? [state.guild(msg.guildId)?.botRoleId ?? ''] : [];
    if (msg.webhook_id === undefined) out.member = memberJson(undefined, roles);
  }
  return out;
}
