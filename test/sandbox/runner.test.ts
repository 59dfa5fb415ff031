import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, effectivePids } from '../../sandbox/limits.js';
import { sandboxUids } from '../../sandbox/uids.js';
import { KILL_ALLOWANCE_MS, leftovers, makeRunner, poolFor, RUNTIME_MODES } from '../support/sandbox.js';

/**
 * Runs on the real Docker engine, on both runtimes, cold and pooled: the promises of docs/architecture.md §3,
 * and the same RunResults whichever way the container was started.
 */
describe.each(RUNTIME_MODES)('sandbox runner on %s (%s)', (runtime, mode) => {
  // A generous wall clock: under gVisor on a busy machine, importing numpy and sympy or forking
  // until the memory limit takes seconds.
  const runner = makeRunner(runtime, { timeoutS: 15 }, poolFor(mode));
  // Short wall clock for the tests that are meant to hit it.
  const quick = makeRunner(runtime, { timeoutS: 2 }, poolFor(mode));

  beforeAll(async () => {
    await Promise.all([runner.warmPool?.whenFull(), quick.warmPool?.whenFull()]);
  });

  afterAll(async () => {
    await Promise.all([runner.close(), quick.close()]);
    expect(await leftovers(runner)).toEqual([]);
    expect(await leftovers(quick)).toEqual([]);
  });

  it('print → ok with the output', async () => {
    const result = await runner.run({ code: 'print("hello", 6 * 7)' });
    expect(result).toMatchObject({ status: 'ok', exitCode: 0, signal: null, output: 'hello 42\n' });
    expect(result.stdout).toBe('hello 42\n');
    expect(result.outputBytes).toBe(9);
  });

  it("durationMs is the program's own time, from when its Python was up", async () => {
    // A trivial program's whole run can arrive in one chunk with its Python's up signal: ~0 ms.
    const trivial = await runner.run({ code: 'pass' });
    expect(trivial.durationMs).toBeGreaterThanOrEqual(0);
    expect(trivial.durationMs).toBeLessThan(1000);
    const sleeper = await runner.run({ code: 'import time\ntime.sleep(0.3)' });
    expect(sleeper.status).toBe('ok');
    expect(sleeper.durationMs).toBeGreaterThanOrEqual(250);
    expect(sleeper.durationMs).toBeLessThan(2000);
  });

  it('an uncaught exception → error, exit 1, with the traceback of main.py only', async () => {
    const result = await runner.run({ code: 'def f():\n    raise ValueError("boom")\nf()' });
    expect(result).toMatchObject({ status: 'error', exitCode: 1, signal: null });
    expect(result.stderr).toContain('File "main.py", line 3, in <module>');
    expect(result.stderr).toContain('raise ValueError("boom")'); // source lines are shown
    expect(result.stderr).toMatch(/ValueError: boom\n$/);
    expect(result.stderr).not.toContain('<string>'); // the bootstrap's frame is hidden
  });

  it('sys.exit(3) → error with exit code 3', async () => {
    const result = await runner.run({ code: 'import sys\nsys.exit(3)' });
    expect(result).toMatchObject({ status: 'error', exitCode: 3, signal: null, output: '' });
  });

  it('os.abort() → killed by SIGABRT, the name Python uses for signal 6', async () => {
    const result = await runner.run({ code: 'import os\nos.abort()' });
    expect(result).toMatchObject({ status: 'killed', exitCode: null, signal: 'SIGABRT' });
  });

  it('a syntax error → error with the caret', async () => {
    const result = await runner.run({ code: 'x = (1,' });
    expect(result.status).toBe('error');
    expect(result.stderr).toContain("SyntaxError: '(' was never closed");
  });

  it('stdout and stderr are interleaved in arrival order', async () => {
    // Docker carries the two streams on separate pipes, so only writes that are apart in time have
    // a defined order; that is the order a terminal would show. (On a busy host, gVisor can hold a
    // pipe's write back for tens of milliseconds: the writes are well apart.)
    const code = [
      'import sys, time',
      'for i in range(3):',
      '    print("out", i); time.sleep(0.25)',
      '    print("err", i, file=sys.stderr); time.sleep(0.25)',
    ].join('\n');
    const result = await runner.run({ code });
    expect(result.output).toBe('out 0\nerr 0\nout 1\nerr 1\nout 2\nerr 2\n');
    expect(result.stdout).toBe('out 0\nout 1\nout 2\n');
    expect(result.stderr).toBe('err 0\nerr 1\nerr 2\n');
  });

  it('input() reads the stdin given with the request', async () => {
    const result = await runner.run({ code: 'name = input()\nprint(f"hi {name}")', stdin: 'Ada\n' });
    expect(result).toMatchObject({ status: 'ok', output: 'hi Ada\n' });
  });

  it('a busy loop → timeout near the limit', async () => {
    const result = await quick.run({ code: 'while True:\n    pass' });
    expect(result).toMatchObject({ status: 'timeout', exitCode: null, signal: 'SIGKILL' });
    expect(result.durationMs).toBeGreaterThanOrEqual(2000);
    expect(result.durationMs).toBeLessThan(2000 + KILL_ALLOWANCE_MS);
  });

  it('sleeping forever → timeout, and output printed before it is kept', async () => {
    const result = await quick.run({ code: 'import time\nprint("before", flush=True)\ntime.sleep(3600)' });
    expect(result).toMatchObject({ status: 'timeout', output: 'before\n' });
    expect(result.durationMs).toBeLessThan(2000 + KILL_ALLOWANCE_MS);
  });

  it('allocating 1 GiB → memory', async () => {
    const result = await runner.run({ code: 'x = bytearray(1024 ** 3)\nprint("survived")' });
    expect(result).toMatchObject({ status: 'memory', signal: 'SIGKILL' });
    expect(result.output).not.toContain('survived');
  });

  it('filling /tmp is capped by the tmpfs size', async () => {
    const code = [
      'import errno',
      'try:',
      '    with open("/tmp/big", "wb") as f:',
      '        for _ in range(64): f.write(b"x" * 1024 * 1024)',
      'except OSError as e:',
      '    print("stopped:", errno.errorcode[e.errno])',
    ].join('\n');
    const result = await runner.run({ code });
    expect(result.status).toBe('ok');
    expect(result.output).toMatch(/stopped: (ENOSPC|EFBIG)/);
  });

  it('printing 50 MB → output_limit with at most the cap kept', async () => {
    const result = await runner.run({
      code: 'import sys\nline = "x" * 999 + "\\n"\nfor _ in range(50_000):\n    sys.stdout.write(line)',
    });
    expect(result).toMatchObject({ status: 'output_limit', signal: 'SIGKILL' });
    expect(result.outputBytes).toBe(64 * 1024);
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(64 * 1024);
    expect(result.output.startsWith('x'.repeat(999))).toBe(true);
  });

  it('a fork bomb is contained, and the next run is fine', async () => {
    const bomb = 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass';
    const result = await quick.run({ code: bomb });
    // Under gVisor, running out of host pids ends the sandbox with exit 2 (see
    // test/security/corpus/processes.ts).
    const contained = runtime === 'runc' ? ['timeout', 'memory'] : ['timeout', 'memory', 'error'];
    expect(contained).toContain(result.status);
    expect(result.durationMs).toBeLessThan(2000 + KILL_ALLOWANCE_MS);
    const after = await runner.run({ code: 'print("fine")' });
    expect(after).toMatchObject({ status: 'ok', output: 'fine\n' });
  });

  it('process creation stops at the pids limit (runc) or the memory limit (gVisor)', async () => {
    const code = [
      'import os, time',
      'n = 0',
      'for _ in range(1000):',
      '    try:',
      '        if os.fork() == 0:',
      '            time.sleep(5); os._exit(0)',
      '        n += 1',
      '    except OSError:',
      '        break',
      'print("forked", n)',
    ].join('\n');
    const result = await runner.run({ code });
    if (result.status === 'ok') {
      const forked = Number(/forked (\d+)/.exec(result.output)?.[1]);
      expect(forked).toBeLessThan(effectivePids(DEFAULT_LIMITS, runtime));
    } else {
      // Under gVisor, running out of host pids (its own processes count) ends the sandbox with exit 2.
      expect(runtime === 'runc' ? ['memory'] : ['memory', 'error']).toContain(result.status);
    }
  });

  it('has no network: only loopback, no TCP, no DNS', async () => {
    const code = [
      'import socket',
      'print([name for _, name in socket.if_nameindex()])',
      'try:',
      '    socket.create_connection(("1.1.1.1", 53), timeout=2)',
      '    print("tcp: connected")',
      'except OSError:',
      '    print("tcp: failed")',
      'try:',
      '    socket.getaddrinfo("example.com", 80)',
      '    print("dns: resolved")',
      'except OSError:',
      '    print("dns: failed")',
    ].join('\n');
    const result = await runner.run({ code });
    expect(result).toMatchObject({ status: 'ok', output: "['lo']\ntcp: failed\ndns: failed\n" });
  });

  it('runs as a uid of its own on a read-only root; only /tmp and /dev/shm are writable, not executable', async () => {
    const code = [
      'import os, subprocess',
      'print(os.getuid(), os.getgid())',
      'for path in ("/var/tmp/x", "/usr/x", "/tmp/x", "/dev/shm/x"):',
      '    try:',
      '        open(path, "a").close(); print("wrote", path)',
      '    except OSError as e:',
      '        print("denied", path, os.strerror(e.errno))',
      'open("/tmp/ok.sh", "w").write("#!/bin/sh\\necho ran\\n"); os.chmod("/tmp/ok.sh", 0o755)',
      'try:',
      '    subprocess.run(["/tmp/ok.sh"], check=True); print("executed")',
      'except PermissionError:',
      '    print("noexec")',
    ].join('\n');
    const result = await runner.run({ code });
    expect(result.status).toBe('ok');
    const lines = result.output.split('\n');
    const [uid, gid] = lines[0]!.split(' ').map(Number) as [number, number];
    expect(gid).toBe(uid);
    expect(sandboxUids.holds(uid)).toBe(true); // its container isn't removed yet
    // world-writable in the image, yet read-only
    expect(lines[1]).toBe('denied /var/tmp/x Read-only file system');
    // runc checks the mount first, gVisor the permission: both refuse
    expect(lines[2]).toMatch(/^denied \/usr\/x (Read-only file system|Permission denied)$/);
    expect(lines.slice(3)).toEqual(['wrote /tmp/x', 'wrote /dev/shm/x', 'noexec', '']);
  });

  it("sees none of the bot's environment variables", async () => {
    process.env.SANDPIPER_TEST_SECRET = 'xoxb-do-not-leak';
    try {
      const result = await runner.run({
        code: 'import os\nprint(sorted(os.environ))\nprint("xoxb" in repr(dict(os.environ)))',
      });
      expect(result.status).toBe('ok');
      expect(result.output).not.toContain('SANDPIPER_TEST_SECRET');
      expect(result.output.trim().endsWith('False')).toBe(true);
    } finally {
      delete process.env.SANDPIPER_TEST_SECRET;
    }
  });

  it('runs a 300 KB program delivered on stdin', async () => {
    const big = makeRunner(runtime, {}, { maxCodeBytes: 512 * 1024, ...poolFor(mode) });
    await big.warmPool?.whenFull();
    const code = `data = "${'a'.repeat(300_000)}"\nprint(len(data))`;
    const result = await big.run({ code });
    expect(result).toMatchObject({ status: 'ok', output: '300000\n' });
    await big.close();
  });

  it('survives invalid UTF-8 in the output', async () => {
    const code = 'import sys\nsys.stdout.buffer.write(b"ok \\xff\\xfe \\xc3(\\n")\nsys.stdout.flush()';
    const result = await runner.run({ code });
    expect(result.status).toBe('ok');
    expect(result.output).toBe('ok \uFFFD\uFFFD \uFFFD(\n');
  });

  it('keeps multi-byte characters whole across writes', async () => {
    const code = 'import sys\nfor b in "héllo 🐍\\n".encode():\n    sys.stdout.buffer.write(bytes([b])); sys.stdout.flush()';
    const result = await runner.run({ code });
    expect(result.output).toBe('héllo 🐍\n');
  });

  it('multiprocessing, threads, subprocesses and asyncio work under the syscall allowlist', async () => {
    const code = [
      'import multiprocessing as mp, concurrent.futures as cf, subprocess, asyncio',
      'def square(x): return x * x',
      'if __name__ == "__main__":',
      '    with mp.Pool(2) as pool: print(pool.map(square, range(4)))',
      '    with cf.ThreadPoolExecutor(4) as ex: print(list(ex.map(square, range(4))))',
      '    print(subprocess.run(["echo", "child"], capture_output=True, text=True).stdout.strip())',
      '    print(asyncio.run(asyncio.sleep(0, "async")))',
    ].join('\n');
    const result = await runner.run({ code });
    expect(result).toMatchObject({ status: 'ok', output: '[0, 1, 4, 9]\n[0, 1, 4, 9]\nchild\nasync\n' });
  });

  it('kernel attack surface is refused: io_uring, keyctl, bpf, userfaultfd, perf_event_open', async () => {
    const code = [
      'import ctypes',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'calls = {"io_uring_setup": (425, 1, 0), "keyctl": (250, 0, 0), "bpf": (321, 0, 0, 0),',
      '         "userfaultfd": (323, 0), "perf_event_open": (298, 0, 0, -1, -1, 0)}',
      'for name, (nr, *args) in calls.items():',
      '    print(name, "refused" if libc.syscall(nr, *args) == -1 else "ALLOWED")',
    ].join('\n');
    const result = await runner.run({ code });
    expect(result.status).toBe('ok');
    expect(result.output).not.toContain('ALLOWED');
    expect(result.output.match(/refused/g)).toHaveLength(5);
  });

  it('imports numpy and sympy from the image', async () => {
    const code = 'import numpy as np, sympy\nprint(np.arange(10).sum(), sympy.factor(sympy.Symbol("x")**2 - 1))';
    const result = await runner.run({ code });
    expect(result).toMatchObject({ status: 'ok', output: '45 (x - 1)*(x + 1)\n' });
  });
});
