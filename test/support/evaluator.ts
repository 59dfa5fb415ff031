import { loadConfig, type Config } from '../../src/config.js';
import { Evaluator, type SandboxPort } from '../../src/evaluator.js';
import { RunLimiter, type LimiterSettings } from '../../src/limiter.js';
import { createLogger } from '../../src/log.js';

/** The real Evaluator and limiter around a given sandbox, configured as the bot would be. */
export function makeEvaluator(
  sandbox: SandboxPort,
  config: Config = loadConfig({}),
  limiter: Partial<LimiterSettings> = {},
): Evaluator {
  return new Evaluator({
    sandbox,
    limiter: new RunLimiter({ ...config.limiter, ...limiter }),
    limits: config.sandbox.limits,
    maxCodeBytes: config.sandbox.maxCodeBytes,
    pythons: config.sandbox.pythons,
    log: createLogger('silent'),
  });
}
