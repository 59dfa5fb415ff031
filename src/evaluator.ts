import { setMaxListeners } from 'node:events';
import { anyAborted, type LinkedSignal } from '../sandbox/abort.js';
import { refuseInputFiles } from '../sandbox/files.js';
import { choosableVersions, refusePython, type PythonImage } from '../sandbox/image/pythons.js';
import { refuseCode, type RunInput, type RunOptions } from '../sandbox/request.js';
import { sandboxError, type RunResult, type RunStatus } from '../sandbox/result.js';
import { ExpiringMap } from './expiring-map.js';
import type { RunLimiter, Refusal } from './limiter.js';
import type { Logger } from './log.js';
import type { PlatformName, PlatformProfile } from './platforms.js';
import { renderNotice, renderResult, type RenderLimits } from './render.js';
import type { Reply } from './reply.js';
import type { RunRequest } from './request.js';

/** What the evaluator needs from the sandbox: the Sandbox, or a fake in platform tests. */
export interface SandboxPort {
  run(input: RunInput, options?: RunOptions): Promise<RunResult>;
}

export interface EvaluatorDeps {
  sandbox: SandboxPort;
  limiter: RunLimiter;
  /** The quotas, as status lines cite them. */
  limits: RenderLimits;
  maxCodeBytes: number;
  /** The packages the image provides, for hints ("No module named pandas"); unknown for a custom image. */
  packages?: readonly string[];
  /** The Pythons offered (the first is the default): a request for another is refused, naming these. */
  pythons: readonly PythonImage[];
  log: Logger;
  /** Told of every answer (the bot's metrics, when monitoring is on). */
  observer?: AnswerObserver;
}

/** Why a request was answered without a run: the limiter's reasons, or the request's own. */
export type RefusalReason = Refusal['reason'] | 'code_size' | 'files' | 'python';

/**
 * What became of one request, once its reply is ready: a run ended with a status (how long the
 * asker waited, from the request to the reply), it was refused, or Sandpiper failed it.
 */
export type Answer = { platform: PlatformName } & (
  | { outcome: RunStatus; seconds: number }
  | { outcome: 'refused'; reason: RefusalReason }
  | { outcome: 'failed' }
);

export interface AnswerObserver {
  answered(answer: Answer): void;
}

/**
 * "Working on it", as a platform shows it (⏳ on the message, "thinking…", a line in the
 * terminal). Shown only once the run is admitted, so a refusal never follows it; hidden before
 * the reply is returned. A failure to show or hide it never affects the run.
 */
export interface Indicator {
  show(): Promise<void>;
  hide(): Promise<void>;
}

export interface EvaluateOptions {
  indicator?: Indicator;
  /** Cancels the run (the terminal's Ctrl-C): a waiting run is dropped, a running one is killed. */
  signal?: AbortSignal;
}

export function refusalMessage(refusal: Refusal): string {
  const wait = `Try again in ${refusal.retryAfterS} s.`;
  switch (refusal.reason) {
    case 'user_rate':
      return `Slow down: you have used this minute's runs. ${wait}`;
    case 'user_queue':
      return `Slow down: you already have runs waiting. ${wait}`;
    case 'busy':
      return `Sandpiper is busy right now. ${wait}`;
    case 'stopping':
      return RESTARTING;
  }
}

const RESTARTING = 'Sandpiper is restarting. Try again in a minute.';

/** A run that ended at one of these used up a quota: its user runs at low priority for a while (Evaluator.lowPriority). */
const QUOTA_ENDINGS: ReadonlySet<RunStatus> = new Set(['timeout', 'memory', 'output_limit', 'killed']);
/** How long that lasts, unless one of the user's runs ends by itself first. */
const LOW_PRIORITY_FOR_MS = 10 * 60_000;

/**
 * RunRequest → limiter → sandbox → Reply: the pipeline every platform shares. Every request gets
 * exactly one Reply, whatever happens (refusals and internal errors included); it never throws.
 */
export class Evaluator {
  /** Aborted when a stop's grace period is over: runs still going are cut. */
  private readonly shutdown = new AbortController();
  private closing: Promise<void> | undefined;
  /**
   * Users whose last run ended at a quota (a bomb, most likely) run at low priority: no
   * pre-started sandbox, and a CPU weight below everyone else's. Bombs back to back would otherwise
   * drain the pool, and the cold starts everyone else then gets would compete with them for CPU and
   * take seconds. A cold start adds ~0.2 s to runs that last seconds (docs/performance.md).
   */
  private readonly lowPriority = new ExpiringMap<string, true>(LOW_PRIORITY_FOR_MS);

  constructor(private readonly deps: EvaluatorDeps) {
    // Every run waiting or running listens for the stop (twice: its turn, its sandbox), each
    // letting go when it ends: many listeners are the normal load, not a leak to warn of.
    setMaxListeners(0, this.shutdown.signal);
  }

