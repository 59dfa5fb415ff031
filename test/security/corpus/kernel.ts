import { expect } from 'vitest';
import { expectOk, lines, onRuntime, PROBES, py, type AttackClass } from './attack.js';

export const kernelInfo: AttackClass = {
  name: '/proc and kernel information',
  attacks: [
    {
      // Docker's default masked paths (we never set MaskedPaths, which would replace them): each
      // one is absent (the kernel or gVisor lacks it), unreadable, or masked to nothing.
      name: 'kcore, sched_debug, keys, timer_list, latency_stats, acpi, scsi, /sys/firmware and friends show nothing',
      code: py`
        import errno, os
        for path in ("/proc/kcore", "/proc/sched_debug", "/proc/keys", "/proc/timer_list", "/proc/timer_stats",
                     "/proc/latency_stats", "/proc/acpi", "/proc/scsi", "/proc/asound", "/proc/kmsg",
                     "/sys/firmware", "/sys/kernel/debug", "/sys/kernel/security", "/sys/devices/virtual/powercap"):
            try:
                if os.path.isdir(path):
                    content = os.listdir(path)
                else:
                    with open(path, "rb") as f:
                        content = f.read(4096)
                print(path, f"LEAKS {len(content)}" if content else "empty")
            except OSError as e:
                print(path, {errno.ENOENT: "absent", errno.EACCES: "unreadable", errno.EPERM: "unreadable"}.get(e.errno, e))
      `,
      expect: (result) => {
        expect(result).toMatchObject({ status: 'ok', stderr: '' });
        const outcomes = result.stdout.trimEnd().split('\n');
        expect(outcomes).toHaveLength(14);
        for (const line of outcomes) expect(line).toMatch(/^\S+ (absent|unreadable|empty)$/);
      },
    },
    {
      name: '/proc/self/cgroup shows no host cgroup paths (private cgroup namespace)',
      code: py`
        text = open("/proc/self/cgroup").read()
        print("docker" in text, sorted({line.split(":", 2)[2] for line in text.splitlines()}))
      `,
      // runc: every hierarchy's path is "/"; gVisor's file is empty.
      expect: (result, context) => expectOk(result, `False ${onRuntime(context, { runc: "['/']", runsc: '[]' })}\n`),
    },
    {
      name: "the hostname is 'sandbox' everywhere, and can't be changed",
      code: PROBES + py`
        import socket
        print(socket.gethostname(), os.uname().nodename, open("/etc/hostname").read().strip(),
              open("/proc/sys/kernel/hostname").read().strip())
        syscall("sethostname", 170, b"pwned", 5)
        syscall("setdomainname", 171, b"pwned", 5)
      `,
      expect: (result) => expectOk(result, lines('sandbox sandbox sandbox sandbox', 'sethostname: EPERM', 'setdomainname: EPERM')),
    },
    {
      name: 'kernel modules and kexec: not loadable, no tools, no module tree',
      code: PROBES + py`
        import shutil
        syscall("init_module", 175, None, 0, b"")
        syscall("finit_module", 313, os.open("/dev/null", os.O_RDONLY), b"", 0)
        syscall("delete_module", 176, b"overlay", 0)
        syscall("kexec_load", 246, 0, 0, None, 0)
        print("/lib/modules:", os.path.exists("/lib/modules"), "modprobe:", shutil.which("modprobe"), "insmod:", shutil.which("insmod"))
        attempt("write /proc/sys/kernel/modprobe", lambda: open("/proc/sys/kernel/modprobe", "w").write("/tmp/x"))
      `,
      expect: (result) => {
        expectOk(result);
        expect(result.output).toMatch(
          new RegExp(
            '^' +
              lines(
                'init_module: EPERM',
                'finit_module: EPERM',
                'delete_module: EPERM',
                'kexec_load: EPERM',
                '/lib/modules: False modprobe: None insmod: None',
                // Read-only /proc/sys (EROFS), gVisor's permission check (EACCES), or a host kernel
                // built without module support, which has no such file (ENOENT, as here on runc).
                'write /proc/sys/kernel/modprobe: (EROFS|EACCES|ENOENT)',
              ) +
              '$',
          ),
        );
      },
    },
    {
      name: 'kernel tunables, sysrq and cgroup limits are not writable',
      code: PROBES + py`
        for path in ("/proc/sys/kernel/core_pattern", "/proc/sys/vm/drop_caches", "/proc/sys/kernel/hostname",
                     "/proc/sysrq-trigger", "/sys/kernel/uevent_helper", "/sys/fs/cgroup/memory/memory.limit_in_bytes",
                     "/sys/fs/cgroup/pids/pids.max"):
            attempt(path, lambda: open(path, "w").write("1"))
      `,
      expect: (result) => {
        expect(result).toMatchObject({ status: 'ok', stderr: '' });
        const outcomes = result.stdout.trimEnd().split('\n');
        expect(outcomes).toHaveLength(7);
        // Read-only mounts on runc, permission checks or absence in gVisor: never "ok".
        for (const line of outcomes) expect(line).toMatch(/^\S+: (EROFS|EACCES|EPERM|ENOENT)$/);
      },
    },
    {
      name: 'the kernel log: syslog(2) and /dev/kmsg',
      code: PROBES + py`
        buf = ctypes.create_string_buffer(4096)
        n = libc.syscall(103, 3, buf, 4096)  # SYSLOG_ACTION_READ_ALL
        print("syslog:", errno.errorcode[ctypes.get_errno()] if n < 0 else buf.raw[:n].decode().splitlines()[0])
        print("/dev/kmsg:", os.path.exists("/dev/kmsg"))
      `,
      // syslog isn't in the allowlist (inside gVisor too, which would answer with its own boot log).
      expect: (result) => expectOk(result, lines('syslog: EPERM', '/dev/kmsg: False')),
    },
    {
      name: '/dev holds only pseudo-devices: no disks, no memory, no kernel log',
      code: py`
        import os, stat
        devices = []
        for root, dirs, files in os.walk("/dev"):
            for name in files:
                st = os.lstat(os.path.join(root, name))
                if stat.S_ISBLK(st.st_mode) or stat.S_ISCHR(st.st_mode):
                    devices.append(("block " if stat.S_ISBLK(st.st_mode) else "") + os.path.join(root, name))
        print(sorted(devices))
      `,
      expect: (result, context) => {
        const common = ['/dev/full', '/dev/null', '/dev/pts/ptmx', '/dev/random', '/dev/tty', '/dev/urandom', '/dev/zero'];
        // gVisor adds its own emulated FUSE and TUN devices (inside its kernel, no host device).
        const devices = onRuntime(context, { runc: common, runsc: [...common, '/dev/fuse', '/dev/net/tun'].sort() });
        expectOk(result, `[${devices.map((device) => `'${device}'`).join(', ')}]\n`);
      },
    },
  ],
};
