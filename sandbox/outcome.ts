import type { Execution, KillCause } from './lifecycle.js';
import type { RunResult, RunStatus } from './result.js';

/**
 * Linux signal numbers and the names Python's `signal` module gives them. The container runs Linux
 * whatever the host is, so the host's table (os.constants.signals) is the wrong source: it differs
 * on macOS, and where a number has two names it ends on the alias (6 → SIGIOT, 29 → SIGPOLL).
 */
const SIGNAL_NAMES: readonly string[] = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL',
  'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD',
  'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ',
  'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

/**
 * The exit code of a process killed by signal N is 128 + N (tini, our PID 1, passes it on).
 * A program can also exit(137) by itself; the two can't be told apart from outside, so codes in
 * the signal range are read as signals, which is what they are in practice.
 */
export function signalFromExitCode(exitCode: number): string | null {
  if (exitCode <= 128) return null;
  return SIGNAL_NAMES[exitCode - 128] ?? null;
}

/** The exit code a process killed by the named signal ends with (128 + N), or null for a name not in the table. */
export function exitCodeOfSignal(name: string): number | null {
  const number = SIGNAL_NAMES.indexOf(name);
  return number > 0 ? 128 + number : null;
}

/** What a run we killed reads as: the reason we had wins over what the kill itself looks like. */
const KILLED_STATUS: Record<KillCause, RunStatus> = {
  cancelled: 'cancelled',
  output_limit: 'output_limit',
  timeout: 'timeout',
  // Output after the end-of-run marker, or a malformed one: the exit code it carried can't be trusted.
  protocol: 'killed',
};

/** Turns how a run ended, in an image of that full Python version, into its one RunResult. Pure. */
export function toRunResult(execution: Execution, python: string | null): RunResult {
  const { captured, durationMs } = execution;
  // Only a program that ended by itself gets its files back: the sandbox collects them after that.
  const { files, leftOut } = execution.cause === null ? execution.returned : { files: [], leftOut: {} };
  const result = (status: RunStatus, code: number | null, endedBy: string | null): RunResult => ({
    status,
    exitCode: code,
    signal: endedBy,
    output: captured.output,
    stdout: captured.stdout,
    stderr: captured.stderr,
    outputBytes: captured.bytes,
    durationMs: Math.round(durationMs),
    files,
    filesLeftOut: leftOut,
    python,
  });
  if (execution.cause === 'cancelled') return result('cancelled', null, 'SIGKILL');
  // Output that reached the cap counts even if the kill lost the race with the exit.
  if (captured.capped) return result('output_limit', null, 'SIGKILL');
  if (execution.cause) return result(KILLED_STATUS[execution.cause], null, 'SIGKILL');
  const { exitCode, oomKilled } = execution;
  const signal = signalFromExitCode(exitCode);
  // A child may be OOM-killed while the program recovers and exits 0: that run is fine.
  if (oomKilled && exitCode !== 0) {
    return result('memory', null, signal ?? 'SIGKILL');
  }
  if (exitCode === 0) return result('ok', 0, null);
  if (signal) return result('killed', null, signal);
  return result('error', exitCode, null);
}
