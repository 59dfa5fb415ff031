import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DEFAULT_PYTHONS, listVersions, PYTHON_RECIPES, pythonRecipe, type PythonImage } from '../sandbox/image/pythons.js';
import { builtInImage } from '../sandbox/image/recipe.js';
import { DEFAULT_LIMITS, type SandboxLimits, type SandboxRuntime } from '../sandbox/limits.js';
import { strayVariables } from './config-names.js';
import type { LimiterSettings } from './limiter.js';
import type { PlatformName } from './platforms.js';

/**
 * Configuration comes from environment variables only (a .env file is loaded into the environment
 * by the CLI when present). Every variable is documented in .env.example; every default works with
 * no .env at all. A bad value is reported with the value itself and what was expected; a name that
 * looks like a setting but isn't one is reported too (config-names.ts).
 */

/** Digits, with an optional fraction: no sign, exponent, hex or surrounding spaces. */
const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

/** A number read strictly; `what` says what is expected ("a number of seconds") in the error. */
function numberIn(what: string, min: number, max: number, pattern: RegExp) {
  return z
    .string()
    .refine((text) => pattern.test(text) && Number(text) >= min && Number(text) <= max, `expected ${what} between ${min} and ${max}`)
    .transform(Number);
}
const decimal = (what: string, min: number, max: number) => numberIn(what, min, max, DECIMAL);
const whole = (what: string, min: number, max: number) => numberIn(what, min, max, WHOLE);
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'expected true or false (or 1/0, yes/no, on/off)' })
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));
/** A comma-separated list of ids; empty means "no restriction". */
const idList = z
  .string()
  .default('')
  .transform((text) => text.split(',').map((id) => id.trim()).filter(Boolean));
