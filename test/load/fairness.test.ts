import { afterAll, describe, expect, it } from 'vitest';
import { latencyUnderBombs } from '../../src/bench/paths.js';
import { loadConfig } from '../../src/config.js';
import { makeEvaluator } from '../support/evaluator.js';
import { leftovers, makeRunner } from '../support/sandbox.js';

describe('fairness', () => {
  const config = loadConfig({ SANDBOX_TIMEOUT_S: '2', LIMIT_CONCURRENCY: '4' });
  const runner = makeRunner('runc', config.sandbox.limits, { poolSize: 2 });
  const evaluator = makeEvaluator(runner, config, { userRunsPerMinute: 1000 });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it("a bystander's trivial runs complete promptly while three users run bombs back to back", async () => {
    const latency = await latencyUnderBombs(evaluator, 8);
    expect(latency.n).toBe(8); // every run was ok (a failed one throws)
    expect(latency.max_ms).toBeLessThan(3000); // never waits behind a bomb's whole wall clock
  }, 60_000);
});
