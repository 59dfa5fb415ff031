import { randomBytes } from 'node:crypto';
import { DEFAULT_MEMBER_PERMISSIONS } from './constants.js';
import { userAttachments, type UserUpload } from './messages.js';
import { channelJson, integrationOwners, interactionMemberJson, messageJson } from './payloads.js';
import { snowflake } from './snowflake.js';
import type { InteractionRecord } from './state.js';
import type { FakeAttachment, FakeChannel, FakeMessage, FakeUser, Json, RecordedRequest } from './types.js';
import type { World } from './world.js';

/** INTERACTION_CREATE payloads as Discord sends them: commands, context menus, buttons, modals. */

export interface InteractionInput {
  /** Default: the fake's default user. */
  user?: FakeUser;
  /** Default: the first guild's first text channel. */
  channelId?: string;
  /** Use the DM channel between the user and the bot instead. */
  dm?: boolean;
  locale?: string;
}

/** A dispatched interaction, plus what the fake saw happen to it. */
export interface FakeInteraction {
  id: string;
  token: string;
  payload: Json;
  /** Live record: acked, callbackType, originalMessageId, modal, ... */
  record: InteractionRecord;
  /** Resolves with the bot's callback request (POST /interactions/:id/:token/callback). */
  waitForCallback(timeoutMs?: number): Promise<RecordedRequest>;
}

/** A file is an attachment option: uploaded with the command. */
export type OptionValue = string | number | boolean | UserUpload;

/** A command's options as Discord sends them, and the attachments its attachment options name. */
interface TypedOptions {
  options: Json[];
  attachments: Record<string, FakeAttachment>;
}

/**
 * `{ code: 'print(1)', file: { name: 'data.csv', content: 'a,b' } }` → typed options (3 string,
 * 4 integer, 10 number, 5 boolean, 11 attachment: its value the attachment's id); arrays pass through.
 */
function toOptions(world: World, channel: FakeChannel, options: Record<string, OptionValue> | Json[]): TypedOptions {
  if (Array.isArray(options)) return { options, attachments: {} };
  const attachments: Record<string, FakeAttachment> = {};
  const typed = Object.entries(options).map(([name, value]) => {
    if (typeof value === 'object') {
      // Uploaded with a command, a file is ephemeral, and served by the fake like any attachment.
      const attachment = { ...userAttachments(world.state, channel.id, [value])[0]!, ephemeral: true };
      attachments[attachment.id] = attachment;
      return { name, value: attachment.id, type: 11 };
    }
    return { name, value, type: typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3 };
  });
  return { options: typed, attachments };
}

/** Where an interaction happens: the DM with its user, or a channel (by default the first guild's first text channel). */
function channelOf(world: World, input: InteractionInput): FakeChannel {
  const channel = input.dm ? world.state.dmChannelFor(input.user ?? world.defaultUser) : world.state.channels.get(input.channelId ?? world.defaultChannelId);
  if (!channel) throw new Error(`fake discord: no channel ${String(input.channelId)}`);
  return channel;
}

function dispatchInteraction(world: World, input: InteractionInput, type: number, data: Json, extra: { record?: Partial<InteractionRecord>; payload?: Json } = {}): FakeInteraction {
  const { state } = world;
  const user = input.user ?? world.defaultUser;
  state.users.set(user.id, user);
  const channel = channelOf(world, input);
  const guild = state.guildOfChannel(channel.id);
  const id = snowflake();
  const token = `fake-interaction-${id}-${randomBytes(8).toString('hex')}`;
  const record: InteractionRecord = { id, token, type, channelId: channel.id, guildId: guild?.id, user, createdAt: Date.now(), acked: false, ephemeral: false, ...extra.record };
  state.interactions.set(id, record);
  const locale = input.locale ?? 'en-US';
  const payload: Json = {
    id,
    application_id: state.config.applicationId,
    type,
    data,
    token,
    version: 1,
    channel: { ...channelJson(state, channel), ...(guild && { permissions: DEFAULT_MEMBER_PERMISSIONS.toString() }) },
    channel_id: channel.id,
    app_permissions: state.botPermissionsIn(channel.id).toString(),
    locale,
    entitlements: [],
    authorizing_integration_owners: integrationOwners(record),
    context: guild ? 0 : 1, // 0 guild, 1 bot DM
    attachment_size_limit: state.config.maxUploadBytes,
    ...(guild
      ? { guild_id: guild.id, guild: { id: guild.id, locale: 'en-US', features: [] }, guild_locale: 'en-US', member: interactionMemberJson(user) }
      : { user: { ...user } }),
    ...extra.payload,
  };
  world.gateway.dispatch('INTERACTION_CREATE', payload);
  return {
    id,
    token,
    payload,
    record,
    waitForCallback: (timeoutMs) => world.waitForRequest((r) => r.method === 'POST' && r.path === `/interactions/${id}/${token}/callback`, timeoutMs),
  };
}

