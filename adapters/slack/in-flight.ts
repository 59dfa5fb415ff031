/** Work the adapter has started and stop() lets finish: runs, and the replies they post. */
export class InFlight {
  private readonly running = new Set<Promise<void>>();

  track(work: Promise<void>): Promise<void> {
    this.running.add(work);
    const done = () => void this.running.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves true once nothing is left (work started meanwhile included), or false after `timeoutMs`. */
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
