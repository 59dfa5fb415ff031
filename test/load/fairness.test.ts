import { afterAll, describe, expect, it } from 'vitest';
import type { RunPriority } from '../../sandbox/request.js';
import { BOMBS, latencyUnderBombs, TRIVIAL } from '../../src/bench/paths.js';
import { loadConfig } from '../../src/config.js';
import type { SandboxPort } from '../../src/evaluator.js';
import { makeEvaluator } from '../support/evaluator.js';
import { leftovers, makeRunner } from '../support/sandbox.js';

/** Fairness as behaviour; how fast the bystander is under bombs is the benchmark's to measure. */
describe('fairness', () => {
  const config = loadConfig({ SANDBOX_TIMEOUT_S: '2', LIMIT_CONCURRENCY: '4' });
  const runner = makeRunner('runc', config.sandbox.limits, { poolSize: 2 });
  const priorities = new Map<string, RunPriority[]>();
  const recording: SandboxPort = {
    run: (input, options) => {
      priorities.set(input.code, [...(priorities.get(input.code) ?? []), options?.priority ?? 'normal']);
      return runner.run(input, options);
    },
  };
  const evaluator = makeEvaluator(recording, config, { userRunsPerMinute: 1000 });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it("a bystander's trivial runs all succeed while three users run bombs back to back, which run at low priority from their second run on", async () => {
    const { latency, bombRuns } = await latencyUnderBombs(evaluator, 6);
    expect(latency.n).toBe(6); // every run was ok (a failed one throws)
    // The bombs ran, and ended at the limits they are bombs against.
    expect(Object.keys(bombRuns.cpu)).toEqual(['timeout']);
    expect(Object.keys(bombRuns.memory)).toEqual(['memory']);
    expect(['timeout', 'memory']).toEqual(expect.arrayContaining(Object.keys(bombRuns.fork)));
    expect(new Set(priorities.get(TRIVIAL))).toEqual(new Set(['normal']));
    for (const bomb of Object.values(BOMBS)) {
      const [first, ...later] = priorities.get(bomb) ?? [];
      expect(first).toBe('normal');
      expect(later.length).toBeGreaterThan(0);
      expect(new Set(later)).toEqual(new Set(['low']));
    }
  }, 90_000);
});
