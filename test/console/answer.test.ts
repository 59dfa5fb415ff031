import { describe, expect, it } from 'vitest';
import { answer } from '../../adapters/console/answer.js';
import { makeEvaluator } from '../support/evaluator.js';
import { FakeSandbox } from '../support/fake-sandbox.js';

/** One terminal message to its printed reply, through the real Evaluator and a fake sandbox (no Docker). */

describe('the terminal chat: choosing a Python version', () => {
  it('runs /run 3.14 in 3.14, and the status line says which Python ran', async () => {
    const sandbox = new FakeSandbox();
    const reply = await answer('/run 3.14 print("hi")', makeEvaluator(sandbox));
    expect(sandbox.calls).toEqual([{ code: 'print("hi")', python: '3.14' }]);
    expect(reply).toMatch(/^✅ done in [\d.]+ s · Python 3\.14\.0\nhi$/);
  });

  it('runs a message without /run in the default, and refuses a version not offered', async () => {
    const sandbox = new FakeSandbox();
    const evaluator = makeEvaluator(sandbox);
    expect(await answer('try `print("hi")`', evaluator)).toMatch(/^✅ done in [\d.]+ s · Python 3\.13\.0\nhi$/);
    expect(await answer('/timeit 3.12 sum(range(9))', evaluator)).toBe(
      "Not run: Python 3.12 isn't offered here: choose 3.13, 3.14 or 3.11 (3.13 is the default).",
    );
    expect(sandbox.calls).toEqual([{ code: 'print("hi")' }]);
  });
});
