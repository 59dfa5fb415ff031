/**
 * Who may run what, when:
 * - per user (`platform:user`): one run at a time, a short queue behind it, and a number of runs
 *   per minute, so no one can monopolise the sandboxes;
 * - over all users: at most `concurrency` sandboxes at once, the next one going to whoever has
 *   waited longest.
 * Every limit is checked at admission, so overflow is refused at once with a retry hint (never
 * queued indefinitely), and a run once admitted is never dropped afterwards, short of a stop. The
 * limits hold within one bot process.
 *
 * Admission and dispatch are synchronous, with no timer anywhere: a run starts in the tick it is
 * admitted when a sandbox is free, and the next one in the tick the previous one ends. Bottleneck,
 * used before, deferred every step on setTimeout(0), which Node clamps to 1 ms: ~10 ms a run through
 * its two chained layers, still several with its datastore's yields replaced, against ~6-17 ms for
 * the pooled run itself (docs/performance.md).
 */
export interface LimiterSettings {
  /** Runs a user may have admitted per minute (their minute starts with their first run in it). */
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

interface User {
  running: boolean;
  /** Admitted runs waiting for their turn, oldest first. */
  waiting: Turn[];
  /** When this user's current minute began (their first run in it), and runs admitted in it. */
  minuteStart: number;
  runsThisMinute: number;
}

/** An admitted run: `start` runs it (or, at a stop, `drop` answers it without running). */
interface Turn {
  start(): Promise<void>;
  drop(): void;
}

export class RunLimiter {
  private readonly users = new Map<string, User>();
  /** Users with a run waiting and none running, in the order they got there: who is next. */
  private readonly next: User[] = [];
  private running = 0;
  /** Runs admitted and not finished, all users together (running and waiting). */
  private pending = 0;
  private stopping = false;
  /** stop()'s promise, and what resolves it once no run is running. */
  private stopped: Promise<void> | undefined;
  private onIdle: (() => void) | undefined;
  /** The user count at which idle users are next forgotten. */
  private forgetAt = 100;

  constructor(private readonly settings: LimiterSettings) {}

  /** Runs under way and runs admitted but waiting for a sandbox, all users together (for metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.pending - this.running };
  }

  /**
   * Runs `job` for `key` (`platform:user`) when the limits allow, or says at once why not.
   * `accepted` is called as soon as the run is admitted (before it waits for its turn), so a
   * "working" indicator never shows before a refusal.
   */
  schedule<T>(key: string, job: () => Promise<T>, accepted?: () => void): Promise<Admission<T>> {
    if (this.stopping) return Promise.resolve(stoppingRefusal());
    const now = Date.now();
    const user = this.user(key, now);
    const refusal = this.check(user, now);
    if (refusal) return Promise.resolve({ admitted: false, ...refusal });
    user.runsThisMinute++;
    this.pending++;
    return new Promise<Admission<T>>((resolve, reject) => {
      const turn: Turn = {
        start: async () => {
          try {
            resolve({ admitted: true, value: await job() });
          } catch (error) {
            reject(error);
          }
        },
        drop: () => resolve(stoppingRefusal()),
      };
      user.waiting.push(turn);
      if (!user.running && user.waiting.length === 1) this.next.push(user);
      accepted?.();
      this.dispatch();
    });
  }

  /** Refuses new work, drops what is waiting (its callers get `stopping`), resolves once running jobs end. */
  stop(): Promise<void> {
    this.stopping = true;
    this.next.length = 0;
    for (const user of this.users.values()) {
      this.pending -= user.waiting.length;
      user.waiting.splice(0).forEach((turn) => turn.drop());
    }
    return (this.stopped ??= this.running ? new Promise((resolve) => (this.onIdle = resolve)) : Promise.resolve());
  }

  /** Starts waiting runs while sandboxes are free, longest-waiting user first. */
  private dispatch(): void {
    while (this.running < this.settings.concurrency && this.next.length) {
      const user = this.next.shift()!;
      const turn = user.waiting.shift()!;
      user.running = true;
      this.running++;
      void turn.start().finally(() => {
        user.running = false;
        this.running--;
        this.pending--;
        if (user.waiting.length) this.next.push(user);
        if (this.running === 0) this.onIdle?.();
        this.dispatch();
      });
    }
  }

  private check(user: User, now: number): Refusal | null {
    const waiting = user.waiting.length;
    const active = user.running ? 1 : 0;
    if (waiting + active >= 1 + this.settings.userQueue) {
      return { reason: 'user_queue', retryAfterS: this.settings.runSeconds * (waiting + active) };
    }
    if (now - user.minuteStart >= MINUTE_MS) {
      user.minuteStart = now;
      user.runsThisMinute = 0;
    }
    if (user.runsThisMinute >= this.settings.userRunsPerMinute) {
      return { reason: 'user_rate', retryAfterS: Math.max(1, Math.ceil((user.minuteStart + MINUTE_MS - now) / 1000)) };
    }
    if (this.pending >= this.settings.concurrency + this.settings.queue) {
      return { reason: 'busy', retryAfterS: this.settings.runSeconds };
    }
    return null;
  }

  private user(key: string, now: number): User {
    let user = this.users.get(key);
    if (!user) {
      if (this.users.size >= this.forgetAt) this.forgetIdleUsers(now);
      user = { running: false, waiting: [], minuteStart: now, runsThisMinute: 0 };
      this.users.set(key, user);
    }
    return user;
  }

  /** Users with nothing running or waiting, whose minute is over, have nothing left to remember. */
  private forgetIdleUsers(now: number): void {
    for (const [key, user] of this.users) {
      if (!user.running && !user.waiting.length && now - user.minuteStart >= MINUTE_MS) this.users.delete(key);
    }
    this.forgetAt = 2 * this.users.size + 100;
  }
}

function stoppingRefusal(): Admission<never> {
  return { admitted: false, reason: 'stopping', retryAfterS: 30 };
}
