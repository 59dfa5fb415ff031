/** Shapes shared by the fake's parts. Wire objects are plain JSON, typed just enough to use safely. */

export type Json = Record<string, unknown>;

/** A Discord user object as sent on the wire. */
export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot: boolean;
  public_flags: number;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  description?: string;
  /** Uploaded with a command rather than posted in a message. */
  ephemeral?: boolean;
}

export interface FakeReaction {
  emoji: { id: string | null; name: string };
  count: number;
  me: boolean;
  /** Who reacted, so removal and `count` stay right (not sent on the wire). */
  userIds: string[];
}

/** A stored message in the shape REST returns (gateway adds guild_id/member/channel_type). */
export interface FakeMessage {
  id: string;
  type: number;
  channel_id: string;
  author: FakeUser;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: FakeUser[];
  mention_roles: string[];
  attachments: FakeAttachment[];
  embeds: Json[];
  components: Json[];
  reactions: FakeReaction[];
  pinned: boolean;
  flags: number;
  message_reference?: Json;
  referenced_message?: Json | null;
  interaction_metadata?: Json;
  webhook_id?: string;
  application_id?: string;
  nonce?: string | number;
  /** Not on the wire: which guild the channel belongs to. */
  guildId?: string;
}

export interface FakeChannel {
  id: string;
  type: number;
  name?: string;
  guildId?: string;
  /** Per-channel override of what the bot may do here (sent as a member permission overwrite). */
  botPermissions?: bigint;
  /** DMs only: the other party. */
  recipient?: FakeUser;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  /** The managed role the bot gets when invited (what `botPermissions` sets). */
  botRoleId: string;
  botPermissions: bigint;
  unavailable: boolean;
  channels: FakeChannel[];
}

export interface FakeGuildOptions {
  id?: string;
  name?: string;
  ownerId?: string;
  botPermissions?: bigint;
  /** Sent as unavailable in READY and never created (like an outage). */
  unavailable?: boolean;
  channels?: Array<{ id?: string; name?: string; type?: number; botPermissions?: bigint }>;
}

export interface FakeDiscordOptions {
  /** The bot's user; id defaults to a fresh snowflake, username to 'sandpiper-test'. */
  botUser?: Partial<FakeUser>;
  /** Application id; defaults to the bot user's id, as for bots created since 2020. */
  applicationId?: string;
  /** When set, REST and IDENTIFY with any other token fail (401 / close 4004). Default: accept any. */
  token?: string;
  /** Default: one guild "Fake Guild" with text channel #general. */
  guilds?: FakeGuildOptions[];
  /** Which privileged intents the app has been granted in the developer portal. */
  privilegedIntents?: { messageContent?: boolean; guildMembers?: boolean; guildPresences?: boolean };
  /** Asking for a privileged intent that isn't granted: 'close' with 4014 (real Discord), or accept and 'strip' content. */
  onDisallowedIntents?: 'close' | 'strip';
  /** op 10 heartbeat_interval; default 41250 like Discord. */
  heartbeatIntervalMs?: number;
  /** An interaction must be acknowledged within this (Discord: 3 s); 0 disables the check. */
  interactionAckDeadlineMs?: number;
  /** Interaction tokens work for followups this long (Discord: 15 min). */
  interactionTokenTtlMs?: number;
  /** Like Discord, send MESSAGE_CREATE/UPDATE/DELETE and reaction events for the bot's own actions. Default true. */
  echoBotEvents?: boolean;
  /** Upload cap per message (Discord default 10 MiB). */
  maxUploadBytes?: number;
}

/** A file received in a multipart request. */
export interface RecordedFile {
  /** Form field name, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
  text(): string;
}

/** One REST request as the fake saw it, and what it answered. */
export interface RecordedRequest {
  method: string;
  /** Path without the `/api/v10` prefix, e.g. `/channels/123/messages`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The Authorization header, if any (e.g. `Bot fake-token`). */
  auth: string | undefined;
  /** Parsed JSON body, or multipart `payload_json`; undefined when there was none. */
  body: any;
  files: RecordedFile[];
  /** 0 for a request the fake never answered (a `hang` fault). */
  status: number;
  response: unknown;
  at: number;
}

/** Match requests by a predicate or by method and path (a string matches the exact path). */
export type RequestMatcher =
  | ((req: RecordedRequest) => boolean)
  | { method?: string; path?: string | RegExp };
