import type { AdapterContext, RunningAdapter } from '../../src/adapter.js';
import { startDiscord } from './adapter.js';

/** The Discord adapter, as src/main.ts loads it by name (DESIGN.md §1). */
export function start(context: AdapterContext): Promise<RunningAdapter> {
  return startDiscord(context);
}
