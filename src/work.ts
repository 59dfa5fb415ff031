import type { Logger } from './log.js';

/**
 * The intake gate and the work an adapter has accepted: every event handler runs as a job, so a
 * failure is logged with what was being done (never thrown: it would crash the bot), and a stop
 * can close the gate, then wait for accepted work to post its replies, for a bounded time.
 */
export class Work {
  private open = true;
  private readonly running = new Set<Promise<void>>();

  /** `describeError` turns a failure into log fields without leaking tokens (each platform knows how). */
  constructor(
    private readonly log: Logger,
    readonly describeError: (error: unknown) => Record<string, unknown>,
  ) {}

  /** Runs `work` as a job, unless the gate is closed. Returns whether it was accepted. */
  start(what: string, work: () => Promise<unknown>): boolean {
    if (!this.open) return false;
    const job = work().then(
      () => undefined,
      (error: unknown) => this.log.warn({ job: what, ...this.describeError(error) }, `could not finish a ${what}`),
    );
    this.running.add(job);
    void job.finally(() => this.running.delete(job));
    return true;
  }

  get accepting(): boolean {
    return this.open;
  }

  /** Accepts no new work from now on. */
  close(): void {
    this.open = false;
  }

  /**
   * Resolves true once nothing is left running (work started meanwhile included), or false when
   * `timeoutMs` passed first: a stop must end whatever the platform does.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
    try {
      while (this.running.size > 0) {
        const settled = Promise.allSettled([...this.running]).then(() => true as const);
        if (!(await Promise.race([settled, expired]))) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
