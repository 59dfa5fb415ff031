import type { EventEmitter } from 'node:events';

/**
 * Resolve with the first non-undefined result of `check`, re-checking whenever `emitter` emits
 * `event` (and every `pollMs`, when given, for conditions the fake can't see change). Checks at
 * once too, so things that already happened count: tests never race a fake and never sleep.
 * Rejects after `timeoutMs` with `describe()` in the message.
 */
export function waitUntil<T>(
  emitter: EventEmitter,
  event: string,
  check: () => T | undefined,
  timeoutMs: number,
  describe: () => string,
  pollMs?: number,
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
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`));
    }, timeoutMs);
    const poll = pollMs ? setInterval(onEvent, pollMs) : undefined;
    const cleanup = (): void => {
      clearTimeout(timer);
      clearInterval(poll);
      emitter.off(event, onEvent);
    };
    emitter.on(event, onEvent);
  });
}
