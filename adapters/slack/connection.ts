import type { Server } from 'node:http';
import type { SocketModeReceiver } from '@slack/bolt';
import type { PlatformConnection } from '../../src/adapter.js';

type SocketModeClient = SocketModeReceiver['client'];

/** The Socket Mode client's states (@slack/socket-mode's State), as it emits them. */
const SOCKET_STATES = ['connecting', 'connected', 'reconnecting', 'disconnecting', 'disconnected'] as const;

/**
 * Socket Mode: connected from Slack's hello until the client says otherwise (Slack dropped the
 * socket, asked for a reconnect, or the App is stopping). Follows the client's own state events
 * rather than its socket: they are what it acts on.
 */
export function socketModeConnection(client: SocketModeClient): () => PlatformConnection {
  let state = 'not connected yet';
  for (const name of SOCKET_STATES) client.on(name, () => (state = name));
  return () => (state === 'connected' ? { up: true } : { up: false, reason: `Socket Mode is ${state}` });
}

/** HTTP mode: Slack reaches the bot as long as its server listens. */
export function httpModeConnection(server: Server): () => PlatformConnection {
  return () => (server.listening ? { up: true } : { up: false, reason: "the server for Slack's requests is not listening" });
}
