import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PYTHONS } from '../../sandbox/image/pythons.js';
import { BUILT_IN_PYTHONS, leftovers, makeRunner, RUNTIMES } from '../support/sandbox.js';

const FULL_VERSION = 'import sys\nprint(sys.version.split()[0])';

/** Every built-in Python offered at once, as the bot offers them by default: the first is the default and the pooled one. */
describe.each(RUNTIMES)('the Python versions on %s', (runtime) => {
  const runner = makeRunner(runtime, runtime === 'runsc' ? { timeoutS: 15 } : {}, { pythons: BUILT_IN_PYTHONS, poolSize: 1 });

  beforeAll(() => runner.warmPool?.whenFull());

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it.each(DEFAULT_PYTHONS)('runs the code in Python %s when asked, and the result says which full version ran', async (version) => {
    const result = await runner.run({ code: FULL_VERSION, python: version });
    expect(result.status).toBe('ok');
    expect(result.python).toMatch(new RegExp(`^${version.replace('.', '\\.')}\\.\\d+$`));
    // What the result says is what sys.version says: the image's PYTHON_VERSION is the truth.
    expect(result.output).toBe(`${result.python}\n`);
  }, 30_000);

  it('runs the first offered version when none is asked for, from the pool', async () => {
    await runner.warmPool!.whenFull();
    const result = await runner.run({ code: FULL_VERSION });
    expect(result.python?.startsWith(`${DEFAULT_PYTHONS[0]}.`)).toBe(true);
    expect(result.output).toBe(`${result.python}\n`);
  });

  it('keeps its pool for the default version: another version starts a sandbox of its own', async () => {
    await runner.warmPool!.whenFull();
    await runner.drain();
    const [member] = await leftovers(runner);
    const other = DEFAULT_PYTHONS[1]!;
    const result = await runner.run({ code: FULL_VERSION, python: other });
    expect(result.python?.startsWith(`${other}.`)).toBe(true);
    await runner.drain();
    // The member waiting for the default version is still the only container: it was not taken.
    expect(await leftovers(runner)).toEqual([member]);
  });

  it('refuses a version not offered, naming those that are', async () => {
    const result = await runner.run({ code: 'print(1)', python: '3.12' });
    expect(result).toMatchObject({
      status: 'sandbox_error',
      python: null,
      reason: "Python 3.12 isn't offered here: choose 3.13, 3.14 or 3.11 (3.13 is the default)",
    });
  });

  it('a timeit and a plot work in every version', async () => {
    for (const version of DEFAULT_PYTHONS) {
      const timed = await runner.run({ code: 'sum(range(100))', timeit: { setup: '' }, python: version });
      // On stderr, timeit may warn that a busy host's timings are unreliable.
      expect(timed.stdout).toMatch(/^\d+ loops?, best of 5: [\d.]+ \w+ per loop\n$/);
      const plot = await runner.run({ code: 'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()', python: version });
      expect(plot.status).toBe('ok');
      expect(plot.files.map(({ name }) => name)).toEqual(['figure-1.png']);
    }
  }, 120_000);
});
