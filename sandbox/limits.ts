/** The quotas one run gets. Every number here ends up in the container spec or the runner. */
export interface SandboxLimits {
  /** Wall clock from code delivery to exit, in seconds. */
  timeoutS: number;
  /** Memory, and memory+swap (so no swap), in MiB. tmpfs pages count against it too. */
  memoryMb: number;
  /** Processes plus threads in the container. */
  pids: number;
  /** CPU share, in CPUs (NanoCpus). */
  cpus: number;
  /** Size of the only writable path (/tmp), in MiB. */
  tmpfsMb: number;
  /** stdout + stderr bytes kept before the run is killed, in KiB. */
  outputKb: number;
  /** Files a run takes in (attached to the code) and gives back (what it leaves in /tmp). */
  files: FileLimits;
}

export interface FileLimits {
  /** Files per run, each way (10: what one Discord message can carry). */
  count: number;
  /** Bytes per file, in KiB. */
  fileKb: number;
  /** Bytes of all the files together, in KiB. */
  totalKb: number;
  /** Time the sandbox may spend collecting the files a run left, in seconds (after the program's end). */
  collectS: number;
}

export type SandboxRuntime = 'runc' | 'runsc';

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutS: 5,
  memoryMb: 128,
  pids: 64,
  cpus: 1,
  tmpfsMb: 16,
  outputKb: 64,
  files: { count: 10, fileKb: 8192, totalKb: 8192, collectS: 1 },
};

/**
 * gVisor's sandbox (the Sentry and its gofer) counts against the pids limit: ~69 host pids while
 * idle (measured; docs/architecture.md §5). Below this floor a runsc container cannot even start Python.
 */
export const RUNSC_MIN_PIDS = 512;

/** The pids limit actually applied for a runtime. */
export function effectivePids(limits: SandboxLimits, runtime: SandboxRuntime): number {
  return runtime === 'runsc' ? Math.max(limits.pids, RUNSC_MIN_PIDS) : limits.pids;
}
