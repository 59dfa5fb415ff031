import type Docker from 'dockerode';
import { classify } from './classify.js';
import { withDeadline } from './deadline.js';
import { describeDockerError, errorDetail } from './docker-errors.js';
import { currentInstance, sandboxLabels, type Instance } from './labels.js';
import { destroy, execute, launch, type LaunchedSandbox } from './lifecycle.js';
import type { SandboxLimits, SandboxRuntime } from './limits.js';
import { SandboxPool } from './pool.js';
import { Remover } from './remover.js';
import { sandboxError, type RunResult } from './result.js';
import { refuseCode, type RunInput } from './request.js';
import { buildContainerSpec } from './spec.js';

export type { RunInput };

/** The part of a pino logger the sandbox uses (the sandbox layer never imports the core). */
export interface SandboxLog {
  warn(details: object, message: string): void;
}

/** A container may live this long past its wall-clock limit before the reaper calls it orphaned. */
const DEADLINE_SLACK_MS = 60_000;
const LAUNCH_TIMEOUT_MS = 30_000;
/** A pooled member waiting longer than this is replaced by a fresh one. */
const POOL_MAX_IDLE_MS = 5 * 60_000;

export interface RunnerSettings {
  image: string;
  runtime: SandboxRuntime;
  limits: SandboxLimits;
  /** Code larger than this is refused before any container is made. */
  maxCodeBytes: number;
  /** How long Docker may take to create and start a sandbox before the run is given up. */
  launchTimeoutMs?: number;
  /** Pre-started sandboxes kept ready (0: every run starts its own container, the cold path). */
  poolSize?: number;
}

/**
 * Runs one snippet in a fresh, hardened, single-use container and reports a RunResult. Never
 * throws: every failure becomes a result (Docker problems are `sandbox_error` with a reason).
 */
export class SandboxRunner {
  private readonly remover: Remover;
  private readonly pool: SandboxPool | null;

  constructor(
    private readonly docker: Docker,
    readonly settings: RunnerSettings,
    readonly instance: Instance = currentInstance(),
    private readonly log?: SandboxLog,
  ) {
    this.remover = new Remover((container, error) =>
      log?.warn({ container, reason: errorDetail(error) }, 'could not remove a sandbox; the reaper will'),
    );
    const size = settings.poolSize ?? 0;
    this.pool =
      size > 0
        ? new SandboxPool(
            () => this.launch(POOL_MAX_IDLE_MS),
            (member) => destroy(member, this.remover),
            { size, maxIdleMs: POOL_MAX_IDLE_MS },
            {
              launchFailed: (error, retryInMs) => {
                const reason = describeDockerError(error, settings) ?? errorDetail(error);
                log?.warn({ reason, retryInMs }, 'could not refill the sandbox pool');
              },
            },
          )
        : null;
  }

  /** The warm pool, when there is one (its size can be watched by tests and the benchmark). */
  get warmPool(): SandboxPool | null {
    return this.pool;
  }

  async run(input: RunInput): Promise<RunResult> {
    const refusal = refuseCode(input.code, this.settings.maxCodeBytes);
    if (refusal) return sandboxError(refusal);

    let sandbox: LaunchedSandbox;
    // A pre-started member when one is ready; otherwise a cold start, never a wait for a refill.
    const warm = this.pool?.take();
    const launching = warm ? Promise.resolve(warm) : this.launch();
    try {
      const ms = this.settings.launchTimeoutMs ?? LAUNCH_TIMEOUT_MS;
      sandbox = await withDeadline(launching, ms, `Docker did not start a sandbox within ${ms / 1000} s`);
    } catch (error) {
      // If Docker answers after all, the sandbox it made must not outlive this abandoned run.
      launching.then((late) => this.dispose(late), () => {});
      const why = describeDockerError(error, this.settings);
      return sandboxError(why ?? `Docker refused to run the sandbox: ${errorDetail(error)}`);
    }
    try {
      const timeoutMs = this.settings.limits.timeoutS * 1000;
      return classify(await execute(sandbox, input, timeoutMs));
    } catch (error) {
      const why = describeDockerError(error, this.settings) ?? errorDetail(error);
      return sandboxError(`the sandbox failed during the run, so its output was lost (${why})`);
    } finally {
      this.dispose(sandbox);
    }
  }

  /** Resolves once every container this runner made has been removed (or handed to retries). */
  drain(): Promise<void> {
    return this.remover.drain();
  }

  /** Empties the pool and waits for every container to be removed. */
  async close(): Promise<void> {
    await this.pool?.close();
    await this.drain();
  }

  /** Creates and starts a sandbox that may wait `idleMs` for its code before it counts as orphaned. */
  private launch(idleMs = 0): Promise<LaunchedSandbox> {
    const { limits } = this.settings;
    const deadline = Date.now() + idleMs + limits.timeoutS * 1000 + DEADLINE_SLACK_MS;
    const spec = buildContainerSpec({
      ...this.settings,
      labels: sandboxLabels(this.instance, deadline),
    });
    return launch(this.docker, spec, limits.outputKb * 1024, this.remover);
  }

  /** Removal happens after the result is returned: users don't wait for it, drain() does. */
  private dispose(sandbox: LaunchedSandbox): void {
    void destroy(sandbox, this.remover);
  }
}
