import type { RunInput, RunOptions } from '../../sandbox/request.js';
import { cancelledBeforeRun, runResultFromJson, sandboxError, type RunResult } from '../../sandbox/result.js';
import type { Sandbox, SandboxReadiness } from '../../sandbox/sandbox.js';
import { encodeBase64 } from './base64.js';

/**
 * The Sandbox of a bot without a Docker engine (SANDBOX_RUNNERS): each run goes to one of the
 * runner services (`sandpiper runner`) over HTTP, `POST /v1/runs`. A run goes to the healthy runner
 * with the fewest runs outstanding. A runner that fails is left alone for a while. A run moves on
 * to another runner only when its code certainly never started (the connection was refused, or the
 * runner said it was busy or stopping): user code never runs twice. Like every Sandbox, run()
 * never throws.
 */
export interface RemoteSettings {
  /** The runners' base URLs, e.g. http://10.0.0.5:8060. */
  runners: readonly string[];
  /** RUNNER_TOKEN, sent as a Bearer token. */
  token: string | undefined;
  /** The run timeout: a request may take that, plus the runner's queue and start-up (REQUEST_SLACK_MS). */
  runMs: number;
}

/** What a request may take beyond the run itself: the runner's queue, a cold start, collecting files. */
const REQUEST_SLACK_MS = 30_000;
/** How long a runner that failed is left out, unless every runner is. */
const DOWN_FOR_MS = 30_000;
const HEALTH_CHECK_MS = 5_000;
/** Connection errors that mean the request never reached the runner, so nothing ran. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

interface Runner {
  url: string;
  outstanding: number;
  /** Left out until then (it failed), unless every runner is. */
  downUntil: number;
}

/** How one attempt at one runner ended: a result, or a refusal before anything ran (try another). */
type Attempt = { result: RunResult } | { notStarted: string };

export class RemoteSandbox implements Sandbox {
  readonly ready: Promise<SandboxReadiness>;
  private readonly runners: Runner[];

  constructor(private readonly settings: RemoteSettings) {
    this.runners = settings.runners.map((url) => ({ url: url.replace(/\/+$/, ''), outstanding: 0, downUntil: 0 }));
    this.ready = this.checkHealth();
  }

  async run(input: RunInput, options: RunOptions = {}): Promise<RunResult> {
    const problems: string[] = [];
    for (const runner of this.byPreference()) {
      if (options.signal?.aborted) return cancelledBeforeRun();
      const attempt = await this.attempt(runner, input, options.signal);
      if ('result' in attempt) return attempt.result;
      problems.push(`${runner.url}: ${attempt.notStarted}`);
    }
    return sandboxError(`no runner could take the run (${problems.join('; ')}): check SANDBOX_RUNNERS and that the runners are up`);
  }

  /** Nothing to release: the runners own their sandboxes. Runs still going end with their requests. */
  async close(): Promise<void> {}

  /** Healthy runners first, fewest outstanding first; those left out last, in case all of them are. */
  private byPreference(): Runner[] {
    const now = Date.now();
    const rank = (runner: Runner) => (runner.downUntil > now ? 1 : 0);
    return [...this.runners].sort((a, b) => rank(a) - rank(b) || a.outstanding - b.outstanding);
  }

  private async attempt(runner: Runner, input: RunInput, signal: AbortSignal | undefined): Promise<Attempt> {
    const deadline = AbortSignal.timeout(this.settings.runMs + REQUEST_SLACK_MS);
    runner.outstanding++;
    try {
      const response = await fetch(`${runner.url}/v1/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.authorization() },
        body: JSON.stringify(requestBody(input)),
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      });
      const body = await response.json().catch(() => null);
      if (response.ok) {
        const result = runResultFromJson(body);
        return { result: result ?? this.failed(runner, 'its answer was not a run result') };
      }
      const said = describeProblem(body) ?? `HTTP ${response.status}`;
      // Busy or stopping: the run was refused before it started, so another runner may take it.
      if (response.status === 429 || response.status === 503) {
        if (response.status === 503) this.markDown(runner);
        return { notStarted: said };
      }
      if (response.status === 401) return { result: sandboxError(`the runner ${runner.url} refused the token: set RUNNER_TOKEN to the runners' token`) };
      if (response.status < 500) return { result: sandboxError(`the runner refused the run: ${said}`) };
      return { result: this.failed(runner, said) };
    } catch (error) {
      if (signal?.aborted) return { result: cancelledBeforeRun() };
      const code = errorCode(error);
      if (code && NEVER_CONNECTED.has(code)) {
        this.markDown(runner);
        return { notStarted: `unreachable (${code})` };
      }
      const why = deadline.aborted ? `no answer within ${(this.settings.runMs + REQUEST_SLACK_MS) / 1000} s` : (code ?? (error as Error).message);
      return { result: this.failed(runner, why) };
    } finally {
      runner.outstanding--;
    }
  }

  /** The request reached the runner, so the code may have run: not retried elsewhere. */
  private failed(runner: Runner, why: string): RunResult {
    this.markDown(runner);
    return sandboxError(`the runner ${runner.url} failed during the run, so its output was lost (${why})`);
  }

  private markDown(runner: Runner): void {
    runner.downUntil = Date.now() + DOWN_FOR_MS;
  }

  private authorization(): Record<string, string> {
    return this.settings.token ? { authorization: `Bearer ${this.settings.token}` } : {};
  }

  /** Ready when at least one runner says it can start a sandbox; otherwise, why none can. */
  private async checkHealth(): Promise<SandboxReadiness> {
    const answers = await Promise.all(
      this.runners.map(async (runner) => {
        try {
          const response = await fetch(`${runner.url}/healthz`, { signal: AbortSignal.timeout(HEALTH_CHECK_MS) });
          if (response.ok) return null;
          const body = (await response.json().catch(() => null)) as { reason?: string } | null;
          return `${runner.url}: ${body?.reason ?? `HTTP ${response.status}`}`;
        } catch (error) {
          return `${runner.url}: unreachable (${errorCode(error) ?? (error as Error).message})`;
        }
      }),
    );
    const problems = answers.filter((answer): answer is string => answer !== null);
    return problems.length < this.runners.length ? { ok: true } : { ok: false, reason: `no runner is ready: ${problems.join('; ')}` };
  }
}

/** The `/v1/runs` body for a RunInput (files in base64). */
function requestBody({ code, stdin, files, python, timeit }: RunInput): object {
  return {
    code,
    ...(stdin ? { stdin } : {}),
    ...(files?.length ? { files: files.map(({ name, bytes }) => ({ name, content: encodeBase64(bytes) })) } : {}),
    ...(python ? { python } : {}),
    ...(timeit ? { timeit } : {}),
  };
}

/** A runner's `{title, description}` as one line. */
function describeProblem(body: unknown): string | null {
  const problem = body as { title?: unknown; description?: unknown } | null;
  if (!problem || typeof problem.title !== 'string') return null;
  return typeof problem.description === 'string' ? `${problem.title}: ${problem.description}` : problem.title;
}

/** The system error code behind a failed fetch (undici puts it on `cause`). */
function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}
