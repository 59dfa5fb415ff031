import { setMaxListeners } from 'node:events';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { anyAborted } from '../../sandbox/abort.js';
import { withDeadline } from '../../sandbox/deadline.js';
import { formatKiB } from '../../sandbox/files.js';
import type { RunInput } from '../../sandbox/request.js';
import { cancelledBeforeRun, runResultJson, type RunResult } from '../../sandbox/result.js';
import type { Config, SandboxConfig } from '../config.js';
import type { Logger } from '../log.js';
import { hasBearerToken } from './auth.js';
import { HealthCheck, PROBE_START_MS, type ServiceSandbox } from './health.js';
import { RunnerMetrics } from './metrics.js';
import { nativeRunInput } from './native.js';
import { HttpProblem, sendProblem, statusProblem, type Checked, type InputRules, type Problem } from './problem.js';
import { RunQueue } from './run-queue.js';
import { evalResponse, evalRunInput, validateEvalRequest } from './snekbox.js';

export interface RunnerAppOptions {
  sandbox: ServiceSandbox;
  config: Pick<Config, 'sandbox' | 'limiter' | 'runner'>;
  log: Logger;
}

export interface RunnerApp {
  app: FastifyInstance;
  /**
   * Drains, then closes the server: new requests get 503 at once; runs admitted (running or
   * waiting) may finish within the run timeout plus a few seconds, and are cancelled after it.
   * Never waits unbounded. Leaves the sandbox open (its owner closes it).
   */
  stop(): Promise<void>;
}

/** Open paths: a load balancer's health check carries no token. */
const HEALTH_PATH = '/healthz';
/** What a drain allows beyond the run timeout, and what cancelled runs and the server's close may take. */
const DRAIN_SLACK_MS = 5_000;
const CLOSE_MS = 10_000;
/**
 * Once a reply is handed to the kernel, its client (often on this host, in the bench in this very
 * process) needs a moment to read it: the engine's work after the run waits that long too.
 */
const READ_MOMENT_MS = 5;

/**
 * The largest body worth reading: the input files at their total limit in base64 (4 bytes per 3),
 * the code at its limit with every character JSON-escaped (`\uXXXX`, 6 bytes), and 64 KiB for the
 * rest (paths, stdin, the JSON around them). A bigger one is refused (413) before it is read.
 */
export function bodyLimitFor({ limits, maxCodeBytes }: Pick<SandboxConfig, 'limits' | 'maxCodeBytes'>): number {
  return 4 * Math.ceil((limits.files.totalKb * 1024) / 3) + 6 * maxCodeBytes + 64 * 1024;
}