  async evaluate(request: RunRequest, profile: PlatformProfile, options: EvaluateOptions = {}): Promise<Reply> {
    const { log } = this.deps;
    const context = { request: request.id, platform: request.platform, user: request.user, trigger: request.trigger };
    const who = `${request.platform}:${request.user}`;
    const startedAt = performance.now();
    let shown: Promise<void> | undefined;
    let cancel: LinkedSignal | undefined;
    try {
      log.debug({ ...context, code: request.code, stdin: request.stdin }, 'run requested');
      const tooBig = refuseCode(request.code + (request.timeit?.setup ?? ''), this.deps.maxCodeBytes);
      if (tooBig) {
        log.info({ ...context, refused: 'code_size' }, 'run refused');
        return this.refused(request, 'code_size', renderNotice(`Not run: ${tooBig}.`, profile));
      }
      const sizes = request.files?.map(({ name, bytes }) => ({ name, size: bytes.length }));
      const badFiles = sizes && refuseInputFiles(sizes, this.deps.limits.files);
      if (badFiles) {
        log.info({ ...context, refused: 'files' }, 'run refused');
        return this.refused(request, 'files', renderNotice(`Not run: ${badFiles}.`, profile));
      }
      const otherPython = request.python === undefined ? null : refusePython(request.python, this.deps.pythons);
      if (otherPython) {
        log.info({ ...context, refused: 'python', python: request.python }, 'run refused');
        return this.refused(request, 'python', renderNotice(`Not run: ${otherPython}.`, profile));
      }
      cancel = anyAborted([options.signal, this.shutdown.signal]);
      const { signal } = cancel;
      const { code, stdin, timeit, files, python } = request;
      const input: RunInput = {
        code,
        ...(stdin ? { stdin } : {}),
        ...(timeit ? { timeit } : {}),
        ...(files ? { files } : {}),
        ...(python ? { python } : {}),
      };
      let started = false;
      const run = async () => {
        started = true;
        if (signal.aborted) return notStarted();
        const priority = this.lowPriority.has(who) ? 'low' : 'normal';
        const result = await this.deps.sandbox.run(input, { requestId: request.id, signal, priority });
        this.classify(who, result);
        return result;
      };
      const admitted = () => {
        shown = options.indicator?.show().catch((error: unknown) => log.debug({ ...context, err: error }, 'could not show the indicator'));
      };
      // A run cancelled while it waits for its turn is answered at once; its turn then runs nothing.
      // One cancelled once started is the sandbox's to end: it answers at once, with what the
      // program printed so far.
      const admission = await untilAborted(this.deps.limiter.schedule(who, run, admitted), signal, () => started);
      // Which Python the result is of, as users choose it: a platform may offer the others.
      const chosen = python ?? choosableVersions(this.deps.pythons)[0];
      const rendered = (result: RunResult): Reply => {
        const waitedMs = performance.now() - startedAt;
        const reply = {
          ...renderResult(this.explained(result), profile, this.deps.limits, {
            waitedMs,
            stdinGiven: request.stdin !== undefined,
            ...(this.deps.packages ? { packages: this.deps.packages } : {}),
          }),
          ...(chosen === undefined ? {} : { python: chosen }),
        };
        this.observe({ platform: request.platform, outcome: result.status, seconds: waitedMs / 1000 });
        return reply;
      };
      if (!admission) return await this.finish(rendered(notStarted()), shown, options);
      if (!admission.admitted) {
        log.info({ ...context, refused: admission.reason, retryAfterS: admission.retryAfterS }, 'run refused');
        return this.refused(request, admission.reason, renderNotice(refusalMessage(admission), profile));
      }
      const result = this.explained(admission.value);
      log.info(
        {
          ...context,
          status: result.status,
          durationMs: result.durationMs,
          totalMs: Math.round(performance.now() - startedAt),
          outputBytes: result.outputBytes,
          ...(result.reason ? { reason: result.reason } : {}),
        },
        'run finished',
      );
      return await this.finish(rendered(result), shown, options);
    } catch (error) {
      log.error({ ...context, err: error }, 'run failed inside Sandpiper');
      this.observe({ platform: request.platform, outcome: 'failed' });
      return this.finish(renderNotice('Something went wrong on our side, so the code was not run. Try again.', profile), shown, options);
    } finally {
      // The run is over, or was cancelled (its signal then stays aborted): stop listening.
      cancel?.release();
    }
  }

  /**
   * Stops taking runs: waiting ones are answered "restarting" at once, running ones may finish
   * within `graceMs` and are cut after it. Resolves when no run is left.
   */
  close(graceMs = Infinity): Promise<void> {
    return (this.closing ??= (async () => {
      const timer = Number.isFinite(graceMs) ? setTimeout(() => this.shutdown.abort(new Error(RESTARTING)), graceMs) : undefined;
      try {
        await this.deps.limiter.stop();
      } finally {
        clearTimeout(timer);
      }
    })());
  }

  private refused(request: RunRequest, reason: RefusalReason, reply: Reply): Reply {
    this.observe({ platform: request.platform, outcome: 'refused', reason });
    return reply;
  }

  /** An observer's failure is logged, never the asker's problem. */
  private observe(answer: Answer): void {
    try {
      this.deps.observer?.answered(answer);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'could not record an answer');
    }
  }

  /** A run that used up a quota puts its user at low priority; one that ended by itself takes them off it. */
  private classify(who: string, result: RunResult): void {
    if (QUOTA_ENDINGS.has(result.status)) this.lowPriority.set(who, true);
    else if (result.status === 'ok' || result.status === 'error') this.lowPriority.delete(who);
  }

  /** A run cut by a stop says so: the user didn't cancel it. */
  private explained(result: RunResult): RunResult {
    return result.status === 'cancelled' && this.shutdown.signal.aborted ? { ...result, reason: RESTARTING } : result;
  }

  /** The indicator goes before the reply does. */
  private async finish(reply: Reply, shown: Promise<void> | undefined, options: EvaluateOptions): Promise<Reply> {
    if (shown) {
      await shown;
      await options.indicator?.hide().catch((error: unknown) => this.deps.log.debug({ err: error }, 'could not hide the indicator'));
    }
    return reply;
  }
}

/** The admission, or undefined if `signal` aborts before the run has `started`. */
function untilAborted<T>(admission: Promise<T>, signal: AbortSignal, started: () => boolean): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => {
      if (!started()) resolve(undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    admission.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A run cancelled while it waited for its turn: nothing ran. */
function notStarted(): RunResult {
  const { reason: _none, ...result } = sandboxError('');
  return { ...result, status: 'cancelled' };
}
