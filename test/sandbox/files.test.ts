import { afterAll, describe, expect, it } from 'vitest';
import type { RunFile, RunResult } from '../../sandbox/result.js';
import { leftovers, makeRunner, RUNTIME_MODES, RUNTIMES } from '../support/sandbox.js';

/**
 * Files in and out of a real sandbox, on both runtimes, cold and pooled: what users attach is in
 * the working directory, what the run leaves comes back, plots need no savefig, and a hostile
 * program can't make the collector read beyond its limits or outside the sandbox.
 */

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const names = (result: RunResult) => result.files.map((file) => file.name);
const text = (file: RunFile | undefined) => Buffer.from(file?.bytes ?? []).toString('utf8');
const py = (...lines: string[]) => lines.join('\n');

describe.each(RUNTIME_MODES)('files on %s (%s)', (runtime, mode) => {
  // Plotting under gVisor takes seconds (its file system calls are intercepted), and timeit's
  // repeats (~1.5 s of CPU) can pass 5 s on a busy host: these tests are not about the time limit.
  const runner = makeRunner(runtime, { timeoutS: 20 }, { poolSize: mode === 'pooled' ? 1 : 0 });
  const quick = makeRunner(runtime, { timeoutS: 1 }, { poolSize: mode === 'pooled' ? 1 : 0 });

  afterAll(async () => {
    await Promise.all([runner.close(), quick.close()]);
    expect(await leftovers(runner)).toEqual([]);
    expect(await leftovers(quick)).toEqual([]);
  });

  it('returns what the run wrote, sorted by path, without dot- or underscore-names; input files only when changed', async () => {
    const result = await runner.run({
      code: py(
        'import json, os',
        'print(open("data.csv").read().strip())',
        'open("notes.txt", "a").write("more\\n")',
        'json.dump({"answer": 42}, open("result.json", "w"))',
        'os.makedirs("out/deep")',
        'open("out/deep/b.txt", "w").write("b")',
        'open(".hidden", "w").write("x")',
        'os.makedirs("__pycache__")',
        'open("__pycache__/c.txt", "w").write("c")',
        'open("_private.txt", "w").write("p")',
      ),
      files: [
        { name: 'data.csv', bytes: Buffer.from('a,b\n1,2\n') },
        { name: 'notes.txt', bytes: Buffer.from('first\n') },
      ],
    });
    expect(result).toMatchObject({ status: 'ok', output: 'a,b\n1,2\n', filesLeftOut: {} });
    expect(names(result)).toEqual(['notes.txt', 'out/deep/b.txt', 'result.json']);
    expect(text(result.files[0])).toBe('first\nmore\n');
    expect(JSON.parse(text(result.files[2]))).toEqual({ answer: 42 });
  }, 60_000);

  it('turns plt.show() and figures left open into PNG files, using the prebuilt font cache', async () => {
    const result = await runner.run({
      code: py(
        'import os, matplotlib.pyplot as plt',
        'plt.plot([1, 2, 3], [1, 4, 9])',
        'plt.show()',
        'plt.figure()',
        'plt.bar([1, 2], [3, 4])',
        'print(os.path.islink(os.path.expanduser("~/.cache/matplotlib/" + os.listdir(os.path.expanduser("~/.cache/matplotlib"))[0])))',
      ),
    });
    expect(result).toMatchObject({ status: 'ok', output: 'True\n', stderr: '' });
    expect(names(result)).toEqual(['figure-1.png', 'figure-2.png']);
    for (const file of result.files) expect(Buffer.from(file.bytes.subarray(0, 8))).toEqual(PNG);
  }, 60_000);

  it('returns nothing for a run without files, and no files from a run that timed out', async () => {
    expect(await runner.run({ code: 'print(1)' })).toMatchObject({ status: 'ok', files: [], filesLeftOut: {} });
    const timedOut = await quick.run({ code: 'open("early.txt", "w").write("x")\nimport time\ntime.sleep(30)' });
    expect(timedOut).toMatchObject({ status: 'timeout', files: [], filesLeftOut: {} });
  }, 60_000);

  it('times code with timeit: only the summary line, with the setup run first and untimed', async () => {
    const result = await runner.run({ code: 'print("swallowed"); total = sum(numbers)', timeit: { setup: 'numbers = list(range(100))' } });
    expect(result.status).toBe('ok');
    expect(result.stdout).toMatch(/^\d+ loops?, best of \d+: [\d.]+ (nsec|usec|msec|sec) per loop\n$/);
  }, 60_000);

  it('a timeit whose code fails shows the traceback and ends in error', async () => {
    const result = await runner.run({ code: '1 / 0', timeit: { setup: '' } });
    expect(result.status).toBe('error');
    expect(result.stderr).toContain('ZeroDivisionError');
    expect(result.stdout).toBe('');
  }, 60_000);
});

