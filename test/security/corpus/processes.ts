import { expect } from 'vitest';
import { effectivePids } from '../../../sandbox/limits.js';
import {
  expectMemory,
  expectOk,
  expectTimeout,
  lines,
  NOTHING_LEFT,
  py,
  STILL_WORKS,
  type AttackClass,
  type AttackContext,
} from './attack.js';

/**
 * Long enough for a bomb to reach its limit on a busy machine: forking costs ~30 ms a process under
 * runc here (multiprocessing) and ~70 ms under gVisor, whose bombs end at the memory limit.
 */
const UNTIL_A_LIMIT = { timeoutS: 15 };

/**
 * Under runc the pids limit counts every process and thread: tini, the bootstrap and the program's
 * Python take three, so 61 more fit. Under gVisor, guest processes aren't host processes: the pids limit (≥ 512) counts the
 * Sentry's host threads and stubs, and each guest process costs memory, so bombs end at the memory
 * limit, or (for tiny processes) when the Sentry can't get host threads any more.
 */
function roomUnderPidsLimit({ limits }: AttackContext): number {
  return effectivePids(limits, 'runc') - 3;
}

/** A double-forked, setsid daemon that ignores SIGTERM/SIGHUP/SIGINT and keeps writing a file. */
export const DOUBLE_FORKED_DAEMON = py`
        import os, signal, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                    signal.signal(sig, signal.SIG_IGN)
                os.closerange(0, 3)
                while True:
                    with open("/tmp/daemon.alive", "a") as f:
                        f.write(f"{time.time()}\n")
                    time.sleep(0.05)
            os._exit(0)
        os.wait()
        deadline = time.time() + 5
        while not os.path.exists("/tmp/daemon.alive") and time.time() < deadline:
            time.sleep(0.05)
        print("daemon running:", os.path.exists("/tmp/daemon.alive"))
      `;

export const forkBombs: AttackClass = {
  name: 'fork and thread bombs',
  attacks: [
    {
      name: 'every process forks forever, ignoring failures → contained',
      limits: UNTIL_A_LIMIT,
      code: py`
        import os
        while True:
            try:
                os.fork()
            except OSError:
                pass
      `,
      expect: (result, context) => {
        // runc: the pids limit stops the growth and the survivors spin until the wall clock.
        if (context.runtime === 'runc') expectTimeout(result, context);
        else expectMemory(result, context);
      },
      next: STILL_WORKS,
    },
    {
      name: 'forking sleepers until fork fails → EAGAIN at the pids limit',
      limits: UNTIL_A_LIMIT,
      code: py`
        import os, time
        children = 0
        while True:
            try:
                if os.fork() == 0:
                    time.sleep(30)
                    os._exit(0)
                children += 1
            except OSError as e:
                print(f"fork refused after {children} children: {e}")
                break
      `,
      expect: (result, context) => {
        if (context.runtime === 'runc') {
          const room = roomUnderPidsLimit(context);
          expectOk(result, `fork refused after ${room} children: [Errno 11] Resource temporarily unavailable\n`);
        } else {
          expectMemory(result, context);
        }
      },
      next: STILL_WORKS,
    },
    {
      name: 'starting sleeping threads until it fails',
      limits: UNTIL_A_LIMIT,
      code: py`
        import threading, time
        n = 0
        try:
            while True:
                threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
                n += 1
        except RuntimeError as e:
            print(f"thread refused after {n} threads: {e}")
      `,
      expect: (result, context) => {
        if (context.runtime === 'runc') {
          expectOk(result, `thread refused after ${roomUnderPidsLimit(context)} threads: can't start new thread\n`);
        } else {
          // gVisor's guest threads don't count against the host pids limit; a few thousand of
          // them (~2 s) exhaust the memory limit instead.
          expectMemory(result, context);
        }
      },
      next: STILL_WORKS,
    },
    {
      name: 'multiprocessing.Process until it fails',
      limits: UNTIL_A_LIMIT,
      code: py`
        import multiprocessing as mp, time
        def hang():
            time.sleep(30)
        if __name__ == "__main__":
            n = 0
            try:
                while True:
                    mp.Process(target=hang, daemon=True).start()
                    n += 1
            except OSError as e:
                print(f"process refused after {n}: {e}")
      `,
      expect: (result, context) => {
        if (context.runtime === 'runc') {
          expectOk(result, `process refused after ${roomUnderPidsLimit(context)}: [Errno 11] Resource temporarily unavailable\n`);
        } else {
          expectMemory(result, context);
        }
      },
      next: STILL_WORKS,
    },
    {
      name: 'subprocess.Popen of tiny processes until it fails',
      limits: UNTIL_A_LIMIT,
      code: py`
        import subprocess
        procs = []
        try:
            while True:
                procs.append(subprocess.Popen(["sleep", "30"]))
        except OSError as e:
            print(f"spawn refused after {len(procs)}: {e}")
      `,
      expect: (result, context) => {
        if (context.runtime === 'runc') {
          expectOk(result, `spawn refused after ${roomUnderPidsLimit(context)}: [Errno 11] Resource temporarily unavailable\n`);
        } else {
          // Each gVisor guest process costs ~6 host tasks (its address-space stub and threads).
          // `sleep` is too small to reach the memory limit first, so the Sentry reaches the host
          // pids limit, can't create a thread, and the whole sandbox exits with code 2. Contained:
          // the sandbox is what dies.
          expect(result).toMatchObject({ status: 'error', exitCode: 2, signal: null, output: '' });
        }
      },
      next: STILL_WORKS,
    },
  ],
};

