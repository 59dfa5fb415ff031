import { messageDeleteEvent, messageEvent, reactionEvent } from './events.js';
import { addReaction, applyEdit, createMessage, parseEmoji, removeReaction, userAttachments, type UserUpload } from './messages.js';
import type { FakeMessage, FakeUser, Json } from './types.js';
import type { World } from './world.js';

/** What users do with messages, turned into the gateway events the bot would receive. */

export interface UserMessageInput {
  content?: string;
  /** Default: the fake's default user. */
  author?: FakeUser;
  /** Default: the first guild's first text channel (ignored by sendDm). */
  channelId?: string;
  /** Prefix the content with a mention of the bot (`<@botId> `). */
  mentionBot?: boolean;
  attachments?: UserUpload[];
  embeds?: Json[];
  /** Reply to this message (object or id). */
  replyTo?: FakeMessage | string;
}

function messageById(world: World, ref: FakeMessage | string): FakeMessage {
  const msg = typeof ref === 'string' ? world.state.messages.get(ref) : ref;
  if (!msg) throw new Error(`fake discord: no message ${String(ref)}`);
  return msg;
}

function post(world: World, channelId: string, input: UserMessageInput, dispatch = true): FakeMessage {
  const author = input.author ?? world.defaultUser;
  world.state.users.set(author.id, author);
  const content = input.mentionBot ? `<@${world.state.bot.id}> ${input.content ?? ''}` : (input.content ?? '');
  const msg = createMessage(world.state, {
    channelId,
    author,
    content,
    ...(input.embeds && { embeds: input.embeds }),
    ...(input.replyTo !== undefined && { replyTo: messageById(world, input.replyTo) }),
    attachments: userAttachments(world.state, channelId, input.attachments ?? []),
  });
  if (dispatch) messageEvent(world.state, world.gateway, 'MESSAGE_CREATE', msg);
  return msg;
}

/** A message that existed before the bot connected: stored (GET works) but never dispatched. */
export function seedMessage(world: World, input: UserMessageInput): FakeMessage {
  return post(world, input.channelId ?? world.defaultChannelId, input, false);
}

/** A user posts in a guild channel (MESSAGE_CREATE; content stripped without MessageContent). */
export function sendMessage(world: World, input: UserMessageInput): FakeMessage {
  const channelId = input.channelId ?? world.defaultChannelId;
  if (!world.state.channels.has(channelId)) throw new Error(`fake discord: no channel ${channelId}`);
  return post(world, channelId, input);
}

/** A user DMs the bot (the DM channel is the same one POST /users/@me/channels returns). */
export function sendDm(world: World, input: Omit<UserMessageInput, 'channelId'>): FakeMessage {
  const author = input.author ?? world.defaultUser;
  return post(world, world.state.dmChannelFor(author).id, { ...input, author });
}

/** The author edits a message (MESSAGE_UPDATE with the full message, as Discord sends now). */
export function editMessage(world: World, ref: FakeMessage | string, patch: { content?: string; embeds?: Json[] }): FakeMessage {
  const msg = messageById(world, ref);
  applyEdit(msg, patch, []);
  messageEvent(world.state, world.gateway, 'MESSAGE_UPDATE', msg);
  return msg;
}

/** Someone deletes a message (MESSAGE_DELETE with ids only). */
export function deleteMessage(world: World, ref: FakeMessage | string): FakeMessage {
  const msg = messageById(world, ref);
  world.state.messages.delete(msg.id);
  messageDeleteEvent(world.state, world.gateway, msg);
  return msg;
}

export interface ReactionInput {
  message: FakeMessage | string;
  /** Unicode emoji, or `name:id` for a custom one. */
  emoji: string;
  user?: FakeUser;
}

export function react(world: World, input: ReactionInput, add: boolean): void {
  const msg = messageById(world, input.message);
  const user = input.user ?? world.defaultUser;
  world.state.users.set(user.id, user);
  const emoji = parseEmoji(input.emoji);
  const changed = add ? addReaction(msg, emoji, user.id, world.state.bot.id) : removeReaction(msg, emoji, user.id, world.state.bot.id);
  if (changed) reactionEvent(world.state, world.gateway, add ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', msg, user, emoji);
}
