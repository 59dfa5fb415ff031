import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers, makeRunner, poolFor, RUNTIME_MODES } from '../support/sandbox.js';
import { py } from './corpus/attack.js';
import { DOUBLE_FORKED_DAEMON } from './corpus/processes.js';

/**
 * Cross-run isolation, cold and pooled, on both runtimes: nothing one run does is visible to the
 * next. With a pool, the next run's sandbox was already started while the attack ran; it must be
 * as untouched as a cold one.
 */
describe.each(RUNTIME_MODES)('cross-run isolation on %s (%s)', (runtime, mode) => {
  const runner = makeRunner(runtime, {}, poolFor(mode));

  beforeAll(async () => {
    await runner.warmPool?.whenFull();
  });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  /** Runs the attack, then the check in the next sandbox; returns the check's output. */
  async function attackThenCheck(attack: string, check: string): Promise<{ attack: string; check: string }> {
    const first = await runner.run({ code: attack });
    expect(first).toMatchObject({ status: 'ok', exitCode: 0 });
    // With a pool, wait for the refill so the check can't land in a sandbox started after the attack.
    await runner.warmPool?.whenFull();
    const second = await runner.run({ code: check });
    expect(second).toMatchObject({ status: 'ok', exitCode: 0 });
    return { attack: first.output, check: second.output };
  }

  it('files left in /tmp and /dev/shm are gone', async () => {
    const { attack, check } = await attackThenCheck(
      py`
        for path in ("/tmp/secret.txt", "/dev/shm/secret.txt", "/tmp/.hidden"):
            open(path, "w").write("left behind")
        print("planted")
      `,
      py`
        import os
        print(sorted(os.listdir("/tmp")), sorted(os.listdir("/dev/shm")))
      `,
    );
    expect(attack).toBe('planted\n');
    // A fresh /tmp holds only what the bootstrap puts there before any request: the font cache's link.
    expect(check).toBe("['.cache'] []\n");
  });

  it('a double-forked daemon, ignoring SIGTERM and SIGHUP, is gone with its file', async () => {
    const { attack, check } = await attackThenCheck(
      DOUBLE_FORKED_DAEMON,
      py`
        import os, time
        time.sleep(0.3)  # a surviving daemon would have written by now
        print(sorted(open(f"/proc/{p}/comm").read().strip() for p in os.listdir("/proc") if p.isdigit()))
        print(os.path.exists("/tmp/daemon.alive"))
      `,
    );
    expect(attack).toBe('daemon running: True\n');
    expect(check).toBe("['docker-init', 'python3', 'python3']\nFalse\n");
  });

  it('System V shared memory, semaphores and message queues are gone (private IPC namespace)', async () => {
    const { attack, check } = await attackThenCheck(
      py`
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        KEY = 0x5EED
        print(libc.shmget(KEY, 4096, 0o1666) >= 0, libc.semget(KEY, 1, 0o1666) >= 0, libc.msgget(KEY, 0o1666) >= 0)
      `,
      py`
        import ctypes, errno
        libc = ctypes.CDLL(None, use_errno=True)
        KEY = 0x5EED
        for name, call in (("shm", lambda: libc.shmget(KEY, 0, 0)), ("sem", lambda: libc.semget(KEY, 0, 0)),
                           ("msg", lambda: libc.msgget(KEY, 0))):
            print(name, "FOUND" if call() >= 0 else errno.errorcode[ctypes.get_errno()])
      `,
    );
    expect(attack).toBe('True True True\n');
    expect(check).toBe('shm ENOENT\nsem ENOENT\nmsg ENOENT\n');
  });

  it('exhausted budgets do not carry over: a full /tmp and /dev/shm, every pid or all memory taken', async () => {
    const attack = await runner.run({
      code: py`
        import os, time
        for where in ("/tmp", "/dev/shm"):
            try:
                for n in range(100):
                    open(f"{where}/fill{n}", "wb").write(b"x" * 2**20)
            except OSError:
                pass
        print("free blocks:", os.statvfs("/tmp").f_bavail, os.statvfs("/dev/shm").f_bavail, flush=True)
        while True:
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
      `,
    });
    // runc: the pids limit refuses the next fork (BlockingIOError). gVisor: forks cost memory
    // rather than host pids, and with 32 MiB of tmpfs held the memory limit usually comes first;
    // on a loaded host (gVisor forks are slow) the wall clock can come first. What matters here is
    // the next run.
    if (runtime === 'runc') {
      expect(attack).toMatchObject({ status: 'error', exitCode: 1 });
      expect(attack.stderr).toMatch(/BlockingIOError: \[Errno 11\] Resource temporarily unavailable\n$/);
    } else {
      expect(['memory', 'timeout']).toContain(attack.status);
    }
    expect(attack.stdout).toBe('free blocks: 0 0\n');
    await runner.warmPool?.whenFull();
    const next = await runner.run({
      code: py`
        import os, subprocess
        for where in ("/tmp", "/dev/shm"):
            st = os.statvfs(where)
            print(where, "all free:", st.f_bavail == st.f_blocks)
        print(subprocess.run(["echo", "fork works"], capture_output=True, text=True).stdout, end="")
        print("allocated", len(bytearray(64 * 2**20)) // 2**20, "MiB")
      `,
    });
    expect(next).toMatchObject({
      status: 'ok',
      output: '/tmp all free: True\n/dev/shm all free: True\nfork works\nallocated 64 MiB\n',
    });
  });

  it('killing every process it can reach (kill -9 -1) touches only its own sandbox', async () => {
    const attack = await runner.run({
      code: py`
        import os, signal, time
        children = []
        for _ in range(3):
            pid = os.fork()
            if pid == 0:
                time.sleep(60)
                os._exit(0)
            children.append(pid)
        os.kill(-1, signal.SIGKILL)  # every process this one may signal, except itself (and PID 1)
        print("children killed by:", [signal.Signals(os.WTERMSIG(os.waitpid(pid, 0)[1])).name for pid in children])
        print("survived my own purge")
      `,
    });
    // The purge reaches the bootstrap too (same uid): its own run ends there, killed, with what
    // it printed until then.
    expect(attack).toMatchObject({ status: 'killed', exitCode: null, signal: 'SIGKILL' });
    const printed = "children killed by: ['SIGKILL', 'SIGKILL', 'SIGKILL']\nsurvived my own purge\n";
    expect(printed.slice(0, attack.output.length)).toBe(attack.output);
    // The next run (with a pool: a sandbox already running during the purge) is untouched.
    const next = await runner.run({ code: 'print("fine")' });
    expect(next).toMatchObject({ status: 'ok', output: 'fine\n' });
  });
});
