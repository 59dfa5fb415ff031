import type { AdapterModule, RunningAdapter } from './adapter.js';
import { loadConfig, type Config } from './config.js';
import { Evaluator } from './evaluator.js';
import { RunLimiter } from './limiter.js';
import { createLogger, type Logger } from './log.js';
import type { PlatformName } from './platforms.js';
import { openSandbox, type Sandbox } from './sandbox.js';
import { describeDockerError, errorDetail } from '../sandbox/docker-errors.js';
import { ensureImage } from '../sandbox/image/ensure.js';
import { reapOrphans, startReaper, type Reaper } from '../sandbox/reaper.js';

const REAP_EVERY_MS = 60_000;

/**
 * Adapters are loaded by name (src/ never imports adapters/ statically: DESIGN.md §1).
 * Each adapters/<name>/index.ts exports `start`.
 */
async function loadAdapter(name: PlatformName): Promise<AdapterModule> {
  return (await import(/* @vite-ignore */ `../adapters/${name}/index.js`)) as AdapterModule;
}

/** The console chat is a terminal UI: keep logs out of it unless asked for. */
function logLevelFor(config: Config): string {
  return config.logLevel ?? (config.adapters.every((name) => name === 'console') ? 'warn' : 'info');
}

export interface Bot {
  /** Settles when the bot stopped: after a signal, or when every adapter finished by itself. */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Sandpiper: config → logger → sandbox (orphans reaped, image built if missing) → limiter →
 * evaluator → adapters. Stops cleanly: intake first, then waiting runs are answered, running
 * ones finish, containers are removed.
 */
export async function startBot(config: Config = loadConfig(), log: Logger = createLogger(logLevelFor(config))): Promise<Bot> {
  const sandbox = openSandbox(config.sandbox, log);
  const reaper = await prepareSandbox(sandbox, config, log);
  const limiter = new RunLimiter(config.limiter);
  const evaluator = new Evaluator({
    sandbox: sandbox.runner,
    limiter,
    limits: config.sandbox.limits,
    maxCodeBytes: config.sandbox.maxCodeBytes,
    log,
  });
  const adapters: RunningAdapter[] = [];
  for (const name of config.adapters) {
    const adapter = await (await loadAdapter(name)).start({ evaluator, config, log: log.child({ adapter: name }) });
    adapters.push(adapter);
    log.info({ adapter: name }, 'adapter started');
  }

  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'signal received');
    void stop();
  };
  const stop = () =>
    (stopping ??= (async () => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      log.info('stopping');
      await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
      await evaluator.close();
      reaper.stop();
      await sandbox.close();
      log.info('stopped');
      markStopped();
    })());
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  // Adapters that can finish by themselves (the console at end of input) end the bot with them.
  const finishers = adapters.map((adapter) => adapter.finished);
  if (finishers.every((finished) => finished)) void Promise.allSettled(finishers).then(stop);
  return { stopped, stop };
}

/**
 * Before the first run: remove what a crashed earlier run left behind, and make sure the image is
 * there. Neither failure stops the bot: runs then answer with a clear sandbox_error instead.
 */
async function prepareSandbox(sandbox: Sandbox, config: Config, log: Logger): Promise<Reaper> {
  const { runner, docker } = sandbox;
  try {
    const reaped = await reapOrphans(docker, runner.instance);
    if (reaped) log.warn({ reaped }, 'removed sandboxes left by an earlier run');
    await ensureImage(docker, config.sandbox.image, (line) => log.warn(line));
  } catch (error) {
    const reason = describeDockerError(error, config.sandbox) ?? errorDetail(error);
    log.error({ reason }, 'the sandbox is not ready: runs will fail until this is fixed');
  }
  return startReaper(docker, runner.instance, REAP_EVERY_MS, (error, reaped) => {
    if (error) log.warn({ reason: errorDetail(error) }, 'could not sweep for orphaned sandboxes');
    else if (reaped) log.warn({ reaped }, 'removed orphaned sandboxes');
  });
}
