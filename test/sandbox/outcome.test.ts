import { describe, expect, it } from 'vitest';
import { signalFromExitCode, toRunResult } from '../../sandbox/outcome.js';
import type { Execution } from '../../sandbox/lifecycle.js';

const captured = { output: 'x', stdout: 'x', stderr: '', bytes: 1, capped: false };

function run(overrides: Partial<Execution>) {
  const returned = { files: [], leftOut: {} };
  return toRunResult({ cause: null, exitCode: 0, oomKilled: false, captured, durationMs: 12.4, returned, ...overrides } as Execution, '3.13.5');
}

describe('toRunResult', () => {
  it.each([
    [{ exitCode: 0 }, 'ok', 0, null],
    [{ exitCode: 1 }, 'error', 1, null],
    [{ exitCode: 3 }, 'error', 3, null],
    [{ exitCode: 137, cause: 'timeout' as const }, 'timeout', null, 'SIGKILL'],
    [{ exitCode: null, cause: 'timeout' as const }, 'timeout', null, 'SIGKILL'], // killed; the exit never reported
    [{ exitCode: 137, cause: 'output_limit' as const }, 'output_limit', null, 'SIGKILL'],
    [{ exitCode: 137, oomKilled: true }, 'memory', null, 'SIGKILL'],
    [{ exitCode: 0, oomKilled: true }, 'ok', 0, null], // a child was OOM-killed; the program coped
    [{ exitCode: 152 }, 'killed', null, 'SIGXCPU'],
    [{ exitCode: 139 }, 'killed', null, 'SIGSEGV'],
    [{ exitCode: 134 }, 'killed', null, 'SIGABRT'],
    [{ exitCode: null, cause: 'cancelled' as const }, 'cancelled', null, 'SIGKILL'],
  ])('%j → %s', (overrides, status, exitCode, signal) => {
    expect(run(overrides)).toMatchObject({ status, exitCode, signal, durationMs: 12, output: 'x' });
  });

  it('output that reached the cap counts even if the kill lost the race with the exit', () => {
    expect(run({ exitCode: 0, captured: { ...captured, capped: true } }).status).toBe('output_limit');
  });

  it('a broken end-of-run marker reads killed whatever exit code it carried, unless the cap was reached', () => {
    expect(run({ exitCode: 0, cause: 'protocol' })).toMatchObject({ status: 'killed', exitCode: null, signal: 'SIGKILL' });
    expect(run({ exitCode: 0, cause: 'protocol', captured: { ...captured, capped: true } }).status).toBe('output_limit');
  });

  it('names signals from exit codes above 128 only', () => {
    expect(signalFromExitCode(128)).toBeNull();
    expect(signalFromExitCode(137)).toBe('SIGKILL');
    expect(signalFromExitCode(143)).toBe('SIGTERM');
    expect(signalFromExitCode(255)).toBeNull();
  });

  it('uses the names Python gives signals with aliases (6 is SIGABRT, not SIGIOT)', () => {
    expect(signalFromExitCode(128 + 6)).toBe('SIGABRT');
    expect(signalFromExitCode(128 + 29)).toBe('SIGIO');
    expect(signalFromExitCode(128 + 17)).toBe('SIGCHLD');
    expect(signalFromExitCode(128 + 31)).toBe('SIGSYS');
  });
  it('a run that ended by itself returns its files; one we killed returns none', () => {
    const returned = { files: [{ name: 'a.txt', bytes: new Uint8Array([1]) }], leftOut: { count: 2 } };
    expect(run({ exitCode: 1, returned } as Partial<Execution>)).toMatchObject({ status: 'error', files: returned.files, filesLeftOut: { count: 2 } });
    expect(run({ exitCode: 137, cause: 'timeout', returned } as Partial<Execution>)).toMatchObject({ status: 'timeout', files: [], filesLeftOut: {} });
  });
});
