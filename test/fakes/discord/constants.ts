/** Gateway intent bits and permission bits the fake reasons about (values from the Discord docs). */

export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  GuildMessageReactions: 1 << 10,
  DirectMessages: 1 << 12,
  DirectMessageReactions: 1 << 13,
  MessageContent: 1 << 15,
} as const;

export const Perm = {
  Administrator: 1n << 3n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  UseApplicationCommands: 1n << 31n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/** What a bot invited with the usual "send messages" scopes gets: enough to run and reply. */
export const DEFAULT_BOT_PERMISSIONS =
  Perm.ViewChannel |
  Perm.SendMessages |
  Perm.EmbedLinks |
  Perm.AttachFiles |
  Perm.ReadMessageHistory |
  Perm.AddReactions |
  Perm.UseExternalEmojis |
  Perm.SendMessagesInThreads;

/** What an ordinary member gets (sent as `member.permissions` in interactions). */
export const DEFAULT_MEMBER_PERMISSIONS = DEFAULT_BOT_PERMISSIONS | Perm.UseApplicationCommands;

export const ChannelType = { GuildText: 0, DM: 1, GuildVoice: 2, GuildCategory: 4, GuildAnnouncement: 5 } as const;

export const MessageFlag = { Ephemeral: 1 << 6, Loading: 1 << 7 } as const;

/** Real Discord limits: the fake rejects what Discord would reject. */
export const Limits = { contentChars: 2000, attachments: 10, uploadBytes: 10 * 1024 * 1024, embeds: 10, actionRows: 5, rowComponents: 5, customIdChars: 100 } as const;
