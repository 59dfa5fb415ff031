import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, RUNSC_MIN_PIDS } from '../../sandbox/limits.js';
import { SECCOMP_PROFILE_JSON } from '../../sandbox/seccomp.js';
import { buildContainerSpec } from '../../sandbox/spec.js';

const spec = buildContainerSpec({ image: 'img', runtime: 'runc', limits: DEFAULT_LIMITS, labels: { a: 'b' } });
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
    expect(host.SecurityOpt).toEqual(['no-new-privileges', `seccomp=${SECCOMP_PROFILE_JSON}`]);
    expect(spec.User).toBe('65534:65534');
    expect(spec).toMatchObject({ OpenStdin: true, StdinOnce: true, Tty: false, Labels: { a: 'b' } });
  });

  it('never mounts anything from the host, adds capabilities or devices, or uses nproc', () => {
    for (const key of ['Binds', 'Mounts', 'Volumes', 'Devices', 'CapAdd', 'PidMode', 'UsernsMode', 'MaskedPaths', 'ReadonlyPaths']) {
      expect(host).not.toHaveProperty(key);
      expect(spec).not.toHaveProperty(key);
    }
    expect(host.Ulimits?.map((u) => u.Name)).not.toContain('nproc');
    expect(JSON.stringify(spec)).not.toContain('docker.sock');
  });

  it('passes exactly an explicit allowlist as the environment, never the bot’s', () => {
    process.env.SANDPIPER_SPEC_TOKEN = 'xoxb-spec-secret';
    try {
      const built = buildContainerSpec({ image: 'i', runtime: 'runc', limits: DEFAULT_LIMITS, labels: {} });
      expect(built.Env).toEqual([
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'HOME=/tmp',
        'LANG=C.UTF-8',
        'PYTHONIOENCODING=utf-8',
        'PYTHONDONTWRITEBYTECODE=1',
        'MPLBACKEND=Agg',
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

  it('gives gVisor the pids it needs for its own sandbox', () => {
    const runsc = buildContainerSpec({ image: 'i', runtime: 'runsc', limits: DEFAULT_LIMITS, labels: {} });
    expect(runsc.HostConfig).toMatchObject({ Runtime: 'runsc', PidsLimit: RUNSC_MIN_PIDS });
  });
});

describe('the seccomp profile', () => {
  const profile = JSON.parse(SECCOMP_PROFILE_JSON) as {
    defaultAction: string;
    syscalls: { names: string[]; action: string; args?: unknown[] }[];
  };
  const allowed = new Set(profile.syscalls.filter((s) => s.action === 'SCMP_ACT_ALLOW' && !s.args).flatMap((s) => s.names));

  it('denies by default', () => {
    expect(profile.defaultAction).toBe('SCMP_ACT_ERRNO');
  });

  it.each([
    'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'bpf', 'keyctl', 'add_key', 'request_key',
    'perf_event_open', 'userfaultfd', 'mount', 'umount2', 'pivot_root', 'chroot', 'unshare', 'setns',
    'ptrace', 'process_vm_readv', 'kexec_load', 'init_module', 'finit_module', 'open_by_handle_at',
  ])('does not allow %s', (name) => {
    expect(allowed.has(name)).toBe(false);
  });

  it('allows clone only without namespace flags, and socket only for a few families', () => {
    const clone = profile.syscalls.find((s) => s.names.includes('clone'));
    expect(clone?.args).toEqual([{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }]);
    const families = profile.syscalls.filter((s) => s.names.includes('socket')).map((s) => (s.args as { value: number }[])[0]!.value);
    expect(families.sort((a, b) => a - b)).toEqual([1, 2, 10, 16]);
  });
});
