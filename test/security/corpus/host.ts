import { expectOk, lines, onRuntime, PROBES, py, type AttackClass } from './attack.js';

/**
 * What one sandbox can do to, or learn from, the host it shares with every other: on runc the
 * kernel is the host's, so a host-wide system call or counter is everyone's. gVisor answers all of
 * these from its own kernel (the Sentry), which no other sandbox shares.
 */
export const hostWide: AttackClass = {
  name: 'host-wide effects',
  attacks: [
    {
      // sync() writes back the whole host's dirty pages (a 0.4–0.6 s stall for everyone, measured)
      // and syncfs() on the root does the same for the file system under Docker's overlay. Our
      // filter answers both with success without running them; a bad descriptor shows who
      // answered (the kernel would say EBADF).
      name: 'sync and syncfs flushing the host’s dirty pages',
      code: PROBES + py`
        syscall("sync", 162)
        syscall("syncfs(/)", 306, os.open("/", os.O_RDONLY))
        syscall("syncfs(-1)", 306, -1)
        attempt("os.sync()", os.sync)
      `,
      expect: (result, context) => {
        // gVisor runs its own sync, over its own file systems: the host's are never flushed.
        const badFd = onRuntime(context, { runc: 'ok', runsc: 'EBADF' });
        expectOk(result, lines('sync: ok', 'syncfs(/): ok', `syncfs(-1): ${badFd}`, 'os.sync(): ok'));
      },
    },
    {
      // fadvise(DONTNEED) on an image file evicts it from the host's page cache, which every
      // sandbox shares: a page-cache side channel between concurrent runs (evict, then time a read;
      // measured: 9 µs cached, 150–270 µs evicted). Now a successful no-op; readahead is refused.
      name: 'evicting shared image files from the page cache (fadvise DONTNEED), readahead',
      code: PROBES + py`
        fd = os.open(os.path.join(os.path.dirname(os.__file__), "turtle.py"), os.O_RDONLY)
        attempt("posix_fadvise(DONTNEED)", lambda: os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED))
        syscall("fadvise64(-1)", 221, -1, 0, 0, 4)
        syscall("readahead", 187, fd, 0, 4096)
      `,
      expect: (result, context) => {
        // gVisor's fadvise is its own (a no-op on its page cache), and readahead is refused by our
        // filter inside gVisor as on runc.
        const badFd = onRuntime(context, { runc: 'ok', runsc: 'EBADF' });
        expectOk(result, lines('posix_fadvise(DONTNEED): ok', `fadvise64(-1): ${badFd}`, 'readahead: EPERM'));
      },
    },
    {
      // Counters of the whole host's activity: forks, running tasks, pressure stall times, IRQs,
      // disk and memory events. A sandbox could read another's activity off them (a covert channel
      // of ~5 bit/s was measured through /proc/stat and loadavg), and learn the host's devices.
      name: 'host-wide activity counters in /proc',
      code: py`
        import errno, os
        for path in ("/proc/stat", "/proc/loadavg", "/proc/pressure", "/proc/schedstat", "/proc/vmstat",
                     "/proc/diskstats", "/proc/interrupts", "/proc/softirqs"):
            try:
                content = os.listdir(path) if os.path.isdir(path) else open(path).read()
                print(path, "has content" if content else "empty")
            except OSError as e:
                print(path, errno.errorcode[e.errno])
      `,
      expect: (result, context) => {
        // runc: masked (an empty file or directory; schedstat doesn't exist on a kernel built
        // without it). gVisor ignores the masks, and has only its own stat and loadavg, counting
        // its own tasks: nothing of the host's or another sandbox's.
        const shown = onRuntime(context, {
          runc: ['empty', 'empty', 'empty', 'ENOENT', 'empty', 'empty', 'empty', 'empty'],
          runsc: ['has content', 'has content', 'ENOENT', 'ENOENT', 'ENOENT', 'ENOENT', 'ENOENT', 'ENOENT'],
        });
        const paths = ['stat', 'loadavg', 'pressure', 'schedstat', 'vmstat', 'diskstats', 'interrupts', 'softirqs'];
        expectOk(result, lines(...paths.map((path, i) => `/proc/${path} ${shown[i]}`)));
      },
    },
    {
      // A known gap on runc, which no mask can close: /proc/<pid>/mountinfo is per process, and
      // Docker's masks are bind mounts made once, over PID 1's. It names the container's directory
      // (the bind-mount sources of /etc/hostname and friends) and the image's overlay layers.
      // Knowing them gains nothing by itself; gVisor shows neither.
      name: 'the container id and the host’s overlay paths in /proc/self/mountinfo',
      code: py`
        import re
        text = open("/proc/self/mountinfo").read()
        print("container id:", bool(re.search(r"/containers/[0-9a-f]{64}/", text)))
        print("overlay paths:", "/var/lib/docker/overlay2/" in text)
      `,
      expect: (result, context) => {
        const shown = onRuntime(context, { runc: 'True', runsc: 'False' });
        expectOk(result, lines(`container id: ${shown}`, `overlay paths: ${shown}`));
      },
    },
  ],
};
