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

/** How long `run` takes, in ms, after `prepare` (untimed). */
export async function timed(run: () => Promise<void>, prepare: () => Promise<void> = async () => {}): Promise<number> {
  await prepare();
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Times `run` `n` times, one after another, calling `prepare` (untimed) before each. */
export async function timeSequential(
  n: number,
  run: () => Promise<void>,
  prepare: () => Promise<void> = async () => {},
): Promise<LatencySummary> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push(await timed(run, prepare));
  return summarize(samples);
}

/**
 * Times each of `runs` in turn, `n` rounds of them, calling `prepare` (untimed) before each: the
 * machine's noise falls on all of them alike, so the differences between them are their own.
 */
export async function timeAlternately<Name extends string>(
  n: number,
  runs: Record<Name, () => Promise<void>>,
  prepare: () => Promise<void> = async () => {},
): Promise<Record<Name, LatencySummary>> {
  const names = Object.keys(runs) as Name[];
  const samples = new Map(names.map((name) => [name, [] as number[]]));
  for (let i = 0; i < n; i++) {
    for (const name of names) samples.get(name)!.push(await timed(runs[name], prepare));
  }
  return Object.fromEntries(names.map((name) => [name, summarize(samples.get(name)!)])) as Record<Name, LatencySummary>;
}

/**
 * How much y grows per unit of x (NaN below two distinct x): the Theil–Sen slope, the median of
 * the slopes between every two points. Least squares would follow one outlier: a process's RSS
 * dips by 20 MB when the collector hands pages back, and one such sample among twenty tilted a
 * flat 10,000-run soak to 0.7 MB per 1,000 runs.
 */
export function slope(points: readonly (readonly [x: number, y: number])[]): number {
  const slopes: number[] = [];
  points.forEach(([x1, y1], i) => {
    for (const [x2, y2] of points.slice(i + 1)) if (x2 !== x1) slopes.push((y2 - y1) / (x2 - x1));
  });
  if (!slopes.length) return NaN;
  slopes.sort((a, b) => a - b);
  const middle = slopes.length / 2;
  return Number.isInteger(middle) ? (slopes[middle - 1]! + slopes[middle]!) / 2 : slopes[Math.floor(middle)]!;
}

/**
 * Runs per second of each batch, over `rounds` rounds that take the batches in turn, each round
 * starting one later (a b c, b c a, …), so none is always first or last. A VM's engine drifts by
 * 15 % within a minute: rates taken minutes apart would compare the moments more than the paths.
 * A batch returns how many runs it did, and its time includes whatever it waits for after them.
 */
export async function ratesAlternately<Name extends string>(
  rounds: number,
  batches: Record<Name, () => Promise<number>>,
): Promise<Record<Name, number>> {
  const names = Object.keys(batches) as Name[];
  const totals = new Map(names.map((name) => [name, { runs: 0, ms: 0 }]));
  for (let round = 0; round < rounds; round++) {
    for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
      const started = performance.now();
      const runs = await batches[name]();
      const total = totals.get(name)!;
      total.ms += performance.now() - started;
      total.runs += runs;
    }
  }
  return Object.fromEntries(names.map((name) => [name, totals.get(name)!.runs / (totals.get(name)!.ms / 1000)])) as Record<Name, number>;
}
