import { ADAPTER_LABELS, type AdapterModule, type RunningAdapter } from './adapter.js';
import { loadConfig, type Config } from './config.js';
import { Evaluator } from './evaluator.js';
import { RunLimiter } from './limiter.js';
import { createLogger, TerminalLogs, type Logger } from './log.js';
import { checkHealth } from './monitoring/health.js';
import { BotMetrics } from './monitoring/metrics.js';
import { sandboxHealthCheck } from './monitoring/sandbox-health.js';
import { startMonitoring, type MonitoringServer } from './monitoring/server.js';
import type { PlatformName } from './platforms.js';
import { openBotSandbox } from './sandbox.js';
import { builtInPackagesOf } from '../sandbox/image/packages.js';
import { withDeadline } from '../sandbox/deadline.js';

/** How long an adapter may take to connect before start-up gives up on it. */
const ADAPTER_START_MS = 60_000;
/** After the runs' grace period, how long replies may still take to be posted. */
const POSTING_GRACE_MS = 5_000;
/** What a stop may take beyond the run timeout, whatever the platforms and Docker do. */
const STOP_SLACK_MS = 20_000;

/**
 * Adapters are loaded by name: src/ never imports adapters/ statically (docs/architecture.md).
 * Each adapters/<name>/index.ts exports `start`.
 */
async function loadAdapter(name: PlatformName): Promise<AdapterModule> {
  return (await import(/* @vite-ignore */ `../adapters/${name}/index.js`)) as AdapterModule;
}

/** The console chat is a terminal UI: keep logs out of it unless asked for. */
function logLevelFor(config: Config): string {
  return config.logLevel ?? (config.adapters.every((name) => name === 'console') ? 'warn' : 'info');
}

/** The console chat's logs are for a person: readable lines, which it prints above its prompt. */
function terminalLogsFor(config: Config): TerminalLogs | undefined {
  return config.adapters.every((name) => name === 'console') ? new TerminalLogs() : undefined;
}

/** Start-up failed; `part` names what failed ("the Discord adapter"), and everything opened was closed. */
export class StartError extends Error {
  override name = 'StartError';

  constructor(
    readonly part: string,
    cause: unknown,
  ) {
    super(`could not start ${part}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface RunningBot {
  /** Settles when the bot stopped: after stop(), or when every adapter finished by itself. */
  readonly stopped: Promise<void>;
  /**
   * Stops within a bounded time (the run timeout plus a few seconds), whatever the platforms and
   * Docker do: intake first, then waiting runs are answered "restarting", running ones finish or
   * are cut, replies are posted, containers are removed. Resolves true if everything finished in
   * time, false if the deadline cut something short (the caller should then exit anyway).
   */
  stop(): Promise<boolean>;
  /** Where /healthz and /metrics are served (MONITORING_PORT); undefined when monitoring is off. */
  readonly monitoringUrl: string | undefined;
}

/**
 * Starts Sandpiper: sandbox (orphans reaped, image built if missing, pool) → limiter → evaluator
 * → adapters → the monitoring server, when MONITORING_PORT is set. If any part fails to start,
 * what was started is closed again and a StartError names the part.
 */
export async function startBot(
  config: Config = loadConfig(),
  terminalLogs: TerminalLogs | undefined = terminalLogsFor(config),
  log: Logger = createLogger(logLevelFor(config), terminalLogs),
): Promise<RunningBot> {
  const runMs = config.sandbox.limits.timeoutS * 1000;
  const sandbox = openBotSandbox(config, log);
  const limiter = new RunLimiter(config.limiter);
  const adapters: RunningAdapter[] = [];
  const codeHealth = sandboxHealthCheck(sandbox, runMs);
  // With monitoring on, answers are counted from the first; its server starts once the adapters are up.
  const metrics = config.monitoring ? new BotMetrics({ limiter, adapters, runners: codeHealth.runners }) : undefined;
  const evaluator = new Evaluator({
    sandbox,
    limiter,
    limits: config.sandbox.limits,
    maxCodeBytes: config.sandbox.maxCodeBytes,
    packages: builtInPackagesOf(config.sandbox.pythons),
    pythons: config.sandbox.pythons,
    log,
    ...(metrics ? { observer: metrics } : {}),
  });
  let monitoring: MonitoringServer | undefined;

  const close = async (): Promise<void> => {
    log.info('stopping');
    // A stopping bot is not healthy: its monitoring goes first (within its own deadline).
    const monitoringClosed = monitoring?.close();
    // Waiting runs are refused at once ("restarting"), running ones get the run timeout and are
    // cut after it, and the adapters post what is left, then disconnect.
    const adaptersStopped = adapters.map((adapter) => adapter.stop(runMs + POSTING_GRACE_MS));
    await evaluator.close(runMs);
    await Promise.allSettled(adaptersStopped);
    await sandbox.close();
    await monitoringClosed;
    log.info('stopped');
  };

  try {
    await sandbox.ready;
    for (const name of config.adapters) {
      const context = { evaluator, config, log: log.child({ adapter: name }), terminalLogs };
      const label = ADAPTER_LABELS[name];
      const started = loadAdapter(name).then((adapter) => adapter.start(context));
      try {
        adapters.push(await withDeadline(started, ADAPTER_START_MS, `it did not connect within ${ADAPTER_START_MS / 1000} s`));
      } catch (error) {
        // One that connects after the deadline is stopped at once: it must not keep answering.
        void started.then((adapter) => adapter.stop(0), () => {});
        throw new StartError(label, error);
      }
      log.info({ adapter: name }, 'adapter started');
    }
    if (config.monitoring && metrics) {
      const { host, port } = config.monitoring;
      const health = () => checkHealth(adapters, codeHealth);
      monitoring = await startMonitoring({ config: config.monitoring, health, metrics, log }).catch((error: unknown) => {
        throw new StartError(`the monitoring server on ${host}:${port} (MONITORING_HOST, MONITORING_PORT)`, error);
      });
    }
  } catch (error) {
    // No log line of its own: the caller says what failed (the CLI prints the StartError once).
    await withDeadline(close(), runMs + STOP_SLACK_MS, 'closing took too long').catch(() => {});
    throw error instanceof StartError ? error : new StartError('the sandbox', error);
  }

  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  let stopping: Promise<boolean> | undefined;
  const stop = () =>
    (stopping ??= withDeadline(close(), runMs + STOP_SLACK_MS, 'the stop took too long')
      .then(
        () => true,
        (error: unknown) => {
          log.error({ reason: error instanceof Error ? error.message : String(error) }, 'could not stop cleanly: leaving the rest to the reaper');
          return false;
        },
      )
      .finally(markStopped));
  // Adapters that can finish by themselves (the console at end of input) end the bot with them.
  const finishers = adapters.map((adapter) => adapter.finished);
  if (finishers.every((finished) => finished)) void Promise.allSettled(finishers).then(stop);
  return { stopped, stop, monitoringUrl: monitoring?.url };
}
