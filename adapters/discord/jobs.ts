import type { Logger } from '../../src/log.js';
import { errorFields } from './errors.js';

/**
 * The intake gate and the work in flight. Every event handler runs as a job: a failure is logged
 * with what was being done, never thrown (it would crash the bot). close() refuses new jobs and
 * waits for the running ones, so accepted requests still get their replies.
 */
export class Jobs {
  private open = true;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  /** Runs `work`, unless closed. */
  start(what: string, work: () => Promise<unknown>): void {
    if (!this.open) return;
    const job: Promise<void> = work()
      .then(
        () => undefined,
        (error: unknown) => this.log.warn({ job: what, ...errorFields(error) }, `could not finish a Discord ${what}`),
      )
      .finally(() => this.running.delete(job));
    this.running.add(job);
  }

  async close(): Promise<void> {
    this.open = false;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
