import type Docker from 'dockerode';
import { REMOVE_CALL_MS, withDeadline } from './deadline.js';
import { isGoneError } from './docker-errors.js';

const RETRIES = 24; // with the backoff below: about ten minutes
const MAX_DELAY_MS = 30_000;

/**
 * Removes sandbox containers, every one of them: what Docker fails to remove (it was restarting,
 * the connection dropped) is retried with backoff, so it is gone soon after Docker is back. Past
 * the retries, or once abandoned at shutdown, the container's deadline label lets the reaper
 * remove it.
 */
export class Remover {
  private readonly inFlight = new Set<Promise<void>>();
  /** Retries waiting for their turn or running. */
  private readonly retrying = new Set<Promise<void>>();
  /** Containers not yet removed (first attempt or retries), with what to log if it never is. */
  private readonly unremoved = new Map<string, object>();
  private abandoned = false;
  /** Removal attempts Docker failed (each retry counts), for monitoring. */
  private failures = 0;

  constructor(
    private readonly onGiveUp: (containerId: string, error: unknown, details: object) => void = () => {},
    /** Called once a container is gone (removed now, or already). */
    private readonly onRemoved: (containerId: string) => void = () => {},
  ) {}

  /**
   * Starts removing once `after` settles (at once without it); resolves after the first attempt
   * (later retries run in the background). `details` (e.g. the request it ran for) go into the
   * warning should removal never succeed. The container counts as pending from this call on, so
   * drain() waits for a removal that has not begun yet.
   */
  remove(container: Docker.Container, details: object = {}, after?: Promise<void>): Promise<void> {
    this.unremoved.set(container.id, details);
    return this.track(after ? after.then(() => this.attempt(container, 0)) : this.attempt(container, 0));
  }

  /**
   * Resolves once every container handed over is removed, retries included (or given up on, or
   * abandoned). A stop waits here under its own deadline: a removal that failed once under a busy
   * engine is retried rather than left behind.
   */
  async drain(): Promise<void> {
    while ((this.inFlight.size || this.retrying.size) && !this.abandoned) {
      await Promise.allSettled([...this.inFlight, ...this.retrying]);
    }
  }

  /** Removal attempts Docker failed since this remover was made. */
  get failedAttempts(): number {
    return this.failures;
  }

  /** Ids of the containers still waiting to be removed. */
  get pending(): string[] {
    return [...this.unremoved.keys()];
  }

  /** Schedules no more retries: what is left is the reaper's (shutdown gave up on a wedged engine). */
  abandon(): void {
    this.abandoned = true;
  }

  private async attempt(container: Docker.Container, failures: number): Promise<void> {
    try {
      // A wedged engine can hang a removal forever: give up on this attempt and retry later.
      await withDeadline(container.remove({ force: true }), REMOVE_CALL_MS, 'Docker did not remove a sandbox');
      this.removed(container.id);
    } catch (error) {
      if (isGoneError(error)) return this.removed(container.id);
      this.failures++;
      if (this.abandoned) return;
      if (failures >= RETRIES) {
        const details = this.unremoved.get(container.id) ?? {};
        this.unremoved.delete(container.id);
        return this.onGiveUp(container.id, error, details);
      }
      const delayMs = Math.min(MAX_DELAY_MS, 500 * 2 ** (failures + 1));
      const retry = new Promise<void>((resolve) => setTimeout(resolve, delayMs).unref()).then(() => this.attempt(container, failures + 1));
      this.retrying.add(retry);
      void retry.finally(() => this.retrying.delete(retry));
    }
  }

  private removed(containerId: string): void {
    this.unremoved.delete(containerId);
    this.onRemoved(containerId);
  }

  private track(removal: Promise<void>): Promise<void> {
    this.inFlight.add(removal);
    return removal.finally(() => this.inFlight.delete(removal));
  }
}
