import type { EventEmitter } from 'node:events';
import type { RecordedRequest, RequestMatcher } from './types.js';

/**
 * Resolve with the first non-undefined result of `check`, re-checking whenever `emitter` emits
 * `event` (and every 25 ms, for conditions on the client's side, which the fake can't see change).
 * Checks at once too, so things that already happened count: tests never race the fake and never
 * sleep. Rejects after `timeoutMs`, naming what it waited for.
 */
export function waitUntil<T>(
  emitter: EventEmitter,
  event: string,
  check: () => T | undefined,
  timeoutMs: number,
  what: string,
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
      reject(new Error(`fake discord: timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const poll = setInterval(onEvent, 25);
    const cleanup = (): void => {
      clearTimeout(timer);
      clearInterval(poll);
      emitter.off(event, onEvent);
    };
    emitter.on(event, onEvent);
  });
}

/** Turn a matcher (predicate or {method, path}) into a predicate. */
export function toPredicate(match: RequestMatcher): (req: RecordedRequest) => boolean {
  if (typeof match === 'function') return match;
  return (req) =>
    (match.method === undefined || match.method.toUpperCase() === req.method) &&
    (match.path === undefined ||
      (typeof match.path === 'string' ? match.path === req.path : match.path.test(req.path)));
}

export function describeMatcher(match: RequestMatcher): string {
  if (typeof match === 'function') return `a request matching ${match.name || 'a predicate'}`;
  return `${match.method ?? 'any'} ${String(match.path ?? '*')}`;
}
