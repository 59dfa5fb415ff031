import { createHash } from 'node:crypto';
import { discordError } from './errors.js';
import type { Reply } from './router.js';
import type { RecordedRequest, RequestMatcher } from './types.js';
import { toPredicate } from './wait.js';

/**
 * Fault injection and rate-limit headers. A queued fault answers the next matching requests
 * instead of the route, the way Discord fails: 429 with its JSON and headers, 5xx, or an error code.
 */

export type Fault =
  /** 429. `retryAfter` in seconds (fractions work: @discordjs/rest really sleeps this long). */
  | { kind: 'ratelimit'; retryAfter?: number; global?: boolean; scope?: 'user' | 'shared' | 'global' }
  /** Any status, e.g. 500/502/503; body defaults to Discord's `{message, code: 0}`. */
  | { kind: 'status'; status: number; body?: unknown }
  /** A Discord error code (50013 Missing Permissions, 50001 Missing Access, 10003 Unknown Channel, ...). */
  | { kind: 'code'; code: number; status?: number; message?: string }
  /** No answer at all (a Discord that is gone without a word): recorded with status 0, held open until the fake closes. */
  | { kind: 'hang' };

interface Queued {
  match: (req: RecordedRequest) => boolean;
  fault: Fault;
  remaining: number;
}

export class FaultQueue {
  private queued: Queued[] = [];

  add(match: RequestMatcher, fault: Fault, times = 1): void {
    this.queued.push({ match: toPredicate(match), fault, remaining: times });
  }

  /** The fault for this request, if one is queued (consumes one use). */
  take(req: RecordedRequest): Fault | undefined {
    const hit = this.queued.find((q) => q.remaining > 0 && q.match(req));
    if (!hit) return undefined;
    hit.remaining -= 1;
    this.queued = this.queued.filter((q) => q.remaining > 0);
    return hit.fault;
  }

  clear(): void {
    this.queued = [];
  }
}

/** A stable per-route bucket id, like Discord's opaque `x-ratelimit-bucket`. */
function bucketFor(method: string, route: string): string {
  return createHash('sha1').update(`${method} ${route}`).digest('hex').slice(0, 16);
}

/** Headers for a normal answer: plenty remaining, so discord.js' queue never waits. */
export function rateLimitHeaders(method: string, route: string): Record<string, string> {
  return {
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '4',
    'x-ratelimit-reset': ((Date.now() + 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': '1.000',
    'x-ratelimit-bucket': bucketFor(method, route),
  };
}

export function faultReply(fault: Exclude<Fault, { kind: 'hang' }>, method: string, route: string): Reply {
  switch (fault.kind) {
    case 'ratelimit': {
      const retryAfter = fault.retryAfter ?? 0.1;
      const global = fault.global ?? false;
      const headers: Record<string, string> = {
        ...rateLimitHeaders(method, route),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
        'x-ratelimit-reset-after': retryAfter.toFixed(3),
        'retry-after': String(retryAfter),
        'x-ratelimit-scope': fault.scope ?? (global ? 'global' : 'user'),
      };
      // @discordjs/rest tests the header's presence, not its value: only send it when global.
      if (global) headers['x-ratelimit-global'] = 'true';
      return { status: 429, headers, body: { message: 'You are being rate limited.', retry_after: retryAfter, global, ...(global && { code: 0 }) } };
    }
    case 'status':
      return { status: fault.status, body: fault.body ?? { message: `${fault.status}: Fault injected by the fake`, code: 0 } };
    case 'code': {
      const err = discordError(fault.code, { ...(fault.status !== undefined && { status: fault.status }), ...(fault.message !== undefined && { message: fault.message }) });
      return { status: err.status, body: err.body };
    }
  }
}
