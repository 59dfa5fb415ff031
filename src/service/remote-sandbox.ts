import { Agent, request } from 'undici';
import { anyAborted } from '../../sandbox/abort.js';
import type { RunInput, RunOptions } from '../../sandbox/request.js';
import { cancelledBeforeRun, runResultFromJson, sandboxError, type RunResult } from '../../sandbox/result.js';
import type { Sandbox, SandboxReadiness } from '../../sandbox/sandbox.js';
import { encodeBase64 } from './base64.js';

export interface RemoteSettings {
  /** The runners' base URLs, e.g. http://10.0.0.5:8060. */
  runners: readonly string[];
  /** RUNNER_TOKEN, sent as a Bearer token. */
  token: string | undefined;
  /** The run timeout: a request may take that, plus the runner's queue and start-up (REQUEST_SLACK_MS). */
  runMs: number;
  /** How often a runner that failed is asked (`GET /healthz`) whether it is back; 2 s by default. */
  recheckMs?: number;
}

/** A runner as the bot sees it, for its own /healthz and /metrics. */
export interface RunnerState {
  url: string;
  /** False from a failure until its /healthz answers 200 again. */
  up: boolean;
  outstanding: number;
  /** Why it is down. */
  reason?: string;
}

/** What a request may take beyond the run itself: the runner's queue, a cold start, collecting files. */
const REQUEST_SLACK_MS = 30_000;
const RECHECK_MS = 2_000;
const HEALTH_CHECK_MS = 5_000;
/** Connection errors that mean the request never reached the runner, so nothing ran. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

interface Runner {
  url: string;
  outstanding: number;
  /** Why it is left out (it failed), unless every runner is; null while it is up. */
  down: string | null;
  /** While it is down: the next look at its /healthz. */
  recheck?: NodeJS.Timeout;
}

/** How one attempt at one runner ended: a result, or a refusal before anything ran (try another). */
type Attempt = { result: RunResult } | { notStarted: string };

/**
 * The Sandbox of a bot without a Docker engine (SANDBOX_RUNNERS): each run goes to one of the
 * runner services (`sandpiper runner`) over HTTP, `POST /v1/runs`. A run goes to the healthy runner
 * with the fewest runs outstanding. A runner that fails is left out until its /healthz says it is
 * back. A run moves on to another runner only when its code certainly never started (the
 * connection was refused, or the runner said it was busy or stopping): user code never runs twice.
 * Like every Sandbox, run() never throws.
 */
export class RemoteSandbox implements Sandbox {
  readonly ready: Promise<SandboxReadiness>;
  private readonly runners: Runner[];
  /**
   * The connections to the runners, kept alive. undici's request() rather than fetch(): measured on
   * loopback, fetch's extra layers cost about 1.5 ms per run.
   */
  private readonly connections = new Agent();
  private closed = false;

  constructor(private readonly settings: RemoteSettings) {
    this.runners = settings.runners.map((url) => ({ url: url.replace(/\/+$/, ''), outstanding: 0, down: null }));
    this.ready = this.checkHealth();
  }

