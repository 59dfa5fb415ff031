/**
 * Fault injection: make the next N calls to a method fail the way Slack fails.
 * Besides API method names, the keys `upload` (the file upload URL) and `response_url` work too.
 */

export interface Fault {
  /** Slack error code in the body, e.g. 'ratelimited', 'not_in_channel', 'invalid_auth'. */
  error: string;
  /** HTTP status: 429 for 'ratelimited', else 200 (Slack's errors are 200 + ok:false) unless set (5xx). */
  status?: number;
  /** Retry-After seconds for 429. Small on purpose: @slack/web-api really sleeps this long, then backs off ~1-2 s more. */
  retryAfterSec?: number;
}

/** What the HTTP layer sends back for a fault. */
export interface FaultResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class FaultQueue {
  private readonly queued = new Map<string, Fault[]>();

  /** Queue `fault` for the next `times` calls to `method`. */
  add(method: string, fault: Fault, times = 1): void {
    const list = this.queued.get(method) ?? [];
    for (let i = 0; i < times; i += 1) list.push(fault);
    this.queued.set(method, list);
  }

  /** Take the fault for this call, if one is queued. */
  take(method: string): Fault | undefined {
    return this.queued.get(method)?.shift();
  }

  clear(): void {
    this.queued.clear();
  }
}

export function faultResponse(fault: Fault): FaultResponse {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  if (fault.error === 'ratelimited' || fault.status === 429) {
    return {
      status: 429,
      headers: { ...json, 'retry-after': String(fault.retryAfterSec ?? 1) },
      body: JSON.stringify({ ok: false, error: fault.error }),
    };
  }
  const status = fault.status ?? 200;
  // 5xx: Slack's edge answers HTML/text, not JSON; the client treats any non-200 as an HTTP error.
  if (status >= 500) return { status, headers: { 'content-type': 'text/plain' }, body: fault.error };
  return { status, headers: json, body: JSON.stringify({ ok: false, error: fault.error }) };
}
