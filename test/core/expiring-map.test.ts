import { describe, expect, it } from 'vitest';
import { ExpiringMap } from '../../src/expiring-map.js';

describe('ExpiringMap', () => {
  it('forgets entries after their time to live, counted from the last set', () => {
    let now = 0;
    const map = new ExpiringMap<string, number>(100, 10, () => now);
    map.set('a', 1);
    now = 99;
    expect(map.get('a')).toBe(1);
    map.set('a', 2);
    now = 150;
    expect(map.get('a')).toBe(2);
    now = 199;
    expect(map.has('a')).toBe(false);
  });

  it('evicts the oldest entries beyond its size cap', () => {
    const map = new ExpiringMap<number, number>(1000, 3);
    for (let i = 0; i < 5; i++) map.set(i, i);
    expect(map.size).toBe(3);
    expect([0, 1, 2, 3, 4].map((k) => map.has(k))).toEqual([false, false, true, true, true]);
  });
});
