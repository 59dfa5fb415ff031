import { Events, type Client } from 'discord.js';
import type { DiscordConfig } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import { createClient } from './client.js';
import { isDisallowedIntents } from './errors.js';

export const MESSAGE_CONTENT_MISSING =
  'Discord refused the Message Content intent (it is privileged: enable it in the Developer Portal, ' +
  'Bot → Privileged Gateway Intents). Connected without it, Discord hides the text of server messages ' +
  "that don't mention the bot: `!run` messages, ▶️ reactions and their edits find no code there. " +
  '/run, the "Run Python" menu, @mentions and DMs still work.';

/**
 * Logs in and waits until the client is ready. `listen` is called on each client before it logs
 * in, so no event is missed. When the Message Content intent isn't granted (close code 4014),
 * logs in again without it and says what still works.
 */
export async function connect(config: DiscordConfig, log: Logger, listen: (client: Client) => void): Promise<Client> {
  try {
    return await login(createClient(config, true), config.token, listen);
  } catch (error) {
    if (!isDisallowedIntents(error)) throw error;
    log.warn(MESSAGE_CONTENT_MISSING);
    return login(createClient(config, false), config.token, listen);
  }
}

async function login(client: Client, token: string, listen: (client: Client) => void): Promise<Client> {
  listen(client);
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(token);
    await ready;
    return client;
  } catch (error) {
    await client.destroy();
    throw error;
  }
}
