import { ChannelType, MessageFlag, Perm } from './constants.js';
import { discordError, invalidFormBody } from './errors.js';
import { messageDeleteEvent, messageEvent, reactionEvent } from './events.js';
import { addReaction, applyEdit, createMessage, parseEmoji, removeReaction, storeFiles } from './messages.js';
import { channelJson, messageJson } from './payloads.js';
import { has } from './permissions.js';
import { noContent, ok, route, type Reply, type Route, type RouteContext } from './router.js';
import type { FakeChannel, FakeMessage } from './types.js';
import { asMessageBody, validateMessage } from './validate.js';

/** Channel routes the bot uses as itself: messages, reactions, typing, DMs. */

/** The channel if the bot may do `needed` there; else Discord's error (10003, 50001, 50013). */
function access(ctx: RouteContext, channelId: string, ...needed: bigint[]): FakeChannel | Reply {
  const channel = ctx.state.channels.get(channelId);
  if (!channel) return discordError(10003);
  const perms = ctx.state.botPermissionsIn(channelId);
  if (!has(perms, Perm.ViewChannel)) return discordError(50001);
  if (!has(perms, ...needed)) return discordError(50013);
  return channel;
}

function findMessage(ctx: RouteContext, channelId: string, messageId: string): FakeMessage | Reply {
  const msg = ctx.state.messages.get(messageId);
  // Ephemeral interaction responses exist only for the interaction's webhook, not the channel.
  const visible = msg && msg.channel_id === channelId && (msg.flags & MessageFlag.Ephemeral) === 0;
  return visible ? msg : discordError(10008);
}

const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && 'status' in x;
const echo = (ctx: RouteContext): boolean => ctx.state.config.echoBotEvents;

