/**
 * At most `concurrency` runs at once and `queue` waiting behind them, first come first served;
 * past that, admit() refuses at once: an HTTP client gets 429 instead of an unbounded wait.
 * A counter rather than the bot's RunLimiter, whose per-user rules (one run at a time each) don't
 * fit a service whose clients are other processes.
 */
export class RunQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly settings: { concurrency: number; queue: number }) {}

  /** Runs waiting for a slot. */
  get length(): number {
    return this.waiting.length;
  }

  /** Runs under way. */
  get active(): number {
    return this.running;
  }

  /**
   * `job`'s result once it has had its turn, or null at once when every slot and queue place is
   * taken. A `signal` that aborts while the job waits takes it out of the queue (its place goes to
   * the next) and rejects with the signal's reason; once running, the job itself answers it.
   */
  admit<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> | null {
    const { concurrency, queue } = this.settings;
    if (this.running >= concurrency && this.waiting.length >= queue) return null;
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', giveUp);
        this.running++;
        job()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            this.waiting.shift()?.();
            this.noticeIdle();
          });
      };
      const giveUp = () => {
        this.waiting.splice(this.waiting.indexOf(start), 1);
        reject(signal?.reason);
        this.noticeIdle();
      };
      if (this.running < concurrency) return start();
      if (signal?.aborted) return reject(signal.reason);
      this.waiting.push(start);
      signal?.addEventListener('abort', giveUp, { once: true });
    });
  }

  /** Resolves once nothing runs or waits. */
  idle(): Promise<void> {
    if (!this.running && !this.waiting.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private noticeIdle(): void {
    if (!this.running && !this.waiting.length) this.idleWaiters.splice(0).forEach((done) => done());
  }
}
