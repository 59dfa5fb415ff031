import { makeUser, type FakeConfig } from './config.js';
import { ChannelType, DEFAULT_MEMBER_PERMISSIONS } from './constants.js';
import { botPermissionsIn } from './permissions.js';
import { snowflake } from './snowflake.js';
import type { FakeChannel, FakeGuild, FakeMessage, FakeUser, Json } from './types.js';

/** What the fake remembers about an interaction, so callbacks and webhooks act on the right thing. */
export interface InteractionRecord {
  id: string;
  token: string;
  /** 2 command, 3 component, 5 modal submit. */
  type: number;
  channelId: string;
  guildId: string | undefined;
  user: FakeUser;
  createdAt: number;
  /** Command name (application commands). */
  name?: string;
  commandType?: number;
  /** Component and modal interactions: the message they came from. */
  sourceMessageId?: string;
  acked: boolean;
  /** Type of the first callback (4 reply, 5 defer, 6 deferred update, 7 update, 9 modal). */
  callbackType?: number;
  /** The message `@original` refers to, once there is one. */
  originalMessageId?: string;
  ephemeral: boolean;
  /** The modal the bot opened (callback type 9), as sent. */
  modal?: Json;
}

/** Everything the fake Discord knows: users, channels, messages, interactions, commands. */
export class FakeState {
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage>();
  /** Attachment bytes by attachment id, served at the attachment's `url`. */
  readonly files = new Map<string, Buffer>();
  readonly interactions = new Map<string, InteractionRecord>();
  /** Registered application commands: key 'global' or a guild id. */
  readonly commands = new Map<string, Json[]>();
  /** `http://127.0.0.1:PORT`, set once the server listens (attachment URLs point here). */
  origin = '';
  private readonly dmByUser = new Map<string, string>();

  constructor(readonly config: FakeConfig) {
    this.users.set(config.bot.id, config.bot);
    for (const guild of config.guilds) for (const ch of guild.channels) this.channels.set(ch.id, ch);
  }

  get bot(): FakeUser {
    return this.config.bot;
  }

  addUser(partial: Partial<FakeUser> = {}): FakeUser {
    const user = makeUser(partial);
    this.users.set(user.id, user);
    return user;
  }

  guild(id: string | undefined): FakeGuild | undefined {
    return this.config.guilds.find((g) => g.id === id);
  }

  guildOfChannel(channelId: string): FakeGuild | undefined {
    return this.guild(this.channels.get(channelId)?.guildId);
  }

  /** The one DM channel between the bot and `user` (created on first use, like Discord). */
  dmChannelFor(user: FakeUser): FakeChannel {
    const existing = this.dmByUser.get(user.id);
    const known = existing === undefined ? undefined : this.channels.get(existing);
    if (known) return known;
    const channel: FakeChannel = { id: snowflake(), type: ChannelType.DM, recipient: user };
    this.channels.set(channel.id, channel);
    this.dmByUser.set(user.id, channel.id);
    return channel;
  }

  /** The bot's permissions in a channel; in DMs, what any member could do. */
  botPermissionsIn(channelId: string): bigint {
    const guild = this.guildOfChannel(channelId);
    if (!guild) return DEFAULT_MEMBER_PERMISSIONS;
    return botPermissionsIn(guild, this.channels.get(channelId));
  }

  /** Messages in a channel, oldest first. */
  messagesIn(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  interactionByToken(token: string): InteractionRecord | undefined {
    for (const rec of this.interactions.values()) if (rec.token === token) return rec;
    return undefined;
  }
}
