import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../sandbox/result.js';
import { leftovers, makeRunner, RUNTIMES } from '../support/sandbox.js';

/**
 * The interpreter's own command line instead of code (RunInput.argv: snekbox's `args`), and input
 * files in folders: a package sent as files, run as `python3 main.py`.
 */
const text = (result: RunResult, name: string) => Buffer.from(result.files.find((file) => file.name === name)?.bytes ?? []).toString();

describe.each(RUNTIMES)('the interpreter\'s arguments on %s', (runtime) => {
  const runner = makeRunner(runtime, { timeoutS: 20 });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('-c CODE and further arguments are Python\'s own', async () => {
    const result = await runner.run({ code: '', argv: ['-c', 'import sys; print(sys.argv)', 'a', 'b'] });
    expect(result).toMatchObject({ status: 'ok', output: "['-c', 'a', 'b']\n" });
  });

  it('interpreter options mean what they mean to Python (-W error, -O)', async () => {
    const warned = await runner.run({ code: '', argv: ['-W', 'error', '-c', 'import warnings; warnings.warn("w")'] });
    expect(warned).toMatchObject({ status: 'error', exitCode: 1 });
    expect(warned.stderr).toContain('UserWarning: w');
    const optimized = await runner.run({ code: '', argv: ['-O', '-c', 'assert False; print("skipped")'] });
    expect(optimized).toMatchObject({ status: 'ok', output: 'skipped\n' });
  });

  it('-m timeit prints timeit\'s own output', async () => {
    const result = await runner.run({ code: '', argv: ['-m', 'timeit', '-n', '1000', 'pass'] });
    expect(result.status).toBe('ok');
    // On stderr, timeit may warn that a busy host's timings are unreliable.
    expect(result.stdout).toMatch(/^1000 loops, best of 5: [\d.]+ \w+ per loop\n$/);
  });

  it('runs main.py importing a package sent as files in folders, and returns exactly the files it made', async () => {
    const main = [
      'from pathlib import Path',
      'from mod import lib',
      'print(lib.var)',
      "open('test.txt', 'w').write('test 1')",
      "Path('dir').mkdir()",
      "Path('dir/test2.txt').write_text('test 2')",
    ].join('\n');
    const result = await runner.run({
      code: '',
      argv: ['main.py'],
      files: [
        { name: 'main.py', bytes: Buffer.from(main) },
        { name: 'mod/__init__.py', bytes: Buffer.alloc(0) },
        { name: 'mod/lib.py', bytes: Buffer.from("var = 'hello'") },
      ],
    });
    expect(result).toMatchObject({ status: 'ok', output: 'hello\n', filesLeftOut: {} });
    // Not main.py nor the package (unchanged), nor mod/__pycache__ (an underscore name).
    expect(result.files.map((file) => file.name)).toEqual(['dir/test2.txt', 'test.txt']);
    expect([text(result, 'dir/test2.txt'), text(result, 'test.txt')]).toEqual(['test 2', 'test 1']);
  });

  it('a missing script is Python\'s own error, exit 2', async () => {
    const result = await runner.run({ code: '', argv: ['nope.py'] });
    expect(result).toMatchObject({ status: 'error', exitCode: 2 });
    expect(result.stderr).toContain("can't open file");
  });
});