/** Hostile programs: each limit of the collector, on both runtimes. */
describe.each(RUNTIMES)('the file collector against hostile programs on %s', (runtime) => {
  const runner = makeRunner(runtime, { files: { count: 10, fileKb: 64, totalKb: 100, collectS: 1 } });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('never follows a symbolic link, in or out of the directory', async () => {
    const result = await runner.run({
      code: py(
        'import os',
        'os.symlink("/etc/passwd", "passwd")',
        'os.symlink("/etc", "etc")',
        'os.symlink("/proc/self/environ", "environ")',
        'open("real.txt", "w").write("real")',
        'os.symlink("real.txt", "alias.txt")',
      ),
    });
    expect(result).toMatchObject({ status: 'ok', filesLeftOut: {} });
    expect(names(result)).toEqual(['real.txt']);
  }, 60_000);

  it('does not read a sparse 1 TiB file, nor one over the size limit', async () => {
    const result = await runner.run({
      code: py(
        'import os',
        'try:',
        '    with open("huge.bin", "wb") as f: f.truncate(1 << 40)',
        '    print("made", os.path.getsize("huge.bin"))',
        'except OSError as error:',
        '    os.remove("huge.bin")',
        '    print("refused", error.errno)',
        'open("big.bin", "wb").write(b"x" * 65 * 1024)',
        'open("small.txt", "w").write("ok")',
      ),
    });
    expect(result.status).toBe('ok');
    expect(names(result)).toEqual(['small.txt']);
    // The sparse file exists only if the runtime allowed the truncate past the file size limit.
    const sparse = result.output.startsWith('made') ? 1 : 0;
    expect(result.filesLeftOut).toEqual({ size: 1 + sparse });
  }, 60_000);

  it('keeps to the total: files that would pass it are left out', async () => {
    const result = await runner.run({ code: 'for name in "abc":\n    open(name + ".bin", "wb").write(b"x" * 40 * 1024)' });
    expect(names(result)).toEqual(['a.bin', 'b.bin']);
    expect(result.filesLeftOut).toEqual({ total: 1 });
  }, 60_000);

  it('200 files: the first 10 by path come back, and 190 are counted out', async () => {
    const result = await runner.run({ code: 'for i in range(200):\n    open(f"f{i:03}.txt", "w").write(str(i))' });
    expect(names(result)).toEqual(Array.from({ length: 10 }, (_, i) => `f${String(i).padStart(3, '0')}.txt`));
    expect(result.filesLeftOut).toEqual({ count: 190 });
  }, 60_000);

  it('1,000 nested directories: the walk stops at its depth and says so, the run still ends well', async () => {
    const result = await runner.run({
      code: py(
        'import os',
        'open("top.txt", "w").write("top")',
        'for _ in range(1000):',
        '    os.mkdir("d")',
        '    os.chdir("d")',
        'open("bottom.txt", "w").write("bottom")',
      ),
    });
    expect(result.status).toBe('ok');
    expect(names(result)).toEqual(['top.txt']);
    expect(result.filesLeftOut).toEqual({ walk: 0 });
  }, 60_000);

  it('names with a mention, a newline or invalid UTF-8 come back as names, not as markup', async () => {
    const result = await runner.run({
      code: py(
        'open("@everyone\\nhi.txt", "w").write("x")',
        'open(b"bad-\\xff.txt", "w").write("y")',
        'import os',
        'try:',
        '    os.mkfifo("pipe")  # refused by the seccomp profile; a FIFO would be skipped anyway',
        'except PermissionError:',
        '    pass',
      ),
    });
    expect(result.status).toBe('ok');
    expect(names(result)).toEqual(['@everyone\nhi.txt', 'bad-\ufffd.txt']);
  }, 60_000);

  it('what the program left running is ended before the files are read: it can neither change them nor write after the end', async () => {
    const result = await runner.run({
      code: py(
        'import os, time',
        'if os.fork() == 0:',
        '    while True:',
        '        open("busy.txt", "a").write("x" * 100)',
        '        print("still here", flush=True)',
        '        time.sleep(0.001)',
        'time.sleep(0.2)',
      ),
    });
    expect(result.status).toBe('ok');
    expect(names(result)).toEqual(['busy.txt']);
  }, 60_000);
});

/** SANDBOX_POOL_PREIMPORT: pre-started members import ahead of their request; cold ones never do. */
describe('pre-imported modules', () => {
  const check = py('import os, sys', 'print("matplotlib.pyplot" in sys.modules, "SANDPIPER_PREIMPORT" in os.environ)');

  it('a pre-started sandbox has them loaded (and its environment shows no trace); a cold one does not', async () => {
    const pooled = makeRunner('runc', {}, { poolSize: 1, preimport: ['numpy', 'matplotlib.pyplot', 'no_such_module'] });
    const cold = makeRunner('runc', {}, { poolSize: 0, preimport: ['numpy', 'matplotlib.pyplot'] });
    try {
      await pooled.warmPool?.whenFull();
      expect(await pooled.run({ code: check })).toMatchObject({ status: 'ok', output: 'True False\n' });
      expect(await cold.run({ code: check })).toMatchObject({ status: 'ok', output: 'False False\n' });
      // The plot then needs no import time: it still comes back as a file.
      await pooled.warmPool?.whenFull();
      const plot = await pooled.run({ code: 'import matplotlib.pyplot as plt\nplt.plot([1, 2])' });
      expect(names(plot)).toEqual(['figure-1.png']);
    } finally {
      await Promise.all([pooled.close(), cold.close()]);
    }
    expect(await leftovers(pooled)).toEqual([]);
  }, 60_000);
});
