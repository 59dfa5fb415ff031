import { Limits, MessageFlag } from './constants.js';
import { discordError, invalidFormBody } from './errors.js';
import { messageDeleteEvent, messageEvent } from './events.js';
import { applyEdit, createMessage, storeFiles } from './messages.js';
import { integrationOwners, messageJson } from './payloads.js';
import { noContent, ok, route, type Reply, type Route, type RouteContext } from './router.js';
import type { InteractionRecord } from './state.js';
import type { FakeMessage, Json } from './types.js';
import { asMessageBody, validateMessage, type MessageBody } from './validate.js';

/**
 * Interaction callbacks (POST /interactions/:id/:token/callback → 204, no bot token) and the
 * interaction webhook (`@original` and followups). Enforces Discord's 3 s ack deadline, the
 * single acknowledgement, and the 15 min token lifetime.
 */

const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && 'status' in x;
const ephemeral = (msg: FakeMessage): boolean => (msg.flags & MessageFlag.Ephemeral) !== 0;

/** Echo a change to the bot over the gateway, unless only the invoking user can see it. */
function echo(ctx: RouteContext, t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE' | 'MESSAGE_DELETE', msg: FakeMessage): void {
  if (!ctx.state.config.echoBotEvents || ephemeral(msg)) return;
  if (t === 'MESSAGE_DELETE') messageDeleteEvent(ctx.state, ctx.gateway, msg);
  else messageEvent(ctx.state, ctx.gateway, t, msg);
}

function metadata(rec: InteractionRecord): Json {
  return {
    id: rec.id,
    type: rec.type,
    user: { ...rec.user },
    authorizing_integration_owners: integrationOwners(rec),
    ...(rec.name !== undefined && { name: rec.name }),
    ...(rec.commandType !== undefined && { command_type: rec.commandType }),
    ...(rec.sourceMessageId !== undefined && { interacted_message_id: rec.sourceMessageId }),
  };
}

/** A message sent in response to an interaction: authored by the bot, via the app's webhook. */
function responseMessage(ctx: RouteContext, rec: InteractionRecord, data: MessageBody, extraFlags = 0): FakeMessage {
  const appId = ctx.state.config.applicationId;
  const msg = createMessage(ctx.state, {
    channelId: rec.channelId,
    author: ctx.state.bot,
    ...(data.content !== undefined && { content: data.content }),
    ...(data.embeds !== undefined && { embeds: data.embeds }),
    ...(data.components !== undefined && { components: data.components }),
    ...(data.allowed_mentions !== undefined && { allowedMentions: data.allowed_mentions }),
    flags: ((data.flags ?? 0) & MessageFlag.Ephemeral) | extraFlags,
    attachments: storeFiles(ctx.state, rec.channelId, ctx.req.files, data.attachments),
    // 20 = ChatInputCommand, 23 = ContextMenuCommand; component/modal responses are plain (0).
    type: rec.type === 2 ? (rec.commandType === 1 ? 20 : 23) : 0,
    webhookId: appId,
    applicationId: appId,
    interactionMetadata: metadata(rec),
  });
  echo(ctx, 'MESSAGE_CREATE', msg);
  return msg;
}

