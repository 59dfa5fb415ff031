import { expect } from 'vitest';
import { expectTimeout, py, STILL_WORKS, type AttackClass } from './attack.js';

const QUICK = { timeoutS: 2 };

export const cpuBurn: AttackClass = {
  name: 'CPU burn',
  attacks: [
    {
      name: 'a busy loop → timeout near the limit',
      limits: QUICK,
      code: py`
        while True:
            pass
      `,
      expect: (result, context) => expectTimeout(result, context),
    },
    {
      name: 'a multiprocessing pool of 4 busy workers → timeout',
      limits: QUICK,
      code: py`
        import multiprocessing as mp
        def burn(_):
            while True:
                pass
        if __name__ == "__main__":
            with mp.Pool(4) as pool:
                pool.map(burn, range(4))
      `,
      expect: (result, context) => expectTimeout(result, context),
      next: STILL_WORKS,
    },
    {
      // The CPU-seconds rlimit is only a backstop: the wall clock ends the run first, and ignoring
      // SIGXCPU changes nothing (runc's kernel sends SIGKILL at the hard limit anyway; gVisor
      // doesn't apply the limit at all: test/sandbox/cpu-backstop.test.ts).
      name: 'busy threads with SIGXCPU ignored → timeout',
      limits: QUICK,
      code: py`
        import signal, threading
        signal.signal(signal.SIGXCPU, signal.SIG_IGN)
        def burn():
            while True:
                pass
        for _ in range(4):
            threading.Thread(target=burn, daemon=True).start()
        burn()
      `,
      expect: (result, context) => expectTimeout(result, context),
    },
    {
      name: 'numpy matrix products forever → timeout',
      limits: QUICK,
      code: py`
        import numpy as np
        a = np.random.rand(600, 600)
        while True:
            a = a @ a
            a /= a.max()
      `,
      expect: (result, context) => expectTimeout(result, context),
    },
  ],
};

export const hangs: AttackClass = {
  name: 'sleeps and hangs',
  attacks: [
    {
      name: 'sleeping for an hour → timeout, earlier output kept',
      limits: QUICK,
      code: py`
        import time
        print("sleeping", flush=True)
        time.sleep(3600)
      `,
      expect: (result, context) => expectTimeout(result, context, 'sleeping\n'),
    },
    {
      name: 'ignoring SIGTERM, SIGINT, SIGHUP, SIGQUIT and SIGUSR1, then sleeping → timeout (SIGKILL)',
      limits: QUICK,
      code: py`
        import signal, time
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
            signal.signal(sig, signal.SIG_IGN)
        print("ignoring", flush=True)
        while True:
            time.sleep(1)
      `,
      expect: (result, context) => expectTimeout(result, context, 'ignoring\n'),
    },
    {
      name: 'blocking every signal it can, then sleeping → timeout',
      limits: QUICK,
      code: py`
        import signal, time
        signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
        print("blocked", flush=True)
        time.sleep(3600)
      `,
      expect: (result, context) => expectTimeout(result, context, 'blocked\n'),
    },
    {
      name: 'reading a pipe nobody writes to → timeout',
      limits: QUICK,
      code: py`
        import os
        r, w = os.pipe()
        os.read(r, 1)
      `,
      expect: (result, context) => expectTimeout(result, context),
    },
    {
      name: 'stopping itself with SIGSTOP → timeout (a stopped process still gets SIGKILL)',
      limits: QUICK,
      code: py`
        import os, signal
        print("stopping", flush=True)
        os.kill(os.getpid(), signal.SIGSTOP)
        print("resumed")
      `,
      expect: (result, context) => expectTimeout(result, context, 'stopping\n'),
    },
    {
      name: 'input() with no stdin gets end-of-file at once, never a hang',
      limits: QUICK,
      code: py`
        name = input("name? ")
      `,
      expect: (result) => {
        expect(result).toMatchObject({ status: 'error', exitCode: 1, signal: null, stdout: 'name? ' });
        expect(result.stderr).toMatch(/EOFError: EOF when reading a line\n$/);
        expect(result.durationMs).toBeLessThan(QUICK.timeoutS * 1000); // ended by itself
      },
    },
  ],
};