  /** Each runner: up or down (and why), and its runs outstanding. */
  states(): RunnerState[] {
    return this.runners.map(({ url, outstanding, down }) => ({ url, up: down === null, outstanding, ...(down === null ? {} : { reason: down }) }));
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

  /** Stops looking at failed runners; the runners own their sandboxes. Runs still going end with their requests. */
  async close(): Promise<void> {
    this.closed = true;
    for (const runner of this.runners) clearTimeout(runner.recheck);
    void this.connections.close(); // closes each connection once its request, if any, is answered
  }

  /** Healthy runners first, fewest outstanding first; those left out last, in case all of them are. */
  private byPreference(): Runner[] {
    const rank = (runner: Runner) => (runner.down === null ? 0 : 1);
    return [...this.runners].sort((a, b) => rank(a) - rank(b) || a.outstanding - b.outstanding);
  }

  private async attempt(runner: Runner, input: RunInput, signal: AbortSignal | undefined): Promise<Attempt> {
    const deadline = AbortSignal.timeout(this.settings.runMs + REQUEST_SLACK_MS);
    const cancel = anyAborted([signal, deadline]);
    runner.outstanding++;
    try {
      const { status, body } = await this.call(`${runner.url}/v1/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.authorization() },
        body: JSON.stringify(requestBody(input)),
        signal: cancel.signal,
      });
      if (status === 200) {
        const result = runResultFromJson(body);
        return { result: result ?? this.failed(runner, 'its answer was not a run result') };
      }
      const said = describeProblem(body) ?? `HTTP ${status}`;
      // Busy or stopping: the run was refused before it started, so another runner may take it.
      if (status === 429 || status === 503) {
        if (status === 503) this.markDown(runner, said);
        return { notStarted: said };
      }
      if (status === 401) return { result: sandboxError(`the runner ${runner.url} refused the token: set RUNNER_TOKEN to the runners' token`) };
      if (status < 500) return { result: sandboxError(`the runner refused the run: ${said}`) };
      return { result: this.failed(runner, said) };
    } catch (error) {
      if (signal?.aborted) return { result: cancelledBeforeRun() };
      const code = errorCode(error);
      if (code && NEVER_CONNECTED.has(code)) {
        const why = `unreachable (${code})`;
        this.markDown(runner, why);
        return { notStarted: why };
      }
      const why = deadline.aborted ? `no answer within ${(this.settings.runMs + REQUEST_SLACK_MS) / 1000} s` : (code ?? (error as Error).message);
      return { result: this.failed(runner, why) };
    } finally {
      cancel.release();
      runner.outstanding--;
    }
  }

  /** The request reached the runner, so the code may have run: not retried elsewhere. */
  private failed(runner: Runner, why: string): RunResult {
    this.markDown(runner, `it failed during a run (${why})`);
    return sandboxError(`the runner ${runner.url} failed during the run, so its output was lost (${why})`);
  }

  /** Leaves `runner` out, and looks at its /healthz every few seconds until it answers 200. */
  private markDown(runner: Runner, why: string): void {
    const wasUp = runner.down === null;
    runner.down = why;
    if (!wasUp || this.closed) return;
    const recheck = () => {
      runner.recheck = setTimeout(() => {
        void this.healthOf(runner).then((problem) => {
          if (this.closed) return;
          runner.down = problem;
          if (problem !== null) recheck();
        });
      }, this.settings.recheckMs ?? RECHECK_MS).unref();
    };
    recheck();
  }

  /** One request to a runner: its status, and its body as JSON (null when it isn't JSON). */
  private async call(url: string, options: Omit<Parameters<typeof request>[1], 'dispatcher'>): Promise<{ status: number; body: unknown }> {
    const response = await request(url, { ...options, dispatcher: this.connections });
    return { status: response.statusCode, body: await response.body.json().catch(() => null) };
  }

  private authorization(): Record<string, string> {
    return this.settings.token ? { authorization: `Bearer ${this.settings.token}` } : {};
  }

  /** Ready when at least one runner says it can start a sandbox; otherwise, why none can. */
  private async checkHealth(): Promise<SandboxReadiness> {
    const answers = await Promise.all(
      this.runners.map(async (runner) => {
        const problem = await this.healthOf(runner);
        if (problem === null) return null;
        this.markDown(runner, problem);
        return `${runner.url}: ${problem}`;
      }),
    );
    const problems = answers.filter((answer): answer is string => answer !== null);
    return problems.length < this.runners.length ? { ok: true } : { ok: false, reason: `no runner is ready: ${problems.join('; ')}` };
  }

  /** Null when the runner's /healthz answers 200; otherwise why not. */
  private async healthOf(runner: Runner): Promise<string | null> {
    try {
      const { status, body } = await this.call(`${runner.url}/healthz`, { method: 'GET', signal: AbortSignal.timeout(HEALTH_CHECK_MS) });
      if (status === 200) return null;
      return (body as { reason?: string } | null)?.reason ?? `HTTP ${status}`;
    } catch (error) {
      return `unreachable (${errorCode(error) ?? (error as Error).message})`;
    }
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

/** The system or undici error code of a failed request. */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
