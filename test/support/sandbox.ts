import Docker from 'dockerode';
import { DEFAULT_PYTHON, DEFAULT_PYTHONS, type PythonImage } from '../../sandbox/image/pythons.js';
import { builtInImage } from '../../sandbox/image/recipe.js';
import { LABEL_INSTANCE, type Instance } from '../../sandbox/labels.js';
import { DEFAULT_LIMITS, type SandboxLimits, type SandboxRuntime } from '../../sandbox/limits.js';
import type { SandboxLog } from '../../sandbox/log.js';
import { SandboxRunner, type RunnerSettings } from '../../sandbox/runner.js';
import { DockerSandbox, type SandboxOptions } from '../../sandbox/sandbox.js';

/** Every sandbox behaviour is checked on both runtimes (CI registers runsc with Docker). */
export const RUNTIMES: readonly SandboxRuntime[] = ['runc', 'runsc'];

/** Both ways a run gets its container: started for it (cold), or pre-started (pooled). */
export type Mode = 'cold' | 'pooled';
export const MODES: readonly Mode[] = ['cold', 'pooled'];

/** Every runtime × mode pair, for describe.each. */
export const RUNTIME_MODES: readonly [SandboxRuntime, Mode][] = RUNTIMES.flatMap((runtime) =>
  MODES.map((mode): [SandboxRuntime, Mode] => [runtime, mode]),
);

export function poolFor(mode: Mode): Partial<RunnerSettings> {
  return { poolSize: mode === 'pooled' ? 2 : 0 };
}

export const docker = new Docker();

/** The default Python's built-in image: what the sandbox tests run in. */
export const DEFAULT_IMAGE = builtInImage(DEFAULT_PYTHON);

/** Every built-in Python, as the bot offers them by default (the default first). */
export const BUILT_IN_PYTHONS: readonly PythonImage[] = DEFAULT_PYTHONS.map((version) => ({ version, image: builtInImage(version) }));

/**
 * How long after its timeout a killed run may take to end. A kill takes well under a second on an
 * idle host, but seconds for a gVisor sandbox full of processes on a busy one (over 4 s in CI);
 * past 5 s the runner stops waiting for the engine to report the exit.
 */
export const KILL_ALLOWANCE_MS = 5_000 + 1_000;

export function settingsFor(
  runtime: SandboxRuntime,
  limits: Partial<SandboxLimits> = {},
  extra: Partial<RunnerSettings> = {},
): RunnerSettings {
  return {
    pythons: [{ version: DEFAULT_PYTHON, image: DEFAULT_IMAGE }],
    runtime,
    limits: { ...DEFAULT_LIMITS, ...limits },
    maxCodeBytes: 64 * 1024,
    ...extra,
  };
}

/** A runner on its own, its pool (if any) started at once: the global setup confirmed the image. */
export function makeRunner(
  runtime: SandboxRuntime,
  limits: Partial<SandboxLimits> = {},
  extra: Partial<RunnerSettings> = {},
  client: Docker = docker,
): SandboxRunner {
  const runner = new SandboxRunner(client, settingsFor(runtime, limits, extra));
  runner.startPool();
  return runner;
}

/** The whole sandbox as the bot opens it (reaper, image check, pool), on runc by default. */
export function makeSandbox(
  log: SandboxLog,
  options: SandboxOptions = {},
  extra: Partial<RunnerSettings> = {},
): DockerSandbox {
  return new DockerSandbox(settingsFor('runc', {}, extra), log, options);
}

/** A log that keeps every line, to check what was said and how often. */
export class RecordingLog implements SandboxLog {
  readonly lines: { level: string; message: string; details: Record<string, unknown> }[] = [];
  readonly debug = this.record('debug');
  readonly info = this.record('info');
  readonly warn = this.record('warn');
  readonly error = this.record('error');

  /** Lines at `level` whose message contains `text` (from line number `since` on). */
  count(level: string, text: string, since = 0): number {
    return this.lines.slice(since).filter((line) => line.level === level && line.message.includes(text)).length;
  }

  private record(level: string) {
    return (details: object, message: string) => void this.lines.push({ level, message, details: { ...details } });
  }
}

/** Containers (running or not) that a runner or sandbox made and that still exist. */
export async function leftovers(owner: { instance: Instance }): Promise<string[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${LABEL_INSTANCE}=${owner.instance.id}`] },
  });
  return containers.map((c) => c.Id);
}

/** Polls `check` until it holds (engine state can't be watched); rejects after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
