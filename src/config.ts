import { z } from 'zod';
import { defaultImageTag } from '../sandbox/image/recipe.js';
import { DEFAULT_LIMITS, type SandboxLimits, type SandboxRuntime } from '../sandbox/limits.js';

/**
 * Configuration comes from environment variables only (a .env file is loaded into the environment
 * by the CLI when present). Every variable is documented in .env.example; every default works with
 * no .env at all.
 */

const number = (min: number, max: number) => z.coerce.number().min(min).max(max);
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const EnvSchema = z.object({
  SANDBOX_IMAGE: z.string().trim().optional(),
  SANDBOX_RUNTIME: z.enum(['runc', 'runsc']).default('runc'),
  SANDBOX_TIMEOUT_S: number(0.1, 600).default(DEFAULT_LIMITS.timeoutS),
  SANDBOX_MEMORY_MB: integer(16, 65_536).default(DEFAULT_LIMITS.memoryMb),
  SANDBOX_PIDS: integer(8, 65_536).default(DEFAULT_LIMITS.pids),
  SANDBOX_CPUS: number(0.01, 256).default(DEFAULT_LIMITS.cpus),
  SANDBOX_TMPFS_MB: integer(1, 65_536).default(DEFAULT_LIMITS.tmpfsMb),
  SANDBOX_OUTPUT_KB: integer(1, 65_536).default(DEFAULT_LIMITS.outputKb),
  SANDBOX_MAX_CODE_KB: integer(1, 16_384).default(64),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Every variable the configuration reads (each one is documented in .env.example). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

export interface SandboxConfig {
  image: string;
  runtime: SandboxRuntime;
  limits: SandboxLimits;
  maxCodeBytes: number;
}

export interface Config {
  sandbox: SandboxConfig;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Empty values mean "not set", as in most .env conventions. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]?.trim()),
  );
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  return {
    sandbox: {
      image: e.SANDBOX_IMAGE || defaultImageTag(),
      runtime: e.SANDBOX_RUNTIME,
      limits: {
        timeoutS: e.SANDBOX_TIMEOUT_S,
        memoryMb: e.SANDBOX_MEMORY_MB,
        pids: e.SANDBOX_PIDS,
        cpus: e.SANDBOX_CPUS,
        tmpfsMb: e.SANDBOX_TMPFS_MB,
        outputKb: e.SANDBOX_OUTPUT_KB,
      },
      maxCodeBytes: e.SANDBOX_MAX_CODE_KB * 1024,
    },
    logLevel: e.LOG_LEVEL,
  };
}
