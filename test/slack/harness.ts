import { Writable } from 'node:stream';
import { start, type SlackAdapter } from '../../adapters/slack/index.js';
import { loadConfig } from '../../src/config.js';
import { Evaluator, type SandboxPort } from '../../src/evaluator.js';
import { RunLimiter } from '../../src/limiter.js';
import { createLogger } from '../../src/log.js';
import { postCommand, postEvent, startFakeSlack, type EventCallback, type FakeSlack, type RecordedCall } from '../fakes/slack/index.js';
import { FakeSandbox, type FakeRun } from '../support/fake-sandbox.js';

export const SIGNING_SECRET = 'test-signing-secret';

/** Long enough for a 429's Retry-After plus the client's back-off, short enough to fail fast. */
export const WAIT_MS = 8_000;

/** The default fake run: prints what it was given, so a reply shows which code ran. */
export const echo: FakeRun = ({ code }) => ({ output: `ran ${code}\n` });

export interface SlackBot {
  fake: FakeSlack;
  adapter: SlackAdapter;
  evaluator: Evaluator;
  /** The fake sandbox (unused when a real one was given). */
  sandbox: FakeSandbox;
  /** HTTP mode: where Slack's requests go. */
  url: string;
  /** Every log line (JSON), debug level included. */
  logs: string[];
  /** Delivers an event the way the mode does: over the socket, or as a signed POST. */
  deliver(body: EventCallback): Promise<void>;
  /** Resolves once a log line contains `text` (rejects after WAIT_MS). */
  logged(text: string): Promise<void>;
  /** Bot messages (replies) in the fake's store. */
  replies(): ReturnType<FakeSlack['store']['all']>;
  /** The first chat.postMessage that Slack accepted and whose text contains `text`. */
  posted(text: string): Promise<RecordedCall>;
  /** Stops as src/main.ts does: the adapter and the evaluator together, then the fake. */
  stop(): Promise<void>;
}

/** How long a stop lets replies still being posted take (the bot's is the run timeout plus a few seconds). */
export const STOP_GRACE_MS = 5_000;

export interface BotOptions {
  mode?: 'socket' | 'http';
  /** What the fake sandbox's runs return; default `echo`. */
  run?: FakeRun;
  /** A real sandbox instead of the fake. */
  sandbox?: SandboxPort;
  /** Extra environment (SLACK_EDIT_WINDOW_S, …); SLACK_* credentials point at the fake. */
  env?: Record<string, string>;
}

/**
 * The real adapter (real Bolt App, real Evaluator and RunLimiter) against a fake Slack on
 * 127.0.0.1; by default only the sandbox is fake.
 */
export async function startSlackBot(options: BotOptions = {}): Promise<SlackBot> {
  const mode = options.mode ?? 'socket';
  const sandbox = new FakeSandbox(options.run ?? echo);
  // The fake must be up before the App: it checks the token with auth.test.
  const fake = await startFakeSlack();
  const config = loadConfig({
    SLACK_BOT_TOKEN: fake.team.botToken,
    SLACK_API_URL: fake.apiUrl,
    SLACK_PORT: '0',
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: fake.team.appToken } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const log = createLogger('debug', sink);
  const evaluator = new Evaluator({
    sandbox: options.sandbox ?? sandbox,
    limiter: new RunLimiter(config.limiter),
    limits: config.sandbox.limits,
    maxCodeBytes: config.sandbox.maxCodeBytes,
    pythons: config.sandbox.pythons,
    log,
  });
  let adapter: SlackAdapter;
  try {
    adapter = await start({ config, evaluator, log });
  } catch (error) {
    await evaluator.close();
    await fake.close();
    throw error;
  }
  const url = `http://127.0.0.1:${adapter.port}/slack/events`;
  return {
    fake,
    adapter,
    evaluator,
    sandbox,
    url,
    logs,
    async deliver(body) {
      if (mode === 'socket') {
        await fake.waitForAck(fake.sendEvent(body).envelope_id);
        return;
      }
      const answer = await postEvent(url, body, { signingSecret: SIGNING_SECRET });
      if (answer.status !== 200) throw new Error(`the app answered ${answer.status} to a signed event`);
    },
    async logged(text) {
      for (const deadline = Date.now() + WAIT_MS; !logs.some((line) => line.includes(text)); await sleep(20)) {
        if (Date.now() > deadline) throw new Error(`no log line contains ${JSON.stringify(text)}`);
      }
    },
    replies: () => fake.store.all().filter((message) => message.bot_id === fake.team.botId),
    posted: (text) => fake.waitForCall('chat.postMessage', (call) => accepted(call) && String(call.args.text).includes(text), WAIT_MS),
    async stop() {
      // The app first (Socket Mode would reconnect to a closed fake), then the fake.
      const stopped = adapter.stop(STOP_GRACE_MS);
      await evaluator.close(STOP_GRACE_MS);
      await stopped;
      await fake.close();
    },
  };
}

/** Slack answered the call with ok: true (not an injected fault). */
export function accepted(call: RecordedCall): boolean {
  return (call.response as { ok?: unknown } | undefined)?.ok === true;
}

/** A signed /run in HTTP mode. */
export function postRun(bot: SlackBot, text: string, options: { badSignature?: boolean } = {}) {
  return postCommand(bot.url, bot.fake.payloads.slashCommand({ text }), { signingSecret: SIGNING_SECRET, ...options });
}

/** The mrkdwn text of a posted message's first block. */
export function blockText(call: RecordedCall): string {
  const blocks = call.args.blocks as { text?: { text?: string } }[] | undefined;
  return blocks?.[0]?.text?.text ?? '';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