/** The runner service's HTTP app: snekbox's `/eval`, `/v1/runs`, `/healthz`, `/metrics`. */
export function buildRunnerApp({ sandbox, config, log }: RunnerAppOptions): RunnerApp {
  const { limits, maxCodeBytes, pythons, runtime } = config.sandbox;
  const { limiter, runner } = config;
  const rules: InputRules = { pythons, files: limits.files, maxCodeBytes };
  const runMs = limits.timeoutS * 1000;
  const bodyLimit = bodyLimitFor(config.sandbox);
  const queue = new RunQueue(limiter);
  const metrics = new RunnerMetrics(queue, sandbox, runtime);
  const health = new HealthCheck(sandbox, runMs + PROBE_START_MS);
  /** Aborted when a drain runs out of time: what is still running is cancelled. */
  const cutRuns = new AbortController();
  // Every run admitted listens for it, and lets go when it ends: many listeners are the load.
  setMaxListeners(0, cutRuns.signal);
  let draining = false;

  const app = Fastify({ bodyLimit, logger: false });
  // snekbox takes JSON only: a text/plain body is 415 like any other type.
  app.removeContentTypeParser('text/plain');

  const stopping = (): Problem => statusProblem(503, 'the runner is stopping: try again shortly (or another runner)', { 'retry-after': String(limiter.runSeconds), connection: 'close' });

  app.addHook('onRequest', async (request) => {
    const open = request.routeOptions.url === HEALTH_PATH;
    if (draining && !open) throw new HttpProblem(stopping());
    if (runner.token && !open && !hasBearerToken(request.headers.authorization, runner.token)) {
      throw new HttpProblem(statusProblem(401, 'this runner needs its token: Authorization: Bearer <RUNNER_TOKEN>', { 'www-authenticate': 'Bearer' }));
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpProblem) return sendProblem(reply, error.problem);
    const problem = fastifyProblem(error, request, bodyLimit);
    if (problem.status >= 500) log.error({ err: error, url: request.url }, 'the runner service failed a request');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, statusProblem(404, `nothing at ${request.method} ${request.url}`)));

  /**
   * Runs `input` when its turn comes: 429 at once when the queue is full, 503 if a stop cut it.
   * A client that hangs up gives up its run: a waiting one never starts, a running one is killed.
   */
  async function run(input: RunInput, reply: FastifyReply): Promise<RunResult> {
    const hungUp = new AbortController();
    const delivered = new Promise<void>((resolve) =>
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) hungUp.abort();
        setTimeout(resolve, READ_MOMENT_MS);
      }),
    );
    const cancel = anyAborted([cutRuns.signal, hungUp.signal]);
    const turn = queue.admit(async () => {
      const started = performance.now();
      // The used container's removal and the pool's refill wait for the reply to be sent.
      const result = await sandbox.run(input, { signal: cancel.signal, delivered });
      metrics.recordRun(result, (performance.now() - started) / 1000);
      return result;
    }, hungUp.signal);
    if (!turn) {
      cancel.release();
      const description = `every sandbox is busy (${limiter.concurrency} at once) and the queue is full (${limiter.queue} waiting): try again in ${limiter.runSeconds} s`;
      throw new HttpProblem(statusProblem(429, description, { 'retry-after': String(limiter.runSeconds) }));
    }
    void turn.then(cancel.release, cancel.release); // once the turn is over, nothing listens for a cancel
    const result = await turn.catch((error: unknown) => {
      if (hungUp.signal.aborted) return cancelledBeforeRun(); // given up while waiting: nobody is left to answer
      throw error;
    });
    if (result.status === 'cancelled') throw new HttpProblem(stopping());
    return result;
  }

  app.post('/eval', async (request, reply) => {
    const valid = accepted(validateEvalRequest(request.body));
    return evalResponse(await run(accepted(evalRunInput(valid, rules)), reply));
  });
  app.post('/v1/runs', async (request, reply) => runResultJson(await run(accepted(nativeRunInput(request.body, rules)), reply)));
  app.get(HEALTH_PATH, async (_request, reply) => {
    const state = draining ? { ok: false as const, reason: 'the runner is stopping' } : await health.check();
    if (!state.ok) return reply.code(503).send({ status: 'unavailable', reason: state.reason });
    const { ok: _ok, ...facts } = state;
    return { status: 'ok', ...facts };
  });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  for (const [url, method] of [['/eval', 'POST'], ['/v1/runs', 'POST'], [HEALTH_PATH, 'GET'], ['/metrics', 'GET']] as const) allowOnly(app, url, method);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      draining = true;
      const drainMs = runMs + DRAIN_SLACK_MS;
      const drained = await withDeadline(queue.idle(), drainMs, 'drain').then(() => true, () => false);
      if (!drained) {
        log.warn({ running: queue.active, waiting: queue.length, waitedMs: drainMs }, 'runs did not finish in time: cancelling them');
        cutRuns.abort();
        await withDeadline(queue.idle(), CLOSE_MS, 'cancelled runs did not end').catch(() => {});
      }
      await withDeadline(app.close(), CLOSE_MS, 'the server did not close').catch(() => app.server.closeAllConnections());
    })());
  return { app, stop };
}

/** The value of a checked request, or its Problem thrown for the error handler to send. */
function accepted<T>(checked: Checked<T>): T {
  if (!checked.ok) throw new HttpProblem(checked.problem);
  return checked.value;
}

/** Fastify's own refusals (media type, body size, JSON), worded as snekbox's falcon words them. */
function fastifyProblem(error: FastifyError, request: FastifyRequest, bodyLimit: number): Problem {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = request.headers['content-type'];
      return statusProblem(415, type ? `${type} is an unsupported media type.` : 'a body needs Content-Type: application/json');
    }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { ...statusProblem(413, `the body is over this runner's limit of ${formatKiB(bodyLimit)} (set by SANDBOX_FILES_TOTAL_KB and SANDBOX_MAX_CODE_KB)`), title: 'Request body too large' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, title: 'Invalid JSON', description: 'Could not parse an empty JSON body' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, title: 'Invalid JSON', description: 'Could not parse JSON body' };
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  return statusProblem(status, status < 500 ? error.message : undefined);
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** As falcon answers: another method gets 405 naming the one allowed (`Allow`), OPTIONS 200 with it. */
function allowOnly(app: FastifyInstance, url: string, allowed: 'GET' | 'POST'): void {
  // A GET route answers HEAD too (Fastify adds it).
  const others = METHODS.filter((method) => method !== allowed && !(allowed === 'GET' && method === 'HEAD'));
  app.route({ method: [...others], url, handler: async () => { throw new HttpProblem(statusProblem(405, undefined, { allow: allowed })); } });
  app.options(url, async (_request, reply) => reply.header('allow', allowed).code(200).send());
}
