/** How long a stopped process may take to exit by itself before it is made to (a library holding a socket). */
const EXIT_GRACE_MS = 2_000;

/**
 * SIGINT and SIGTERM: the first calls `stop` (a clean, bounded stop); a second one exits at once,
 * for an operator who won't wait.
 */
export function stopOnSignals(stop: () => void): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      process.stderr.write(`sandpiper: ${signal} again: exiting without waiting\n`);
      process.exit(130);
    }
    signalled = true;
    stop();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
}

/** Returns `code`, and makes sure the process really ends with it soon after. */
export function exitSoon(code: number): number {
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  return code;
}