function callback(ctx: RouteContext, p: Record<string, string>): Reply {
  const rec = ctx.state.interactions.get(p.iid ?? '');
  if (!rec || rec.token !== p.token) return discordError(10062);
  if (rec.acked) return discordError(40060);
  const deadline = ctx.state.config.interactionAckDeadlineMs;
  if (deadline > 0 && Date.now() - rec.createdAt > deadline) return discordError(10062);
  const raw = (ctx.req.body ?? {}) as { type?: unknown; data?: unknown };
  const data = asMessageBody(raw.data);
  const type = raw.type;
  let message: FakeMessage | undefined;
  switch (type) {
    case 4: {
      const invalid = validateMessage(ctx.state, data, ctx.req.files, true);
      if (invalid) return invalid;
      message = responseMessage(ctx, rec, data);
      rec.originalMessageId = message.id;
      break;
    }
    case 5: // "Bot is thinking…": a loading message, edited later through @original
      message = responseMessage(ctx, rec, { flags: data.flags ?? 0 }, MessageFlag.Loading);
      rec.originalMessageId = message.id;
      break;
    case 6: // deferred update: @original is the message the component sits on
    case 7: {
      const source = rec.sourceMessageId === undefined ? undefined : ctx.state.messages.get(rec.sourceMessageId);
      if (!source) return invalidFormBody('type', 'INTERACTION_RESPONSE_TYPE_INVALID', 'Interaction response type is invalid for this interaction');
      if (type === 7) {
        const invalid = validateMessage(ctx.state, data, ctx.req.files, false);
        if (invalid) return invalid;
        applyEdit(source, data, storeFiles(ctx.state, source.channel_id, ctx.req.files, data.attachments));
        echo(ctx, 'MESSAGE_UPDATE', source);
      }
      message = source;
      rec.originalMessageId = source.id;
      break;
    }
    case 9: {
      const modal = raw.data as Json | undefined;
      if (rec.type === 5) return invalidFormBody('type', 'INTERACTION_RESPONSE_TYPE_INVALID', 'A modal cannot open another modal');
      if (typeof modal?.custom_id !== 'string' || typeof modal.title !== 'string' || !Array.isArray(modal.components)) {
        return invalidFormBody('data', 'MODAL_INVALID', 'Modal needs custom_id, title and components');
      }
      if (modal.custom_id.length < 1 || modal.custom_id.length > Limits.customIdChars) {
        return invalidFormBody('data.custom_id', 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${Limits.customIdChars} in length.`);
      }
      rec.modal = modal;
      break;
    }
    default:
      return invalidFormBody('type', 'BASE_TYPE_CHOICES', 'Value must be one of {4, 5, 6, 7, 9}.');
  }
  rec.acked = true;
  rec.callbackType = type;
  rec.ephemeral = message !== undefined && ephemeral(message);
  if (ctx.req.query.with_response !== 'true') return noContent();
  return ok({
    interaction: {
      id: rec.id,
      type: rec.type,
      response_message_id: message?.id,
      response_message_loading: type === 5,
      response_message_ephemeral: rec.ephemeral,
    },
    resource: { type, ...(message && type !== 5 && { message: messageJson(message) }) },
  });
}

/** The interaction behind a webhook token, or Discord's error for a bad/expired one. */
function interactionFor(ctx: RouteContext, p: Record<string, string>): InteractionRecord | Reply {
  if (p.app !== ctx.state.config.applicationId) return discordError(10015);
  const rec = ctx.state.interactionByToken(p.token ?? '');
  if (!rec || Date.now() - rec.createdAt > ctx.state.config.interactionTokenTtlMs) return discordError(50027);
  return rec;
}

function webhookMessage(ctx: RouteContext, p: Record<string, string>): { rec: InteractionRecord; msg: FakeMessage } | Reply {
  const rec = interactionFor(ctx, p);
  if (isReply(rec)) return rec;
  const id = p.mid === '@original' ? rec.originalMessageId : p.mid;
  const msg = id === undefined ? undefined : ctx.state.messages.get(id);
  const ours = msg && (msg.id === rec.originalMessageId || msg.interaction_metadata?.id === rec.id);
  return msg && ours ? { rec, msg } : discordError(10008);
}

function getWebhookMessage(ctx: RouteContext, p: Record<string, string>): Reply {
  const found = webhookMessage(ctx, p);
  return isReply(found) ? found : ok(messageJson(found.msg));
}

function editWebhookMessage(ctx: RouteContext, p: Record<string, string>): Reply {
  const found = webhookMessage(ctx, p);
  if (isReply(found)) return found;
  const data = asMessageBody(ctx.req.body);
  const invalid = validateMessage(ctx.state, data, ctx.req.files, false);
  if (invalid) return invalid;
  applyEdit(found.msg, data, storeFiles(ctx.state, found.msg.channel_id, ctx.req.files, data.attachments));
  echo(ctx, 'MESSAGE_UPDATE', found.msg);
  return ok(messageJson(found.msg));
}

function deleteWebhookMessage(ctx: RouteContext, p: Record<string, string>): Reply {
  const found = webhookMessage(ctx, p);
  if (isReply(found)) return found;
  ctx.state.messages.delete(found.msg.id);
  echo(ctx, 'MESSAGE_DELETE', found.msg);
  return noContent();
}

function followup(ctx: RouteContext, p: Record<string, string>): Reply {
  const rec = interactionFor(ctx, p);
  if (isReply(rec)) return rec;
  if (!rec.acked) return discordError(10015); // no followups before the initial response
  const data = asMessageBody(ctx.req.body);
  const invalid = validateMessage(ctx.state, data, ctx.req.files, true);
  if (invalid) return invalid;
  const original = rec.originalMessageId === undefined ? undefined : ctx.state.messages.get(rec.originalMessageId);
  let msg: FakeMessage;
  if (original && (original.flags & MessageFlag.Loading) !== 0) {
    // After a defer, the first followup replaces the "thinking…" message (as on Discord).
    applyEdit(original, data, storeFiles(ctx.state, original.channel_id, ctx.req.files, data.attachments));
    echo(ctx, 'MESSAGE_UPDATE', original);
    msg = original;
  } else {
    msg = responseMessage(ctx, rec, data);
  }
  return ctx.req.query.wait === 'true' ? ok(messageJson(msg)) : noContent();
}

export const interactionRoutes: Route[] = [
  route('POST', '/interactions/:iid/:token/callback', callback, false),
  route('GET', '/webhooks/:app/:token/messages/:mid', getWebhookMessage, false),
  route('PATCH', '/webhooks/:app/:token/messages/:mid', editWebhookMessage, false),
  route('DELETE', '/webhooks/:app/:token/messages/:mid', deleteWebhookMessage, false),
  route('POST', '/webhooks/:app/:token', followup, false),
];
