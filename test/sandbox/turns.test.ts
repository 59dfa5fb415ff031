import { describe, expect, it } from 'vitest';
import { Turns } from '../../sandbox/turns.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Turns', () => {
  it('gives one turn at a time, first come first served', async () => {
    const turns = new Turns();
    const order: string[] = [];
    const first = await turns.take();
    const second = turns.take().then((end) => (order.push('second'), end));
    const third = turns.take().then((end) => (order.push('third'), end));
    await tick();
    expect(order).toEqual([]);
    first!();
    (await second)!();
    (await third)!();
    expect(order).toEqual(['second', 'third']);
    expect(await turns.take()).not.toBeNull(); // free again
  });

  it('a caller whose signal aborts leaves the line with null, and the next one moves up', async () => {
    const turns = new Turns();
    const first = await turns.take();
    const gaveUp = new AbortController();
    const leaving = turns.take(gaveUp.signal);
    const next = turns.take();
    gaveUp.abort();
    expect(await leaving).toBeNull();
    first!();
    expect(await next).not.toBeNull();
  });

  it('ending a turn twice ends it once', async () => {
    const turns = new Turns();
    const first = (await turns.take())!;
    const second = turns.take();
    first();
    first();
    await second;
    let thirdIn = false;
    void turns.take().then(() => (thirdIn = true));
    await tick();
    expect(thirdIn).toBe(false); // the second still holds its turn
  });

  it('an already aborted signal never takes a turn', async () => {
    expect(await new Turns().take(AbortSignal.abort())).toBeNull();
  });
});
