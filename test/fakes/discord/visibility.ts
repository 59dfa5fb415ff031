import type { FakeConfig } from './config.js';
import { ChannelType, Intent } from './constants.js';
import type { FakeState } from './state.js';
import type { FakeMessage, Json } from './types.js';

/** What a session may receive: intents gate events, and MessageContent gates message bodies. */

/** The intent that carries message events for this channel (guild vs DM). */
export function messageIntent(state: FakeState, channelId: string): number {
  return state.channels.get(channelId)?.type === ChannelType.DM ? Intent.DirectMessages : Intent.GuildMessages;
}

export function reactionIntent(state: FakeState, channelId: string): number {
  return state.channels.get(channelId)?.type === ChannelType.DM ? Intent.DirectMessageReactions : Intent.GuildMessageReactions;
}

/** Privileged intents asked for but not granted in the (fake) developer portal. */
export function disallowedIntents(config: FakeConfig, intents: number): number {
  let bad = 0;
  if (!config.privileged.messageContent) bad |= intents & Intent.MessageContent;
  if (!config.privileged.guildMembers) bad |= intents & Intent.GuildMembers;
  if (!config.privileged.guildPresences) bad |= intents & Intent.GuildPresences;
  return bad;
}

/**
 * Like Discord: without the (granted) MessageContent intent, guild messages arrive with empty
 * content, embeds, attachments and components, unless they mention the bot or are the bot's own.
 * DMs always carry content.
 */
export function canSeeContent(state: FakeState, intents: number, msg: FakeMessage): boolean {
  if (msg.guildId === undefined) return true;
  if (msg.author.id === state.bot.id) return true;
  if (msg.mentions.some((u) => u.id === state.bot.id)) return true;
  return (intents & Intent.MessageContent) !== 0 && state.config.privileged.messageContent;
}

export function stripContent(json: Json): Json {
  const { poll: _poll, ...rest } = json;
  return { ...rest, content: '', embeds: [], attachments: [], components: [] };
}
