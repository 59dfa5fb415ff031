import type Docker from 'dockerode';
import { whenAborted } from './abort.js';
import { settledWithin, withDeadline } from './deadline.js';
import { describeDockerError, errorDetail, explainDockerError } from './docker-errors.js';
import { currentInstance, sandboxLabels, type Instance } from './labels.js';
import { destroy, execute, launch, type LaunchedSandbox } from './lifecycle.js';
import type { SandboxLimits, SandboxRuntime } from './limits.js';
import { SILENT_LOG, type SandboxLog } from './log.js';
import { toRunResult } from './outcome.js';
import { SandboxPool } from './pool.js';
import { Remover } from './remover.js';
import { RepeatedFailure } from './repeated-failure.js';
import { cancelledBeforeRun, sandboxError, type RunResult } from './result.js';
import { refuseCode, type RunInput, type RunOptions, type RunPriority } from './request.js';
import { refuseInputFiles } from './files.js';
import { inspectImage } from './image/ensure.js';
import { refusePython, type PythonImage } from './image/pythons.js';
import { buildContainerSpec } from './spec.js';
import { Turns } from './turns.js';
import { sandboxUids } from './uids.js';

export type { RunInput, RunOptions };

/** A container may live this long past its wall-clock limit before the reaper calls it orphaned. */
const DEADLINE_SLACK_MS = 60_000;
const LAUNCH_TIMEOUT_MS = 30_000;
/** How long a low-priority run waits at most for the pool's refill (launchCold). */
const REFILL_FIRST_MS = 2_000;
/** A pooled member waiting longer than this is replaced by a fresh one. */
const POOL_MAX_IDLE_MS = 5 * 60_000;
/** The engine's work after a run waits at most this long for the result's delivery (RunOptions.delivered). */
const DELIVERY_WAIT_MAX_MS = 1_000;

export interface RunnerSettings {
  /** The Pythons offered, each with its image; the first is the default, and the only one pooled. */
  pythons: readonly PythonImage[];
  runtime: SandboxRuntime;
  limits: SandboxLimits;
  /** Code larger than this is refused before any container is made. */
  maxCodeBytes: number;
  /**
   * How long Docker may take to create and start a sandbox before the run is given up; and Python
   * in it to come up before its time limit starts all the same.
   */
  launchTimeoutMs?: number;
  /** Pre-started sandboxes kept ready once startPool() is called (0: every run starts cold). */
  poolSize?: number;
  /** Modules pre-started sandboxes import while they wait (SANDBOX_POOL_PREIMPORT). */
  preimport?: readonly string[];
}

/** Counts for monitoring: pre-started sandboxes ready now, and Docker's failures since the start. */
export interface SandboxStats {
  warm: number;
  /** Sandboxes Docker failed to create and start (cold or for the pool). */
  createFailures: number;
  /** Removal attempts Docker failed (a retried removal counts each time). */
  removeFailures: number;
}

/**
 * Runs one snippet in a fresh, hardened, single-use container and reports a RunResult. Never
 * throws: every failure becomes a result (Docker problems are `sandbox_error` with a reason).
 */
export class SandboxRunner {
  private readonly remover: Remover;
  private readonly refillFailures: RepeatedFailure;
  /** Launches given up on (deadline, cancellation): what they make is removed once it exists. */
  private readonly abandoned = new Set<Promise<void>>();
  private readonly lowPriorityTurns = new Turns();
  private pool: SandboxPool | null = null;
  private closed = false;
  private launchFailures = 0;
  /** The uid each launched container holds until it is removed. */
  private readonly uids = new Map<string, number>();
  /** Each image's full Python version, asked of Docker once (results report it). */
  private readonly fullVersions = new Map<string, Promise<string | null>>();

  constructor(
    private readonly docker: Docker,
    readonly settings: RunnerSettings,
    readonly instance: Instance = currentInstance(),
    private readonly log: SandboxLog = SILENT_LOG,
  ) {
    this.remover = new Remover(
      (container, error, details) =>
        log.warn({ ...details, container, reason: errorDetail(error) }, 'could not remove a sandbox; the reaper will'),
      (container) => this.releaseUid(container),
    );
    this.refillFailures = new RepeatedFailure(log, {
      failed: 'could not refill the sandbox pool',
      recovered: 'Docker is reachable again: the sandbox pool refills',
    });
  }

