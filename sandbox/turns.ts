import { whenAborted } from './abort.js';

/**
 * One at a time, first come first served. `take()` resolves with the function that ends the
 * turn, or with null when the signal aborts first (the place in line is given up).
 */
export class Turns {
  private busy = false;
  private readonly line: (() => void)[] = [];

  async take(signal?: AbortSignal): Promise<(() => void) | null> {
    if (signal?.aborted) return null;
    if (this.busy) {
      let enter = () => {};
      const entered = new Promise<true>((resolve) => (enter = () => resolve(true)));
      this.line.push(enter);
      const abort = whenAborted(signal);
      const won = await Promise.race([entered, abort.aborted.then(() => false as const)]);
      abort.release();
      if (!won) {
        const at = this.line.indexOf(enter);
        if (at >= 0) this.line.splice(at, 1);
        else this.end(); // the turn came in the same tick as the abort: pass it on
        return null;
      }
    }
    this.busy = true;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.end();
    };
  }

  private end(): void {
    const next = this.line.shift();
    if (next) next();
    else this.busy = false;
  }
}
