import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { openBotSandbox, type DockerSandbox, type Sandbox } from '../sandbox.js';
import { startRunnerService, type RunnerService } from '../service/start.js';
import { runTrivial } from './paths.js';
import { timeAlternately, type LatencySummary } from './stats.js';

/**
 * Starts a runner service in each of `sandboxes` (on 127.0.0.1, a free port), hands `use` the bot's
 * sandbox on them (SANDBOX_RUNNERS, over HTTP), then stops them all, closing the sandboxes.
 *
 * The bench opens the sandboxes itself, without `prepare`: a runner's own sandbox would sweep for
 * orphans, and this process's other sandboxes (same host and pid, another instance id) look like
 * orphans to it.
 */
export async function onRunners<T>(config: Config, log: Logger, sandboxes: DockerSandbox[], use: (bot: Sandbox) => Promise<T>): Promise<T> {
  const local = { ...config, runner: { ...config.runner, host: '127.0.0.1', port: 0 } };
  const services: RunnerService[] = [];
  let bot: Sandbox | undefined;
  try {
    for (const sandbox of sandboxes) services.push(await startRunnerService(local, log, { sandbox }));
    bot = openBotSandbox({ ...config, sandbox: { ...config.sandbox, runners: services.map((service) => service.url) } }, log);
    const readiness = await bot.ready;
    if (!readiness.ok) throw new Error(readiness.reason);
    return await use(bot);
  } finally {
    await bot?.close();
    await Promise.all(services.map((service) => service.close()));
  }
}

/**
 * Pooled runs straight to `sandbox` and through a runner service running in it, over HTTP as the
 * bot sends them, alternately, the pool full before each: the difference is the HTTP path alone.
 * Closes the sandbox.
 */
export function runnerHttpPath(
  sandbox: DockerSandbox,
  config: Config,
  log: Logger,
  n: number,
): Promise<{ in_process: LatencySummary; over_http: LatencySummary }> {
  return onRunners(config, log, [sandbox], async (bot) => {
    // A bot's connection to its runner is long-lived: open it (and warm the server's code paths) untimed.
    await runTrivial(bot);
    return timeAlternately(
      n,
      { in_process: () => runTrivial(sandbox), over_http: () => runTrivial(bot) },
      () => sandbox.whenWarm(),
    );
  });
}
