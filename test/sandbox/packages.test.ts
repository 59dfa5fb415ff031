import { afterAll, describe, expect, it } from 'vitest';
import { curatedPackages } from '../../sandbox/image/packages.js';
import { DEFAULT_PYTHONS } from '../../sandbox/image/pythons.js';
import { BUILT_IN_PYTHONS, leftovers, makeRunner, RUNTIMES } from '../support/sandbox.js';

const VERSION_RUNTIMES = DEFAULT_PYTHONS.flatMap((version) => RUNTIMES.map((runtime) => [version, runtime] as const));

/** The images' curated packages, as users meet them: imported by a program in a real sandbox, in every built-in Python. */
describe.each(VERSION_RUNTIMES)('the curated packages in Python %s on %s', (python, runtime) => {
  // Importing all of them at once is for this test alone; under gVisor it takes ~9 s.
  const roomy = makeRunner(runtime, { timeoutS: 60, memoryMb: 1024 }, { pythons: BUILT_IN_PYTHONS });
  // The default limits, but under gVisor (~4 s for pandas and pyplot alone) a longer wall clock.
  const defaults = makeRunner(runtime, runtime === 'runsc' ? { timeoutS: 20 } : {}, { pythons: BUILT_IN_PYTHONS });

  afterAll(async () => {
    await Promise.all([roomy.close(), defaults.close()]);
    expect(await leftovers(roomy)).toEqual([]);
    expect(await leftovers(defaults)).toEqual([]);
  });

  it('every package in packages.txt imports', async () => {
    const modules = curatedPackages().map((found) => found.module);
    const code = [
      'import importlib',
      `for name in ${JSON.stringify(modules)}:`,
      '    importlib.import_module(name)',
      '    print(name)',
    ].join('\n');
    const result = await roomy.run({ code, python });
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ status: 'ok', output: modules.map((name) => `${name}\n`).join('') });
  }, 90_000);

  it('pandas and a matplotlib plot fit in the default memory limit', async () => {
    const code = [
      'import pandas as pd',
      'import matplotlib.pyplot as plt',
      'frame = pd.DataFrame({"x": range(10), "y": [i * i for i in range(10)]})',
      'frame.plot(x="x", y="y")',
      'plt.savefig("plot.png")',
      'print(frame["y"].sum(), open("plot.png", "rb").read(8))',
    ].join('\n');
    const result = await defaults.run({ code, python });
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ status: 'ok', output: "285 b'\\x89PNG\\r\\n\\x1a\\n'\n" });
  }, 60_000);
});
