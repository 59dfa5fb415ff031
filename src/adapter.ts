import type { Config } from './config.js';
import type { Evaluator } from './evaluator.js';
import type { Logger, TerminalLogs } from './log.js';
import type { PlatformName } from './platforms.js';

/** Each adapter as messages name it: "could not start the Discord adapter", "the Discord adapter: …". */
export const ADAPTER_LABELS: Readonly<Record<PlatformName, string>> = {
  discord: 'the Discord adapter',
  slack: 'the Slack adapter',
  console: 'the terminal chat',
};

/** What every platform adapter gets from the core. */
export interface AdapterContext {
  evaluator: Evaluator;
  config: Config;
  log: Logger;
  /** Set when the terminal chat is all that runs: it prints these logs above its prompt. */
  terminalLogs?: TerminalLogs;
}

/** Whether an adapter is connected to its platform now, and if not, why (for the bot's /healthz). */
export interface PlatformConnection {
  up: boolean;
  reason?: string;
}

/** A started adapter. */
export interface RunningAdapter {
  readonly name: PlatformName;
  /** Settles when the adapter has nothing left to do by itself (the console at end of input). */
  readonly finished?: Promise<void>;
  /** Its connection to the platform as it stands now; cheap (no network call). */
  connection(): PlatformConnection;
  /**
   * Stops: waits at most `graceMs` for accepted requests to get their replies (the core's
   * evaluator, closed at the same time, answers newcomers "restarting"), then stops listening and
   * disconnects, also within a deadline. Never rejects.
   */
  stop(graceMs: number): Promise<void>;
}

/** What an adapter module (adapters/<name>/index.ts) exports. */
export interface AdapterModule {
  start(context: AdapterContext): Promise<RunningAdapter>;
}
