import type { EventEmitter } from 'node:events';
import { Client, Events, GatewayIntentBits, Partials, Status } from 'discord.js';
import { withDeadline } from '../../sandbox/deadline.js';
import type { PlatformConnection } from '../../src/adapter.js';
import type { DiscordConfig } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import { errorFields, isDisallowedIntents } from './errors.js';

export const MESSAGE_CONTENT_MISSING =
  'Discord refused the Message Content intent (it is privileged: enable it in the Developer Portal, ' +
  'Bot → Privileged Gateway Intents). Connected without it, Discord hides the text of server messages ' +
  "that don't mention the bot: `!run` and `!timeit` messages, ▶️ reactions and their edits find no code there. " +
  '/run, /timeit, the "Run Python" menu, @mentions and DMs still work.';

/** How long logging in (until the gateway says ready) may take: start-up fails rather than hangs. */
const LOGIN_MS = 30_000;
/** How long disconnecting may take when Discord doesn't answer. */
const DISCONNECT_MS = 5_000;

/**
 * Logs in and waits until the client is ready. `listen` is called on each client before it logs
 * in, so no event is missed. When the Message Content intent isn't granted (close code 4014),
 * logs in again without it and says what still works.
 */
export async function connect(config: DiscordConfig, log: Logger, listen: (client: Client) => void): Promise<Client> {
  try {
    return await login(createClient(config, true), config.token, log, listen);
  } catch (error) {
    if (!isDisallowedIntents(error)) throw error;
    log.warn(MESSAGE_CONTENT_MISSING);
    return login(createClient(config, false), config.token, log, listen);
  }
}

/** Disconnects within a deadline; never rejects (a stop must end whatever Discord does). */
export async function disconnect(client: Client, log: Logger): Promise<void> {
  keepGatewayErrorsHandled(client, log);
  await withDeadline(client.destroy(), DISCONNECT_MS, 'Discord did not disconnect in time').catch((error: unknown) =>
    log.warn(errorFields(error), 'could not disconnect from Discord cleanly'),
  );
}

/** A gateway connection's status in words: "the gateway connection is …". */
const GATEWAY_STATUS: Readonly<Record<Status, string>> = {
  [Status.Ready]: 'ready',
  [Status.Connecting]: 'being made again',
  [Status.Reconnecting]: 'being made again',
  [Status.Idle]: 'not open',
  [Status.Nearly]: 'almost ready',
  [Status.Disconnected]: 'closed for good (Discord closed it with a code that is not retried)',
  [Status.WaitingForGuilds]: 'waiting for the servers the bot is in',
  [Status.Identifying]: 'logging in again',
  [Status.Resuming]: 'resuming its session',
};

/**
 * Connected when the client is ready and every gateway shard is too: a shard reconnecting (Discord
 * dropped it, or is unreachable) hears no messages, so the bot answers none until it is back.
 */
export function gatewayConnection(client: Client): PlatformConnection {
  const notReady = client.ws.shards.find((shard) => shard.status !== Status.Ready);
  if (client.isReady() && !notReady) return { up: true };
  return { up: false, reason: `the gateway connection is ${GATEWAY_STATUS[notReady?.status ?? Status.Idle]}` };
}

/**
 * The discord.js Client as Sandpiper needs it. `messageContent: false` is the fallback when the
 * app hasn't been granted that privileged intent.
 */
function createClient(config: DiscordConfig, messageContent: boolean): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      ...(messageContent ? [GatewayIntentBits.MessageContent] : []),
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.GuildMessageReactions,
      GatewayIntentBits.DirectMessageReactions,
    ],
    // Without these, DMs and reactions on uncached messages (or from uncached users) are dropped.
    partials: [Partials.Channel, Partials.Message, Partials.Reaction, Partials.User],
    // Each REST attempt gives up after 15 s (discord.js retries a few times): no call waits forever.
    rest: { api: config.apiUrl, timeout: 15_000 },
    // Nobody is ever pinged by a reply, whatever the output says: this covers every message sent.
    allowedMentions: { parse: [], repliedUser: false },
  });
}

async function login(client: Client, token: string, log: Logger, listen: (client: Client) => void): Promise<Client> {
  watch(client, log);
  listen(client);
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await withDeadline(Promise.all([client.login(token), ready]), LOGIN_MS, `Discord did not let the bot in within ${LOGIN_MS / 1000} s`);
    return client;
  } catch (error) {
    await disconnect(client, log);
    throw error;
  }
}

/** The client's own trouble is logged, never thrown: an 'error' event without a listener would crash. */
function watch(client: Client, log: Logger): void {
  client.on(Events.Error, (error) => log.error(errorFields(error), 'Discord client error'));
  client.on(Events.ShardError, (error, shard) => {
    if (isDisallowedIntents(error)) return; // connect() explains that one
    log.warn({ shard, ...errorFields(error) }, 'Discord gateway connection error');
  });
  client.on(Events.Warn, (message) => log.warn({ detail: message }, 'Discord client warning'));
}

interface GatewayInternals {
  _ws?: { strategy?: { shards?: Map<number, { connection?: EventEmitter | null }> } } | null;
}

/**
 * @discordjs/ws (1.2.3) removes the error handler of a gateway socket that is still connecting when
 * the client is destroyed, without closing it: when that attempt then fails (Discord unreachable),
 * the socket emits an 'error' nobody listens to and the process crashes mid-stop. A listener added
 * here survives that removal. Reaches into the library's internals, so it does nothing if they change
 * (test/faults/start-stop.test.ts would then fail).
 */
function keepGatewayErrorsHandled(client: Client, log: Logger): void {
  const shards = (client.ws as unknown as GatewayInternals)._ws?.strategy?.shards;
  for (const shard of shards?.values() ?? []) {
    shard.connection?.on('error', (error: unknown) => log.debug(errorFields(error), 'abandoned gateway connection failed'));
  }
}
