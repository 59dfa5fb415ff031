import type { Config, SandboxConfig } from './config.js';
import { RemoteSandbox } from './service/remote-sandbox.js';
import type { Logger } from './log.js';
import { DockerSandbox, type Sandbox, type SandboxOptions } from '../sandbox/sandbox.js';

export type { DockerSandbox, EngineInfo, EngineReport, OfferedImage, Sandbox, SandboxReadiness, SandboxStats } from '../sandbox/sandbox.js';
export type { ImageStatus } from '../sandbox/image/ensure.js';
export type { RunOptions } from '../sandbox/request.js';

export type OpenOptions = Pick<SandboxOptions, 'prepare'>;

/** The sandbox the bot runs code in: the runner services when SANDBOX_RUNNERS names some, else the local Docker engine. */
export function openBotSandbox(config: Config, log: Logger): Sandbox {
  const { runners, limits } = config.sandbox;
  if (!runners.length) return openSandbox(config.sandbox, log);
  log.info({ runners }, 'running code on the runner services (SANDBOX_RUNNERS), not on a local Docker engine');
  return new RemoteSandbox({ runners, token: config.runner.token, runMs: limits.timeoutS * 1000 });
}

/**
 * Opens the sandbox as configured: the Docker client (DOCKER_HOST or the default socket), the
 * runner and warm pool, and, unless `prepare: false`, the orphan reaper and the image build.
 * Start-up goes on in the background: `await sandbox.ready` before the first run.
 */
export function openSandbox(config: SandboxConfig, log: Logger, options: OpenOptions = {}): DockerSandbox {
  return new DockerSandbox(config, log, options);
}
