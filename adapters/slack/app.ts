import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { PlatformConnection } from '../../src/adapter.js';
import type { SlackConfig } from '../../src/config.js';
import { httpModeConnection, socketModeConnection } from './connection.js';
import { describeSlackError, platformError } from './errors.js';

/** No Slack call may hang a reply (or stop()) forever; the client retries failures on its own. */
const API_TIMEOUT_MS = 30_000;

export interface SlackApp {
  app: App;
  /** Socket Mode's client (none in HTTP mode): its connection is the one to Slack. */
  socket: SocketModeReceiver['client'] | undefined;
}

/** A started App: the port in HTTP mode (SLACK_PORT=0 picks a free one), and its connection now. */
export interface StartedApp {
  port: number | undefined;
  connection(): PlatformConnection;
}

/**
 * The Bolt App, in Socket Mode when an app token is configured (no public URL needed), otherwise
 * in HTTP mode, where Bolt verifies every request's signature with the signing secret.
 */
export function createApp(config: SlackConfig, logger: BoltLogger): SlackApp {
  const clientOptions = { slackApiUrl: config.apiUrl, timeout: API_TIMEOUT_MS };
  const common = {
    token: config.botToken,
    logger,
    // A fresh object per App: Bolt writes into it (its logger), and so would a second App.
    clientOptions: { ...clientOptions },
    // The token is checked in start(), where a refusal can fail start-up with a clear message.
    deferInitialization: true,
    // Bolt's per-conversation state store is unused here.
    convoStore: false as const,
  };
  if (!config.appToken) return { app: new App({ ...common, signingSecret: config.signingSecret }), socket: undefined };
  // Made here rather than by Bolt, which keeps its receiver private: its client's state is the
  // connection's. Given what Bolt would give it: the app token, the logger, the client options.
  const receiver = new SocketModeReceiver({ appToken: config.appToken, logger, installerOptions: { clientOptions } });
  dropStartsCutByStop(receiver.client);
  return { app: new App({ ...common, socketMode: true, receiver }), socket: receiver.client };
}

/**
 * @slack/socket-mode (3.1) reconnects with `this.start().then(…)` and no catch, and a start that
 * disconnect() cuts short rejects: a stop during a reconnect would end the process with an
 * unhandled rejection. Such a start's rejection is dropped (the client is stopping, on purpose);
 * any other is left as it was.
 */
function dropStartsCutByStop(client: NonNullable<SlackApp['socket']>): void {
  const start = client.start.bind(client);
  const stopping = () => (client as unknown as { shuttingDown: boolean }).shuttingDown;
  client.start = () =>
    start().catch((error: unknown) => {
      if (stopping()) return { ok: false, error: 'the client is stopping' };
      throw error;
    });
}

/** Checks the bot token (auth.test), then connects (Socket Mode) or listens on the port (HTTP mode). */
export async function startApp({ app, socket }: SlackApp, config: SlackConfig): Promise<StartedApp> {
  try {
    await app.init();
  } catch (error) {
    const reason = describeSlackError(error);
    throw new Error(
      platformError(error)
        ? `Slack refused SLACK_BOT_TOKEN (${reason}): use the bot token (xoxb-…) from OAuth & Permissions`
        : `could not reach Slack at ${config.apiUrl} (${reason})`,
    );
  }
  try {
    if (socket) {
      const connection = socketModeConnection(socket);
      await app.start();
      return { port: undefined, connection };
    }
    const server = (await app.start(config.port)) as Server;
    return { port: (server.address() as AddressInfo).port, connection: httpModeConnection(server) };
  } catch (error) {
    const mode = config.appToken ? 'connect in Socket Mode (check SLACK_APP_TOKEN: an xapp-… token with connections:write)' : `listen on port ${config.port}`;
    throw new Error(`the Slack adapter could not ${mode}: ${describeSlackError(error)}`);
  }
}
