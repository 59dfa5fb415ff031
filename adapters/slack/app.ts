import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Logger as BoltLogger } from '@slack/bolt';
import type { SlackConfig } from '../../src/config.js';
import { describeSlackError, platformError } from './errors.js';

/** No Slack call may hang a reply (or stop()) forever; the client retries failures on its own. */
const API_TIMEOUT_MS = 30_000;

/**
 * The Bolt App, in Socket Mode when an app token is configured (no public URL needed), otherwise
 * in HTTP mode, where Bolt verifies every request's signature with the signing secret.
 */
export function createApp(config: SlackConfig, logger: BoltLogger): App {
  const common = {
    token: config.botToken,
    logger,
    // A fresh object per App: Bolt writes into it (its logger), and so would a second App.
    clientOptions: { slackApiUrl: config.apiUrl, timeout: API_TIMEOUT_MS },
    // The token is checked in start(), where a refusal can fail start-up with a clear message.
    deferInitialization: true,
    // Bolt's per-conversation state store is unused here.
    convoStore: false as const,
  };
  return config.appToken
    ? new App({ ...common, socketMode: true, appToken: config.appToken })
    : new App({ ...common, signingSecret: config.signingSecret });
}

/**
 * Checks the bot token (auth.test), then connects (Socket Mode) or listens on the port (HTTP mode).
 * Resolves the HTTP port in HTTP mode (SLACK_PORT=0 picks a free one).
 */
export async function startApp(app: App, config: SlackConfig): Promise<number | undefined> {
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
    if (config.appToken) {
      await app.start();
      return undefined;
    }
    const server = (await app.start(config.port)) as Server;
    return (server.address() as AddressInfo).port;
  } catch (error) {
    const mode = config.appToken ? 'connect in Socket Mode (check SLACK_APP_TOKEN: an xapp-… token with connections:write)' : `listen on port ${config.port}`;
    throw new Error(`the Slack adapter could not ${mode}: ${describeSlackError(error)}`);
  }
}
