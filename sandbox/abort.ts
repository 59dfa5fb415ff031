/** A wait for an AbortSignal that can be let go of, so a long-lived signal doesn't gather listeners. */
export interface AbortWait {
  /** Resolves once the signal aborts; never without a signal. */
  readonly aborted: Promise<void>;
  /** Stops listening (call it once the wait is over, whichever way). */
  release(): void;
}

export function whenAborted(signal: AbortSignal | undefined): AbortWait {
  if (!signal) return { aborted: new Promise(() => {}), release: () => {} };
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { aborted, release: () => signal.removeEventListener('abort', onAbort) };
}

/** A signal that aborts when any of its sources does, linked until released. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Stops listening to the sources (call it once the signal's work is over, whichever way). */
  release(): void;
}

/**
 * AbortSignal.any() that lets go of its sources. On Node 20, each AbortSignal.any() call leaves
 * ~55 bytes on its sources for as long as they live (measured: heap +5 MB per 100,000 calls on one
 * long-lived signal), and a bot's shutdown signal lives as long as the bot.
 */
export function anyAborted(sources: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const live = sources.filter((source): source is AbortSignal => source !== undefined);
  // One source is its own link: nothing to listen to, nothing to let go of (a run without a signal
  // of its own, say, linked to the shutdown alone).
  if (live.length === 1) return { signal: live[0]!, release: () => {} };
  const aborted = live.find((source) => source.aborted);
  if (aborted) {
    controller.abort(aborted.reason);
    return { signal: controller.signal, release: () => {} };
  }
  const release = () => live.forEach((source) => source.removeEventListener('abort', onAbort));
  const onAbort = (event: Event) => {
    release();
    controller.abort((event.target as AbortSignal).reason);
  };
  live.forEach((source) => source.addEventListener('abort', onAbort, { once: true }));
  return { signal: controller.signal, release };
}
