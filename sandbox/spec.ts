import type Docker from 'dockerode';
import type { ContainerCreateOptions } from 'dockerode';
import { BOOTSTRAP_SOURCE } from './assets.js';
import { effectivePids, type SandboxLimits, type SandboxRuntime } from './limits.js';
import { SECCOMP_PROFILE_JSON } from './seccomp.js';

const MIB = 1024 * 1024;

/** The unprivileged uid:gid every run gets ("nobody" in Debian-based images). */
export const CONTAINER_USER = '65534:65534';

/**
 * The only environment a sandbox sees: an explicit allowlist, never the bot's own environment,
 * so tokens and secrets cannot reach user code.
 */
export const CONTAINER_ENV: readonly string[] = [
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'HOME=/tmp',
  'LANG=C.UTF-8',
  'PYTHONIOENCODING=utf-8',
  'PYTHONDONTWRITEBYTECODE=1', // the root is read-only; don't even try to write .pyc files
  'MPLBACKEND=Agg', // no display: plotting libraries must not look for one
  // BLAS pools start one thread per host core: on a big host that alone exceeds the pids limit.
  'OPENBLAS_NUM_THREADS=1',
  'OMP_NUM_THREADS=1',
  'MKL_NUM_THREADS=1',
];

/** Fields Docker's API has (1.41+) that @types/dockerode doesn't list yet. */
interface HostConfigExtras {
  CgroupnsMode?: 'private' | 'host';
}

export interface SpecInput {
  image: string;
  runtime: SandboxRuntime;
  limits: SandboxLimits;
  labels: Record<string, string>;
}

/**
 * The one place that decides how a sandbox container is configured. Every hardening choice has
 * its reason beside it (docs/architecture.md §4 lists the attack each one stops). Deliberately never set: Binds/Volumes (above all the Docker
 * socket), Devices, CapAdd, host namespaces, Privileged, MaskedPaths/ReadonlyPaths (setting them
 * replaces Docker's defaults).
 */
export function buildContainerSpec({ image, runtime, limits, labels }: SpecInput): ContainerCreateOptions {
  const memoryBytes = limits.memoryMb * MIB;
  const tmpfsBytes = limits.tmpfsMb * MIB;
  // CPU-seconds backstop, should the wall-clock kill ever fail: SIGXCPU, then SIGKILL a second later.
  const cpuSeconds = Math.ceil(limits.timeoutS * Math.max(1, limits.cpus)) + 1;
  const hostConfig: Docker.HostConfig & HostConfigExtras = {
    Runtime: runtime,
    NetworkMode: 'none', // only a loopback interface exists
    Memory: memoryBytes,
    MemorySwap: memoryBytes, // memory + swap = memory: no swap at all
    MemorySwappiness: 0,
    PidsLimit: effectivePids(limits, runtime), // fork and thread bombs stop here (per container)
    NanoCpus: Math.round(limits.cpus * 1e9),
    ReadonlyRootfs: true, // the image can't be altered, and nothing persists outside /tmp
    Tmpfs: {
      // Size-capped, and its pages count against the memory limit; no executables or devices.
      '/tmp': `rw,noexec,nosuid,nodev,size=${tmpfsBytes},mode=1777`,
    },
    IpcMode: 'private', // own IPC namespace; 'none' would break multiprocessing's semaphores
    ShmSize: tmpfsBytes, // a small /dev/shm, also counted against memory
    CapDrop: ['ALL'],
    SecurityOpt: [
      'no-new-privileges', // setuid binaries can't raise privileges
      `seccomp=${SECCOMP_PROFILE_JSON}`,
    ],
    CgroupnsMode: 'private', // /proc/self/cgroup doesn't reveal the host's cgroup layout
    Init: true, // tini as PID 1 reaps zombies; when it exits, every process in the run dies
    OomKillDisable: false,
    OomScoreAdj: 1000, // under host memory pressure, sandboxes die before anything else
    LogConfig: { Type: 'none', Config: {} }, // output is streamed over attach, never stored on disk
    AutoRemove: false, // we remove it ourselves, after reading State.OOMKilled
    Privileged: false,
    Ulimits: [
      { Name: 'nofile', Soft: 256, Hard: 256 }, // fd exhaustion hits the sandbox, not the host
      { Name: 'fsize', Soft: tmpfsBytes, Hard: tmpfsBytes }, // no single file beyond the tmpfs
      { Name: 'core', Soft: 0, Hard: 0 }, // no core dumps
      { Name: 'cpu', Soft: cpuSeconds, Hard: cpuSeconds + 1 },
      // Never 'nproc': it counts per host uid across ALL containers, so one sandbox could stop
      // every other sandbox from forking. PidsLimit is the per-container bound.
    ],
  };
  return {
    Image: image,
    // Code arrives on stdin (argv caps one argument at 128 KiB); -u keeps stdout/stderr in order.
    Cmd: ['python3', '-u', '-c', BOOTSTRAP_SOURCE],
    Env: [...CONTAINER_ENV],
    User: CONTAINER_USER, // never root: without a user namespace, root inside is root on the host
    WorkingDir: '/tmp', // the only writable place
    Hostname: 'sandbox', // don't leak the container id
    Labels: labels, // lets the reaper find orphans after a crash
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true, // closing our end of the attach closes the program's stdin
    Tty: false, // keep stdout and stderr apart
    HostConfig: hostConfig,
  };
}
