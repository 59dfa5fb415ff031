import type { SandboxConfig } from './config.js';
import type { Logger } from './log.js';
import { DockerSandbox, type SandboxOptions } from '../sandbox/sandbox.js';

export type { DockerSandbox, EngineInfo, EngineReport, OfferedImage, Sandbox, SandboxReadiness, SandboxStats } from '../sandbox/sandbox.js';
export type { ImageStatus } from '../sandbox/image/ensure.js';
export type { RunOptions } from '../sandbox/request.js';

export type OpenOptions = Pick<SandboxOptions, 'prepare'>;

/**
 * Opens the sandbox as configured: the Docker client (DOCKER_HOST or the default socket), the
 * runner and warm pool, and, unless `prepare: false`, the orphan reaper and the image build.
 * Start-up goes on in the background: `await sandbox.ready` before the first run.
 */
export function openSandbox(config: SandboxConfig, log: Logger, options: OpenOptions = {}): DockerSandbox {
  return new DockerSandbox(config, log, options);
}
