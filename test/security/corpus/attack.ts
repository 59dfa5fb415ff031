import { expect } from 'vitest';
import type { SandboxLimits, SandboxRuntime } from '../../../sandbox/limits.js';
import type { RunResult } from '../../../sandbox/result.js';
import { KILL_ALLOWANCE_MS } from '../../support/sandbox.js';

/** What an expectation may depend on: the runtime it ran on, and the limits it ran under. */
export interface AttackContext {
  runtime: SandboxRuntime;
  limits: SandboxLimits;
}

export type Expectation = (result: RunResult, context: AttackContext) => void;

/**
 * One hostile snippet and the outcome it must have. Outcomes are asserted exactly (status, exit
 * code, output); where runc and gVisor differ, `onRuntime` picks the expected value and a comment
 * says why both are safe.
 */
export interface Attack {
  name: string;
  code: string;
  stdin?: string;
  /** Limits for this run (over DEFAULT_LIMITS); slow classes use a short wall clock. */
  limits?: Partial<SandboxLimits>;
  expect: Expectation;
  /** A second run on the same runner right after (a fresh sandbox): what the next user sees. */
  next?: { code: string; expect: Expectation };
}

export interface AttackClass {
  name: string;
  attacks: Attack[];
}

/**
 * Python source from an indented template literal: raw (backslashes reach Python untouched, so
 * "\0" is Python's escape), with the common indentation and the blank first/last lines removed.
 * A multi-line value (a shared helper) is indented to where its placeholder stands.
 */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  let raw = strings.raw[0]!;
  values.forEach((value, i) => {
    const indent = /(?:^|\n)([ \t]*)$/.exec(raw)?.[1] ?? '';
    raw += String(value).replace(/\n$/, '').replace(/\n/g, `\n${indent}`) + strings.raw[i + 1]!;
  });
  const lines = raw.replace(/^[ \t]*\n/, '').replace(/\n[ \t]*$/, '').split('\n');
  const indents = lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length);
  const indent = Math.min(...indents);
  return `${lines.map((line) => line.slice(indent)).join('\n')}\n`;
}

/**
 * Helpers most probes share: `syscall(name, nr, *args)` and `attempt(name, fn)` print one line,
 * `name: ok` or `name: <errno name>`, so an expectation can compare the whole output at once.
 */
export const PROBES = py`
  import ctypes, errno, os
  libc = ctypes.CDLL(None, use_errno=True)
  def syscall(name, number, *args):
      ret = libc.syscall(number, *args)
      print(f"{name}: " + ("ok" if ret >= 0 else errno.errorcode[ctypes.get_errno()]), flush=True)
      return ret
  def attempt(name, action):
      try:
          action()
          print(f"{name}: ok", flush=True)
      except OSError as e:
          print(f"{name}: {errno.errorcode.get(e.errno, e.errno)}", flush=True)
`;

/** The expected value for the runtime this ran on. */
export function onRuntime<T>(context: AttackContext, values: Record<SandboxRuntime, T>): T {
  return values[context.runtime];
}

/** Lines as a probe prints them, for exact comparison of the whole output. */
export function lines(...items: string[]): string {
  return items.map((item) => `${item}\n`).join('');
}

export function expectOk(result: RunResult, output?: string): void {
  expect(result).toMatchObject({ status: 'ok', exitCode: 0, signal: null });
  if (output !== undefined) expect(result.output).toBe(output);
}

/** Killed by us at the wall clock: SIGKILL, soon after the limit. */
export function expectTimeout(result: RunResult, { limits }: AttackContext, output = ''): void {
  expect(result).toMatchObject({ status: 'timeout', exitCode: null, signal: 'SIGKILL', output });
  expect(result.durationMs).toBeGreaterThanOrEqual(limits.timeoutS * 1000 - 50);
  expect(result.durationMs).toBeLessThan(limits.timeoutS * 1000 + KILL_ALLOWANCE_MS);
}

/** Killed by the kernel's OOM killer (under gVisor the Sentry is, which ends the whole sandbox). */
export function expectMemory(result: RunResult, _context: AttackContext, output = ''): void {
  expect(result).toMatchObject({ status: 'memory', exitCode: null, signal: 'SIGKILL', output });
}

/** Output hit the byte cap: the run was killed and exactly the cap was kept. */
export function expectOutputLimit(result: RunResult, { limits }: AttackContext): void {
  expect(result).toMatchObject({ status: 'output_limit', exitCode: null, signal: 'SIGKILL' });
  expect(result.outputBytes).toBe(limits.outputKb * 1024);
  expect(result.output.length).toBeLessThanOrEqual(limits.outputKb * 1024);
}

/** The follow-up run of a bomb: a fresh sandbox works normally. */
export const STILL_WORKS: NonNullable<Attack['next']> = {
  code: 'print("fine")',
  expect: (result) => expectOk(result, 'fine\n'),
};

/**
 * The follow-up run of an attack that tried to leave something behind: a fresh sandbox holds only
 * its own three processes (tini as PID 1, the bootstrap, and the program's Python) and an empty /tmp.
 */
export const NOTHING_LEFT: NonNullable<Attack['next']> = {
  code: py`
    import os
    print(sorted(open(f"/proc/{pid}/comm").read().strip() for pid in os.listdir("/proc") if pid.isdigit()))
    print(sorted(os.listdir("/tmp")), sorted(os.listdir("/dev/shm")))
  `,
  // /tmp/.cache: the link to the font cache, made before any request.
  expect: (result) => expectOk(result, lines("['docker-init', 'python3', 'python3']", "['.cache'] []")),
};
