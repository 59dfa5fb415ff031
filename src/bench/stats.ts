/** Latency statistics in milliseconds, as the benchmark reports them. */
export interface LatencySummary {
  n: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
}

/** Nearest-rank percentile of sorted samples (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    n: sorted.length,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    max_ms: round(sorted.at(-1) ?? NaN),
  };
}

/** Times `run` `n` times, one after another, calling `prepare` (untimed) before each. */
export async function timeSequential(
  n: number,
  run: () => Promise<void>,
  prepare: () => Promise<void> = async () => {},
): Promise<LatencySummary> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    await prepare();
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}
