import { expect } from 'vitest';
import { expectOk, lines, onRuntime, py, type AttackClass } from './attack.js';

export const disk: AttackClass = {
  name: 'disk',
  attacks: [
    {
      name: 'writing into the image (/, /etc, /usr, /bin, /var, /home, /run, /root) or over its files',
      code: py`
        import os
        for path in ("/x", "/etc/x", "/usr/x", "/bin/x", "/var/x", "/var/tmp/x", "/home/x", "/run/x",
                     "/root/x", "/etc/passwd", "/usr/bin/python3", os.__file__):
            try:
                open(path, "a").close()
                print(path, "WRITTEN")
            except OSError as e:
                print(path, os.strerror(e.errno))
      `,
      expect: (result) => {
        expect(result).toMatchObject({ status: 'ok', stderr: '' });
        const outcomes = result.stdout.trimEnd().split('\n');
        expect(outcomes).toHaveLength(12);
        // runc refuses at the read-only mount, gVisor at the permission check: both refuse.
        for (const line of outcomes) expect(line).toMatch(/^\S+ (Read-only file system|Permission denied)$/);
      },
    },
    {
      name: 'one huge file in /tmp stops at the file-size limit (EFBIG at 16 MiB)',
      code: py`
        import errno, os
        written = 0
        try:
            with open("/tmp/big", "wb") as f:
                while True:
                    f.write(b"x" * 2**20)
                    written += 1
        except OSError as e:
            print(errno.errorcode[e.errno], "after", written, "MiB;", os.path.getsize("/tmp/big"), "bytes on disk")
      `,
      expect: (result) => expectOk(result, 'EFBIG after 16 MiB; 16777216 bytes on disk\n'),
    },
    {
      name: 'one huge file in /dev/shm stops the same way',
      code: py`
        import errno
        written = 0
        try:
            with open("/dev/shm/big", "wb") as f:
                while True:
                    f.write(b"x" * 2**20)
                    written += 1
        except OSError as e:
            print(errno.errorcode[e.errno], "after", written, "MiB")
      `,
      expect: (result) => expectOk(result, 'EFBIG after 16 MiB\n'),
    },
    {
      name: 'filling /tmp with 4 KiB files stops at the tmpfs size (ENOSPC)',
      // 4,096 files take gVisor seconds, and under the suite's own load once more than the default 5.
      limits: { timeoutS: 15 },
      code: py`
        import errno, os
        n = 0
        try:
            while True:
                with open(f"/tmp/f{n}", "wb") as f:
                    f.write(b"x" * 4096)
                n += 1
        except OSError as e:
            print(errno.errorcode[e.errno], "after", n, "files; free blocks:", os.statvfs("/tmp").f_bavail)
      `,
      expect: (result) => expectOk(result, 'ENOSPC after 4096 files; free blocks: 0\n'),
    },
    {
      name: 'filling /dev/shm with 1 MiB files stops at its size (ENOSPC)',
      code: py`
        import errno
        n = 0
        try:
            while True:
                with open(f"/dev/shm/f{n}", "wb") as f:
                    f.write(b"x" * 2**20)
                n += 1
        except OSError as e:
            print(errno.errorcode[e.errno], "after", n, "files")
      `,
      expect: (result) => expectOk(result, 'ENOSPC after 16 files\n'),
    },
    {
      name: 'opening files until it fails: EMFILE at 256 descriptors',
      code: py`
        import errno
        files = []
        try:
            while True:
                files.append(open("/dev/null"))
        except OSError as e:
            print(errno.errorcode[e.errno], "after", len(files), "more descriptors")
      `,
      // 256 in all: stdin, stdout and stderr are the other three.
      expect: (result) => expectOk(result, 'EMFILE after 253 more descriptors\n'),
    },
    {
      name: 'executing a program copied to /tmp or /dev/shm (noexec)',
      code: py`
        import ctypes, os, shutil, subprocess
        for where in ("/tmp", "/dev/shm"):
            shutil.copy("/bin/true", f"{where}/true")
            os.chmod(f"{where}/true", 0o755)
            try:
                subprocess.run([f"{where}/true"])
                print(where, "exec: RAN")
            except PermissionError as e:
                print(where, "exec:", e.strerror)
            shutil.copy(os.path.realpath("/usr/lib/x86_64-linux-gnu/libz.so.1"), f"{where}/libz.so")
            try:
                ctypes.CDLL(f"{where}/libz.so")
                print(where, "dlopen: loaded")
            except OSError as e:
                print(where, "dlopen:", str(e).split(": ")[-1])
      `,
      expect: (result, context) => {
        // execve is refused on both. runc's kernel also refuses executable mappings from a noexec
        // mount; gVisor (2022) doesn't apply noexec to mmap, so dlopen works there. That adds no
        // power: Python's ctypes can already run native code from anonymous memory.
        const dlopen = onRuntime(context, { runc: 'failed to map segment from shared object', runsc: 'loaded' });
        expectOk(
          result,
          lines(
            '/tmp exec: Permission denied',
            `/tmp dlopen: ${dlopen}`,
            '/dev/shm exec: Permission denied',
            `/dev/shm dlopen: ${dlopen}`,
          ),
        );
      },
    },
    {
      name: 'the only writable directories are /tmp (with the font cache\'s folders the bootstrap makes) and /dev/shm (and the IPC-private /dev/mqueue on runc)',
      // Walking the whole image takes seconds under gVisor on an idle host: it ends by itself.
      limits: { timeoutS: 45 },
      code: py`
        import os
        writable = []
        for root, dirs, files in os.walk("/"):
            if root == "/":
                dirs[:] = [d for d in dirs if d not in ("proc", "sys")]
            if os.access(root, os.W_OK):
                writable.append(root)
        print(sorted(writable))
      `,
      expect: (result, context) =>
        expectOk(
          result,
          onRuntime(context, {
            runc: "['/dev/mqueue', '/dev/shm', '/tmp', '/tmp/.cache', '/tmp/.cache/matplotlib']\n",
            runsc: "['/dev/shm', '/tmp', '/tmp/.cache', '/tmp/.cache/matplotlib']\n",
          }),
        ),
    },
  ],
};
