import Docker from 'dockerode';
import type { SandboxConfig } from './config.js';
import type { Logger } from './log.js';
import { SandboxRunner } from '../sandbox/runner.js';

export interface Sandbox {
  docker: Docker;
  runner: SandboxRunner;
  /** Empties the warm pool and waits for every container this process made to be removed. */
  close(): Promise<void>;
}

/**
 * Connects the sandbox layer as configured. Docker's address comes from DOCKER_HOST (or the default
 * socket), read by dockerode itself.
 */
export function openSandbox(config: SandboxConfig, log: Logger): Sandbox {
  const docker = new Docker();
  const runner = new SandboxRunner(docker, config, undefined, log);
  return { docker, runner, close: () => runner.close() };
}
