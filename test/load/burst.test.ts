import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { makeEvaluator } from '../support/evaluator.js';
import { DISCORD } from '../../src/platforms.js';
import type { Reply } from '../../src/reply.js';
import { runRequest } from '../../src/request.js';
import { leftovers, makeRunner } from '../support/sandbox.js';

/**
 * Load with the real sandbox: the bot's default limits, a burst far beyond them. Only the wall
 * clock is longer: a CI host running bombs in the next test file can stall a `print` past 5 s.
 */
describe('a burst of 50 users × 10 requests through the evaluator', () => {
  const config = loadConfig({ SANDBOX_TIMEOUT_S: '30' });
  const runner = makeRunner('runc', {}, { poolSize: config.sandbox.poolSize });
  const evaluator = makeEvaluator(runner, config);

  afterAll(() => runner.close());

  it('answers every request exactly once, runs what the limits admit, and leaves nothing behind', async () => {
    await runner.warmPool?.whenFull();
    const rssBefore = process.memoryUsage().rss;
    const answers = new Map<string, Reply[]>();
    const requests = Array.from({ length: 50 }, (_, user) =>
      Array.from({ length: 10 }, (_, n) =>
        runRequest({ platform: 'discord', user: `user${user}`, channel: 'load', trigger: 'message' }, { kind: 'run', code: `print(${user} * 100 + ${n})` }),
      ),
    ).flat();

    await Promise.all(
      requests.map(async (request) => {
        const reply = await evaluator.evaluate(request, DISCORD);
        answers.set(request.id, [...(answers.get(request.id) ?? []), reply]);
      }),
    );

    expect(answers.size).toBe(500);
    expect([...answers.values()].every((replies) => replies.length === 1)).toBe(true);
    const replies = [...answers.values()].flat();
    const results = replies.filter((reply) => reply.kind === 'result');
    const notices = replies.filter((reply) => reply.kind === 'notice');
    expect(results.length + notices.length).toBe(500);
    // Admitted runs all succeed; everything else got a limiter notice with a retry hint.
    expect(results.filter((reply) => reply.status !== 'ok').map((reply) => `${reply.status}: ${reply.text}`)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(config.limiter.concurrency);
    expect(notices.length).toBeGreaterThan(250);
    expect(notices.every((reply) => /(Slow down|busy).*Try again in \d+ s/.test(reply.text))).toBe(true);

    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
    const growthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    expect(growthMb).toBeLessThan(100);
  }, 120_000);
});
