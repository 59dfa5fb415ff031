import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type SandboxLimits } from '../../sandbox/limits.js';
import type { RunResult } from '../../sandbox/result.js';
import type { SandboxRunner } from '../../sandbox/runner.js';
import { leftovers, makeRunner, RUNTIMES } from '../support/sandbox.js';
import { ATTACK_CLASSES, CANARY, type AttackContext, type Expectation } from './corpus/index.js';

/**
 * The attack corpus (test/security/corpus/): every hostile snippet on both runtimes, each with the
 * exact outcome it must have. Cold sandboxes only; isolation.test.ts covers cold and pooled.
 */

beforeAll(() => {
  process.env[CANARY.name] = CANARY.value; // where a bot token would be
});

afterAll(() => {
  delete process.env[CANARY.name];
});

describe('the corpus', () => {
  it('has at least 40 attacks with unique names, in every class', () => {
    const names = ATTACK_CLASSES.flatMap((c) => c.attacks.map((a) => `${c.name}: ${a.name}`));
    expect(names.length).toBeGreaterThanOrEqual(40);
    expect(new Set(names).size).toBe(names.length);
    for (const attackClass of ATTACK_CLASSES) expect(attackClass.attacks.length).toBeGreaterThanOrEqual(3);
  });
});

/** Runs an expectation; on failure, adds the whole result to the message (flakes are debuggable). */
function check(expectation: Expectation, result: RunResult, context: AttackContext): void {
  try {
    expectation(result, context);
  } catch (error) {
    if (error instanceof Error) {
      const { output, stdout, stderr, files, ...summary } = result;
      error.message += `\n\nresult: ${JSON.stringify(summary)}\noutput: ${JSON.stringify(output.slice(0, 2000))}`;
    }
    throw error;
  }
}

describe.each(RUNTIMES)('attacks on %s', (runtime) => {
  describe.each(ATTACK_CLASSES)('$name', ({ attacks }) => {
    // One runner per distinct set of limits; every run still gets its own fresh container.
    const runners = new Map<string, SandboxRunner>();
    function runnerFor(limits: Partial<SandboxLimits> = {}): SandboxRunner {
      const key = JSON.stringify(limits);
      let runner = runners.get(key);
      if (!runner) runners.set(key, (runner = makeRunner(runtime, limits)));
      return runner;
    }

    afterAll(async () => {
      for (const runner of runners.values()) {
        await runner.close();
        expect(await leftovers(runner)).toEqual([]);
      }
    });

    it.each(attacks)('$name', async (attack) => {
      const context: AttackContext = { runtime, limits: { ...DEFAULT_LIMITS, ...attack.limits } };
      const runner = runnerFor(attack.limits);
      const result = await runner.run({ code: attack.code, ...(attack.stdin !== undefined && { stdin: attack.stdin }) });
      check(attack.expect, result, context);
      if (attack.next) {
        const next = await runner.run({ code: attack.next.code });
        check(attack.next.expect, next, context);
      }
    });
  });
});
