import type { Sandbox } from '../sandbox.js';
import { HealthCheck, PROBE_START_MS, type Health } from '../service/health.js';
import { RemoteSandbox, type RunnerState } from '../service/remote-sandbox.js';

/** Whether the bot can run code now, and the facts behind the answer. */
export type SandboxHealth =
  | ({ kind: 'docker' } & Health)
  | { kind: 'runners'; ok: boolean; reason?: string; runners: RunnerState[] };

export interface SandboxHealthCheck {
  check(): Promise<SandboxHealth>;
  /** Each runner as the bot sees it, when it runs on runners (SANDBOX_RUNNERS). */
  runners?(): RunnerState[];
}

/**
 * The one place that answers "can the bot run code?", for both kinds of sandbox. On runners: yes
 * while at least one is up, as the bot last saw them (a runner is down from a failure until its
 * /healthz answers 200 again). On the local Docker engine: the runner service's own check, a warm
 * sandbox or a probe run that worked within 30 s.
 */
export function sandboxHealthCheck(sandbox: Sandbox, runMs: number): SandboxHealthCheck {
  if (sandbox instanceof RemoteSandbox) {
    return { runners: () => sandbox.states(), check: async () => runnersHealth(sandbox.states()) };
  }
  const docker = new HealthCheck(sandbox, runMs + PROBE_START_MS);
  return { check: async () => ({ kind: 'docker', ...(await docker.check()) }) };
}

function runnersHealth(runners: RunnerState[]): SandboxHealth {
  if (runners.some((runner) => runner.up)) return { kind: 'runners', ok: true, runners };
  const why = runners.map((runner) => `${runner.url}: ${runner.reason ?? 'down'}`).join('; ');
  return { kind: 'runners', ok: false, reason: `no runner is up (${why})`, runners };
}
