import type { Client } from 'discord.js';
import type { DiscordConfig } from '../../src/config.js';
import type { Evaluator } from '../../src/evaluator.js';
import type { ExpiringMap } from '../../src/expiring-map.js';
import type { Logger } from '../../src/log.js';
import type { Jobs } from './jobs.js';
import type { RunIntake } from './run.js';
import type { ReplyTracker } from './tracker.js';

/** Timings fixed in production and shortened by tests. */
export interface Tuning {
  /** Rapid edits of a message run once, this long after the last one (ms). */
  editDebounceMs: number;
  /** How long /run code stays available to "Run again" (ms). */
  codeTtlMs: number;
}

export const DEFAULT_TUNING: Tuning = { editDebounceMs: 1000, codeTtlMs: 24 * 60 * 60 * 1000 };

/** What every trigger shares. */
export interface Bot {
  client: Client;
  config: DiscordConfig;
  log: Logger;
  evaluator: Evaluator;
  jobs: Jobs;
  tracker: ReplyTracker;
  /** /run code by interaction id: a slash command's reply has no message to read it from again. */
  codes: ExpiringMap<string, RunIntake>;
  tuning: Tuning;
}
