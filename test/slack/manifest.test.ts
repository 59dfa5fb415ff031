import { readFileSync } from 'node:fs';
import { App } from '@slack/bolt';
import { describe, expect, it, vi } from 'vitest';
import { boltLogger } from '../../adapters/slack/bolt-logger.js';
import { Deduplicator } from '../../adapters/slack/dedup.js';
import type { MessageCache } from '../../adapters/slack/message-cache.js';
import type { ReplyPoster } from '../../adapters/slack/poster.js';
import { registerTriggers } from '../../adapters/slack/triggers.js';
import type { Answers } from '../../src/answers.js';
import { createLogger } from '../../src/log.js';

interface Manifest {
  features: {
    app_home: { messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    slash_commands: { command: string }[];
    shortcuts: { name: string; type: string; callback_id: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

const manifest = JSON.parse(readFileSync(new URL('../../adapters/slack/manifest.json', import.meta.url), 'utf8')) as Manifest;

/** The scope each subscribed event needs. */
const EVENT_SCOPES: Record<string, string> = {
  app_mention: 'app_mentions:read',
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
  'message.im': 'im:history',
  reaction_added: 'reactions:read',
};
/** The scopes of the calls the adapter makes (files:read: downloading files attached to a message), and of its command and shortcut. */
const CALL_SCOPES = ['chat:write', 'reactions:write', 'files:read', 'files:write', 'commands'];

/** What registerTriggers registers on a real (never started) Bolt App. */
function registered() {
  const app = new App({
    token: 'xoxb-unused',
    appToken: 'xapp-unused',
    socketMode: true,
    deferInitialization: true,
    logger: boltLogger(createLogger('silent')),
  });
  const events = vi.spyOn(app, 'event');
  const commands = vi.spyOn(app, 'command');
  const shortcuts = vi.spyOn(app, 'shortcut');
  // The listeners are registered, never called: their dependencies are not used.
  registerTriggers(app, {
    answers: {} as Answers<never>,
    poster: {} as ReplyPoster,
    client: app.client,
    cache: {} as MessageCache,
    dedup: new Deduplicator(),
    runReaction: 'arrow_forward',
    download: async () => new Uint8Array(),
  });
  const first = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((call) => call[0]);
  return { events: first(events), commands: first(commands), shortcuts: first(shortcuts) };
}

describe('adapters/slack/manifest.json', () => {
  const code = registered();

  it('subscribes to exactly the events the code listens to', () => {
    // Bolt's `message` listener receives the message.* events of each conversation type.
    const families = new Set(manifest.settings.event_subscriptions.bot_events.map((event) => event.split('.')[0]));
    expect([...families].sort()).toEqual([...code.events].sort());
  });

  it('declares the command and the message shortcut the code handles', () => {
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(code.commands);
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ name: 'Run Python', type: 'message' })]);
    expect(manifest.features.shortcuts.map((shortcut) => shortcut.callback_id)).toEqual(code.shortcuts);
  });

  it('asks for exactly the scopes those events and calls need', () => {
    const needed = [...manifest.settings.event_subscriptions.bot_events.map((event) => EVENT_SCOPES[event]), ...CALL_SCOPES];
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...new Set(needed)].sort());
  });

  it('runs in Socket Mode, with interactivity (shortcut) and DMs open', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home).toMatchObject({ messages_tab_enabled: true, messages_tab_read_only_enabled: false });
  });
});
