import type { FakeGateway, GatewaySession } from './gateway.js';
import { gatewayMessageJson, memberJson } from './payloads.js';
import type { FakeState } from './state.js';
import type { FakeMessage, FakeUser } from './types.js';
import { canSeeContent, messageIntent, reactionIntent, stripContent } from './visibility.js';

/**
 * Gateway events for message changes, shaped like Discord's. Used both for what users do and to
 * echo the bot's own REST actions back to it (Discord does that too).
 */

export function messageEvent(state: FakeState, gateway: FakeGateway, t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', msg: FakeMessage): number {
  const json = gatewayMessageJson(state, msg);
  const forSession = (s: GatewaySession): unknown => (canSeeContent(state, s.intents, msg) ? json : stripContent(json));
  return gateway.dispatch(t, forSession, messageIntent(state, msg.channel_id));
}

export function messageDeleteEvent(state: FakeState, gateway: FakeGateway, msg: FakeMessage): number {
  const d = { id: msg.id, channel_id: msg.channel_id, ...(msg.guildId !== undefined && { guild_id: msg.guildId }) };
  return gateway.dispatch('MESSAGE_DELETE', d, messageIntent(state, msg.channel_id));
}

/** MESSAGE_REACTION_ADD / REMOVE. No channel_type here (as on Discord), so DM reactions need a cached DM channel. */
export function reactionEvent(
  state: FakeState,
  gateway: FakeGateway,
  t: 'MESSAGE_REACTION_ADD' | 'MESSAGE_REACTION_REMOVE',
  msg: FakeMessage,
  user: FakeUser,
  emoji: { id: string | null; name: string },
): number {
  const guildId = msg.guildId;
  const d = {
    type: 0,
    user_id: user.id,
    channel_id: msg.channel_id,
    message_id: msg.id,
    emoji,
    burst: false,
    ...(guildId !== undefined && { guild_id: guildId }),
    ...(t === 'MESSAGE_REACTION_ADD' && {
      message_author_id: msg.author.id,
      burst_colors: [],
      ...(guildId !== undefined && {
        member: memberJson(user, user.id === state.bot.id ? [state.guild(guildId)?.botRoleId ?? ''] : []),
      }),
    }),
  };
  return gateway.dispatch(t, d, reactionIntent(state, msg.channel_id));
}
