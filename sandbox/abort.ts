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
