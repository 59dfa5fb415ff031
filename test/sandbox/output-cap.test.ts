import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers, makeRunner, poolFor, RUNTIME_MODES } from '../support/sandbox.js';

/**
 * Output arrives whole, and reaching the cap is the limit, on both runtimes, cold and pooled.
 * gVisor's pipes take a big write only in part: an unbuffered Python stream used to drop the rest
 * without a word, so a 1 MB print under a 2 MiB cap arrived as 64 KiB and read `ok`.
 */
describe.each(RUNTIME_MODES)('output on %s (%s)', (runtime, mode) => {
  const roomy = makeRunner(runtime, { outputKb: 2048 }, poolFor(mode));
  const capped = makeRunner(runtime, {}, poolFor(mode));

  beforeAll(async () => {
    await Promise.all([roomy.warmPool?.whenFull(), capped.warmPool?.whenFull()]);
  });

  afterAll(async () => {
    await Promise.all([roomy.close(), capped.close()]);
    expect(await leftovers(roomy)).toEqual([]);
    expect(await leftovers(capped)).toEqual([]);
  });

  it('a 1 MB print and a 1 MB binary write under a 2 MiB cap arrive whole', async () => {
    const code = 'import sys\nprint("p" * 10**6)\nsys.stdout.buffer.write(b"b" * 10**6)\nprint(file=sys.stderr)';
    const result = await roomy.run({ code });
    expect(result).toMatchObject({ status: 'ok', exitCode: 0, outputBytes: 2 * 10 ** 6 + 2, stderr: '\n' });
    expect(result.stdout).toBe(`${'p'.repeat(10 ** 6)}\n${'b'.repeat(10 ** 6)}`);
  });

  it('one 50 MB write → output_limit with exactly the cap kept', async () => {
    const result = await capped.run({ code: 'import sys\nsys.stdout.write("w" * 50_000_000)' });
    expect(result).toMatchObject({ status: 'output_limit', exitCode: null, signal: 'SIGKILL', outputBytes: 64 * 1024 });
    expect(result.output).toBe('w'.repeat(64 * 1024));
  });

  it('one byte short of the cap is a normal run', async () => {
    const result = await capped.run({ code: 'import os\nos.write(1, b"s" * (64 * 1024 - 1))' });
    expect(result).toMatchObject({ status: 'ok', exitCode: 0, outputBytes: 64 * 1024 - 1 });
  });
});
