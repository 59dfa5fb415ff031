import type { EventEmitter } from 'node:events';

/**
 * Resolve with the first non-undefined result of `check`, re-checking every time `emitter` emits
 * `eventName`. Checks immediately too, so things that already happened count: tests never race the
 * fake and never sleep blindly. Rejects after `timeoutMs` with `describe()` in the message.
 */
export function waitUntil<T>(
  emitter: EventEmitter,
  eventName: string,
  check: () => T | undefined,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const first = check();
  if (first !== undefined) return Promise.resolve(first);
  return new Promise<T>((resolve, reject) => {
    const onEvent = (): void => {
      const found = check();
      if (found === undefined) return;
      cleanup();
      resolve(found);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`fake slack: timed out after ${timeoutMs} ms waiting for ${describe()}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      emitter.off(eventName, onEvent);
    };
    emitter.on(eventName, onEvent);
  });
}
