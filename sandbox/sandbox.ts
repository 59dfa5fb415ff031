import type Docker from 'dockerode';
import { QUICK_CALL_MS, withDeadline } from './deadline.js';
import { connectDocker } from './docker-client.js';
import { explainDockerError } from './docker-errors.js';
import { ensureImage, ImageBuildError, inspectImage, type ImageStatus } from './image/ensure.js';
import type { PythonImage } from './image/pythons.js';
import { currentInstance, type Instance } from './labels.js';
import type { SandboxLog } from './log.js';
import { Reaper } from './reaper.js';
import type { RunInput, RunOptions } from './request.js';
import type { RunResult } from './result.js';
import { SandboxRunner, type RunnerSettings, type SandboxStats } from './runner.js';
import { Startup, type Backoff, type SandboxReadiness } from './startup.js';

export type { SandboxReadiness, SandboxStats };

export interface Sandbox {
  /** Runs one snippet; never throws (failures are sandbox_error results). */
  run(input: RunInput, options?: RunOptions): Promise<RunResult>;
  /** Settles once start-up is done: orphans reaped and the image confirmed (built if the built-in one was missing). Never rejects. */
  readonly ready: Promise<SandboxReadiness>;
  /** Stops the reaper and the pool, and waits (bounded) for every container this process made to be removed. */
  close(): Promise<void>;
}

/** What `docker info` says that matters to a sandbox. */
export interface EngineInfo {
  ServerVersion?: string;
  Runtimes?: Record<string, unknown>;
  DefaultRuntime?: string;
  MemoryLimit?: boolean;
  SwapLimit?: boolean;
  PidsLimit?: boolean;
  CpuCfsQuota?: boolean;
  CgroupVersion?: string;
  SecurityOptions?: string[];
}

/** One offered Python's image, as Docker has it. */
export interface OfferedImage {
  python: PythonImage;
  status: ImageStatus;
}

export type EngineReport =
  | { reachable: true; info: EngineInfo; images: OfferedImage[] }
  /** `reason` is the explained sentence; `error` is what Docker's client threw, for callers that say more. */
  | { reachable: false; reason: string; error: unknown };

export interface SandboxOptions {
  /**
   * true (the default): sweep for orphans now and every minute, and build the built-in image if it
   * is missing. false: leave the engine as it is; the image is only looked for.
   */
  prepare?: boolean;
  /** How to reach Docker; by default DOCKER_HOST or the default socket. */
  connection?: Docker.DockerOptions;
  /** Waits between start-up retries while the image can't be confirmed. */
  retry?: Backoff;
  /** How long close() waits for Docker to remove the containers before it leaves them to the reaper. */
  closeTimeoutMs?: number;
}

const REAP_EVERY_MS = 60_000;
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * The one object that owns the sandbox: the Docker client, the runner and its warm pool, the
 * orphan reaper and the image check. The pool starts only once the image is confirmed; until
 * then runs go cold (and fail with a clear sandbox_error while Docker or the image is missing).
 */
export class DockerSandbox implements Sandbox {
  readonly ready: Promise<SandboxReadiness>;
  readonly instance: Instance = currentInstance();
  private readonly docker: Docker;
  private readonly disconnect: () => void;
  private readonly runner: SandboxRunner;
  private readonly reaper: Reaper | null;
  private readonly startup: Startup;
  private readonly prepare: boolean;
  private buildFailed = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly settings: RunnerSettings,
    private readonly log: SandboxLog,
    private readonly options: SandboxOptions = {},
  ) {
    this.prepare = options.prepare ?? true;
    ({ docker: this.docker, disconnect: this.disconnect } = connectDocker(options.connection));
    this.runner = new SandboxRunner(this.docker, settings, this.instance, log);
    const explain = (error: unknown) => this.explain(error);
    this.reaper = this.prepare ? new Reaper(this.docker, this.instance, log, explain) : null;
    this.reaper?.start(REAP_EVERY_MS);
    this.startup = new Startup(
      { reap: async () => this.reaper?.sweep(), confirmImage: () => this.confirmImage() },
      log,
      explain,
      options.retry,
    );
    this.ready = this.startup.ready;
    void this.startup.confirmed.then(() => this.runner.startPool());
  }

  run(input: RunInput, options?: RunOptions): Promise<RunResult> {
    return this.runner.run(input, options);
  }

  /** Pre-started sandboxes ready now, and Docker's failures so far: for the runner service's health and metrics. */
  get stats(): SandboxStats {
    return this.runner.stats;
  }

  /** Engine facts for `sandpiper doctor`: docker info and the image's status, or why Docker didn't say. */
  async inspect(): Promise<EngineReport> {
    try {
      const [info, ...images] = await Promise.all([
        withDeadline(this.docker.info() as Promise<EngineInfo>, QUICK_CALL_MS, 'Docker did not answer `docker info`'),
        ...this.settings.pythons.map(async (python) => ({ python, status: await inspectImage(this.docker, python.image) })),
      ]);
      return { reachable: true, info, images };
    } catch (error) {
      return { reachable: false, reason: this.explain(error), error };
    }
  }

  /** Resolves once the warm pool is full (at once without a pool). For the benchmark and tests. */
  async whenWarm(timeoutMs = 30_000): Promise<void> {
    if (!this.settings.poolSize) return;
    const started = Date.now();
    await withDeadline(this.startup.confirmed, timeoutMs, 'the sandbox image was not confirmed in time');
    await this.runner.warmPool?.whenFull(timeoutMs - (Date.now() - started));
  }

  /**
   * Resolves once the work of the runs so far is done: every used container removed and the pool
   * full again. For the benchmark.
   */
  async whenSettled(timeoutMs = 30_000): Promise<void> {
    const started = Date.now();
    await withDeadline(this.runner.drain(), timeoutMs, 'the used sandboxes were not removed in time');
    await this.whenWarm(timeoutMs - (Date.now() - started));
  }

  close(): Promise<void> {
    return (this.closing ??= this.shutDown());
  }

  private async shutDown(): Promise<void> {
    this.reaper?.stop();
    this.startup.stop();
    const ms = this.options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS;
    let finished = true;
    try {
      await withDeadline(this.runner.close(), ms, 'Docker did not remove the sandboxes in time');
    } catch {
      // A wedged engine must not hang shutdown: no more retries from here, so nothing keeps this
      // process alive. The containers' labels let the next start's reaper remove them.
      finished = false;
      this.runner.abandonRemovals();
    }
    const left = this.runner.unremoved;
    if (!finished || left.length) {
      this.log.warn({ containers: left, waitedMs: ms }, 'Docker has not removed every sandbox: the reaper will remove the rest');
    }
    this.disconnect();
  }

  /**
   * Every offered Python's image is there, or built now if allowed, one after the other (one build
   * per process: a failed one isn't retried).
   */
  private async confirmImage(): Promise<void> {
    for (const { image } of this.settings.pythons) {
      const build = this.prepare && !this.buildFailed;
      try {
        await ensureImage(this.docker, image, (line) => this.log.warn({ image }, line), build);
      } catch (error) {
        if (error instanceof ImageBuildError) this.buildFailed = true;
        throw error;
      }
    }
  }

  private explain(error: unknown): string {
    return explainDockerError(error, { image: this.settings.pythons[0]!.image, runtime: this.settings.runtime });
  }
}
