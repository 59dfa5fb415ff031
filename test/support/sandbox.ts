import Docker from 'dockerode';
import { defaultImageTag } from '../../sandbox/image/recipe.js';
import { LABEL_INSTANCE } from '../../sandbox/labels.js';
import { DEFAULT_LIMITS, type SandboxLimits, type SandboxRuntime } from '../../sandbox/limits.js';
import { SandboxRunner, type RunnerSettings } from '../../sandbox/runner.js';

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

export function settingsFor(
  runtime: SandboxRuntime,
  limits: Partial<SandboxLimits> = {},
  extra: Partial<RunnerSettings> = {},
): RunnerSettings {
  return {
    image: defaultImageTag(),
    runtime,
    limits: { ...DEFAULT_LIMITS, ...limits },
    maxCodeBytes: 64 * 1024,
    ...extra,
  };
}

export function makeRunner(
  runtime: SandboxRuntime,
  limits: Partial<SandboxLimits> = {},
  extra: Partial<RunnerSettings> = {},
  client: Docker = docker,
): SandboxRunner {
  return new SandboxRunner(client, settingsFor(runtime, limits, extra));
}

/** Containers (running or not) that a runner made and that still exist. */
export async function leftovers(runner: SandboxRunner): Promise<string[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${LABEL_INSTANCE}=${runner.instance.id}`] },
  });
  return containers.map((c) => c.Id);
}