  /**
   * Starts keeping `poolSize` sandboxes ready. Call it once the image is confirmed: until then,
   * every refill would fail against a missing image.
   */
  startPool(): void {
    const size = this.settings.poolSize ?? 0;
    if (this.pool || this.closed || size === 0) return;
    this.pool = new SandboxPool(
      () => this.launchWithin(this.defaultPython, POOL_MAX_IDLE_MS),
      (member) => destroy(member, this.remover),
      { size, maxIdleMs: POOL_MAX_IDLE_MS },
      {
        launchFailed: (error, retryInMs) => this.refillFailures.failed({ reason: this.explain(error, this.defaultPython), retryInMs }),
        launched: () => this.refillFailures.succeeded(),
      },
    );
  }

  /** The warm pool, once started (its size can be watched by tests and the benchmark). */
  get warmPool(): SandboxPool | null {
    return this.pool;
  }

  get stats(): SandboxStats {
    return { warm: this.pool?.readyCount ?? 0, createFailures: this.launchFailures, removeFailures: this.remover.failedAttempts };
  }

  private get launchTimeoutMs(): number {
    return this.settings.launchTimeoutMs ?? LAUNCH_TIMEOUT_MS;
  }

  /** The default Python: the first offered. */
  private get defaultPython(): PythonImage {
    return this.settings.pythons[0]!;
  }

  async run(input: RunInput, options: RunOptions = {}): Promise<RunResult> {
    const refusal =
      refuseCode(input.code + (input.argv?.join(' ') ?? ''), this.settings.maxCodeBytes) ??
      (input.files ? refuseInputFiles(input.files.map(({ name, bytes }) => ({ name, size: bytes.length })), this.settings.limits.files) : null) ??
      (input.python === undefined ? null : refusePython(input.python, this.settings.pythons));
    if (refusal) return sandboxError(refusal);
    if (options.signal?.aborted) return cancelledBeforeRun();
    if (options.priority !== 'low') return this.runNow(input, options);
    // Low-priority runs (their users' last runs used up a quota: bombs, most likely) take turns:
    // three users' bombs back to back keep one sandbox busy, not three, and the engine's time for
    // creating and removing containers goes to everyone else's.
    const endTurn = await this.lowPriorityTurns.take(options.signal);
    if (!endTurn) return cancelledBeforeRun();
    try {
      return await this.runNow(input, options);
    } finally {
      endTurn();
    }
  }

  private async runNow(input: RunInput, { requestId, signal, priority = 'normal', delivered }: RunOptions): Promise<RunResult> {
    const python = this.settings.pythons.find((offered) => offered.version === input.python) ?? this.defaultPython;
    const fullVersion = this.fullVersionOf(python.image);
    // A pre-started member when one is ready (the pool holds the default Python's); otherwise a
    // cold start, never a wait for a refill. The member's replacement waits for this run to end
    // and its result to be delivered (SandboxPool.take): the two would share the CPU.
    let endRun!: () => void;
    const runEnded = new Promise<void>((resolve) => (endRun = resolve));
    const warm = priority === 'normal' && python === this.defaultPython ? this.pool?.take(runEnded) : null;
    // A cold start carries the request id as a label. A pooled member was created before the
    // request existed, and labels can't be added to a container after it was created: this line
    // ties the two together instead.
    if (warm) this.log.debug({ request: requestId, container: warm.container.id }, 'a pre-started sandbox takes the run');
    const launching = warm ? Promise.resolve(warm) : this.launchCold(python, requestId, priority, signal);
    const abort = whenAborted(signal);
    let sandbox: LaunchedSandbox | null;
    try {
      sandbox = await Promise.race([launching, abort.aborted.then(() => null)]);
    } catch (error) {
      const reason = describeDockerError(error, this.errorContext(python)) ?? `Docker refused to run the sandbox: ${errorDetail(error)}`;
      this.log.warn({ request: requestId, reason }, 'could not start a sandbox');
      return sandboxError(reason);
    } finally {
      abort.release();
    }
    if (!sandbox) {
      // Cancelled while Docker was starting it: whatever it starts is removed as soon as it exists.
      this.abandon(launching, requestId);
      return cancelledBeforeRun();
    }
    try {
      const { timeoutS, files } = this.settings.limits;
      const ended = await execute(sandbox, input, { timeoutMs: timeoutS * 1000, startupMs: this.launchTimeoutMs, files }, signal);
      return toRunResult(ended, await fullVersion);
    } catch (error) {
      const why = this.explain(error, python);
      this.log.warn({ request: requestId, container: sandbox.container.id, reason: why }, 'a sandbox failed during the run');
      return sandboxError(`the sandbox failed during the run, so its output was lost (${why})`);
    } finally {
      const afterDelivery = delivered ? settledWithin(delivered, DELIVERY_WAIT_MAX_MS) : undefined;
      if (afterDelivery) void afterDelivery.then(endRun);
      else endRun();
      this.dispose(sandbox, requestId, afterDelivery);
    }
  }

