import { afterEach, describe, expect, it } from 'vitest';
import type { LaunchedSandbox } from '../../sandbox/lifecycle.js';
import { SandboxPool } from '../../sandbox/pool.js';
import type { SandboxRunner } from '../../sandbox/runner.js';
import { docker, leftovers, makeRunner } from '../support/sandbox.js';

const runners: SandboxRunner[] = [];
function pooledRunner(poolSize: number, timeoutS = 5): SandboxRunner {
  const runner = makeRunner('runc', { timeoutS }, { poolSize });
  runners.push(runner);
  return runner;
}

afterEach(async () => {
  for (const runner of runners.splice(0)) {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  }
});

describe('the warm pool on the real engine', () => {
  it('fills with started, idle sandboxes that wait for code', async () => {
    const runner = pooledRunner(3);
    await runner.warmPool!.whenFull();
    const ids = await leftovers(runner);
    expect(ids).toHaveLength(3);
    const states = await Promise.all(ids.map(async (id) => (await docker.getContainer(id).inspect()).State.Status));
    expect(states).toEqual(['running', 'running', 'running']);
  });

  it('uses each member once and destroys it; the pool refills', async () => {
    const runner = pooledRunner(2);
    const pool = runner.warmPool!;
    await pool.whenFull();
    const before = new Set(await leftovers(runner));
    const result = await runner.run({ code: 'import os\nopen("/tmp/mark", "w").write("x")\nprint(os.getpid())' });
    expect(result.status).toBe('ok');
    await runner.drain();
    await pool.whenFull();
    const after = new Set(await leftovers(runner));
    expect([...before].filter((id) => after.has(id))).toHaveLength(1); // the used one is gone
    // The next run lands in a fresh container: the file from the previous run is not there.
    const next = await runner.run({ code: 'import os\nprint(os.path.exists("/tmp/mark"))' });
    expect(next.output).toBe('False\n');
  });

  it("removes the used container once the caller says the result is delivered, or after 1 s at most", async () => {
    const runner = pooledRunner(2);
    await runner.warmPool!.whenFull();
    const before = await leftovers(runner);
    let deliver!: () => void;
    const delivered = new Promise<void>((resolve) => (deliver = resolve));
    expect(await runner.run({ code: 'print(1)' }, { delivered })).toMatchObject({ status: 'ok', output: '1\n' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const undelivered = new Set(await leftovers(runner));
    expect(before.filter((id) => undelivered.has(id))).toHaveLength(2); // the used one waits
    deliver();
    await runner.drain();
    const after = new Set(await leftovers(runner));
    expect(before.filter((id) => after.has(id))).toHaveLength(1);

    // A delivery that never comes holds the removal back for 1 s, not longer.
    await runner.run({ code: 'pass' }, { delivered: new Promise(() => {}) });
    const ended = Date.now();
    await runner.drain();
    expect(Date.now() - ended).toBeGreaterThanOrEqual(900);
    expect(Date.now() - ended).toBeLessThan(5_000);
  });

  it('starts the wall clock at code delivery, not when the member was started', async () => {
    const runner = pooledRunner(1, 2);
    await runner.warmPool!.whenFull();
    await new Promise((resolve) => setTimeout(resolve, 2500)); // idle for longer than the timeout
    const result = await runner.run({ code: 'import time\ntime.sleep(1)\nprint("in time")' });
    expect(result).toMatchObject({ status: 'ok', output: 'in time\n' });
  });

  it('skips a member that died while idle', async () => {
    const runner = pooledRunner(1);
    const pool = runner.warmPool!;
    await pool.whenFull();
    const [id] = await leftovers(runner);
    await docker.getContainer(id!).kill();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const result = await runner.run({ code: 'print("still fine")' });
    expect(result).toMatchObject({ status: 'ok', output: 'still fine\n' });
  });

  it('falls back to cold starts when the pool is empty, without waiting for refills', async () => {
    const runner = pooledRunner(1);
    await runner.warmPool!.whenFull();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => runner.run({ code: `print(${i})` })));
    expect(results.map((r) => r.output)).toEqual(['0\n', '1\n', '2\n', '3\n', '4\n']);
  });
});

describe('SandboxPool bookkeeping', () => {
  /** A stand-in member: alive, launched now. */
  function fakeMember(): LaunchedSandbox {
    return { isAlive: () => true, launchedAt: Date.now(), collector: { upSettled: true } } as unknown as LaunchedSandbox;
  }
  const discarded: LaunchedSandbox[] = [];
  const discard = async (member: LaunchedSandbox) => void discarded.push(member);

  it('backs off while launches fail, and recovers when they succeed again', async () => {
    let failures = 3;
    const errors: number[] = [];
    const pool = new SandboxPool(
      async () => {
        if (failures-- > 0) throw new Error('Docker is down');
        return fakeMember();
      },
      discard,
      { size: 2, maxIdleMs: 60_000, parallelLaunches: 1 },
      { launchFailed: (_, retryInMs) => errors.push(retryInMs) },
    );
    await pool.whenFull(10_000);
    expect(errors).toEqual([250, 500, 1000]);
    await pool.close();
  });

  it('replaces members older than the idle limit', async () => {
    let launched = 0;
    const pool = new SandboxPool(async () => (launched++, fakeMember()), discard, { size: 1, maxIdleMs: 50 });
    await pool.whenFull();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(pool.take()).toBeNull(); // the stale member is not handed out…
    await pool.whenFull(); // …and a fresh one takes its place
    expect(launched).toBe(2);
    await pool.close();
  });

  it('refilled() resolves when no launch is in flight, or after its wait at most', async () => {
    const releases: (() => void)[] = [];
    const pool = new SandboxPool(() => new Promise((resolve) => releases.push(() => resolve(fakeMember()))), discard, {
      size: 1,
      maxIdleMs: 60_000,
    });
    let settled = false;
    const waiting = pool.refilled(60_000).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false); // the one launch is still in flight
    releases.shift()!();
    await waiting;
    expect(pool.take()).not.toBeNull(); // taking the member starts a launch again…
    const started = Date.now();
    await pool.refilled(50); // …which never ends here: the wait gives up
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const closed = pool.close();
    releases.shift()!();
    await closed;
  });

  it("starts a member's replacement once its run ends, or after 250 ms at most", async () => {
    let launched = 0;
    const pool = new SandboxPool(async () => (launched++, fakeMember()), discard, { size: 1, maxIdleMs: 60_000 });
    await pool.whenFull();
    let endRun!: () => void;
    expect(pool.take(new Promise<void>((resolve) => (endRun = resolve)))).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(launched).toBe(1); // the run goes on: no launch beside it
    endRun();
    await pool.whenFull();
    expect(launched).toBe(2);
    // A run that goes on past 250 ms doesn't hold the refill back any longer.
    const started = Date.now();
    expect(pool.take(new Promise<void>(() => {}))).not.toBeNull();
    await pool.whenFull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(launched).toBe(3);
    await pool.close();
  });

  it('close() also removes members still being launched', async () => {
    let release!: () => void;
    const member = fakeMember();
    const pool = new SandboxPool(() => new Promise((resolve) => (release = () => resolve(member))), discard, {
      size: 1,
      maxIdleMs: 60_000,
    });
    const closed = pool.close();
    release();
    await closed;
    expect(discarded).toContain(member);
    expect(pool.take()).toBeNull();
  });
});
