import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { startRunnerService } from '../service/start.js';
import { exitSoon, stopOnSignals } from './signals.js';
import type { CommandHelp } from './usage.js';

export const runnerHelp: CommandHelp = {
  synopsis: 'runner',
  summary: 'serve runs over HTTP: snekbox-compatible POST /eval, and POST /v1/runs',
  details: `Listens on RUNNER_HOST:RUNNER_PORT (default 127.0.0.1:8060) and runs code for other processes:

  POST /eval      snekbox's API: {"input": "print(1)"} or {"args": [...], "files": [...]}
  POST /v1/runs   {"code", "stdin", "files", "python", "timeit"} → the RunResult of eval --json
  GET  /healthz   200 when a sandbox can start, 503 with the reason otherwise (no token needed)
  GET  /metrics   Prometheus metrics

With RUNNER_TOKEN set, every request but /healthz needs "Authorization: Bearer <token>"; a host
other than a loopback address needs one. At most LIMIT_CONCURRENCY runs at once and LIMIT_QUEUE
waiting: past that, 429 with Retry-After. SIGINT or SIGTERM drains (running ones finish, new
requests get 503) and stops; a second one exits at once.`,
};

/** `sandpiper runner`: the HTTP service, until SIGINT/SIGTERM. */
export async function runnerCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const config = loadConfig();
  const service = await startRunnerService(config, createLogger(config.logLevel ?? 'info'));
  await new Promise<void>((resolve) => stopOnSignals(() => void service.close().then(resolve)));
  return exitSoon(0);
}