const LEVEL_NAMES = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const EnvSchema = z.object({
  SANDBOX_IMAGE: z.string().trim().optional(),
  SANDBOX_PYTHONS: z
    .string()
    .transform((text) => text.split(',').map((version) => version.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^3\.\d{1,2}$/, 'expected Python versions like 3.13, separated by commas'))
        .min(1, 'expected at least one Python version, like 3.13')
        .refine((versions) => new Set(versions).size === versions.length, 'expected each version once'),
    )
    .optional(),
  SANDBOX_RUNTIME: z.enum(['runc', 'runsc'], { error: 'expected runc or runsc' }).default('runc'),
  SANDBOX_TIMEOUT_S: decimal('a number of seconds', 0.1, 600).default(DEFAULT_LIMITS.timeoutS),
  SANDBOX_MEMORY_MB: whole('a whole number of MiB', 16, 65_536).default(DEFAULT_LIMITS.memoryMb),
  SANDBOX_PIDS: whole('a whole number of processes', 8, 65_536).default(DEFAULT_LIMITS.pids),
  SANDBOX_CPUS: decimal('a number of CPUs', 0.01, 256).default(DEFAULT_LIMITS.cpus),
  SANDBOX_TMPFS_MB: whole('a whole number of MiB', 1, 65_536).default(DEFAULT_LIMITS.tmpfsMb),
  SANDBOX_OUTPUT_KB: whole('a whole number of KiB', 1, 65_536).default(DEFAULT_LIMITS.outputKb),
  SANDBOX_MAX_CODE_KB: whole('a whole number of KiB', 1, 16_384).default(64),
  SANDBOX_FILES: whole('a whole number of files', 0, 1_000).default(DEFAULT_LIMITS.files.count),
  SANDBOX_FILE_KB: whole('a whole number of KiB', 1, 1_048_576).default(DEFAULT_LIMITS.files.fileKb),
  SANDBOX_FILES_TOTAL_KB: whole('a whole number of KiB', 1, 1_048_576).default(DEFAULT_LIMITS.files.totalKb),
  SANDBOX_FILES_COLLECT_S: decimal('a number of seconds', 0.1, 60).default(DEFAULT_LIMITS.files.collectS),
  SANDBOX_RUNNERS: z
    .string()
    .transform((text) => text.split(',').map((url) => url.trim()).filter(Boolean))
    .pipe(z.array(httpUrl))
    .default([]),
  SANDBOX_POOL_SIZE: whole('a whole number of sandboxes', 0, 256).default(4),
  SANDBOX_POOL_PREIMPORT: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((name) => name.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/, 'expected module names separated by commas, like numpy,matplotlib.pyplot'))),
  LIMIT_USER_RUNS_PER_MINUTE: whole('a whole number of runs', 1, 10_000).default(10),
  LIMIT_USER_QUEUE: whole('a whole number of runs', 0, 1_000).default(2),
  // Each sandbox gets a CPU share, but a trivial run mostly waits on Docker: two per core.
  LIMIT_CONCURRENCY: whole('a whole number of sandboxes', 1, 1_000).default(2 * availableParallelism()),
  LIMIT_QUEUE: whole('a whole number of runs', 0, 100_000).default(50),
  DISCORD_TOKEN: z.string().trim().optional(),
  DISCORD_APPLICATION_ID: z.string().trim().regex(/^\d+$/, 'expected the numeric application id').optional(),
  DISCORD_API_URL: httpUrl.default('https://discord.com/api'),
  DISCORD_PREFIX: z.string().trim().min(1).default('!run'),
  DISCORD_TIMEIT_PREFIX: z.string().trim().min(1).default('!timeit'),
  DISCORD_RUN_EMOJI: z.string().trim().min(1).default('▶️'),
  DISCORD_DMS: flag.default(true),
  DISCORD_GUILDS: idList,
  DISCORD_CHANNELS: idList,
  DISCORD_EDIT_WINDOW_S: whole('a whole number of seconds', 0, 86_400).default(600),
  SLACK_BOT_TOKEN: z.string().trim().optional(),
  SLACK_APP_TOKEN: z.string().trim().optional(),
  SLACK_SIGNING_SECRET: z.string().trim().optional(),
  SLACK_PORT: whole('a port number', 0, 65_535).default(3000),
  SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
  SLACK_RUN_REACTION: z.string().trim().min(1).default('arrow_forward'),
  SLACK_EDIT_WINDOW_S: whole('a whole number of seconds', 0, 86_400).default(600),
  RUNNER_HOST: z.string().trim().min(1).default('127.0.0.1'),
  RUNNER_PORT: whole('a port number', 0, 65_535).default(8060),
  RUNNER_TOKEN: z.string().trim().min(16, 'expected a token of at least 16 characters (openssl rand -hex 32 makes one)').optional(),
  MONITORING_HOST: z.string().trim().min(1).default('127.0.0.1'),
  // Unset: no monitoring server. 0 picks a free port (tests).
  MONITORING_PORT: whole('a port number', 0, 65_535).optional(),
  LOG_LEVEL: z.enum(LEVEL_NAMES, { error: `expected one of ${LEVEL_NAMES.join(', ')}` }).optional(),
});

export type LogLevel = NonNullable<z.infer<typeof EnvSchema>['LOG_LEVEL']>;

/** Every variable the configuration reads (each one is documented in .env.example). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

export interface SandboxConfig {
  /** The Pythons offered, each with its image; the first is the default. */
  pythons: PythonImage[];
  runtime: SandboxRuntime;
  limits: SandboxLimits;
  maxCodeBytes: number;
  poolSize: number;
  /** Modules pre-started sandboxes import while they wait (none by default). */
  preimport: string[];
  /** Runner services (`sandpiper runner`) to run on instead of a local Docker engine; none by default. */
  runners: string[];
}

export interface DiscordConfig {
  token: string;
  /** Needed to register commands; discovered at login when unset. */
  applicationId: string | undefined;
  /** REST base URL; the gateway URL is discovered through it. */
  apiUrl: string;
  /** A message starting with `prefix` runs the code after it; with `timeitPrefix`, times it. */
  prefix: string;
  timeitPrefix: string;
  runEmoji: string;
  /** DMs are addressed to the bot without the prefix, read like a mention. */
  dms: boolean;
  /** Allow-lists; empty means everywhere. */
  guilds: string[];
  channels: string[];
  /** How long after a run an edit of its source message re-runs it, in ms. */
  editWindowMs: number;
}

