import { collectLimits, formatKiB } from './files.js';
import { marshalDump } from './marshal.js';
import type { FileLimits } from './limits.js';
import type { RunFile } from './result.js';

/** One request to the sandbox, and how it travels to the bootstrap. */
export interface RunInput {
  code: string;
  /** What the program reads from stdin (input()); empty by default. */
  stdin?: string;
  /** Put in the working directory before the code runs, under these plain names. */
  files?: readonly RunFile[];
  /** Time the code with Python's timeit instead of running it once: `setup` runs first, untimed. */
  timeit?: { setup: string };
  /** The Python version to run it in ("3.14"), one of those offered; the default (the first) when absent. */
  python?: string;
  /**
   * The interpreter's arguments, run instead of `code` (which is then empty): `["-c", code]`,
   * `["main.py"]` with that file among `files`, `["-m", "timeit", …]`. snekbox's `args`.
   */
  argv?: readonly string[];
}

export interface RunOptions {
  /** Ties the run to its chat request: in the runner's log lines and as a container label (sandpiper.request). */
  requestId?: string;
  /** Aborting cancels the run: the container is killed and removed, and the result has status 'cancelled'. */
  signal?: AbortSignal;
  /**
   * 'low' for a user whose last run used up a quota (a bomb, most likely): the run starts a sandbox
   * of its own, leaving the pre-started ones to others, and yields the CPU to theirs.
   */
  priority?: RunPriority;
  /**
   * Settles once the result has reached whoever asked for it (a runner service's HTTP reply is
   * sent). The engine's work after the run, removing the used container and refilling the pool,
   * waits for it (a second at most): on a small host that work competes with the reply for the CPU.
   * Without it, that work starts as the run ends, when an in-process caller already has the result.
   */
  delivered?: Promise<unknown>;
}

export type RunPriority = 'normal' | 'low';

/**
 * The wire format the bootstrap reads: "<nonce> <metadata bytes, 10 digits>\n", the metadata in
 * Python's marshal format (sandbox/marshal.ts says why): the code, timeit's setup or the
 * interpreter's arguments, the input files' names and sizes, the limits for collecting files;
 * then each input file's bytes, then the program's stdin. The header has a fixed length (28 bytes
 * with the 16-digit nonce), so the bootstrap takes it in one read without touching the program's
 * stdin.
 */
export function frameRequest({ code, stdin = '', files = [], timeit, argv }: RunInput, nonce: string, limits: FileLimits): Buffer {
  const metadata = marshalDump({
    code,
    timeit: timeit ?? null,
    argv: argv ?? null,
    files: files.map(({ name, bytes }) => ({ name, size: bytes.length })),
    collect: collectLimits(limits),
  });
  const header = `${nonce} ${String(metadata.length).padStart(10, '0')}\n`;
  return Buffer.concat([Buffer.from(header), metadata, ...files.map(({ bytes }) => bytes), Buffer.from(stdin, 'utf8')]);
}

/** Why code can't be run at all, or null when it can. */
export function refuseCode(code: string, maxCodeBytes: number): string | null {
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes <= maxCodeBytes) return null;
  return `the code is ${formatKiB(bytes)}, over the ${formatKiB(maxCodeBytes)} limit`;
}
