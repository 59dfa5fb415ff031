import { webApi } from '@slack/bolt';
import type { AdapterContext, RunningAdapter } from '../../src/adapter.js';
import { Answers } from './answers.js';
import { createApp, startApp } from './app.js';
import { boltLogger } from './bolt-logger.js';
import { Deduplicator } from './dedup.js';
import { describeSlackError } from './errors.js';
import { InFlight } from './in-flight.js';
import { MessageCache } from './message-cache.js';
import { ReplyPoster } from './poster.js';
import { registerTriggers } from './triggers.js';

export interface SlackAdapter extends RunningAdapter {
  /** HTTP mode: the port Slack's requests arrive on (SLACK_PORT=0 picks a free one). */
  readonly port: number | undefined;
}

/** How long stop() waits for runs still going and replies still being posted. */
const STOP_GRACE_MS = 30_000;

/**
 * The Slack adapter: a Bolt App in Socket Mode (or HTTP mode), its triggers feeding the shared
 * evaluator, and replies posted in the source's thread.
 */
export async function start({ config, evaluator, log }: AdapterContext): Promise<SlackAdapter> {
  const slack = config.slack;
  if (!slack) throw new Error('the Slack adapter needs SLACK_BOT_TOKEN');
  const app = createApp(slack, boltLogger(log.child({ component: 'bolt' })));
  const { client } = app;
  const inFlight = new InFlight();
  const dedup = new Deduplicator();
  const answers = new Answers({
    evaluator,
    poster: new ReplyPoster(client, log),
    client,
    inFlight,
    log,
    editWindowMs: slack.editWindowMs,
  });
  app.use(dedup.middleware(log));
  registerTriggers(app, { answers, cache: new MessageCache(client, log), dedup, runReaction: slack.runReaction });
  // Handlers catch their own failures; this is the net for whatever Bolt itself reports.
  app.error(async (error) => log.error({ reason: describeSlackError(error) }, 'a Slack handler failed'));
  client.on(webApi.WebClientEvent.RATE_LIMITED, (retryAfterS: number, { url }: { url: string }) =>
    log.warn({ method: new URL(url).pathname.split('/').pop(), retryAfterS }, 'Slack rate-limited a call; it will be retried'),
  );

  const port = await startApp(app, slack);
  log.info({ mode: slack.appToken ? 'socket' : 'http', port }, 'connected to Slack');
  return {
    name: 'slack',
    port,
    async stop() {
      answers.close();
      if (!(await inFlight.drain(STOP_GRACE_MS))) log.warn('stopping with Slack replies still unposted');
      await app.stop();
    },
  };
}
