import { expect } from 'vitest';
import { dockerfileEnv } from '../../../sandbox/image/recipe.js';
import { CONTAINER_ENV } from '../../../sandbox/spec.js';
import { expectOk, lines, onRuntime, py, type AttackClass } from './attack.js';

/**
 * Planted in the test process's environment while the corpus runs (attacks.test.ts), where a bot
 * token would be: it must never reach a sandbox.
 */
export const CANARY = { name: 'SANDPIPER_CANARY_TOKEN', value: 'xoxb-canary-must-not-leak' };

/**
 * The environment every sandbox gets: the allowlist, the built-in image's own ENV lines (its
 * matplotlib backend) and PYTHON_VERSION (which the result reports), plus the HOSTNAME Docker
 * always adds.
 */
const IMAGE_ENV = dockerfileEnv().map((line) => line.replace(/^ENV\s+/, ''));
function expectedEnv(python: string | null): string {
  const entries = [...CONTAINER_ENV, ...IMAGE_ENV, `PYTHON_VERSION=${python}`, 'HOSTNAME=sandbox'];
  return JSON.stringify(entries.map((entry) => entry.split(/=(.*)/s).slice(0, 2)).sort());
}

export const secrets: AttackClass = {
  name: 'secrets',
  attacks: [
    {
      name: 'the environment is exactly the allowlist: no tokens, secrets or keys',
      code: py`
        import json, os, re
        print(json.dumps(sorted([name, value] for name, value in os.environ.items()), separators=(",", ":")))
        print([name for name in os.environ if re.search("TOKEN|SECRET|KEY|PASS|AUTH|CRED", name, re.I)])
      `,
      expect: (result) => {
        expectOk(result, lines(expectedEnv(result.python), '[]'));
        expect(result.output).not.toContain(CANARY.value);
      },
    },
    {
      // Tini, the bootstrap and the program. On runc the bootstrap's can't be read at all: it is not
      // dumpable, as it holds the end-of-run nonce (test/security/corpus/output.ts).
      name: 'the environment of PID 1 and of every process is the same allowlist',
      code: py`
        import json, os
        for pid in sorted((p for p in os.listdir("/proc") if p.isdigit()), key=int):
            try:
                entries = open(f"/proc/{pid}/environ").read().split("\0")
                print(json.dumps(sorted(entry.split("=", 1) for entry in entries if entry), separators=(",", ":")))
            except PermissionError:
                print("unreadable")
      `,
      expect: (result, context) => {
        const env = expectedEnv(result.python);
        expectOk(result, lines(env, onRuntime(context, { runc: 'unreadable', runsc: env }), env));
      },
    },
    {
      name: 'no readable credentials: /etc/shadow, /etc/gshadow, /root',
      code: py`
        import errno, os
        for path, read in (("/etc/shadow", lambda p: open(p).read()), ("/etc/gshadow", lambda p: open(p).read()),
                           ("/root", os.listdir), ("/root/.ssh/id_rsa", lambda p: open(p).read())):
            try:
                read(path)
                print(path, "READ")
            except OSError as e:
                print(path, errno.errorcode[e.errno])
      `,
      expect: (result) =>
        expectOk(result, lines('/etc/shadow EACCES', '/etc/gshadow EACCES', '/root EACCES', '/root/.ssh/id_rsa EACCES')),
    },
    {
      name: 'no Docker socket, nor any other unix socket, anywhere in the file system',
      // Walking the whole image takes seconds under gVisor on an idle host: it ends by itself.
      limits: { timeoutS: 45 },
      code: py`
        import os, stat
        sockets = []
        for root, dirs, files in os.walk("/"):
            if root == "/":
                dirs[:] = [d for d in dirs if d not in ("proc", "sys")]
            for name in files:
                try:
                    if stat.S_ISSOCK(os.lstat(os.path.join(root, name)).st_mode):
                        sockets.append(os.path.join(root, name))
                except OSError:
                    pass
        print("sockets:", sockets)
        print([p for p in ("/var/run/docker.sock", "/run/docker.sock", "/var/run/docker") if os.path.lexists(p)])
      `,
      expect: (result) => expectOk(result, lines('sockets: []', '[]')),
    },
    {
      // Nothing from the host is mounted besides what Docker itself provides: the generated
      // hostname file and tini (no hosts or resolv.conf: NetworkDisabled skips Docker's network
      // setup). A bind or volume in the spec would show here.
      name: 'no host directories mounted: the only mounts outside /proc, /sys and /dev are Docker’s own',
      code: py`
        mounts = {line.split()[4] for line in open("/proc/self/mountinfo")}
        print(sorted(m for m in mounts if not m.startswith(("/proc", "/sys", "/dev"))))
      `,
      expect: (result) =>
        expectOk(result, "['/', '/etc/hostname', '/tmp', '/usr/sbin/docker-init']\n"),
    },
  ],
};
