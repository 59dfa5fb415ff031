import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSlackBot, sleep, STOP_GRACE_MS, type SlackBot } from './harness.js';

describe('Slack adapter lifecycle', () => {
  let bot: SlackBot | undefined;

  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it('stop() lets a run in progress post its reply, answers newcomers "restarting", then disconnects', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    bot = await startSlackBot({ run: async ({ code }) => (started(), await sleep(700), { output: `ran ${code}\n` }) });
    const { fake, adapter } = bot;
    await bot.deliver(fake.payloads.appMention({ text: '```print("in flight")```' }));
    await running;

    // As src/main.ts stops: the adapter and the evaluator together.
    const stopping = adapter.stop(STOP_GRACE_MS);
    const closing = bot.evaluator.close(STOP_GRACE_MS);
    // Slack may still deliver while the reply is on its way: nothing new runs.
    await bot.deliver(fake.payloads.appMention({ text: '```print("too late")```' }));
    await Promise.all([stopping, closing]);

    const texts = bot.replies().map((reply) => reply.text);
    expect(texts).toHaveLength(2);
    expect(texts).toContainEqual(expect.stringContaining('ran print("in flight")'));
    expect(texts).toContainEqual(expect.stringContaining('Sandpiper is restarting'));
    expect(bot.sandbox.calls.map((call) => call.code)).toEqual(['print("in flight")']);
    await vi.waitFor(() => expect(fake.socket.openConnections).toBe(0));
  });

  it('a bot token Slack refuses fails start-up with a clear message (and no token in it)', async () => {
    const refused = startSlackBot({ env: { SLACK_BOT_TOKEN: 'xoxb-revoked-token' } });
    await expect(refused).rejects.toThrow(/^Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/);
    await expect(refused).rejects.not.toThrow(/xoxb-revoked/);
  });

  it('an app token Slack refuses fails start-up, saying which token to check', async () => {
    await expect(startSlackBot({ env: { SLACK_APP_TOKEN: 'xapp-1-wrong' } })).rejects.toThrow(
      /could not connect in Socket Mode \(check SLACK_APP_TOKEN.*\): invalid_auth$/,
    );
  });
});
