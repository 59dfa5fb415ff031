import Bottleneck from 'bottleneck';

/**
 * Who may run what, when. Two Bottleneck layers, chained:
 * - per user (a Group keyed `platform:user`): one run at a time, a short queue, and a reservoir of
 *   runs per minute, so no one can monopolise the sandboxes;
 * - global: at most `concurrency` sandboxes at once.
 * Queue caps are checked at admission, so overflow is refused at once with a retry hint (never
 * queued indefinitely), and a run once admitted is never dropped afterwards. The limits hold
 * within one bot process.
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
  /** Runs accepted and not yet finished, all users together (running and waiting). */
  private pending = 0;

  constructor(private readonly settings: LimiterSettings) {
    // No highWater here: the global queue is capped at admission (see check()), so a run once
    // accepted is never dropped later, after the user was shown it is waiting.
    this.global = new Bottleneck({ id: 'sandpiper-global', maxConcurrent: settings.concurrency });
    this.users = new Bottleneck.Group({
      id: 'sandpiper-user',
      maxConcurrent: 1, // the queue's length is capped at admission, like the global one
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

  /**
   * Runs `job` for `key` (`platform:user`) when the limits allow, or says at once why not.
   * `accepted` is called as soon as the run is admitted (before it waits for its turn), so a
   * "working" indicator never shows before a refusal.
   */
  async schedule<T>(key: string, job: () => Promise<T>, accepted?: () => void): Promise<Admission<T>> {
    if (this.stopping) return this.stoppingRefusal();
    const user = this.users.key(key);
    const reservoir = await user.currentReservoir();
    if (this.stopping) return this.stoppingRefusal();
    // From here to user.schedule() nothing awaits: the counts read are the counts acted on.
    const refusal = this.check(key, user, reservoir);
    if (refusal) return { admitted: false, ...refusal };
    this.pending++;
    const scheduled = user.schedule(job);
    accepted?.();
    try {
      return { admitted: true, value: await scheduled };
    } catch (error) {
      if (!(error instanceof Bottleneck.BottleneckError)) throw error;
      // Bottleneck drops queued jobs only when stopping (dropWaitingJobs).
      return this.stoppingRefusal();
    } finally {
      this.pending--;
    }
  }

  /** Refuses new work, drops what is waiting (its callers get `stopping`), lets running jobs end. */
  async stop(): Promise<void> {
    this.stopping = true;
    const options = { dropWaitingJobs: true, dropErrorMessage: 'stopping' };
    await Promise.all([...this.users.limiters().map(({ limiter }) => limiter.stop(options))]);
    await this.global.stop(options);
  }

  private check(key: string, user: Bottleneck, reservoir: number | null): Refusal | null {
    const counts = user.counts();
    const waiting = counts.RECEIVED + counts.QUEUED;
    const active = counts.RUNNING + counts.EXECUTING;
    if (waiting + active >= 1 + this.settings.userQueue) {
      return { reason: 'user_queue', retryAfterS: this.settings.runSeconds * (waiting + active) };
    }
    if (reservoir !== null && reservoir - waiting <= 0) {
      return { reason: 'user_rate', retryAfterS: this.secondsUntilRefill(key) };
    }
    if (this.pending >= this.settings.concurrency + this.settings.queue) return this.busy();
    return null;
  }

  private stoppingRefusal(): Admission<never> {
    return { admitted: false, reason: 'stopping', retryAfterS: 30 };
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