  /** Resolves once every container this runner made has been removed (retries included), or given up on. */
  async drain(): Promise<void> {
    while (this.abandoned.size) await Promise.allSettled([...this.abandoned]);
    await this.remover.drain();
  }

  /** Empties the pool and waits for every container to be removed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pool?.close();
    await this.drain();
  }

  /** Containers this runner made that are not removed yet. */
  get unremoved(): string[] {
    return this.remover.pending;
  }

  /** No more removal retries: shutdown gave up on the engine, and the reaper will finish the job. */
  abandonRemovals(): void {
    this.remover.abandon();
  }

  /**
   * A sandbox for this run alone. A low-priority run (its user's last run used up a quota: a bomb,
   * most likely) lets the pool's refill go first, for a moment: both would compete for the engine,
   * and the refill is what everyone else's next run needs.
   */
  private async launchCold(python: PythonImage, requestId: string | undefined, priority: RunPriority, signal?: AbortSignal): Promise<LaunchedSandbox> {
    if (priority === 'low') await this.pool?.refilled(REFILL_FIRST_MS);
    if (signal?.aborted) throw new Error('cancelled before its sandbox was created');
    return this.launchWithin(python, 0, requestId, priority);
  }

  /** Creates and starts a sandbox, or gives up after the launch timeout. */
  private async launchWithin(python: PythonImage, idleMs: number, requestId?: string, priority: RunPriority = 'normal'): Promise<LaunchedSandbox> {
    const launching = this.launch(python, idleMs, requestId, priority);
    const ms = this.launchTimeoutMs;
    try {
      return await withDeadline(launching, ms, `Docker did not start a sandbox within ${ms / 1000} s`);
    } catch (error) {
      this.abandon(launching, requestId);
      throw error;
    }
  }

  /** If Docker answers a launch we gave up on after all, the sandbox must not outlive it. */
  private abandon(launching: Promise<LaunchedSandbox>, requestId?: string): void {
    const removal = launching.then((late) => destroy(late, this.remover, { request: requestId }), () => {});
    this.abandoned.add(removal);
    void removal.finally(() => this.abandoned.delete(removal));
  }

  /**
   * Creates and starts a sandbox that may wait `idleMs` for its code before it counts as orphaned.
   * It holds a uid of its own until it is removed.
   */
  private async launch(python: PythonImage, idleMs: number, requestId: string | undefined, priority: RunPriority): Promise<LaunchedSandbox> {
    const { limits, runtime } = this.settings;
    const deadline = Date.now() + idleMs + limits.timeoutS * 1000 + DEADLINE_SLACK_MS;
    const uid = sandboxUids.acquire();
    const spec = buildContainerSpec({
      image: python.image,
      runtime,
      limits,
      labels: sandboxLabels(this.instance, deadline, requestId),
      uid,
      priority,
      // Only a sandbox that may wait (a pool member) imports ahead: a cold run would wait for it.
      preimport: idleMs > 0 ? (this.settings.preimport ?? []) : [],
    });
    try {
      const sandbox = await launch(this.docker, spec, limits.outputKb * 1024, this.remover);
      this.uids.set(sandbox.container.id, uid);
      return sandbox;
    } catch (error) {
      // Nothing runs as this uid: launch() removes what it created when it can't start it.
      sandboxUids.release(uid);
      this.launchFailures++;
      throw error;
    }
  }

  private releaseUid(containerId: string): void {
    const uid = this.uids.get(containerId);
    if (uid === undefined) return;
    this.uids.delete(containerId);
    sandboxUids.release(uid);
  }

  /**
   * Removal happens after the result is returned (once it is delivered, when `after` says so):
   * users don't wait for it, drain() does.
   */
  private dispose(sandbox: LaunchedSandbox, requestId?: string, after?: Promise<void>): void {
    void destroy(sandbox, this.remover, { request: requestId }, after);
  }

  /**
   * The full Python version an image runs, from its PYTHON_VERSION: asked once per image, at the
   * first run in it, alongside the launch. Not known (null) when Docker didn't say; asked again then.
   */
  private fullVersionOf(image: string): Promise<string | null> {
    let known = this.fullVersions.get(image);
    if (!known) {
      known = inspectImage(this.docker, image).then(
        (status) => status.python,
        () => {
          this.fullVersions.delete(image);
          return null;
        },
      );
      this.fullVersions.set(image, known);
    }
    return known;
  }

  private errorContext(python: PythonImage) {
    return { image: python.image, runtime: this.settings.runtime };
  }

  private explain(error: unknown, python: PythonImage): string {
    return explainDockerError(error, this.errorContext(python));
  }
}
