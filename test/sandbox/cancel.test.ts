import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, leftovers, makeRunner, poolFor, RUNTIME_MODES } from '../support/sandbox.js';

const SLEEPER = 'import time\nprint("started", flush=True)\ntime.sleep(30)';

function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

describe.each(RUNTIME_MODES)('cancelling a run on %s (%s)', (runtime, mode) => {
  const runner = makeRunner(runtime, { timeoutS: 60 }, poolFor(mode));

  beforeAll(async () => {
    await runner.warmPool?.whenFull();
  });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('time.sleep(30) aborted after 0.5 s is cancelled within about a second and leaves no container', async () => {
    const idle = new Set(await leftovers(runner)); // the pool's members, if any
    const started = Date.now();
    const result = await runner.run({ code: SLEEPER }, { signal: abortAfter(500) });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result).toMatchObject({ status: 'cancelled', exitCode: null });
    // The container that ran is gone; a pool's other members (and its refills) stay.
    const gone = async () => {
      const now = await leftovers(runner);
      return mode === 'cold' ? now.length === 0 : now.filter((id) => idle.has(id)).length === idle.size - 1;
    };
    await eventually('the cancelled run’s container to be removed', gone);
  });

  it('an already aborted signal starts nothing', async () => {
    const before = await leftovers(runner);
    const result = await runner.run({ code: 'print(1)' }, { signal: AbortSignal.abort() });
    expect(result).toMatchObject({ status: 'cancelled', exitCode: null, signal: null, output: '', durationMs: 0 });
    expect(await leftovers(runner)).toEqual(before);
  });
});

describe('a cancelled run’s output', () => {
  // Pooled: Python is already waiting for the code, so it prints at once whatever the load.
  const runner = makeRunner('runc', { timeoutS: 60 }, { poolSize: 1 });
  afterAll(() => runner.close());

  it('keeps what was printed before the cancel', async () => {
    await runner.warmPool!.whenFull();
    const result = await runner.run({ code: SLEEPER }, { signal: abortAfter(1000) });
    expect(result).toMatchObject({ status: 'cancelled', exitCode: null, signal: 'SIGKILL', output: 'started\n' });
    expect(result.durationMs).toBeGreaterThanOrEqual(900);
    expect(result.durationMs).toBeLessThan(2000);
  });
});

describe('cancelling while Docker is still starting the sandbox', () => {
  const runner = makeRunner('runc');
  afterAll(() => runner.close());

  it('answers cancelled at once, and removes the container as soon as Docker has made it', async () => {
    const controller = new AbortController();
    const running = runner.run({ code: 'print("never")' }, { signal: controller.signal });
    setImmediate(() => controller.abort());
    const started = Date.now();
    const result = await running;
    expect(Date.now() - started).toBeLessThan(200);
    expect(result).toMatchObject({ status: 'cancelled', output: '', durationMs: 0 });
    await eventually('the late container to be removed', async () => (await leftovers(runner)).length === 0);
  });
});