export interface SlackConfig {
  botToken: string;
  /** Socket Mode when set (no public URL needed); otherwise HTTP mode with the signing secret. */
  appToken: string | undefined;
  signingSecret: string | undefined;
  port: number;
  apiUrl: string;
  runReaction: string;
  editWindowMs: number;
}

/** `sandpiper runner`: the HTTP service that runs code for other processes (snekbox's API and our own). */
export interface RunnerServiceConfig {
  host: string;
  port: number;
  /** When set, every request but GET /healthz needs `Authorization: Bearer <token>`. */
  token: string | undefined;
}

/** The bot's own /healthz and /metrics (MONITORING_PORT): off unless a port is given. */
export interface MonitoringConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface Config {
  sandbox: SandboxConfig;
  runner: RunnerServiceConfig;
  /** Null: no monitoring server (the default). */
  monitoring: MonitoringConfig | null;
  discord: DiscordConfig | null;
  slack: SlackConfig | null;
  limiter: LimiterSettings;
  /** The platforms to serve: those with credentials configured, or else the console. */
  adapters: PlatformName[];
  /** LOG_LEVEL, when set; otherwise the caller picks (the console chat keeps logs quiet). */
  logLevel: LogLevel | undefined;
  /** Variables that look like settings but aren't, ignored (strayVariables): worth telling the operator. */
  warnings: string[];
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

/**
 * `SANDBOX_TIMEOUT_S="abc": expected …`: the value is echoed, so a stray space or quote shows; a
 * secret's never is (error output ends up in logs).
 */
function describeIssue(issue: z.core.$ZodIssue, values: Record<string, string>): string {
  const name = String(issue.path[0]);
  const shown = /TOKEN|SECRET/.test(name) ? '(hidden)' : JSON.stringify(values[name]);
  return `${name}=${shown}: ${issue.message}`;
}

const BUILT_IN = listVersions(PYTHON_RECIPES.map((python) => python.version));

/**
 * The Pythons offered: the built-in image of each version in SANDBOX_PYTHONS (by default 3.13, 3.14
 * and 3.11), or the one custom SANDBOX_IMAGE, whose version SANDBOX_PYTHONS may name.
 */
function offeredPythons(customImage: string | undefined, versions: string[] | undefined): PythonImage[] {
  const problem = (message: string) => new ConfigError(`invalid configuration:\n  SANDBOX_PYTHONS=${JSON.stringify(versions?.join(','))}: ${message}`);
  if (customImage) {
    if (versions && versions.length > 1) {
      throw problem(`SANDBOX_IMAGE is one image, so name at most one version (its own), or unset SANDBOX_IMAGE to offer the built-in ${BUILT_IN}`);
    }
    return [{ version: versions?.[0] ?? null, image: customImage }];
  }
  const missing = (versions ?? []).filter((version) => !pythonRecipe(version));
  if (missing.length) {
    throw problem(`${listVersions(missing)} ${missing.length > 1 ? 'have' : 'has'} no built-in image: expected versions among ${BUILT_IN} (or set SANDBOX_IMAGE to an image of your own)`);
  }
  return (versions ?? DEFAULT_PYTHONS).map((version) => ({ version, image: builtInImage(version) }));
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const values = withoutEmpty(env);
  const stray = strayVariables(Object.keys(values), CONFIG_VARIABLES);
  const parsed = EnvSchema.safeParse(values);
  const problems = [...stray.errors, ...(parsed.error?.issues.map((issue) => describeIssue(issue, values)) ?? [])];
  if (!parsed.success || problems.length) {
    throw new ConfigError(`invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
  const e = parsed.data;
  if (e.SLACK_BOT_TOKEN && !e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      'invalid configuration:\n  SLACK_BOT_TOKEN is set, but neither SLACK_APP_TOKEN (Socket Mode) ' +
        'nor SLACK_SIGNING_SECRET (HTTP mode) is',
    );
  }
  if (e.DISCORD_TIMEIT_PREFIX === e.DISCORD_PREFIX) {
    throw new ConfigError(
      `invalid configuration:\n  DISCORD_TIMEIT_PREFIX=${JSON.stringify(e.DISCORD_TIMEIT_PREFIX)}: expected a prefix other than DISCORD_PREFIX's`,
    );
  }
  const discord: DiscordConfig | null = e.DISCORD_TOKEN
    ? {
        token: e.DISCORD_TOKEN,
        applicationId: e.DISCORD_APPLICATION_ID,
        apiUrl: e.DISCORD_API_URL,
        prefix: e.DISCORD_PREFIX,
        timeitPrefix: e.DISCORD_TIMEIT_PREFIX,
        runEmoji: e.DISCORD_RUN_EMOJI,
        dms: e.DISCORD_DMS,
        guilds: e.DISCORD_GUILDS,
        channels: e.DISCORD_CHANNELS,
        editWindowMs: e.DISCORD_EDIT_WINDOW_S * 1000,
      }
    : null;
  const slack: SlackConfig | null = e.SLACK_BOT_TOKEN
    ? {
        botToken: e.SLACK_BOT_TOKEN,
        appToken: e.SLACK_APP_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
        port: e.SLACK_PORT,
        apiUrl: e.SLACK_API_URL,
        runReaction: e.SLACK_RUN_REACTION,
        editWindowMs: e.SLACK_EDIT_WINDOW_S * 1000,
      }
    : null;
  const pythons = offeredPythons(e.SANDBOX_IMAGE, e.SANDBOX_PYTHONS);
  const platforms: PlatformName[] = [...(discord ? ['discord' as const] : []), ...(slack ? ['slack' as const] : [])];
  return {
    sandbox: {
      pythons,
      runtime: e.SANDBOX_RUNTIME,
      limits: {
        timeoutS: e.SANDBOX_TIMEOUT_S,
        memoryMb: e.SANDBOX_MEMORY_MB,
        pids: e.SANDBOX_PIDS,
        cpus: e.SANDBOX_CPUS,
        tmpfsMb: e.SANDBOX_TMPFS_MB,
        outputKb: e.SANDBOX_OUTPUT_KB,
        files: {
          count: e.SANDBOX_FILES,
          fileKb: e.SANDBOX_FILE_KB,
          totalKb: e.SANDBOX_FILES_TOTAL_KB,
          collectS: e.SANDBOX_FILES_COLLECT_S,
        },
      },
      maxCodeBytes: e.SANDBOX_MAX_CODE_KB * 1024,
      poolSize: e.SANDBOX_POOL_SIZE,
      preimport: e.SANDBOX_POOL_PREIMPORT,
      runners: e.SANDBOX_RUNNERS,
    },
    limiter: {
      userRunsPerMinute: e.LIMIT_USER_RUNS_PER_MINUTE,
      userQueue: e.LIMIT_USER_QUEUE,
      concurrency: e.LIMIT_CONCURRENCY,
      queue: e.LIMIT_QUEUE,
      // A run lasts at most its timeout plus container start-up: the basis of retry hints.
      runSeconds: Math.ceil(e.SANDBOX_TIMEOUT_S) + 1,
    },
    runner: { host: e.RUNNER_HOST, port: e.RUNNER_PORT, token: e.RUNNER_TOKEN },
    monitoring: e.MONITORING_PORT === undefined ? null : { host: e.MONITORING_HOST, port: e.MONITORING_PORT },
    discord,
    slack,
    adapters: platforms.length ? platforms : ['console'],
    logLevel: e.LOG_LEVEL,
    warnings: stray.warnings,
  };
}
