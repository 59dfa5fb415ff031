import type { Sandbox, SandboxStats } from '../sandbox.js';

/** The sandbox as the service uses it; `stats` is the Docker sandbox's (a test's stand-in may have none). */
export interface ServiceSandbox extends Sandbox {
  readonly stats?: SandboxStats;
}

export type Health = { ok: true; warm: number; probedAgoS?: number } | { ok: false; reason: string };

/** What a probe may take beyond the run timeout: a cold sandbox's start-up. */
export const PROBE_START_MS = 10_000;
/** A probe that succeeded this recently still counts: health checks come every few seconds. */
const PROBE_FRESH_MS = 30_000;
const PROBE_CODE = "print('ok')";

/**
 * Whether a sandbox can actually start now: a pre-started one is waiting, or a probe run (a print)
 * succeeded within the last 30 s. Otherwise one probe runs, never two at once, cut at its deadline.
 */
export class HealthCheck {
  private lastProbeOk = -Infinity;
  private probing: Promise<Health> | null = null;

  constructor(
    private readonly sandbox: ServiceSandbox,
    private readonly probeDeadlineMs: number,
  ) {}

  check(): Promise<Health> {
    const warm = this.sandbox.stats?.warm ?? 0;
    if (warm > 0) return Promise.resolve({ ok: true, warm });
    const agoMs = Date.now() - this.lastProbeOk;
    if (agoMs < PROBE_FRESH_MS) return Promise.resolve({ ok: true, warm, probedAgoS: Math.round(agoMs / 1000) });
    return (this.probing ??= this.probe().finally(() => (this.probing = null)));
  }

  private async probe(): Promise<Health> {
    const result = await this.sandbox.run({ code: PROBE_CODE }, { requestId: 'healthz', signal: AbortSignal.timeout(this.probeDeadlineMs) });
    if (result.status === 'ok' && result.output === 'ok\n') {
      this.lastProbeOk = Date.now();
      return { ok: true, warm: 0, probedAgoS: 0 };
    }
    if (result.status === 'sandbox_error') return { ok: false, reason: result.reason ?? 'the sandbox failed' };
    if (result.status === 'cancelled') return { ok: false, reason: `a probe run did not finish within ${this.probeDeadlineMs / 1000} s` };
    return { ok: false, reason: `a probe run (${PROBE_CODE}) ended as ${result.status}, not with its output` };
  }
}
