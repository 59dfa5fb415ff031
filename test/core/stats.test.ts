import { describe, expect, it } from 'vitest';
import { percentile, ratesAlternately, slope, summarize, timeAlternately } from '../../src/bench/stats.js';

describe('benchmark statistics', () => {
  it('uses nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(10);
    expect(percentile(sorted, 95)).toBe(19);
    expect(percentile(sorted, 100)).toBe(20);
    expect(percentile([7], 95)).toBe(7);
  });

  it('summarizes unsorted samples', () => {
    expect(summarize([30, 10, 20.04])).toEqual({ n: 3, p50_ms: 20, p95_ms: 30, max_ms: 30 });
  });

  it('alternates the paths it times, preparing before each run', async () => {
    const order: string[] = [];
    const step = (name: string) => async () => void order.push(name);
    const summaries = await timeAlternately(2, { a: step('a'), b: step('b') }, step('prepare'));
    expect(order).toEqual(['prepare', 'a', 'prepare', 'b', 'prepare', 'a', 'prepare', 'b']);
    expect(Object.keys(summaries)).toEqual(['a', 'b']);
    expect(summaries.a.n).toBe(2);
  });

  it('measures rates in rounds that take the batches in turn, each round starting one later', async () => {
    const order: string[] = [];
    const batch = (name: string, runs: number, ms: number) => async () => {
      order.push(name);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return runs;
    };
    const rates = await ratesAlternately(3, { a: batch('a', 10, 100), b: batch('b', 2, 100), c: batch('c', 1, 10) });
    expect(order).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    expect(rates.a).toBeGreaterThan(50);
    expect(rates.a).toBeLessThanOrEqual(100); // 30 runs over at least 300 ms
    expect(rates.b).toBeLessThanOrEqual(20);
    expect(rates.a / rates.b).toBeGreaterThan(3);
  });

  it('fits a trend that one outlying sample does not move (Theil–Sen)', () => {
    expect(slope([[0, 50], [1000, 50], [2000, 50]])).toBe(0);
    expect(slope([[0, 50], [1000, 52], [2000, 54]])).toBeCloseTo(0.002);
    expect(slope([[0, 50], [1000, 60], [2000, 50], [3000, 50], [4000, 50]])).toBe(0);
    // A soak whose RSS dipped once early, when the collector handed pages back: flat all the same.
    const soak = [[1000, 125], [2000, 106], [3000, 125], [4000, 126], [5000, 125], [6000, 126], [7000, 125]] as const;
    expect(Math.abs(slope(soak))).toBeLessThan(0.0005);
    expect(slope([[0, 1], [10, 3], [20, 5], [30, 7]])).toBeCloseTo(0.2);
    expect(slope([[5, 1]])).toBeNaN();
    expect(slope([[5, 1], [5, 2]])).toBeNaN();
  });
});
