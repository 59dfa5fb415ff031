import { expectOk, lines, onRuntime, py, type AttackClass } from './attack.js';

export const escapes: AttackClass = {
  name: 'runc escape classes',
  attacks: [
    {
      // CVE-2019-5736 overwrote the runtime binary through /proc/self/exe. Here the targets are
      // the program's python3, tini (PID 1), and tini's file, which Docker bind-mounts from the
      // host. (We never `docker exec` into a sandbox, which that CVE needed.)
      name: 'opening /proc/self/exe, /proc/1/exe or the host’s docker-init for writing (CVE-2019-5736)',
      code: py`
        import errno, os
        for path in ("/proc/self/exe", "/proc/1/exe", "/usr/sbin/docker-init"):
            outcomes = []
            for how, opener in (("wb", lambda: open(path, "wb")),
                                ("O_WRONLY", lambda: os.open(path, os.O_WRONLY)),
                                ("via O_PATH", lambda: os.open(f"/proc/self/fd/{os.open(path, os.O_PATH)}", os.O_WRONLY))):
                try:
                    opener()
                    outcomes.append(f"{how} OPENED")
                except OSError as e:
                    outcomes.append(f"{how} {errno.errorcode[e.errno]}")
            print(path, ", ".join(outcomes))
      `,
      expect: (result, context) => {
        // runc: truncating on a read-only mount fails with EROFS first; otherwise write access to
        // a root-owned 0755 file is EACCES. gVisor checks the permission first: EACCES throughout.
        const wb = onRuntime(context, { runc: 'EROFS', runsc: 'EACCES' });
        const outcome = `wb ${wb}, O_WRONLY EACCES, via O_PATH EACCES`;
        expectOk(result, lines(`/proc/self/exe ${outcome}`, `/proc/1/exe ${outcome}`, `/usr/sbin/docker-init ${outcome}`));
      },
    },
    {
      // CVE-2024-21626 leaked a host directory fd into the container; anything but the three
      // pipes Docker attached would show up here.
      name: 'no leaked file descriptors: the program and PID 1 hold only stdin, stdout and stderr',
      code: py`
        import os, re
        def fds(pid):
            found = []
            for fd in sorted(os.listdir(f"/proc/{pid}/fd"), key=int):
                try:
                    found.append(f"{fd}={re.sub(r'[0-9]+', 'N', os.readlink(f'/proc/{pid}/fd/{fd}'))}")
                except FileNotFoundError:
                    pass  # the descriptor listdir itself used
            return found
        print("self:", fds("self"))
        print("pid 1:", fds(1))
        print("cwd:", os.readlink("/proc/self/cwd"), "root:", os.readlink("/proc/self/root"))
      `,
      expect: (result, context) => {
        // Docker's attach pipes, as each kernel names them.
        const pipe = onRuntime(context, { runc: 'pipe:[N]', runsc: 'host:[N]' });
        const std = `['0=${pipe}', '1=${pipe}', '2=${pipe}']`;
        expectOk(result, lines(`self: ${std}`, `pid 1: ${std}`, 'cwd: /tmp root: /'));
      },
    },
    {
      name: '/proc/1/root leads back to the sandbox’s own root, never the host’s',
      code: py`
        import errno, os
        root = os.stat("/")
        same = lambda st: (st.st_dev, st.st_ino) == (root.st_dev, root.st_ino)
        try:
            print("/proc/1/root is /:", same(os.stat("/proc/1/root/")))
            print("its parent is itself:", same(os.stat("/proc/1/root/..")))
            print("a symlink's way up:", same(os.stat("/proc/1/root/../../..")))
            print("docker.sock through it:", os.path.exists("/proc/1/root/var/run/docker.sock"))
        except OSError as e:
            print("/proc/1/root:", errno.errorcode[e.errno])
      `,
      expect: (result, context) => {
        if (context.runtime === 'runc') {
          expectOk(
            result,
            lines('/proc/1/root is /: True', 'its parent is itself: True', "a symlink's way up: True", 'docker.sock through it: False'),
          );
        } else {
          // gVisor doesn't let a process into another's root through /proc at all.
          expectOk(result, '/proc/1/root: EACCES\n');
        }
      },
    },
    {
      name: 'hard links from /tmp to files of the image (to write through them later)',
      code: py`
        import errno, os, sys
        for name, source in (("/etc/shadow", "/etc/shadow"), ("/etc/passwd", "/etc/passwd"),
                             ("python", os.path.realpath(sys.executable))):
            try:
                os.link(source, "/tmp/link")
                print(name, "LINKED")
                os.unlink("/tmp/link")
            except OSError as e:
                print(name, errno.errorcode[e.errno])
      `,
      expect: (result) => expectOk(result, lines('/etc/shadow EXDEV', '/etc/passwd EXDEV', 'python EXDEV')),
    },
    {
      // On runc (and hosts without Yama) the program may even open /proc/1/mem: tini runs as the
      // same uid. That gains nothing: PID 1 is exactly as confined as the program, and the runner
      // force-removes the container after every run whatever PID 1 does.
      name: 'PID 1 (tini) is as unprivileged as the program',
      code: py`
        import os
        def status(pid):
            return dict(line.split(":\t", 1) for line in open(f"/proc/{pid}/status").read().splitlines() if ":\t" in line)
        uid = str(os.getuid())
        for pid in (1, "self"):
            s = status(pid)
            uids = s["Uid"].split()  # real, effective, saved, file system
            print(pid, s["Name"].strip(), "uid", "the program's" if set(uids) == {uid} else uids, "CapEff", s["CapEff"].strip(),
                  "CapBnd", s["CapBnd"].strip(), "NoNewPrivs", s.get("NoNewPrivs", "-").strip(), "Seccomp", s["Seccomp"].strip())
      `,
      expect: (result, context) => {
        const zero = '0000000000000000';
        // gVisor shows no NoNewPrivs line; its Seccomp line is our filter's, applied inside gVisor.
        const confinement = onRuntime(context, { runc: 'NoNewPrivs 1 Seccomp 2', runsc: 'NoNewPrivs - Seccomp 2' });
        const uid = "uid the program's";
        expectOk(
          result,
          lines(
            `1 docker-init ${uid} CapEff ${zero} CapBnd ${zero} ${confinement}`,
            `self python3 ${uid} CapEff ${zero} CapBnd ${zero} ${confinement}`,
          ),
        );
      },
    },
  ],
};
