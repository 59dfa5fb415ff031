import type Docker from 'dockerode';
import { withDeadline } from './deadline.js';
import { isGoneError } from './docker-errors.js';

const RETRIES = 24; // with the backoff below: about ten minutes
const MAX_DELAY_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 30_000;

/**
 * Removes sandbox containers, every one of them: what Docker fails to remove (it was restarting,
 * the connection dropped) is retried with backoff, so it is gone soon after Docker is back. Past
 * the retries, the container's deadline label lets the reaper remove it.
 */
export class Remover {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly onGiveUp: (containerId: string, error: unknown) => void = () => {}) {}

  /** Starts removing; resolves after the first attempt (later retries run in the background). */
  remove(container: Docker.Container): Promise<void> {
    return this.track(this.attempt(container, 0));
  }

  /** Resolves once no first attempt is in flight. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async attempt(container: Docker.Container, failures: number): Promise<void> {
    try {
      // A wedged engine can hang a removal forever: give up on this attempt and retry later.
      await withDeadline(container.remove({ force: true }), ATTEMPT_TIMEOUT_MS, 'Docker did not remove a sandbox');
    } catch (error) {
      if (isGoneError(error)) return;
      if (failures >= RETRIES) return this.onGiveUp(container.id, error);
      const delayMs = Math.min(MAX_DELAY_MS, 500 * 2 ** (failures + 1));
      setTimeout(() => void this.attempt(container, failures + 1), delayMs).unref();
    }
  }

  private track(removal: Promise<void>): Promise<void> {
    this.inFlight.add(removal);
    return removal.finally(() => this.inFlight.delete(removal));
  }
}
