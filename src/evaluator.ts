import type { RunResult } from '../sandbox/result.js';
import { refuseCode, type RunInput } from '../sandbox/request.js';
import type { RunLimiter, Refusal } from './limiter.js';
import type { Logger } from './log.js';
import type { PlatformProfile } from './platforms.js';
import { renderNotice, renderResult, type RenderLimits } from './render.js';
import type { Reply } from './reply.js';
import type { RunRequest } from './request.js';

/** What the evaluator needs from the sandbox: the runner, or a fake in platform tests. */
export interface SandboxPort {
  run(input: RunInput): Promise<RunResult>;
}

export interface EvaluatorDeps {
  sandbox: SandboxPort;
  limiter: RunLimiter;
  /** The quotas, as status lines cite them. */
  limits: RenderLimits;
  maxCodeBytes: number;
  log: Logger;
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
      return 'Sandpiper is restarting. Try again in a minute.';
  }
}

/**
 * RunRequest → limiter → sandbox → Reply: the pipeline every platform shares. Every request gets
 * exactly one Reply, whatever happens (refusals and internal errors included); it never throws.
 */
export class Evaluator {
  constructor(private readonly deps: EvaluatorDeps) {}

  async evaluate(request: RunRequest, profile: PlatformProfile): Promise<Reply> {
    const { log } = this.deps;
    const context = { request: request.id, platform: request.platform, user: request.user, trigger: request.trigger };
    const startedAt = performance.now();
    try {
      log.debug({ ...context, code: request.code, stdin: request.stdin }, 'run requested');
      const tooBig = refuseCode(request.code, this.deps.maxCodeBytes);
      if (tooBig) {
        log.info({ ...context, refused: 'code_size' }, 'run refused');
        return renderNotice(`Not run: ${tooBig}.`, profile);
      }
      const input: RunInput = { code: request.code, ...(request.stdin ? { stdin: request.stdin } : {}) };
      const admission = await this.deps.limiter.schedule(`${request.platform}:${request.user}`, () =>
        this.deps.sandbox.run(input),
      );
      if (!admission.admitted) {
        log.info({ ...context, refused: admission.reason, retryAfterS: admission.retryAfterS }, 'run refused');
        return renderNotice(refusalMessage(admission), profile);
      }
      const result = admission.value;
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
      return renderResult(result, profile, this.deps.limits);
    } catch (error) {
      log.error({ ...context, err: error }, 'run failed inside Sandpiper');
      return renderNotice('Something went wrong on our side, so the code was not run. Try again.', profile);
    }
  }

  /** Stops taking runs: waiting ones are answered "restarting", running ones finish. */
  async close(): Promise<void> {
    await this.deps.limiter.stop();
  }
}
