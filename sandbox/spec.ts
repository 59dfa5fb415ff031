import type Docker from 'dockerode';
import type { ContainerCreateOptions } from 'dockerode';
import { BOOT_COMMAND } from './boot.js';
import { effectivePids, type SandboxLimits, type SandboxRuntime } from './limits.js';
import type { RunPriority } from './request.js';
import { SECCOMP_PROFILE_JSON } from './seccomp.js';

const MIB = 1024 * 1024;
/** The kernel's default CPU weight, and the low-priority one (cgroup v1 cpu.shares). */
export const NORMAL_CPU_SHARES = 1024;
export const LOW_PRIORITY_CPU_SHARES = 128;

/**
 * runc: the same bound as PidsLimit, as the `nproc` ulimit too. The kernel checks nproc before it
 * copies the parent's memory map and the pids limit only after, so a fork bomb's failed forks cost
 * it microseconds instead of milliseconds of kernel work on the CPUs every sandbox shares. nproc
 * counts per uid, and each sandbox has a uid of its own (sandbox/uids.ts). gVisor forks inside its
 * own kernel, and its Sentry's host threads need the higher pids floor.
 */
function processCap(limits: SandboxLimits, runtime: SandboxRuntime): NonNullable<Docker.HostConfig['Ulimits']> {
  return runtime === 'runc' ? [{ Name: 'nproc', Soft: limits.pids, Hard: limits.pids }] : [];
}

/**
 * The only environment a sandbox sees: an explicit allowlist, never the bot's own environment,
 * so tokens and secrets cannot reach user code.
 */
export const CONTAINER_ENV: readonly string[] = [
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'HOME=/tmp',
  // The sandbox's uid has no passwd entry: getpass.getuser() and the like read these first.
  'USER=sandbox',
  'LOGNAME=sandbox',
  'LANG=C.UTF-8',
  'PYTHONIOENCODING=utf-8',
  'PYTHONDONTWRITEBYTECODE=1', // the root is read-only; don't even try to write .pyc files
  // BLAS pools start one thread per host core: on a big host that alone exceeds the pids limit.
  'OPENBLAS_NUM_THREADS=1',
  'OMP_NUM_THREADS=1',
  'MKL_NUM_THREADS=1',
];

/**
 * /proc and /sys paths that read as empty (Docker bind-mounts /dev/null or an empty read-only tmpfs
 * over them). Setting MaskedPaths replaces Docker's own list, so that list is here in full.
 * gVisor ignores masks: its /proc is its own, and shows none of these from the host.
 */
export const MASKED_PATHS: readonly string[] = [
  // Docker 20.10's defaults: kernel memory, keys, timers, scheduler and hardware details.
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
  // Newer Docker's default too: energy counters, a power side channel (CVE-2020-8694).
  '/sys/devices/virtual/powercap',
  // Counters of the whole host's activity (forks, running tasks, stalls, I/O, IRQs): concurrent
  // sandboxes could signal each other through them, and they show the host's devices.
  '/proc/stat', '/proc/loadavg', '/proc/pressure', '/proc/schedstat', '/proc/vmstat', '/proc/diskstats',
  '/proc/interrupts', '/proc/softirqs',
];

/** Fields Docker's API has (1.41+) that @types/dockerode doesn't list yet. */
interface HostConfigExtras {
  CgroupnsMode?: 'private' | 'host';
  MaskedPaths?: string[];
}

export interface SpecInput {
  image: string;
  runtime: SandboxRuntime;
  limits: SandboxLimits;
  labels: Record<string, string>;
  /** The sandbox's own uid and gid, held by no other live container (sandbox/uids.ts). */
  uid: number;
  /** 'low': its CPU weight is below other sandboxes' (RunOptions.priority). */
  priority?: RunPriority;
  /** Modules the program imports before its request comes (pre-started sandboxes only). */
  preimport?: readonly string[];
}

/**
 * The one place that decides how a sandbox container is configured. Every hardening choice has
 * its reason beside it (docs/architecture.md §4 lists the attack each one stops). Deliberately
 * never set: Binds/Volumes (above all the Docker socket), Devices, CapAdd, host namespaces,
 * Privileged, ReadonlyPaths (setting it replaces Docker's defaults).
 */
export function buildContainerSpec({ image, runtime, limits, labels, uid, priority = 'normal', preimport = [] }: SpecInput): ContainerCreateOptions {
  const memoryBytes = limits.memoryMb * MIB;
  const tmpfsBytes = limits.tmpfsMb * MIB;
  // CPU-seconds backstop, should the wall-clock kill ever fail: SIGXCPU, then SIGKILL a second later.
  // runc only: gVisor shows the limit but doesn't apply it (docs/architecture.md §5).
  const cpuSeconds = Math.ceil(limits.timeoutS * Math.max(1, limits.cpus)) + 1;
  const hostConfig: Docker.HostConfig & HostConfigExtras = {
    Runtime: runtime,
    NetworkMode: 'none', // only a loopback interface exists
    Memory: memoryBytes,
    MemorySwap: memoryBytes, // memory + swap = memory: no swap at all
    MemorySwappiness: 0,
    PidsLimit: effectivePids(limits, runtime), // fork and thread bombs stop here (per container)
    NanoCpus: Math.round(limits.cpus * 1e9),
    // Relative weight when the CPUs are contended: a low-priority sandbox (its user's last run used
    // up a quota) gets 1/8 of a normal one's, so bombs yield the CPU to everyone else's runs and to
    // pool members starting up. It costs nothing while the CPUs are free.
    CpuShares: priority === 'low' ? LOW_PRIORITY_CPU_SHARES : NORMAL_CPU_SHARES,
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
      `seccomp=${SECCOMP_PROFILE_JSON[runtime]}`,
    ],
    MaskedPaths: [...MASKED_PATHS],
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
      ...processCap(limits, runtime),
    ],
  };
  return {
    Image: image,
    // A loader that reads the bootstrap from stdin (boot.ts says why), and the user's code arrives
    // there too (argv caps one argument at 128 KiB); -u keeps stdout/stderr in order. The program
    // runs in a process of its own, forked by the bootstrap (bootstrap.py says why).
    Cmd: [...BOOT_COMMAND],
    Env: [...CONTAINER_ENV, ...(preimport.length ? [`SANDPIPER_PREIMPORT=${preimport.join(',')}`] : [])],
    // Never root: without a user namespace, root inside is root on the host. A uid of its own:
    // what Linux budgets per user is this sandbox's alone.
    User: `${uid}:${uid}`,
    WorkingDir: '/tmp', // the only writable place
    // Not the container id (runc still shows that in /proc/self/mountinfo, which no mask reaches).
    Hostname: 'sandbox',
    // A network namespace of its own all the same (runc and runsc make one, loopback only), but
    // Docker skips its network setup: the libnetwork hook, which re-executes the whole dockerd
    // binary for every container (about a third of the host's CPU per run), and the host's
    // resolv.conf and hosts files, which would show the host's name server.
    NetworkDisabled: true,
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
