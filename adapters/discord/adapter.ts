import { Events } from 'discord.js';
import type { AdapterContext, RunningAdapter } from '../../src/adapter.js';
import { ExpiringMap } from '../../src/expiring-map.js';
import { DEFAULT_TUNING, type Bot, type Tuning } from './bot.js';
import { connect } from './connect.js';
import { errorFields, isDisallowedIntents } from './errors.js';
import { Jobs } from './jobs.js';
import type { RunIntake } from './run.js';
import { ReplyTracker } from './tracker.js';
import { listenForEdits } from './triggers/edits.js';
import { listenForInteractions } from './triggers/interactions.js';
import { listenForMessages } from './triggers/messages.js';
import { listenForReactions } from './triggers/reactions.js';

const KEPT_CODES = 1000; // /run snippets kept for "Run again" (each at most SANDBOX_MAX_CODE_KB)

/**
 * Starts the Discord adapter: connects, then answers every trigger through the core's evaluator.
 * stop() ignores new events, lets accepted requests post their replies, then disconnects.
 */
export async function startDiscord(context: AdapterContext, tuning: Partial<Tuning> = {}): Promise<RunningAdapter> {
  const config = context.config.discord;
  if (!config) throw new Error('the Discord adapter needs DISCORD_TOKEN');
  const { evaluator, log } = context;
  const jobs = new Jobs(log);
  const timings = { ...DEFAULT_TUNING, ...tuning };
  const shared = {
    config,
    log,
    evaluator,
    jobs,
    tracker: new ReplyTracker(config.editWindowMs),
    codes: new ExpiringMap<string, RunIntake>(timings.codeTtlMs, KEPT_CODES),
    tuning: timings,
  };
  const client = await connect(config, log, (client) => listen({ ...shared, client }));
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
  return {
    name: 'discord',
    async stop() {
      await jobs.close();
      await client.destroy();
    },
  };
}

function listen(bot: Bot): void {
  watchConnection(bot);
  listenForMessages(bot);
  listenForReactions(bot);
  listenForEdits(bot);
  listenForInteractions(bot);
}

/** The client's own trouble is logged, never thrown: an 'error' event without a listener would crash. */
function watchConnection({ client, log }: Bot): void {
  client.on(Events.Error, (error) => log.error(errorFields(error), 'Discord client error'));
  client.on(Events.ShardError, (error, shard) => {
    if (isDisallowedIntents(error)) return; // connect() explains that one
    log.warn({ shard, ...errorFields(error) }, 'Discord gateway connection error');
  });
  client.on(Events.Warn, (message) => log.warn({ detail: message }, 'Discord client warning'));
}
