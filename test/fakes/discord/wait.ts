import type { EventEmitter } from 'node:events';
import type { RecordedRequest, RequestMatcher } from './types.js';
import { waitUntil as sharedWaitUntil } from '../wait.js';

/** The shared waitUntil, also polling every 25 ms for conditions on the client's side. */
export function waitUntil<T>(
  emitter: EventEmitter,
  event: string,
  check: () => T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return sharedWaitUntil(emitter, event, check, timeoutMs, () => `fake discord: ${what}`, 25);
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
