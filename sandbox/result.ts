/**
 * RunResult: what the sandbox tells the core about one run (docs/architecture.md §2).
 * Exactly one status; `sandbox_error` means the user's code never ran and `reason` says why.
 */
export type RunStatus =
  | 'ok' // exit code 0
  | 'error' // non-zero exit, e.g. an uncaught exception
  | 'timeout' // the wall clock ran out and the container was killed
  | 'memory' // killed by the kernel's OOM killer (State.OOMKilled)
  | 'output_limit' // captured output reached the byte cap and the container was killed
  | 'killed' // killed by a signal for another reason (e.g. SIGXCPU from the CPU-seconds backstop), or by us for output after the end-of-run marker
  | 'cancelled' // the caller aborted the run (RunOptions.signal): killed and removed, output so far kept
  | 'sandbox_error'; // Docker unreachable, image missing, create failed: the code never ran

export interface RunResult {
  status: RunStatus;
  /** The process's exit code, or null when there is none (killed by us, or never ran). */
  exitCode: number | null;
  /** Name of the signal that ended the process (e.g. "SIGKILL"), or null. */
  signal: string | null;
  /** stdout and stderr interleaved in arrival order, as a terminal would show them. */
  output: string;
  stdout: string;
  stderr: string;
  /** Bytes of output captured (stdout + stderr), at most the configured cap. */
  outputBytes: number;
  /** From code delivery to exit, in milliseconds (0 when the code never ran). */
  durationMs: number;
  /** For `sandbox_error`: what went wrong and how to fix it. Absent otherwise. */
  reason?: string;
  /**
   * Files the run created or changed in its working directory (input files only if changed), by
   * path relative to it ("plots/a.png"), sorted; dot- and underscore-names are never collected.
   */
  files: RunFile[];
  /** Files the run left that are not in `files`, by reason. */
  filesLeftOut: FilesLeftOut;
  /** The full Python version that ran ("3.13.5"); null when nothing ran, or the image doesn't say. */
  python: string | null;
}

export interface RunFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Why a file was not returned: `count`, `size` (per file) and `total` are the limits; `walk`: the
 * directory had too many entries or levels, or took too long to look through (how many files that
 * hid is unknown: 0); `unreadable`: the sandbox's report of its files was malformed.
 */
export type LeftOutReason = 'count' | 'size' | 'total' | 'walk' | 'unreadable';
export type FilesLeftOut = Partial<Record<LeftOutReason, number>>;

/** A result for a run whose code never executed. */
function nothingRan(status: RunStatus): RunResult {
  return { status, exitCode: null, signal: null, output: '', stdout: '', stderr: '', outputBytes: 0, durationMs: 0, files: [], filesLeftOut: {}, python: null };
}

/** A run that could not start: `reason` says what went wrong and how to fix it. */
export function sandboxError(reason: string): RunResult {
  return { ...nothingRan('sandbox_error'), reason };
}

/** A run cancelled before its code was delivered. */
export function cancelledBeforeRun(): RunResult {
  return nothingRan('cancelled');
}

/** A RunResult as JSON (`sandpiper eval --json`): each file `{ name, size, content }`, content in base64. */
export function runResultJson(result: RunResult): object {
  return {
    ...result,
    files: result.files.map(({ name, bytes }) => ({ name, size: bytes.length, content: Buffer.from(bytes).toString('base64') })),
  };
}

/** The RunResult in runResultJson's JSON (a runner service's answer), or null when it isn't one. */
export function runResultFromJson(body: unknown): RunResult | null {
  const json = body as (Omit<RunResult, 'files'> & { files?: Array<{ name?: unknown; content?: unknown }> }) | null;
  if (!json || typeof json.status !== 'string' || typeof json.output !== 'string' || !Array.isArray(json.files)) return null;
  const files = json.files.flatMap((file) =>
    typeof file.name === 'string' && typeof file.content === 'string' ? [{ name: file.name, bytes: new Uint8Array(Buffer.from(file.content, 'base64')) }] : [],
  );
  return { ...json, files };
}
