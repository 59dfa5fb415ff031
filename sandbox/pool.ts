import type { LaunchedSandbox } from './lifecycle.js';

/**
 * A pool of pre-STARTED, single-use sandboxes: each member is a hardened container with Python
 * already running and blocked on stdin: a result in a few ms instead of ~100 ms for a cold start
 * (docs/performance.md).
 * A run takes a member and the member is destroyed afterwards, like any sandbox: nothing is ever
 * reused. The pool refills in the background, drops members that died or idled too long, and
 * backs off while Docker is failing. An empty pool never makes a run wait: take() returns null
 * and the caller starts a cold sandbox instead.
 */
export interface PoolSettings {
  size: number;
  /** Members older than this are replaced (they hold memory and a deadline label). */
  maxIdleMs: number;
  /** Launches in flight at once while refilling, so a refill burst doesn't swamp Docker. */
  parallelLaunches?: number;
}

export interface PoolEvents {
  /** A launch failed; the pool retries after `retryInMs`. */
  launchFailed?(error: unknown, retryInMs: number): void;
  /** A launch succeeded (after failures: the pool has recovered). */
  launched?(): void;
}

/** How long a refill waits at most for the run whose member it replaces (take). */
const REFILL_WAIT_MAX_MS = 250;
const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;

export class SandboxPool {
  private readonly ready: LaunchedSandbox[] = [];
  private launching = 0;
  private closed = false;
  private backoffMs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly pending = new Set<Promise<unknown>>();
  /** Callers of refilled(), resolved when no launch is in flight. */
  private readonly refillWaiters = new Set<() => void>();

  constructor(
    private readonly launch: () => Promise<LaunchedSandbox>,
    private readonly discard: (member: LaunchedSandbox) => Promise<void>,
    private readonly settings: PoolSettings,
    private readonly events: PoolEvents = {},
  ) {
    this.sweepTimer = setInterval(() => this.sweep(), Math.max(1000, settings.maxIdleMs / 4));
    this.sweepTimer.unref();
    this.refill();
  }

  /**
   * A live member, or null when none is ready (the caller goes cold). Triggers a refill, once
   * `runEnded` settles (the run the member is taken for) or after REFILL_WAIT_MAX_MS: a launch
   * takes the engine a few hundred ms of CPU, and on a small host that slows the run it starts
   * beside (measured: a pooled run's p50 halves when its refill waits for it).
   */
  take(runEnded?: Promise<unknown>): LaunchedSandbox | null {
    this.sweep();
    const member = this.ready.shift() ?? null;
    if (!member || !runEnded) this.refill();
    else {
      const timer = setTimeout(() => this.refill(), REFILL_WAIT_MAX_MS);
      const refillNow = () => {
        clearTimeout(timer);
        this.refill();
      };
      void runEnded.then(refillNow, refillNow);
    }
    return member;
  }

  /** Members ready to take a run now. */
  get readyCount(): number {
    return this.ready.length;
  }

  /**
   * Resolves once the pool holds `size` members whose Python is up (or rejects after `timeoutMs`):
   * a run then measures the pooled path, not an interpreter's start-up. For tests and the bench.
   */
  async whenFull(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.ready.length < this.settings.size || !this.ready.every((member) => member.collector.upSettled)) {
      if (Date.now() > deadline) throw new Error(`pool not full after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Resolves once no launch is in flight (the pool is full, or waits to retry a failed launch), or
   * after `maxWaitMs`, whichever comes first; never rejects. For runs that should let the refill go
   * first.
   */
  refilled(maxWaitMs: number): Promise<void> {
    if (this.launching === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.refillWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.refillWaiters.add(done);
    });
  }

  /** Stops refilling and removes every member, including those still being launched. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    clearTimeout(this.retryTimer);
    this.notifyIfSettled();
    this.ready.splice(0).forEach((member) => this.remove(member));
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Drops members that died while idle or are too old, and asks for replacements. */
  private sweep(): void {
    const now = Date.now();
    for (let i = this.ready.length - 1; i >= 0; i--) {
      const member = this.ready[i]!;
      if (!member.isAlive() || now - member.launchedAt > this.settings.maxIdleMs) {
        this.ready.splice(i, 1);
        this.remove(member);
      }
    }
    this.refill();
  }

  private refill(): void {
    const parallel = this.settings.parallelLaunches ?? 2;
    while (
      !this.closed &&
      !this.retryTimer &&
      this.ready.length + this.launching < this.settings.size &&
      this.launching < parallel
    ) {
      this.launching++;
      this.track(
        this.launch().then(
          (member) => {
            this.launching--;
            this.backoffMs = 0;
            this.events.launched?.();
            if (this.closed) this.remove(member);
            else this.ready.push(member);
            this.refill();
            this.notifyIfSettled();
          },
          (error: unknown) => {
            this.launching--;
            this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(MIN_BACKOFF_MS, this.backoffMs * 2));
            this.events.launchFailed?.(error, this.backoffMs);
            this.retryTimer = setTimeout(() => {
              this.retryTimer = undefined;
              this.refill();
            }, this.backoffMs);
            this.retryTimer.unref();
            this.notifyIfSettled();
          },
        ),
      );
    }
  }

  private notifyIfSettled(): void {
    if (this.launching === 0 || this.closed) for (const done of [...this.refillWaiters]) done();
  }

  private remove(member: LaunchedSandbox): void {
    this.track(this.discard(member));
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }
}
