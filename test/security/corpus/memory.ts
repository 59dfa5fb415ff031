import { expect } from 'vitest';
import { expectMemory, py, STILL_WORKS, type AttackClass } from './attack.js';

/**
 * Long enough for every bomb to reach the memory limit on a busy CI host (a 1 GiB shared memory
 * segment touched page by page once took over 5 s to get there).
 */
const UNTIL_OOM = { timeoutS: 15 };
/** A tmpfs bigger than the memory limit, to show that tmpfs pages are charged to the sandbox. */
const TMPFS_OVER_MEMORY = { ...UNTIL_OOM, memoryMb: 48, tmpfsMb: 96 };

export const memoryBombs: AttackClass = {
  name: 'memory bombs',
  attacks: [
    {
      name: 'a list of 1 MB strings growing forever → memory',
      limits: UNTIL_OOM,
      code: py`
        hoard = []
        while True:
            hoard.append(" " * 10**6)
      `,
      expect: (result, context) => expectMemory(result, context),
      next: STILL_WORKS,
    },
    {
      name: 'a bytearray extended by 1 MiB at a time → memory',
      limits: UNTIL_OOM,
      code: py`
        buffer = bytearray()
        while True:
            buffer += b"x" * 2**20
      `,
      expect: (result, context) => expectMemory(result, context),
    },
    {
      name: 'numpy.ones of 1 GiB → memory, nothing printed after it',
      limits: UNTIL_OOM,
      code: py`
        import numpy as np
        a = np.ones(2**30, dtype=np.uint8)
        print("survived", a.sum())
      `,
      expect: (result, context) => expectMemory(result, context),
      next: STILL_WORKS,
    },
    {
      name: 'numpy.empty of 32 TiB, then filled',
      limits: UNTIL_OOM,
      code: py`
        import numpy as np
        a = np.empty(2**45, dtype=np.uint8)
        print("reserved", flush=True)
        a.fill(1)
        print("survived")
      `,
      expect: (result, context) => {
        if (context.runtime === 'runc') {
          // Linux's overcommit heuristic refuses a 32 TiB mapping outright: a clean MemoryError.
          expect(result).toMatchObject({ status: 'error', exitCode: 1, stdout: '' });
          expect(result.stderr).toMatch(/MemoryError: Unable to allocate 32\.0 TiB for an array/);
        } else {
          // gVisor's Sentry hands out the address space lazily; touching it hits the cgroup limit.
          expectMemory(result, context, 'reserved\n');
        }
      },
    },
    {
      name: 'a /tmp file larger than the memory limit (tmpfs pages count against it) → memory',
      limits: TMPFS_OVER_MEMORY,
      code: py`
        with open("/tmp/fill", "wb") as f:
            for _ in range(90):
                f.write(b"x" * 2**20)
        print("wrote 90 MiB")
      `,
      expect: (result, context) => expectMemory(result, context),
    },
    {
      name: 'the same through /dev/shm → memory',
      limits: TMPFS_OVER_MEMORY,
      code: py`
        with open("/dev/shm/fill", "wb") as f:
            for _ in range(90):
                f.write(b"x" * 2**20)
        print("wrote 90 MiB")
      `,
      expect: (result, context) => expectMemory(result, context),
    },
    {
      name: 'a 1 GiB System V shared memory segment, touched → memory',
      limits: UNTIL_OOM,
      code: py`
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.shmat.restype = ctypes.c_void_p
        segment = libc.shmget(0, 1 << 30, 0o1600)  # IPC_PRIVATE, IPC_CREAT | 0600
        print("shmget", "ok" if segment >= 0 else ctypes.get_errno(), flush=True)
        ctypes.memset(libc.shmat(segment, None, 0), 1, 1 << 30)
        print("survived")
      `,
      expect: (result, context) => expectMemory(result, context, 'shmget ok\n'),
    },
    {
      name: 'anonymous mmap of 1 GiB, touched page by page → memory',
      limits: UNTIL_OOM,
      code: py`
        import mmap
        m = mmap.mmap(-1, 1 << 30)
        for offset in range(0, 1 << 30, 4096):
            m[offset] = 1
        print("survived")
      `,
      expect: (result, context) => expectMemory(result, context),
    },
    {
      // Empty directories take no tmpfs blocks, so the size cap doesn't stop them; their inodes
      // and dentries are kernel memory charged to the sandbox's cgroup (the Sentry's, on gVisor).
      // A smaller limit: under gVisor, filling 128 MiB this way takes 9–15 s on a 2-vCPU host.
      name: 'an inode flood of empty directories in /tmp → memory',
      limits: { ...UNTIL_OOM, memoryMb: 64 },
      code: py`
        import os
        n = 0
        while True:
            os.mkdir(f"/tmp/d{n}")
            n += 1
      `,
      expect: (result, context) => expectMemory(result, context),
      next: STILL_WORKS,
    },
  ],
};
