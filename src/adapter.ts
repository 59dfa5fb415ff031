import type { Config } from './config.js';
import type { Evaluator } from './evaluator.js';
import type { Logger } from './log.js';

/** What every platform adapter gets from the core. */
export interface AdapterContext {
  evaluator: Evaluator;
  config: Config;
  log: Logger;
}

/** A started adapter. */
export interface RunningAdapter {
  readonly name: string;
  /** Settles when the adapter has nothing left to do by itself (the console at end of input). */
  readonly finished?: Promise<void>;
  /** Stops taking new requests; requests already accepted still get their reply. */
  stop(): Promise<void>;
}

/** What an adapter module (adapters/<name>/index.ts) exports. */
export interface AdapterModule {
  start(context: AdapterContext): Promise<RunningAdapter>;
}