function createChannelMessage(ctx: RouteContext, p: Record<string, string>): Reply {
  const body = asMessageBody(ctx.req.body);
  const files = ctx.req.files;
  const needed = [Perm.SendMessages];
  if (files.length > 0) needed.push(Perm.AttachFiles);
  if (body.message_reference) needed.push(Perm.ReadMessageHistory); // replying needs history
  const channel = access(ctx, p.cid ?? '', ...needed);
  if (isReply(channel)) return channel;
  const invalid = validateMessage(ctx.state, body, files, true);
  if (invalid) return invalid;
  let replyTo: FakeMessage | undefined;
  const ref = body.message_reference;
  if (ref?.message_id !== undefined) {
    replyTo = ctx.state.messages.get(ref.message_id);
    if (!replyTo && ref.fail_if_not_exists !== false) {
      return invalidFormBody('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
    }
  }
  const msg = createMessage(ctx.state, {
    channelId: channel.id,
    author: ctx.state.bot,
    ...body,
    ...(body.allowed_mentions && { allowedMentions: body.allowed_mentions }),
    ...(replyTo && { replyTo }),
    attachments: storeFiles(ctx.state, channel.id, files, body.attachments),
  });
  if (echo(ctx)) messageEvent(ctx.state, ctx.gateway, 'MESSAGE_CREATE', msg);
  return ok(messageJson(msg));
}

function editChannelMessage(ctx: RouteContext, p: Record<string, string>): Reply {
  const channel = access(ctx, p.cid ?? '');
  if (isReply(channel)) return channel;
  const msg = findMessage(ctx, channel.id, p.mid ?? '');
  if (isReply(msg)) return msg;
  if (msg.author.id !== ctx.state.bot.id) return discordError(50005);
  const body = asMessageBody(ctx.req.body);
  const invalid = validateMessage(ctx.state, body, ctx.req.files, false);
  if (invalid) return invalid;
  applyEdit(msg, body, storeFiles(ctx.state, channel.id, ctx.req.files, body.attachments));
  if (echo(ctx)) messageEvent(ctx.state, ctx.gateway, 'MESSAGE_UPDATE', msg);
  return ok(messageJson(msg));
}

function deleteChannelMessage(ctx: RouteContext, p: Record<string, string>): Reply {
  const channel = access(ctx, p.cid ?? '');
  if (isReply(channel)) return channel;
  const msg = findMessage(ctx, channel.id, p.mid ?? '');
  if (isReply(msg)) return msg;
  // Deleting someone else's message needs Manage Messages (not in DMs: there it's impossible).
  if (msg.author.id !== ctx.state.bot.id) {
    if (channel.type === ChannelType.DM) return discordError(50003, { status: 403, message: 'Cannot execute action on a DM channel' });
    if (!has(ctx.state.botPermissionsIn(channel.id), Perm.ManageMessages)) return discordError(50013);
  }
  ctx.state.messages.delete(msg.id);
  if (echo(ctx)) messageDeleteEvent(ctx.state, ctx.gateway, msg);
  return noContent();
}

function ownReaction(add: boolean) {
  return (ctx: RouteContext, p: Record<string, string>): Reply => {
    const channel = access(ctx, p.cid ?? '', Perm.ReadMessageHistory);
    if (isReply(channel)) return channel;
    const msg = findMessage(ctx, channel.id, p.mid ?? '');
    if (isReply(msg)) return msg;
    const emoji = parseEmoji(p.emoji ?? '');
    const bot = ctx.state.bot;
    if (add) {
      const isNew = !msg.reactions.some((r) => (r.emoji.id ?? r.emoji.name) === (emoji.id ?? emoji.name));
      if (isNew && !has(ctx.state.botPermissionsIn(channel.id), Perm.AddReactions)) return discordError(50013);
      if (addReaction(msg, emoji, bot.id, bot.id) && echo(ctx)) reactionEvent(ctx.state, ctx.gateway, 'MESSAGE_REACTION_ADD', msg, bot, emoji);
    } else if (removeReaction(msg, emoji, bot.id, bot.id) && echo(ctx)) {
      reactionEvent(ctx.state, ctx.gateway, 'MESSAGE_REACTION_REMOVE', msg, bot, emoji);
    }
    return noContent();
  };
}

function listMessages(ctx: RouteContext, p: Record<string, string>): Reply {
  const channel = access(ctx, p.cid ?? '', Perm.ReadMessageHistory);
  if (isReply(channel)) return channel;
  const limit = Math.min(Number(ctx.req.query.limit ?? 50) || 50, 100);
  // Newest first, as Discord returns them.
  const visible = ctx.state.messagesIn(channel.id).filter((m) => (m.flags & MessageFlag.Ephemeral) === 0);
  return ok(visible.reverse().slice(0, limit).map(messageJson));
}

function getMessage(ctx: RouteContext, p: Record<string, string>): Reply {
  const channel = access(ctx, p.cid ?? '', Perm.ReadMessageHistory);
  if (isReply(channel)) return channel;
  const msg = findMessage(ctx, channel.id, p.mid ?? '');
  return isReply(msg) ? msg : ok(messageJson(msg));
}

function getChannel(ctx: RouteContext, p: Record<string, string>): Reply {
  const channel = access(ctx, p.cid ?? '');
  return isReply(channel) ? channel : ok(channelJson(ctx.state, channel));
}

function typing(ctx: RouteContext, p: Record<string, string>): Reply {
  const channel = access(ctx, p.cid ?? '', Perm.SendMessages);
  return isReply(channel) ? channel : noContent();
}

function createDm(ctx: RouteContext): Reply {
  const recipientId = (ctx.req.body as { recipient_id?: unknown } | undefined)?.recipient_id;
  if (typeof recipientId !== 'string' || !/^\d+$/.test(recipientId)) {
    return invalidFormBody('recipient_id', 'NUMBER_TYPE_COERCE', 'Value is not snowflake.');
  }
  const user = ctx.state.users.get(recipientId);
  if (!user) return discordError(10013);
  return ok(channelJson(ctx.state, ctx.state.dmChannelFor(user)));
}

export const messageRoutes: Route[] = [
  route('POST', '/users/@me/channels', createDm),
  route('GET', '/channels/:cid', getChannel),
  route('GET', '/channels/:cid/messages', listMessages),
  route('POST', '/channels/:cid/messages', createChannelMessage),
  route('GET', '/channels/:cid/messages/:mid', getMessage),
  route('PATCH', '/channels/:cid/messages/:mid', editChannelMessage),
  route('DELETE', '/channels/:cid/messages/:mid', deleteChannelMessage),
  route('PUT', '/channels/:cid/messages/:mid/reactions/:emoji/@me', ownReaction(true)),
  route('DELETE', '/channels/:cid/messages/:mid/reactions/:emoji/@me', ownReaction(false)),
  route('POST', '/channels/:cid/typing', typing),
];