/** zombies(): how many processes are in state Z, from /proc/<pid>/stat. */
const COUNT_ZOMBIES = py`
  def zombies():
      found = 0
      for pid in os.listdir("/proc"):
          if pid.isdigit():
              try:
                  stat = open(f"/proc/{pid}/stat").read()
              except OSError:
                  continue
              found += stat.rsplit(")", 1)[1].split()[0] == "Z"
      return found
`;

export const zombiesAndDaemons: AttackClass = {
  name: 'zombies and daemons',
  attacks: [
    {
      name: '20 children never reaped are zombies only while the run lasts',
      code: py`
        import os, time
        ${COUNT_ZOMBIES}
        for _ in range(20):
            if os.fork() == 0:
                os._exit(0)
        deadline = time.time() + 5  # polls rather than sleeps: the machine may be busy
        while zombies() < 20 and time.time() < deadline:
            time.sleep(0.05)
        print("zombies:", zombies())
      `,
      expect: (result) => expectOk(result, 'zombies: 20\n'),
      next: NOTHING_LEFT,
    },
    {
      name: 'double-forked orphans are adopted and reaped by tini (PID 1)',
      code: py`
        import os, time
        ${COUNT_ZOMBIES}
        for _ in range(10):
            if os.fork() == 0:
                if os.fork() == 0:
                    time.sleep(0.1)
                    os._exit(0)
                os._exit(0)
            os.wait()
        def processes():
            names = []
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    names.append(open(f"/proc/{pid}/comm").read().strip())
                except OSError:
                    pass  # exited meanwhile
            return sorted(names)
        deadline = time.time() + 3  # well inside the 5 s run timeout: a slow reap says so, not "timeout"
        while (zombies() or len(processes()) > 3) and time.time() < deadline:
            time.sleep(0.05)
        print("zombies:", zombies())
        print(processes())
      `,
      expect: (result) => expectOk(result, lines('zombies: 0', "['docker-init', 'python3', 'python3']")),
    },
    {
      name: 'a setsid daemon ignoring SIGTERM/SIGHUP that keeps writing a file does not outlive the run',
      code: DOUBLE_FORKED_DAEMON,
      expect: (result) => expectOk(result, 'daemon running: True\n'),
      next: NOTHING_LEFT,
    },
    {
      name: 'a daemon that prints after the program ended adds nothing to the result',
      code: py`
        import os, time
        if os.fork() == 0:
            os.setsid()
            time.sleep(0.5)
            print("daemon says hi", flush=True)
            os._exit(0)
        print("main done")
      `,
      expect: (result) => expectOk(result, 'main done\n'),
      next: NOTHING_LEFT,
    },
    {
      // The end-of-run marker follows the exit of the program's own process, never a child's: a
      // child's exit would otherwise end (and kill) its parent's run.
      name: 'a forked child leaving through sys.exit() does not end its parent’s run',
      code: py`
        import os, sys, time
        if os.fork() == 0:
            print("child", flush=True)
            sys.exit(0)
        time.sleep(0.5)
        print("parent", os.waitpid(-1, 0)[1])
        sys.exit(3)
      `,
      expect: (result) => {
        expect(result).toMatchObject({ status: 'error', exitCode: 3, signal: null, output: 'child\nparent 0\n' });
      },
    },
  ],
};
