import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, RUNSC_MIN_PIDS } from '../../sandbox/limits.js';
import { SECCOMP_PROFILE_JSON } from '../../sandbox/seccomp.js';
import { buildContainerSpec, MASKED_PATHS } from '../../sandbox/spec.js';

const UID = 0x7000_1234;
const spec = buildContainerSpec({ image: 'img', runtime: 'runc', limits: DEFAULT_LIMITS, labels: { a: 'b' }, uid: UID });
const host = spec.HostConfig!;

describe('buildContainerSpec', () => {
  it('applies every quota from the limits', () => {
    expect(host).toMatchObject({
      Memory: 128 * 2 ** 20,
      MemorySwap: 128 * 2 ** 20,
      MemorySwappiness: 0,
      PidsLimit: 64,
      NanoCpus: 1e9,
      ShmSize: 16 * 2 ** 20,
    });
    expect(host.Tmpfs).toEqual({ '/tmp': `rw,noexec,nosuid,nodev,size=${16 * 2 ** 20},mode=1777` });
    expect(host.Ulimits).toContainEqual({ Name: 'cpu', Soft: 6, Hard: 7 });
  });

  it('bounds processes by nproc as well as the pids limit on runc, by the pids limit alone on runsc', () => {
    expect(host.Ulimits).toContainEqual({ Name: 'nproc', Soft: 64, Hard: 64 });
    const runsc = buildContainerSpec({ image: 'img', runtime: 'runsc', limits: DEFAULT_LIMITS, labels: {}, uid: UID }).HostConfig!;
    expect(runsc.Ulimits?.map((u) => u.Name)).not.toContain('nproc');
  });

  it('is locked down', () => {
    expect(host).toMatchObject({
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      Privileged: false,
      Init: true,
      AutoRemove: false,
      IpcMode: 'private',
      OomScoreAdj: 1000,
      LogConfig: { Type: 'none' },
    });
    expect(host.SecurityOpt).toEqual(['no-new-privileges', `seccomp=${SECCOMP_PROFILE_JSON.runc}`]);
    expect(spec.NetworkDisabled).toBe(true); // Docker's network setup skipped: its own namespace all the same
    expect(spec.User).toBe(`${UID}:${UID}`);
    expect(spec).toMatchObject({ OpenStdin: true, StdinOnce: true, Tty: false, Labels: { a: 'b' } });
  });

  it('never mounts anything from the host or adds capabilities or devices', () => {
    for (const key of ['Binds', 'Mounts', 'Volumes', 'Devices', 'CapAdd', 'PidMode', 'UsernsMode', 'ReadonlyPaths']) {
      expect(host).not.toHaveProperty(key);
      expect(spec).not.toHaveProperty(key);
    }
    expect(JSON.stringify(spec)).not.toContain('docker.sock');
  });

  it('passes exactly an explicit allowlist as the environment, never the bot’s', () => {
    process.env.SANDPIPER_SPEC_TOKEN = 'xoxb-spec-secret';
    try {
      const built = buildContainerSpec({ image: 'i', runtime: 'runc', limits: DEFAULT_LIMITS, labels: {}, uid: UID });
      expect(built.Env).toEqual([
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'HOME=/tmp',
        'USER=sandbox',
        'LOGNAME=sandbox',
        'LANG=C.UTF-8',
        'PYTHONIOENCODING=utf-8',
        'PYTHONDONTWRITEBYTECODE=1',
        'OPENBLAS_NUM_THREADS=1',
        'OMP_NUM_THREADS=1',
        'MKL_NUM_THREADS=1',
      ]);
      expect(JSON.stringify(built)).not.toContain('xoxb-spec-secret');
      expect(JSON.stringify(built)).not.toContain('SANDPIPER_SPEC_TOKEN');
    } finally {
      delete process.env.SANDPIPER_SPEC_TOKEN;
    }
  });

  it('gives gVisor the pids it needs for its own sandbox, and its variant of the seccomp profile', () => {
    const runsc = buildContainerSpec({ image: 'i', runtime: 'runsc', limits: DEFAULT_LIMITS, labels: {}, uid: UID });
    expect(runsc.HostConfig).toMatchObject({ Runtime: 'runsc', PidsLimit: RUNSC_MIN_PIDS });
    expect(runsc.HostConfig?.SecurityOpt).toEqual(['no-new-privileges', `seccomp=${SECCOMP_PROFILE_JSON.runsc}`]);
  });

  it('masks what MASKED_PATHS lists (test/sandbox/masks.test.ts checks it holds the engine\'s defaults)', () => {
    expect((host as { MaskedPaths?: string[] }).MaskedPaths).toEqual(MASKED_PATHS);
  });
});

interface Rule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: { index: number; value: number; valueTwo: number; op: string }[];
}

describe.each(['runc', 'runsc'] as const)('the seccomp profile for %s', (runtime) => {
  const profile = JSON.parse(SECCOMP_PROFILE_JSON[runtime]) as { defaultAction: string; defaultErrnoRet: number; syscalls: Rule[] };
  const allowed = new Set(profile.syscalls.filter((s) => s.action === 'SCMP_ACT_ALLOW' && !s.args).flatMap((s) => s.names));
  const rulesFor = (name: string) => profile.syscalls.filter((s) => s.names.includes(name));

  it('denies by default, with EPERM', () => {
    expect(profile).toMatchObject({ defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 1 });
  });

  it.each([
    'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'bpf', 'keyctl', 'add_key', 'request_key',
    'perf_event_open', 'userfaultfd', 'mount', 'umount2', 'pivot_root', 'chroot', 'unshare', 'setns',
    'ptrace', 'process_vm_readv', 'kexec_load', 'init_module', 'finit_module', 'open_by_handle_at', 'readahead',
  ])('has no rule for %s', (name) => {
    expect(rulesFor(name)).toEqual([]);
  });

  it('allows clone only without namespace flags', () => {
    expect(rulesFor('clone')).toEqual([
      { names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }] },
    ]);
  });

  it('allows socket for AF_UNIX, and for AF_NETLINK only with NETLINK_ROUTE: no AF_INET or AF_INET6', () => {
    expect(rulesFor('socket').map((s) => s.args)).toEqual([
      [{ index: 0, value: 1, valueTwo: 0, op: 'SCMP_CMP_EQ' }],
      [
        { index: 0, value: 16, valueTwo: 0, op: 'SCMP_CMP_EQ' },
        { index: 2, value: 0, valueTwo: 0, op: 'SCMP_CMP_EQ' },
      ],
    ]);
    expect(rulesFor('socket').every((s) => s.action === 'SCMP_ACT_ALLOW')).toBe(true);
  });

  it('keeps fsync and fdatasync (they write back only the program\'s own files)', () => {
    expect(allowed.has('fsync') && allowed.has('fdatasync')).toBe(true);
  });

  if (runtime === 'runc') {
    it('answers sync, syncfs and fadvise64 with success without running them, and clone3 with ENOSYS', () => {
      expect(rulesFor('sync')).toEqual([{ names: ['sync', 'syncfs', 'fadvise64'], action: 'SCMP_ACT_ERRNO', errnoRet: 0 }]);
      expect(rulesFor('clone3')).toEqual([{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]);
    });
  } else {
    it('lets gVisor answer clone3, sync, syncfs and fadvise64 itself (its runsc turns every errno into EPERM)', () => {
      expect(profile.syscalls.filter((s) => s.errnoRet !== undefined)).toEqual([]);
      for (const name of ['clone3', 'sync', 'syncfs', 'fadvise64']) expect(allowed.has(name)).toBe(true);
    });
  }
});
