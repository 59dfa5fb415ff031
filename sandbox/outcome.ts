import { constants } from 'node:os';
import type { Execution } from './lifecycle.js';
import type { RunResult } from './result.js';

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, number]) => [number, name]),
);

/**
 * The exit code of a process killed by signal N is 128 + N (tini, our PID 1, passes it on).
 * A program can also exit(137) by itself; the two can't be told apart from outside, so codes in
 * the signal range are read as signals, which is what they are in practice.
 */
export function signalFromExitCode(exitCode: number): string | null {
  if (exitCode <= 128) return null;
  return SIGNAL_NAMES.get(exitCode - 128) ?? null;
}

/** Decides the one status of a finished run. Pure: everything it needs is in the Execution. */
export function classify(execution: Execution): RunResult {
  const { cause, exitCode, oomKilled, captured, durationMs } = execution;
  const signal = signalFromExitCode(exitCode);
  const result = (status: RunResult['status'], code: number | null, endedBy: string | null): RunResult => ({
    status,
    exitCode: code,
    signal: endedBy,
    output: captured.output,
    stdout: captured.stdout,
    stderr: captured.stderr,
    outputBytes: captured.bytes,
    durationMs: Math.round(durationMs),
    files: [],
  });
  // We killed it: the reason we had wins over what the kill itself looks like.
  if (cause === 'output_limit' || captured.overflowed) {
    return result('output_limit', null, 'SIGKILL');
  }
  if (cause === 'timeout') return result('timeout', null, 'SIGKILL');
  // A child may be OOM-killed while the program recovers and exits 0: that run is fine.
  if (oomKilled && exitCode !== 0) {
    return result('memory', null, signal ?? 'SIGKILL');
  }
  if (exitCode === 0) return result('ok', 0, null);
  if (signal) return result('killed', null, signal);
  return result('error', exitCode, null);
}