/** The id Discord would use: the registered command's, if the bot registered one by that name. */
function commandId(world: World, name: string, type: number, guildId: string | undefined): string {
  const pools = [...(guildId ? (world.state.commands.get(guildId) ?? []) : []), ...(world.state.commands.get('global') ?? [])];
  const found = pools.find((c) => c.name === name && c.type === type);
  return typeof found?.id === 'string' ? found.id : snowflake();
}

function guildIdFor(world: World, input: InteractionInput): string | undefined {
  return input.dm ? undefined : world.state.guildOfChannel(input.channelId ?? world.defaultChannelId)?.id;
}

/**
 * A chat-input command, e.g. `/run code:"print(1)"` → slashCommand({ name: 'run', options: { code: 'print(1)' } });
 * a file option, `{ file: { name: 'data.csv', content: 'a,b\n' } }`, comes in `resolved.attachments`.
 */
export function slashCommand(world: World, input: InteractionInput & { name: string; options?: Record<string, OptionValue> | Json[] }): FakeInteraction {
  const typed = input.options && toOptions(world, channelOf(world, input), input.options);
  const data: Json = {
    id: commandId(world, input.name, 1, guildIdFor(world, input)),
    name: input.name,
    type: 1,
    ...(typed && { options: typed.options }),
    ...(typed && Object.keys(typed.attachments).length && { resolved: { attachments: typed.attachments } }),
  };
  return dispatchInteraction(world, input, 2, data, { record: { name: input.name, commandType: 1 } });
}

function messageRef(world: World, ref: FakeMessage | string): FakeMessage {
  const msg = typeof ref === 'string' ? world.state.messages.get(ref) : ref;
  if (!msg) throw new Error(`fake discord: no message ${String(ref)}`);
  return msg;
}

/** "Apps → <name>" on a message: type 2 with data.type 3, target_id and resolved.messages. */
export function messageCommand(world: World, input: InteractionInput & { name: string; target: FakeMessage | string }): FakeInteraction {
  const target = messageRef(world, input.target);
  const data: Json = {
    id: commandId(world, input.name, 3, guildIdFor(world, input)),
    name: input.name,
    type: 3,
    target_id: target.id,
    resolved: { messages: { [target.id]: messageJson(target) } },
  };
  return dispatchInteraction(world, { ...input, channelId: target.channel_id }, 2, data, { record: { name: input.name, commandType: 3 } });
}

/** A button press (type 3, component_type 2) on a message, usually one the bot sent. */
export function buttonClick(world: World, input: InteractionInput & { customId: string; message: FakeMessage | string }): FakeInteraction {
  const message = messageRef(world, input.message);
  return dispatchInteraction(world, { ...input, channelId: message.channel_id }, 3, { custom_id: input.customId, component_type: 2 }, {
    record: { sourceMessageId: message.id },
    payload: { message: messageJson(message) },
  });
}

/**
 * A modal submit (type 5). Pass `from` (the interaction the bot answered with a modal) to reuse its
 * custom_id, layout and source message; `fields` maps text-input custom_id → value.
 */
export function modalSubmit(
  world: World,
  input: InteractionInput & { fields: Record<string, string>; customId?: string; from?: FakeInteraction; layout?: 'label' | 'row' },
): FakeInteraction {
  const modal = input.from?.record.modal;
  const customId = input.customId ?? (typeof modal?.custom_id === 'string' ? modal.custom_id : undefined);
  if (customId === undefined) throw new Error('fake discord: modalSubmit needs customId or a `from` interaction that opened a modal');
  const first = Array.isArray(modal?.components) ? (modal.components[0] as Json | undefined) : undefined;
  // Modals built from Label components (type 18) come back as labels; older ones as action rows.
  const layout = input.layout ?? (first?.type === 18 ? 'label' : first ? 'row' : 'label');
  const components = Object.entries(input.fields).map(([custom_id, value], i) => {
    const textInput = { type: 4, id: i * 2 + 2, custom_id, value };
    return layout === 'label' ? { type: 18, id: i * 2 + 1, component: textInput } : { type: 1, id: i * 2 + 1, components: [textInput] };
  });
  const sourceId = input.from?.record.sourceMessageId;
  const source = sourceId === undefined ? undefined : world.state.messages.get(sourceId);
  const from = input.from?.record;
  return dispatchInteraction(
    world,
    { ...input, ...(from && { channelId: from.channelId, dm: from.guildId === undefined, user: input.user ?? from.user }) },
    5,
    { custom_id: customId, components },
    { record: { ...(source && { sourceMessageId: source.id }) }, payload: source ? { message: messageJson(source) } : {} },
  );
}
