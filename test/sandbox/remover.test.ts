import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { Remover } from '../../sandbox/remover.js';

/** A container whose first `failures` removals fail (a busy engine), then succeed. */
function flaky(id: string, failures: number): Docker.Container & { removals: number } {
  const container = {
    id,
    removals: 0,
    async remove() {
      container.removals++;
      if (container.removals <= failures) throw Object.assign(new Error('tried to kill container, but did not receive an exit event'), { statusCode: 500 });
    },
  };
  return container as unknown as Docker.Container & { removals: number };
}

describe('Remover', () => {
  it('drain() waits for retries too: a removal that failed once is not left behind by a stop', async () => {
    const removed: string[] = [];
    const remover = new Remover(undefined, (id) => removed.push(id));
    const container = flaky('c1', 1);
    await remover.remove(container); // the first attempt fails; a retry follows in about a second
    expect(remover.pending).toEqual(['c1']);
    await remover.drain();
    expect(container.removals).toBe(2);
    expect(removed).toEqual(['c1']);
    expect(remover.pending).toEqual([]);
  });

  it('drain() stops waiting once removals are abandoned (a stop gave up on the engine)', async () => {
    const remover = new Remover();
    await remover.remove(flaky('c2', 99));
    remover.abandon();
    await remover.drain(); // would otherwise wait out every retry
    expect(remover.pending).toEqual(['c2']);
  });
});
