import { webApi } from '@slack/bolt';
import type { AdapterContext, RunningAdapter } from '../../src/adapter.js';
import { Answers } from '../../src/answers.js';
import { withDeadline } from '../../sandbox/deadline.js';
import { SLACK } from '../../src/platforms.js';
import { Work } from '../../src/work.js';
import { createApp, startApp } from './app.js';
import { slackDownloader } from './attachments.js';
import { boltLogger } from './bolt-logger.js';
import { Deduplicator } from './dedup.js';
import { describeSlackError } from './errors.js';
import { MessageCache } from './message-cache.js';
import { ReplyPoster, type PostedReply } from './poster.js';
import { registerTriggers } from './triggers.js';

export interface SlackAdapter extends RunningAdapter {
  /** HTTP mode: the port Slack's requests arrive on (SLACK_PORT=0 picks a free one). */
  readonly port: number | undefined;
}

/** How long closing the Socket Mode connection or the HTTP server may take. */
const DISCONNECT_MS = 5_000;

/**
 * The Slack adapter: a Bolt App in Socket Mode (or HTTP mode), its triggers feeding the shared
 * answer pipeline, and replies posted in the source's thread.
 */
export async function start({ config, evaluator, log }: AdapterContext): Promise<SlackAdapter> {
  const slack = config.slack;
  if (!slack) throw new Error('the Slack adapter needs SLACK_BOT_TOKEN');
  const slackApp = createApp(slack, boltLogger(log.child({ component: 'bolt' })));
  const { app } = slackApp;
  const { client } = app;
  const work = new Work(log, (error) => ({ reason: describeSlackError(error) }));
  const dedup = new Deduplicator();
  const poster = new ReplyPoster(client, log);
  const answers = new Answers<PostedReply>({ evaluator, fileLimits: config.sandbox.limits.files, profile: SLACK, replies: poster, work, log, editWindowMs: slack.editWindowMs });
  app.use(dedup.middleware(log));
  registerTriggers(app, {
    answers,
    poster,
    client,
    cache: new MessageCache(client, log),
    dedup,
    runReaction: slack.runReaction,
    // Files attached to messages are private: downloading one takes the App's own token (files:read).
    download: slackDownloader(slack.botToken, slack.apiUrl),
  });
  // Handlers catch their own failures; this is the net for whatever Bolt itself reports.
  app.error(async (error) => log.error({ reason: describeSlackError(error) }, 'a Slack handler failed'));
  client.on(webApi.WebClientEvent.RATE_LIMITED, (retryAfterS: number, { url }: { url: string }) =>
    log.warn({ method: new URL(url).pathname.split('/').pop(), retryAfterS }, 'Slack rate-limited a call; it will be retried'),
  );

  const { port, connection } = await startApp(slackApp, slack);
  log.info({ mode: slack.appToken ? 'socket' : 'http', port }, 'connected to Slack');
  return {
    name: 'slack',
    port,
    connection,
    async stop(graceMs) {
      // Requests arriving while replies are still being posted are answered "restarting" by the
      // (closed) evaluator; pending re-runs on edit are dropped.
      answers.close();
      if (!(await work.drain(graceMs))) log.warn('stopping with Slack replies still unposted');
      work.close();
      await withDeadline(app.stop(), DISCONNECT_MS, 'Slack did not disconnect in time').catch((error: unknown) =>
        log.warn({ reason: describeSlackError(error) }, 'could not disconnect from Slack cleanly'),
      );
    },
  };
}
