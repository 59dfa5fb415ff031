import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../sandbox/limits.js';
import { outputFloods } from '../security/corpus/output.js';
import { leftovers, makeRunner, poolFor, RUNTIME_MODES } from '../support/sandbox.js';

/**
 * The corpus's attacks on the end-of-run nonce (test/security/corpus/output.ts), cold and pooled:
 * a pooled member's bootstrap and program waited for the request side by side, so this is where a
 * nonce would leak if the program's process ever saw the request.
 */
const ATTACKS = outputFloods.attacks.filter((attack) => /nonce/.test(attack.name));

describe.each(RUNTIME_MODES)('the end-of-run nonce on %s (%s)', (runtime, mode) => {
  const runner = makeRunner(runtime, { timeoutS: 15 }, poolFor(mode));

  beforeAll(async () => {
    await runner.warmPool?.whenFull();
  });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('finds the corpus’s attacks on the nonce (a renamed one would silently drop out)', () => {
    expect(ATTACKS.map((attack) => attack.name)).toEqual([
      'a forged end-of-run marker with a wrong nonce is just output',
      'hunting the end-of-run nonce everywhere finds nothing; the flood after it is capped',
      'the process holding the nonce can be neither read, traced nor interrupted',
    ]);
  });

  it.each(ATTACKS)('$name', async (attack) => {
    await runner.warmPool?.whenFull();
    const result = await runner.run({ code: attack.code });
    attack.expect(result, { runtime, limits: { ...DEFAULT_LIMITS, timeoutS: 15 } });
  });
});
