import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveConfig } from './config.js';
import { ChannelType, Intent } from './constants.js';
import { FaultQueue, type Fault } from './faults.js';
import { FakeGateway } from './gateway.js';
import { buttonClick, messageCommand, modalSubmit, slashCommand, type FakeInteraction, type InteractionInput, type OptionValue } from './interactions.js';
import { channelJson, rolesJson } from './payloads.js';
import { restHandler } from './rest.js';
import { FakeState } from './state.js';
import type { FakeDiscordOptions, FakeGuild, FakeMessage, FakeUser, Json, RecordedRequest, RequestMatcher } from './types.js';
import { deleteMessage, editMessage, react, seedMessage, sendDm, sendMessage, type ReactionInput, type UserMessageInput } from './userMessages.js';
import { describeMatcher, toPredicate, waitUntil } from './wait.js';
import type { World } from './world.js';

/**
 * A fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests with the real discord.js Client.
 *
 *   const fake = await startFakeDiscord();
 *   const client = new Client({ intents, partials, rest: { api: fake.apiUrl } });
 *   await client.login('any-token');                 // then wait for Events.ClientReady
 *   const msg = fake.sendMessage({ content: '!run print(1)' });
 *   const reply = await fake.waitForBotMessage((m) => m.message_reference?.message_id === msg.id);
 *   ...
 *   await client.destroy(); await fake.close();
 *
 * Events dispatched before any client has identified are lost, as when a bot is offline; while a
 * session is only disconnected they are buffered and replayed on RESUME.
 */
export interface FakeDiscord {
  /** Pass as discord.js `rest: { api }`; the gateway URL is discovered from it. */
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly bot: FakeUser;
  readonly applicationId: string;
  /** The first configured guild, and its first text channel. */
  readonly guild: FakeGuild;
  readonly channelId: string;
  /** The user helpers act as by default ("alice"). */
  readonly user: FakeUser;
  readonly state: FakeState;
  readonly gateway: FakeGateway;
  /** Every REST request so far, oldest first. */
  readonly requests: readonly RecordedRequest[];

  waitForRequest(match: RequestMatcher, timeoutMs?: number): Promise<RecordedRequest>;
  requestsMatching(match: RequestMatcher): RecordedRequest[];
  clearRequests(): void;
  /** A message by the bot (REST or interaction response) satisfying `pred`, now or later. */
  waitForBotMessage(pred?: (m: FakeMessage) => boolean, timeoutMs?: number): Promise<FakeMessage>;
  /** Re-check `check` on every REST request and gateway frame until it returns a value. */
  waitFor<T>(check: () => T | undefined, timeoutMs?: number, what?: string): Promise<T>;

  /** The next `times` requests matching `match` get `fault` instead of their normal answer. */
  failNext(match: RequestMatcher, fault: Fault, times?: number): void;
  clearFaults(): void;
  /** Change what the bot may do (guild-wide, or in one channel) and tell the client, as Discord does. */
  setBotPermissions(perms: bigint, where?: { guildId?: string; channelId?: string }): void;

  addUser(partial?: Partial<FakeUser>): FakeUser;
  sendMessage(input: UserMessageInput): FakeMessage;
  sendDm(input: Omit<UserMessageInput, 'channelId'>): FakeMessage;
  seedMessage(input: UserMessageInput): FakeMessage;
  editMessage(message: FakeMessage | string, patch: { content?: string; embeds?: Json[] }): FakeMessage;
  deleteMessage(message: FakeMessage | string): FakeMessage;
  addReaction(input: ReactionInput): void;
  removeReaction(input: ReactionInput): void;
  /** A file as an option's value is uploaded with the command (an attachment option). */
  slashCommand(input: InteractionInput & { name: string; options?: Record<string, OptionValue> | Json[] }): FakeInteraction;
  messageCommand(input: InteractionInput & { name: string; target: FakeMessage | string }): FakeInteraction;
  buttonClick(input: InteractionInput & { customId: string; message: FakeMessage | string }): FakeInteraction;
  modalSubmit(input: InteractionInput & { fields: Record<string, string>; customId?: string; from?: FakeInteraction; layout?: 'label' | 'row' }): FakeInteraction;

