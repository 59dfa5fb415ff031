import { afterAll, describe, expect, it } from 'vitest';
import { makeRunner } from '../support/sandbox.js';
import { startSlackBot } from './harness.js';

// One trip through everything real but Slack: Bolt, the evaluator, and a Docker sandbox (runc).
describe('Slack with the real sandbox', () => {
  const runner = makeRunner('runc');

  afterAll(async () => {
    await runner.drain();
  });

  it('a mention with ```print(6*7)``` gets a threaded reply containing 42', async () => {
    const bot = await startSlackBot({ sandbox: runner });
    try {
      const mention = bot.fake.payloads.appMention({ text: '```print(6*7)```' });
      await bot.deliver(mention);
      const reply = await bot.fake.waitForCall('chat.postMessage', undefined, 30_000);
      expect(reply.args.thread_ts).toBe(mention.event.ts);
      expect(reply.args.text).toMatch(/^✅ done in .+\n```\n42\n```$/);
    } finally {
      await bot.stop();
    }
  });
});
