import { Events, type Client } from 'discord.js';
import type { AdapterContext, RunningAdapter } from '../../src/adapter.js';
import { Answers } from '../../src/answers.js';
import { ExpiringMap } from '../../src/expiring-map.js';
import { DISCORD } from '../../src/platforms.js';
import { choosableVersions } from '../../sandbox/image/pythons.js';
import { Work } from '../../src/work.js';
import { isAllowed, NOT_HERE } from './access.js';
import { buttonHandler, type KeptCode } from './buttons.js';
import { connect, disconnect, gatewayConnection } from './client.js';
import { errorFields } from './errors.js';
import { listenForMessages } from './messages.js';
import { answerPrivately, postedReplies, type PostedReply } from './post.js';
import { codeCommandHandler } from './run-command.js';
import { runMenuHandler } from './run-menu.js';

/** Timings fixed in production and shortened by tests. */
export interface Tuning {
  /** A burst of edits of a message re-runs it once, this long after the last one (ms). */
  editDebounceMs: number;
}

/** How long /run and /timeit code stays available to "Run again", and how much of it is kept. */
const CODE_TTL_MS = 24 * 60 * 60_000;
const KEPT_CODES = 1000; // each at most SANDBOX_MAX_CODE_KB

/**
 * The Discord adapter, as src/main.ts loads it by name: connects, then answers every trigger
 * through the shared answer pipeline.
 */
export async function start({ config, evaluator, log }: AdapterContext, tuning: Partial<Tuning> = {}): Promise<RunningAdapter> {
  const discord = config.discord;
  if (!discord) throw new Error('the Discord adapter needs DISCORD_TOKEN');
  const work = new Work(log, errorFields);
  const answers = new Answers<PostedReply>({
    evaluator,
    fileLimits: config.sandbox.limits.files,
    profile: DISCORD,
    replies: postedReplies(log),
    work,
    log,
    editWindowMs: discord.editWindowMs,
    editDebounceMs: tuning.editDebounceMs,
  });
  const codes = new ExpiringMap<string, KeptCode>(CODE_TTL_MS, KEPT_CODES);
  const versions = choosableVersions(config.sandbox.pythons);
  const interactionHandlers = [
    codeCommandHandler({ answers, codes, versions, log }),
    runMenuHandler({ answers, prefixes: discord, versions, log }),
    buttonHandler({ answers, codes, prefixes: discord, versions, log }),
  ];

  const listen = (client: Client) => {
    listenForMessages({ client, config: discord, answers, versions, work, log });
    client.on(Events.InteractionCreate, (interaction) => {
      const handle = interactionHandlers.map((handler) => handler(interaction)).find((found) => found !== undefined);
      if (!handle || !interaction.isRepliable()) return;
      work.start('interaction', () => (isAllowed(discord, interaction) ? handle() : answerPrivately(interaction, NOT_HERE)));
    });
  };
  const client = await connect(discord, log, listen);
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');

  return {
    name: 'discord',
    connection: () => gatewayConnection(client),
    async stop(graceMs) {
      // Requests arriving while replies are still being posted are answered "restarting" by the
      // (closed) evaluator; pending re-runs on edit are dropped.
      answers.close();
      if (!(await work.drain(graceMs))) log.warn('stopping with Discord replies still unposted');
      work.close();
      await disconnect(client, log);
    },
  };
}