  close(): Promise<void>;
}

export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const state = new FakeState(resolveConfig(opts));
  const activity = new EventEmitter().setMaxListeners(0);
  const gateway = new FakeGateway(state, activity);
  const faults = new FaultQueue();
  const log: RecordedRequest[] = [];

  const server = createServer(restHandler({ state, gateway, faults, log, activity }));
  server.on('upgrade', (req, socket, head: Buffer) => gateway.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  state.origin = origin;
  gateway.url = `ws://127.0.0.1:${port}/gateway`;

  const guild = state.config.guilds[0];
  if (!guild) throw new Error('fake discord: configure at least one guild');
  const channelId = guild.channels.find((c) => c.type === ChannelType.GuildText)?.id ?? '';
  const user = state.addUser({ username: 'alice', global_name: 'Alice' });

  const waitFor = <T>(check: () => T | undefined, timeoutMs = 5000, what = 'a condition'): Promise<T> =>
    waitUntil(activity, 'activity', check, timeoutMs, what);
  const waitForRequest = (match: RequestMatcher, timeoutMs = 5000): Promise<RecordedRequest> => {
    const pred = toPredicate(match);
    return waitFor(() => log.find(pred), timeoutMs, describeMatcher(match));
  };
  const world: World = { state, gateway, defaultUser: user, defaultChannelId: channelId, waitForRequest };

  return {
    apiUrl: `${origin}/api`,
    gatewayUrl: gateway.url,
    origin,
    bot: state.bot,
    applicationId: state.config.applicationId,
    guild,
    channelId,
    user,
    state,
    gateway,
    requests: log,
    waitForRequest,
    requestsMatching: (match) => log.filter(toPredicate(match)),
    clearRequests: () => void log.splice(0),
    waitForBotMessage: (pred = () => true, timeoutMs = 5000) =>
      waitFor(() => [...state.messages.values()].find((m) => m.author.id === state.bot.id && pred(m)), timeoutMs, 'a message from the bot'),
    waitFor,
    failNext: (match, fault, times = 1) => faults.add(match, fault, times),
    clearFaults: () => faults.clear(),
    setBotPermissions(perms, where = {}) {
      const target = where.channelId === undefined ? state.guild(where.guildId ?? guild.id) : state.guildOfChannel(where.channelId);
      if (!target) throw new Error('fake discord: no such guild or channel');
      const channel = where.channelId === undefined ? undefined : state.channels.get(where.channelId);
      if (channel) {
        channel.botPermissions = perms;
        gateway.dispatch('CHANNEL_UPDATE', channelJson(state, channel), Intent.Guilds);
      } else {
        target.botPermissions = perms;
        gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: target.id, role: rolesJson(state, target)[1] }, Intent.Guilds);
      }
    },
    addUser: (partial) => state.addUser(partial),
    sendMessage: (input) => sendMessage(world, input),
    sendDm: (input) => sendDm(world, input),
    seedMessage: (input) => seedMessage(world, input),
    editMessage: (message, patch) => editMessage(world, message, patch),
    deleteMessage: (message) => deleteMessage(world, message),
    addReaction: (input) => react(world, input, true),
    removeReaction: (input) => react(world, input, false),
    slashCommand: (input) => slashCommand(world, input),
    messageCommand: (input) => messageCommand(world, input),
    buttonClick: (input) => buttonClick(world, input),
    modalSubmit: (input) => modalSubmit(world, input),
    async close() {
      await gateway.close();
      server.closeAllConnections(); // keep-alive sockets from undici would hold close() open
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type { Fault } from './faults.js';
export type { FakeInteraction, InteractionInput, OptionValue } from './interactions.js';
export type { ReactionInput, UserMessageInput } from './userMessages.js';
export type { FakeDiscordOptions, FakeGuild, FakeMessage, FakeUser, RecordedRequest, RequestMatcher } from './types.js';
export { Intent, Perm, DEFAULT_BOT_PERMISSIONS } from './constants.js';
