import type { SandboxLog } from './log.js';
import { RepeatedFailure } from './repeated-failure.js';

export type SandboxReadiness = { ok: true } | { ok: false; reason: string };

export interface StartupSteps {
  /** Removes what crashed runs left behind; never rejects (it reports its own failures). */
  reap(): Promise<void>;
  /** Confirms the image is there (building it if allowed); rejects saying why it isn't. */
  confirmImage(): Promise<void>;
}

export interface Backoff {
  minMs: number;
  maxMs: number;
}

const DEFAULT_BACKOFF: Backoff = { minMs: 1_000, maxMs: 30_000 };

/**
 * Start-up: sweep for orphans and confirm the image; until the image is confirmed, try again with
 * backoff (Docker may be down, or still starting). A failing start-up is said once, and once more
 * when it succeeds after all.
 */
export class Startup {
  /** Settles after the first try: ok, or why runs will fail for now. Never rejects. */
  readonly ready: Promise<SandboxReadiness>;
  /** Resolves once a try confirmed the image (maybe long after `ready`). */
  readonly confirmed: Promise<void>;
  private readonly failures: RepeatedFailure;
  private timer: NodeJS.Timeout | undefined;
  private backoffMs = 0;
  private stopped = false;

  constructor(
    private readonly steps: StartupSteps,
    log: SandboxLog,
    private readonly explain: (error: unknown) => string,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {
    this.failures = new RepeatedFailure(
      log,
      {
        failed: 'the sandbox is not ready: runs will fail until this is fixed',
        recovered: 'Docker is reachable again and the sandbox image is there: runs work again',
      },
      'error',
    );
    let settleReady!: (readiness: SandboxReadiness) => void;
    let confirm!: () => void;
    this.ready = new Promise((resolve) => (settleReady = resolve));
    this.confirmed = new Promise((resolve) => (confirm = resolve));
    void this.attempt(settleReady, confirm);
  }

  /** No more tries (an attempt under way finishes, but nothing follows it). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async attempt(settleReady: (readiness: SandboxReadiness) => void, confirm: () => void): Promise<void> {
    const [, image] = await Promise.allSettled([this.steps.reap(), this.steps.confirmImage()]);
    if (image.status === 'fulfilled') {
      this.failures.succeeded();
      settleReady({ ok: true });
      return confirm();
    }
    const reason = this.explain(image.reason);
    settleReady({ ok: false, reason });
    if (this.stopped) return;
    this.backoffMs = Math.min(this.backoff.maxMs, Math.max(this.backoff.minMs, this.backoffMs * 2));
    this.failures.failed({ reason, retryInMs: this.backoffMs });
    this.timer = setTimeout(() => void this.attempt(settleReady, confirm), this.backoffMs);
    this.timer.unref();
  }
}
