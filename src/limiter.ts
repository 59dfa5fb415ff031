import Bottleneck from 'bottleneck';

/**
 * Who may run what, when. Two Bottleneck layers, chained:
 * - per user (a Group keyed `platform:user`): one run at a time, a short queue, and a reservoir of
 *   runs per minute, so no one can monopolise the sandboxes;
 * - global: at most `concurrency` sandboxes at once, with its own queue cap.
 * Overflow is refused at once with a retry hint, never queued indefinitely. Passing Bottleneck
 * `clustering` options (e.g. a Redis datastore) shares the limits between bot processes.
 */
export interface LimiterSettings {
  /** Runs a user may start per minute. */
  userRunsPerMinute: number;
  /** Runs a user may have waiting behind their running one. */
  userQueue: number;
  /** Sandboxes running at once, over all users. */
  concurrency: number;
  /** Runs waiting for a sandbox, over all users. */
  queue: number;
  /** How long one run can take at most (the sandbox timeout plus start-up), for retry hints. */
  runSeconds: number;
}

export type Refusal =
  | { reason: 'user_rate'; retryAfterS: number } // used up this minute's runs
  | { reason: 'user_queue'; retryAfterS: number } // already has the most runs waiting
  | { reason: 'busy'; retryAfterS: number } // every sandbox busy and the global queue full
  | { reason: 'stopping'; retryAfterS: number }; // shutting down

export type Admission<T> = { admitted: true; value: T } | ({ admitted: false } & Refusal);

const MINUTE_MS = 60_000;

export class RunLimiter {
  private readonly global: Bottleneck;
  private readonly users: Bottleneck.Group;
  /** When each user's limiter was made: its reservoir refills a whole number of minutes later. */
  private readonly userEpochs = new Map<string, number>();
  private stopping = false;

  constructor(
    private readonly settings: LimiterSettings,
    clustering: Bottleneck.ConstructorOptions = {},
  ) {
    this.global = new Bottleneck({
      ...clustering,
      id: 'sandpiper-global',
      maxConcurrent: settings.concurrency,
      highWater: settings.queue,
      strategy: Bottleneck.strategy.OVERFLOW,
    });
    this.users = new Bottleneck.Group({
      ...clustering,
      id: 'sandpiper-user',
      maxConcurrent: 1,
      highWater: settings.userQueue,
      strategy: Bottleneck.strategy.OVERFLOW,
      reservoir: settings.userRunsPerMinute,
      reservoirRefreshAmount: settings.userRunsPerMinute,
      reservoirRefreshInterval: MINUTE_MS,
      timeout: 5 * MINUTE_MS, // forget idle users (their reservoir is full again by then)
    });
    this.users.on('created', (limiter, key) => {
      this.forgetIdleUsers();
      this.userEpochs.set(key, Date.now());
      limiter.chain(this.global);
    });
  }

  /** Runs `job` for `key` (`platform:user`) when the limits allow, or says at once why not. */
  async schedule<T>(key: string, job: () => Promise<T>): Promise<Admission<T>> {
    if (this.stopping) return { admitted: false, reason: 'stopping', retryAfterS: 30 };
    const user = this.users.key(key);
    const refusal = await this.check(key, user);
    if (refusal) return { admitted: false, ...refusal };
    try {
      return { admitted: true, value: await user.schedule(job) };
    } catch (error) {
      if (!(error instanceof Bottleneck.BottleneckError)) throw error;
      if (this.stopping) return { admitted: false, reason: 'stopping', retryAfterS: 30 };
      // Dropped by a highWater mark after all: another request won the race for the last slot.
      return { admitted: false, ...((await this.check(key, user)) ?? this.busy()) };
    }
  }

  /** Whether `key` has anything running or waiting. */
  isBusy(key: string): boolean {
    const counts = this.users.key(key).counts();
    return counts.RECEIVED + counts.QUEUED + counts.RUNNING + counts.EXECUTING > 0;
  }

  /** Refuses new work, drops what is waiting (its callers get `stopping`), lets running jobs end. */
  async stop(): Promise<void> {
    this.stopping = true;
    const options = { dropWaitingJobs: true, dropErrorMessage: 'stopping' };
    await Promise.all([...this.users.limiters().map(({ limiter }) => limiter.stop(options))]);
    await this.global.stop(options);
  }

  private async check(key: string, user: Bottleneck): Promise<Refusal | null> {
    const counts = user.counts();
    const waiting = counts.RECEIVED + counts.QUEUED;
    const active = counts.RUNNING + counts.EXECUTING;
    if (waiting + active >= 1 + this.settings.userQueue) {
      return { reason: 'user_queue', retryAfterS: this.settings.runSeconds * (waiting + active) };
    }
    const reservoir = await user.currentReservoir();
    if (reservoir !== null && reservoir - waiting <= 0) {
      return { reason: 'user_rate', retryAfterS: this.secondsUntilRefill(key) };
    }
    const global = this.global.counts();
    if (global.QUEUED >= this.settings.queue) return this.busy();
    return null;
  }

  private busy(): Refusal {
    return { reason: 'busy', retryAfterS: this.settings.runSeconds };
  }

  /** The Group drops idle users' limiters; drop their epochs too, so memory stays bounded. */
  private forgetIdleUsers(): void {
    if (this.userEpochs.size < 2 * this.users.keys().length + 100) return;
    const live = new Set(this.users.keys());
    for (const key of this.userEpochs.keys()) if (!live.has(key)) this.userEpochs.delete(key);
  }

  private secondsUntilRefill(key: string): number {
    const epoch = this.userEpochs.get(key) ?? Date.now();
    const elapsed = (Date.now() - epoch) % MINUTE_MS;
    return Math.max(1, Math.ceil((MINUTE_MS - elapsed) / 1000));
  }
}
